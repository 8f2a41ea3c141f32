//! The portal shell every page carries, shared by the gateway and the backends: one
//! template (`i18n/shell/shell.html`), one stylesheet and one script (served by the
//! gateway at `/auth/portal.css` and `/auth/portal.js`, so the backends' pages behind
//! the proxy use the very same files), and the view model each application fills — the
//! gateway from the session, a backend from the assertion's `shell` claim.

use serde::Serialize;

use crate::Lang;

/// The shell's template, to add to an application's template environment as
/// `shell.html` (a layout includes it).
pub const TEMPLATE: &str = include_str!("../shell/shell.html");
/// The portal's stylesheet.
pub const STYLESHEET: &str = include_str!("../shell/portal.css");
/// The idle-timeout warning's script.
pub const SCRIPT: &str = include_str!("../shell/portal.js");

/// What the header shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Shell {
    /// The logged-in person's display name; `None` on pages before login.
    pub user: Option<String>,
    /// The session's CSRF token for the shell's forms (switch, language, log out).
    pub csrf: Option<String>,
    /// Where the switch forms come back to (a same-origin path).
    pub return_to: String,
    /// Every organisation the person may act for; one is `active`.
    pub structures: Vec<ShellStructure>,
    /// The applications the person may use in the active organisation.
    pub applications: Vec<ShellApplication>,
    /// The language switch.
    pub languages: Vec<ShellLanguage>,
    /// Which part of the portal this page belongs to (`account`, an application id).
    pub current: String,
    /// The person's display preferences, applied as classes on the page's `<html>`.
    pub prefs: ShellPrefs,
}

/// A person's display preferences (all off before login or when never chosen). Each is
/// a class on `<html>` that `portal.css` styles: `pref-large-text`,
/// `pref-reduced-motion`, `pref-high-contrast`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ShellPrefs {
    /// Larger text.
    pub large_text: bool,
    /// Reduced motion.
    pub reduced_motion: bool,
    /// High contrast.
    pub high_contrast: bool,
}

/// An organisation in the switcher.
#[derive(Debug, Clone, Serialize)]
pub struct ShellStructure {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Enterprise number.
    pub number: String,
    /// The one acted for now.
    pub active: bool,
}

/// An application link.
#[derive(Debug, Clone, Serialize)]
pub struct ShellApplication {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Same-origin URL.
    pub url: String,
    /// The page belongs to it.
    pub current: bool,
}

/// A language in the switch.
#[derive(Debug, Clone, Serialize)]
pub struct ShellLanguage {
    /// Code.
    pub code: &'static str,
    /// Name in itself.
    pub name: &'static str,
    /// The page's language.
    pub current: bool,
}

impl Shell {
    /// The shell of a page before login (or after logout): the language switch only.
    pub fn anonymous(lang: Lang, return_to: &str) -> Self {
        Self {
            return_to: return_to.to_owned(),
            languages: languages(lang),
            ..Self::default()
        }
    }
}

/// The language switch for a page in `lang`.
pub fn languages(lang: Lang) -> Vec<ShellLanguage> {
    Lang::ALL
        .iter()
        .map(|l| ShellLanguage {
            code: l.code(),
            name: l.native_name(),
            current: *l == lang,
        })
        .collect()
}
