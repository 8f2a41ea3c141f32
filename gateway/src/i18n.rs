//! Texts of the gateway's pages and mails (second factor, local accounts, the person's
//! account) in French, Dutch and English, chosen by the person's preference, else the
//! browser's `Accept-Language`, else English. Mostly a data table.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::state::AppState;
use crate::store::{StoreError, users};

/// A language of the pages and mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Dutch.
    Nl,
}

impl Lang {
    /// The code (`en`, `fr`, `nl`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Nl => "nl",
        }
    }

    /// From a code; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("en") => Some(Lang::En),
            Some("fr") => Some(Lang::Fr),
            Some("nl") => Some(Lang::Nl),
            _ => None,
        }
    }

    /// The person's preference, else the browser's best-weighted supported language.
    pub fn pick(preference: Option<&str>, headers: &HeaderMap) -> Self {
        if let Some(l) = preference.and_then(Self::from_code) {
            return l;
        }
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Self::from_accept_language(accept)
    }

    /// The supported language with the highest `q` in an `Accept-Language` value (first
    /// listed wins a tie), English when none is supported.
    pub fn from_accept_language(accept: &str) -> Self {
        let mut best: Option<(Lang, f32)> = None;
        for item in accept.split(',').take(20) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Self::from_code) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l).unwrap_or(Lang::En)
    }
}

/// The language of a person's pages and mails: their preference, else the browser's.
pub async fn person_lang(
    app: &AppState,
    headers: &HeaderMap,
    user_id: &str,
) -> Result<Lang, StoreError> {
    let user = users::get(&app.db, user_id).await?;
    Ok(Lang::pick(user.and_then(|u| u.locale).as_deref(), headers))
}

/// A page in `lang` (its texts given to the template as `t`), never cached.
pub fn page(name: &str, status: StatusCode, lang: Lang, extra: minijinja::Value) -> Response {
    let ctx = minijinja::context! { lang => lang.code(), t => all(lang), ..extra };
    web::no_store((status, Html(crate::pages::render(name, ctx))).into_response())
}

/// (key, English, French, Dutch).
const TEXTS: &[(&str, &str, &str, &str)] = &[
    (
        "verify_title",
        "Confirm it is you",
        "Confirmez votre identité",
        "Bevestig dat u het bent",
    ),
    (
        "email_intro",
        "This device is new for your account. We sent a code to your email address {email}. Enter it below.",
        "Cet appareil est nouveau pour votre compte. Nous avons envoyé un code à votre adresse e-mail {email}. Saisissez-le ci-dessous.",
        "Dit toestel is nieuw voor uw account. We hebben een code naar uw e-mailadres {email} gestuurd. Vul die hieronder in.",
    ),
    (
        "totp_intro",
        "This device is new for your account. Enter the code shown by your authenticator app.",
        "Cet appareil est nouveau pour votre compte. Saisissez le code affiché par votre application d'authentification.",
        "Dit toestel is nieuw voor uw account. Vul de code in die uw authenticatie-app toont.",
    ),
    ("code_label", "Code", "Code", "Code"),
    ("submit", "Continue", "Continuer", "Doorgaan"),
    (
        "resend",
        "Send a new code",
        "Envoyer un nouveau code",
        "Stuur een nieuwe code",
    ),
    (
        "other_way",
        "Sign in another way: receive a code by email",
        "Se connecter autrement : recevoir un code par e-mail",
        "Op een andere manier aanmelden: een code per e-mail ontvangen",
    ),
    (
        "too_many_failures",
        "Too many wrong codes were entered for this account. For your protection, no code is accepted for now: please try again tomorrow.",
        "Trop de codes erronés ont été saisis pour ce compte. Pour votre protection, aucun code n'est accepté pour l'instant : veuillez réessayer demain.",
        "Er werden te veel foute codes ingevoerd voor deze account. Voor uw bescherming wordt voorlopig geen code aanvaard: probeer het morgen opnieuw.",
    ),
    (
        "wrong_code",
        "This code is not correct. Tries left: {left}.",
        "Ce code n'est pas correct. Essais restants : {left}.",
        "Deze code is niet juist. Resterende pogingen: {left}.",
    ),
    (
        "dead",
        "This verification has ended (too many tries or too late). Please log in again.",
        "Cette vérification est terminée (trop d'essais ou trop tard). Veuillez vous reconnecter.",
        "Deze verificatie is afgelopen (te veel pogingen of te laat). Meld u opnieuw aan.",
    ),
    (
        "login_again",
        "Log in again",
        "Se reconnecter",
        "Opnieuw aanmelden",
    ),
    (
        "resend_wait",
        "A code was sent recently. Please wait a little before asking for another.",
        "Un code a été envoyé récemment. Veuillez patienter avant d'en demander un autre.",
        "Er werd onlangs een code verstuurd. Wacht even voor u een nieuwe vraagt.",
    ),
    (
        "resent",
        "A new code is on its way.",
        "Un nouveau code est en route.",
        "Er is een nieuwe code onderweg.",
    ),
    (
        "no_email",
        "No email address is known for your account, so this new device cannot be confirmed. Please contact the help desk.",
        "Aucune adresse e-mail n'est connue pour votre compte : ce nouvel appareil ne peut pas être confirmé. Veuillez contacter le service d'aide.",
        "Er is geen e-mailadres gekend voor uw account: dit nieuwe toestel kan niet worden bevestigd. Neem contact op met de helpdesk.",
    ),
    (
        "code_subject",
        "Your verification code",
        "Votre code de vérification",
        "Uw verificatiecode",
    ),
    (
        "code_body",
        "Hello {name},\n\nYour verification code is: {code}\n\nIt is valid for {minutes} minutes and can be used once. If you did not try to log in, you can ignore this mail; nobody can log in with your account without this code.\n",
        "Bonjour {name},\n\nVotre code de vérification est : {code}\n\nIl est valable {minutes} minutes et ne peut servir qu'une fois. Si vous n'avez pas essayé de vous connecter, ignorez ce message ; personne ne peut se connecter à votre compte sans ce code.\n",
        "Beste {name},\n\nUw verificatiecode is: {code}\n\nDe code is {minutes} minuten geldig en kan één keer worden gebruikt. Als u niet probeerde aan te melden, mag u deze e-mail negeren; niemand kan zonder deze code met uw account aanmelden.\n",
    ),
    (
        "device_subject",
        "A new device was used to log in",
        "Un nouvel appareil a servi à vous connecter",
        "Er werd met een nieuw toestel aangemeld",
    ),
    (
        "device_body",
        "Hello {name},\n\nA new device was confirmed for your account on {when} (UTC):\n{agent}\n\nIf this was not you, remove this device from your trusted devices and contact the help desk.\n",
        "Bonjour {name},\n\nUn nouvel appareil a été confirmé pour votre compte le {when} (UTC) :\n{agent}\n\nSi ce n'était pas vous, retirez cet appareil de vos appareils de confiance et contactez le service d'aide.\n",
        "Beste {name},\n\nEr werd op {when} (UTC) een nieuw toestel bevestigd voor uw account:\n{agent}\n\nWas u dit niet, verwijder dit toestel dan uit uw vertrouwde toestellen en neem contact op met de helpdesk.\n",
    ),
    (
        "factors_title",
        "Security of my account",
        "Sécurité de mon compte",
        "Beveiliging van mijn account",
    ),
    (
        "devices_heading",
        "Trusted devices",
        "Appareils de confiance",
        "Vertrouwde toestellen",
    ),
    (
        "no_devices",
        "No trusted device.",
        "Aucun appareil de confiance.",
        "Geen vertrouwde toestellen.",
    ),
    ("this_device", "this device", "cet appareil", "dit toestel"),
    (
        "first_seen",
        "first used",
        "première utilisation",
        "eerst gebruikt",
    ),
    (
        "last_seen",
        "last used",
        "dernière utilisation",
        "laatst gebruikt",
    ),
    ("revoke", "Remove", "Retirer", "Verwijderen"),
    (
        "totp_heading",
        "Authenticator app",
        "Application d'authentification",
        "Authenticatie-app",
    ),
    (
        "totp_none",
        "No authenticator app is set up.",
        "Aucune application d'authentification n'est configurée.",
        "Er is geen authenticatie-app ingesteld.",
    ),
    (
        "totp_active",
        "Set up: {name}. To change it, remove it first.",
        "Configurée : {name}. Pour la changer, retirez-la d'abord.",
        "Ingesteld: {name}. Verwijder ze eerst om ze te wijzigen.",
    ),
    (
        "totp_name",
        "Name of the app or phone",
        "Nom de l'application ou du téléphone",
        "Naam van de app of telefoon",
    ),
    (
        "totp_start",
        "Set up an authenticator app",
        "Configurer une application d'authentification",
        "Een authenticatie-app instellen",
    ),
    (
        "totp_scan",
        "Scan this QR code with FreeOTP, Google Authenticator or Microsoft Authenticator, or enter the key by hand. Then enter the code the app shows.",
        "Scannez ce code QR avec FreeOTP, Google Authenticator ou Microsoft Authenticator, ou saisissez la clé à la main. Saisissez ensuite le code affiché par l'application.",
        "Scan deze QR-code met FreeOTP, Google Authenticator of Microsoft Authenticator, of voer de sleutel met de hand in. Vul daarna de code in die de app toont.",
    ),
    ("totp_key", "Key", "Clé", "Sleutel"),
    ("totp_confirm", "Confirm", "Confirmer", "Bevestigen"),
    (
        "totp_done",
        "Your authenticator app is set up.",
        "Votre application d'authentification est configurée.",
        "Uw authenticatie-app is ingesteld.",
    ),
    (
        "totp_exists",
        "An authenticator app is already set up. Remove it first.",
        "Une application d'authentification est déjà configurée. Retirez-la d'abord.",
        "Er is al een authenticatie-app ingesteld. Verwijder die eerst.",
    ),
    (
        "totp_removed",
        "The authenticator app was removed.",
        "L'application d'authentification a été retirée.",
        "De authenticatie-app werd verwijderd.",
    ),
    (
        "totp_bad_name",
        "Give a name of 1 to 64 characters.",
        "Donnez un nom de 1 à 64 caractères.",
        "Geef een naam van 1 tot 64 tekens.",
    ),
    (
        "totp_wrong",
        "This code is not correct. Check the time of your phone and try the next code.",
        "Ce code n'est pas correct. Vérifiez l'heure de votre téléphone et essayez le code suivant.",
        "Deze code is niet juist. Controleer de tijd van uw telefoon en probeer de volgende code.",
    ),
    (
        "language_heading",
        "Language of pages and mails",
        "Langue des pages et des e-mails",
        "Taal van pagina's en e-mails",
    ),
    ("language_save", "Save", "Enregistrer", "Opslaan"),
    (
        "language_saved",
        "Your language is saved.",
        "Votre langue est enregistrée.",
        "Uw taal is opgeslagen.",
    ),
    (
        "local_title",
        "Log in with email and password",
        "Se connecter avec e-mail et mot de passe",
        "Aanmelden met e-mail en wachtwoord",
    ),
    (
        "email_label",
        "Email address",
        "Adresse e-mail",
        "E-mailadres",
    ),
    ("password_label", "Password", "Mot de passe", "Wachtwoord"),
    ("login_submit", "Log in", "Se connecter", "Aanmelden"),
    (
        "login_failed",
        "Email address or password not correct, or the account is temporarily locked after too many tries.",
        "Adresse e-mail ou mot de passe incorrect, ou compte temporairement bloqué après trop d'essais.",
        "E-mailadres of wachtwoord niet juist, of de account is tijdelijk geblokkeerd na te veel pogingen.",
    ),
    (
        "forgot_link",
        "Forgot your password?",
        "Mot de passe oublié ?",
        "Wachtwoord vergeten?",
    ),
    (
        "forgot_title",
        "Reset your password",
        "Réinitialiser votre mot de passe",
        "Uw wachtwoord opnieuw instellen",
    ),
    (
        "forgot_intro",
        "Enter the email address of your account. If it is known, we send a link to choose a new password.",
        "Saisissez l'adresse e-mail de votre compte. Si elle est connue, nous envoyons un lien pour choisir un nouveau mot de passe.",
        "Vul het e-mailadres van uw account in. Als het gekend is, sturen we een link om een nieuw wachtwoord te kiezen.",
    ),
    (
        "forgot_sent",
        "If this address belongs to an account, a link is on its way. It is valid for {minutes} minutes.",
        "Si cette adresse appartient à un compte, un lien est en route. Il est valable {minutes} minutes.",
        "Als dit adres bij een account hoort, is er een link onderweg. Die is {minutes} minuten geldig.",
    ),
    (
        "send_link",
        "Send the link",
        "Envoyer le lien",
        "Stuur de link",
    ),
    (
        "reset_title",
        "Choose a new password",
        "Choisissez un nouveau mot de passe",
        "Kies een nieuw wachtwoord",
    ),
    (
        "new_password",
        "New password",
        "Nouveau mot de passe",
        "Nieuw wachtwoord",
    ),
    (
        "password_rules",
        "At least {min} characters, with a digit, a lower-case letter, an upper-case letter and a special character.",
        "Au moins {min} caractères, avec un chiffre, une minuscule, une majuscule et un caractère spécial.",
        "Minstens {min} tekens, met een cijfer, een kleine letter, een hoofdletter en een speciaal teken.",
    ),
    (
        "reset_done",
        "Your password is changed. You can log in.",
        "Votre mot de passe est changé. Vous pouvez vous connecter.",
        "Uw wachtwoord is gewijzigd. U kunt aanmelden.",
    ),
    (
        "link_dead",
        "This link is not valid any more. Ask for a new one.",
        "Ce lien n'est plus valable. Demandez-en un nouveau.",
        "Deze link is niet meer geldig. Vraag een nieuwe aan.",
    ),
    (
        "reset_subject",
        "Reset your password",
        "Réinitialiser votre mot de passe",
        "Uw wachtwoord opnieuw instellen",
    ),
    (
        "reset_body",
        "Hello {name},\n\nTo choose a new password, open this link within {minutes} minutes:\n{link}\n\nIf you did not ask for it, ignore this mail: your password stays as it is.\n",
        "Bonjour {name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans les {minutes} minutes :\n{link}\n\nSi vous ne l'avez pas demandé, ignorez ce message : votre mot de passe reste inchangé.\n",
        "Beste {name},\n\nOpen deze link binnen {minutes} minuten om een nieuw wachtwoord te kiezen:\n{link}\n\nHebt u dit niet gevraagd, negeer deze e-mail dan: uw wachtwoord blijft ongewijzigd.\n",
    ),
    (
        "pw_short",
        "The password needs at least {min} characters.",
        "Le mot de passe doit compter au moins {min} caractères.",
        "Het wachtwoord moet minstens {min} tekens tellen.",
    ),
    (
        "pw_digit",
        "The password needs a digit.",
        "Le mot de passe doit contenir un chiffre.",
        "Het wachtwoord moet een cijfer bevatten.",
    ),
    (
        "pw_lower",
        "The password needs a lower-case letter.",
        "Le mot de passe doit contenir une minuscule.",
        "Het wachtwoord moet een kleine letter bevatten.",
    ),
    (
        "pw_upper",
        "The password needs an upper-case letter.",
        "Le mot de passe doit contenir une majuscule.",
        "Het wachtwoord moet een hoofdletter bevatten.",
    ),
    (
        "pw_special",
        "The password needs a character that is neither a letter nor a digit.",
        "Le mot de passe doit contenir un caractère qui n'est ni une lettre ni un chiffre.",
        "Het wachtwoord moet een teken bevatten dat geen letter of cijfer is.",
    ),
    (
        "pw_long",
        "The password is too long.",
        "Le mot de passe est trop long.",
        "Het wachtwoord is te lang.",
    ),
    ("password_heading", "Password", "Mot de passe", "Wachtwoord"),
    (
        "current_password",
        "Current password",
        "Mot de passe actuel",
        "Huidig wachtwoord",
    ),
    (
        "change_password",
        "Change the password",
        "Changer le mot de passe",
        "Het wachtwoord wijzigen",
    ),
    (
        "password_changed",
        "Your password is changed.",
        "Votre mot de passe est changé.",
        "Uw wachtwoord is gewijzigd.",
    ),
    (
        "current_wrong",
        "The current password is not correct.",
        "Le mot de passe actuel n'est pas correct.",
        "Het huidige wachtwoord is niet juist.",
    ),
    (
        "email_heading",
        "Login email address",
        "Adresse e-mail de connexion",
        "E-mailadres om aan te melden",
    ),
    (
        "email_current",
        "Your login is {email}.",
        "Votre identifiant est {email}.",
        "U meldt aan met {email}.",
    ),
    (
        "new_email",
        "New email address",
        "Nouvelle adresse e-mail",
        "Nieuw e-mailadres",
    ),
    (
        "change_email",
        "Send a confirmation link",
        "Envoyer un lien de confirmation",
        "Stuur een bevestigingslink",
    ),
    (
        "email_link_sent",
        "A confirmation link was sent to the new address. Until you open it, your login stays {email}.",
        "Un lien de confirmation a été envoyé à la nouvelle adresse. Tant que vous ne l'avez pas ouvert, votre identifiant reste {email}.",
        "Er werd een bevestigingslink naar het nieuwe adres gestuurd. Tot u die opent, blijft u aanmelden met {email}.",
    ),
    (
        "email_subject",
        "Confirm your new email address",
        "Confirmez votre nouvelle adresse e-mail",
        "Bevestig uw nieuwe e-mailadres",
    ),
    (
        "email_body",
        "Hello {name},\n\nTo make this address your login, open this link within {minutes} minutes:\n{link}\n\nIf you did not ask for it, ignore this mail.\n",
        "Bonjour {name},\n\nPour faire de cette adresse votre identifiant, ouvrez ce lien dans les {minutes} minutes :\n{link}\n\nSi vous ne l'avez pas demandé, ignorez ce message.\n",
        "Beste {name},\n\nOpen deze link binnen {minutes} minuten om met dit adres aan te melden:\n{link}\n\nHebt u dit niet gevraagd, negeer deze e-mail dan.\n",
    ),
    (
        "email_confirm_title",
        "Confirm your new email address",
        "Confirmez votre nouvelle adresse e-mail",
        "Bevestig uw nieuwe e-mailadres",
    ),
    (
        "email_confirm_button",
        "Make {email} my login",
        "Faire de {email} mon identifiant",
        "Aanmelden met {email}",
    ),
    (
        "email_confirmed",
        "Your login email address is changed.",
        "Votre adresse e-mail de connexion est changée.",
        "Uw e-mailadres om aan te melden is gewijzigd.",
    ),
    (
        "email_taken",
        "This address cannot be used.",
        "Cette adresse ne peut pas être utilisée.",
        "Dit adres kan niet worden gebruikt.",
    ),
    (
        "bad_email",
        "This is not an email address.",
        "Ceci n'est pas une adresse e-mail.",
        "Dit is geen e-mailadres.",
    ),
    (
        "device_revoked",
        "The device was removed; its sessions are ended.",
        "L'appareil a été retiré ; ses sessions sont fermées.",
        "Het toestel werd verwijderd; de sessies ervan zijn beëindigd.",
    ),
    (
        "key_heading",
        "Security keys",
        "Clés de sécurité",
        "Beveiligingssleutels",
    ),
    (
        "key_none",
        "You have no security key.",
        "Vous n'avez aucune clé de sécurité.",
        "U hebt geen beveiligingssleutel.",
    ),
    (
        "key_name",
        "Name of the key",
        "Nom de la clé",
        "Naam van de sleutel",
    ),
    (
        "key_add",
        "Add a security key",
        "Ajouter une clé de sécurité",
        "Een beveiligingssleutel toevoegen",
    ),
    ("key_added_on", "Added", "Ajoutée", "Toegevoegd"),
    (
        "key_last_used",
        "Last used",
        "Dernière utilisation",
        "Laatst gebruikt",
    ),
    ("key_never", "never", "jamais", "nooit"),
    (
        "key_added",
        "The security key was added.",
        "La clé de sécurité a été ajoutée.",
        "De beveiligingssleutel werd toegevoegd.",
    ),
    (
        "key_removed",
        "The security key was removed.",
        "La clé de sécurité a été retirée.",
        "De beveiligingssleutel werd verwijderd.",
    ),
    (
        "key_bad_name",
        "Give the key a name of at most 64 characters.",
        "Donnez à la clé un nom de 64 caractères au plus.",
        "Geef de sleutel een naam van hoogstens 64 tekens.",
    ),
    (
        "key_too_many",
        "You have reached the maximum number of keys. Remove one first.",
        "Vous avez atteint le nombre maximal de clés. Retirez-en une d'abord.",
        "U hebt het maximale aantal sleutels bereikt. Verwijder er eerst een.",
    ),
    (
        "key_expired",
        "This attempt has expired. Please try again.",
        "Cette tentative a expiré. Veuillez réessayer.",
        "Deze poging is verlopen. Probeer het opnieuw.",
    ),
    (
        "key_refused",
        "This security key could not be added.",
        "Cette clé de sécurité n'a pas pu être ajoutée.",
        "Deze beveiligingssleutel kon niet worden toegevoegd.",
    ),
    (
        "key_exists",
        "This security key is already registered.",
        "Cette clé de sécurité est déjà enregistrée.",
        "Deze beveiligingssleutel is al geregistreerd.",
    ),
    (
        "key_intro",
        "Use one of your security keys to confirm it is you.",
        "Utilisez une de vos clés de sécurité pour confirmer votre identité.",
        "Gebruik een van uw beveiligingssleutels om te bevestigen dat u het bent.",
    ),
    (
        "key_use",
        "Use my security key",
        "Utiliser ma clé de sécurité",
        "Mijn beveiligingssleutel gebruiken",
    ),
    (
        "key_login_refused",
        "The security key was not accepted. Please try again.",
        "La clé de sécurité n'a pas été acceptée. Veuillez réessayer.",
        "De beveiligingssleutel werd niet aanvaard. Probeer het opnieuw.",
    ),
    (
        "key_needs_js",
        "Security keys need JavaScript in this page.",
        "Les clés de sécurité nécessitent JavaScript sur cette page.",
        "Beveiligingssleutels vereisen JavaScript op deze pagina.",
    ),
    (
        "step_up_no_email",
        "This page needs the factor it asked for; an emailed code is not enough.",
        "Cette page exige le facteur demandé ; un code par e-mail ne suffit pas.",
        "Deze pagina vereist de gevraagde factor; een code per e-mail volstaat niet.",
    ),
    (
        "step_up_missing",
        "This page needs a second factor you have not set up yet. Add it on your security page, then try again.",
        "Cette page exige un second facteur que vous n'avez pas encore configuré. Ajoutez-le sur votre page de sécurité, puis réessayez.",
        "Deze pagina vereist een tweede factor die u nog niet hebt ingesteld. Voeg die toe op uw beveiligingspagina en probeer het opnieuw.",
    ),
    (
        "acr_title",
        "Log in with a stronger means",
        "Connectez-vous avec un moyen plus fort",
        "Meld u aan met een sterker middel",
    ),
    (
        "acr_intro",
        "This page needs a login of level {need}; yours is {have}. Log in again with one of these:",
        "Cette page exige une connexion de niveau {need} ; la vôtre est {have}. Reconnectez-vous avec l'un de ces moyens :",
        "Deze pagina vereist een aanmelding van niveau {need}; de uwe is {have}. Meld u opnieuw aan met een van deze middelen:",
    ),
    (
        "acr_none",
        "No way to log in reaches this level.",
        "Aucun moyen de connexion n'atteint ce niveau.",
        "Geen enkel aanmeldmiddel bereikt dit niveau.",
    ),
];

/// One text.
pub fn t(lang: Lang, key: &str) -> &'static str {
    TEXTS
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, en, fr, nl)| match lang {
            Lang::En => *en,
            Lang::Fr => *fr,
            Lang::Nl => *nl,
        })
        .unwrap_or("")
}

/// Every text of a language, for templates (`{{ t.code_label }}`).
pub fn all(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    TEXTS.iter().map(|(k, ..)| (*k, t(lang, k))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(
            Lang::from_accept_language("nl-BE,nl;q=0.9,fr;q=0.8"),
            Lang::Nl
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, fr;q=0.5, en;q=0.7"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("de, fr-BE;q=0.3"), Lang::Fr);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("fr;q=0, nl;q=x"), Lang::Nl);
        assert_eq!(Lang::pick(Some("fr"), &HeaderMap::new()), Lang::Fr);
    }

    #[test]
    fn every_text_exists_in_every_language() {
        for (key, en, fr, nl) in TEXTS {
            assert!(!en.is_empty() && !fr.is_empty() && !nl.is_empty(), "{key}");
            for placeholder in [
                "{code}",
                "{name}",
                "{left}",
                "{email}",
                "{minutes}",
                "{when}",
                "{agent}",
                "{link}",
                "{min}",
                "{have}",
                "{need}",
            ] {
                let n = en.matches(placeholder).count();
                assert_eq!(fr.matches(placeholder).count(), n, "{key} {placeholder} fr");
                assert_eq!(nl.matches(placeholder).count(), n, "{key} {placeholder} nl");
            }
        }
    }
}
