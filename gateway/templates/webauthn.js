// Security keys: asks the gateway for the options of a ceremony, runs it with
// navigator.credentials, and posts the answer as JSON (binary fields as base64url).
// Forms marked data-webauthn="register" or "authenticate" are handled here.
(function () {
  "use strict";
  function toBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
    return b.buffer;
  }
  function toText(buf) {
    var b = new Uint8Array(buf), s = "";
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  async function post(url, csrf, body) {
    var r = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "accept": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body || {})
    });
    var j = await r.json().catch(function () { return {}; });
    if (!r.ok) throw new Error(j.message || "Error " + r.status);
    return j;
  }
  async function register(form, csrf) {
    var name = form.querySelector("[name=name]").value;
    var o = (await post("/auth/factors/webauthn/register/start", csrf, { name: name })).publicKey;
    o.challenge = toBuf(o.challenge);
    o.user.id = toBuf(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = toBuf(c.id); });
    var c = await navigator.credentials.create({ publicKey: o });
    return post("/auth/factors/webauthn/register/finish", csrf, {
      id: c.id, rawId: toText(c.rawId), type: c.type, extensions: {},
      response: {
        attestationObject: toText(c.response.attestationObject),
        clientDataJSON: toText(c.response.clientDataJSON)
      }
    });
  }
  async function authenticate(form, csrf) {
    var o = (await post("/auth/factor/webauthn/start", csrf, {})).publicKey;
    o.challenge = toBuf(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = toBuf(c.id); });
    var a = await navigator.credentials.get({ publicKey: o });
    return post("/auth/factor/webauthn/finish", csrf, {
      id: a.id, rawId: toText(a.rawId), type: a.type, extensions: {},
      response: {
        authenticatorData: toText(a.response.authenticatorData),
        clientDataJSON: toText(a.response.clientDataJSON),
        signature: toText(a.response.signature),
        userHandle: a.response.userHandle ? toText(a.response.userHandle) : null
      }
    });
  }
  document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
    var status = form.querySelector("[role=alert]");
    form.hidden = false;
    form.addEventListener("submit", async function (e) {
      e.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      status.textContent = "";
      try {
        var csrf = form.querySelector("[name=csrf]").value;
        var done = form.dataset.webauthn === "register" ? await register(form, csrf) : await authenticate(form, csrf);
        window.location.assign(done.redirect || "/");
      } catch (err) {
        status.textContent = err && err.message ? err.message : String(err);
        button.disabled = false;
      }
    });
  });
  document.querySelectorAll(".needs-js").forEach(function (el) { el.hidden = true; });
})();
