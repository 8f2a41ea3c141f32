// The shell's idle-timeout warning: reads the session's remaining idle and absolute
// times from /auth/session, shows a dialog two minutes before the end, and "stay logged
// in" touches the session. Without JavaScript nothing else changes.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var text = document.getElementById("idle-text");
  var stay = document.getElementById("idle-stay");
  var WARN = 120;
  var timer = null;
  var csrf = "";

  function schedule(secs) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, secs) * 1000);
  }

  function show(left) {
    if (left <= 0) {
      text.textContent = dialog.getAttribute("data-text-ended");
      stay.hidden = true;
    } else {
      var minutes = Math.max(1, Math.ceil(left / 60));
      text.textContent = text.getAttribute("data-template").replace("#", String(minutes));
      stay.hidden = false;
    }
    if (!dialog.open) dialog.showModal();
  }

  function check() {
    fetch("/auth/session", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (!s.authenticated) { show(0); return; }
        csrf = s.csrf || "";
        var left = Math.min(s.idle_remaining_secs, s.absolute_remaining_secs);
        if (left <= WARN) {
          show(left);
          schedule(Math.min(left, 30) || 1);
        } else {
          if (dialog.open) dialog.close();
          schedule(left - WARN);
        }
      })
      .catch(function () { schedule(60); });
  }

  stay.addEventListener("click", function () {
    fetch("/auth/session/touch", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf }
    }).then(function () {
      dialog.close();
      check();
    });
  });

  check();
})();
