//! The texts of the notices a prestation causes (asking the worker to validate, the user
//! to confirm, reminders), in the recipient's language, and their queuing in the outbox.

use backend_kit::outbox::NewMail;
use backend_kit::texts::day;
use i18n::Lang;

use crate::OUTBOX;
use crate::model::{Activity, Prestation};
use crate::registry;
use crate::status::Status;
use crate::texts;

/// Queue the notice a new stage calls for: the worker is asked to validate, or the user
/// to confirm, each in the language of their mails ([`registry::lang_of`]). Keyed by
/// prestation and version: queued once.
pub(crate) async fn notify_stage(
    conn: &mut sqlx::AnyConnection,
    p: &Prestation,
    now: i64,
) -> Result<(), sqlx::Error> {
    let to_id = match p.status {
        Status::ToValidate => &p.worker_id,
        s if s.in_user_stage() => &p.user_id,
        _ => return Ok(()),
    };
    let lang = registry::lang_of(conn, to_id).await?;
    let (subject, body) = if p.status == Status::ToValidate {
        let date = day(lang, &p.work_date.to_string());
        let hours = hours_text(p.minutes);
        let activity = texts::t(lang, activity_key(p.activity));
        let due = p
            .deadlines
            .validation_due
            .map(|d| day(lang, &d.to_string()))
            .unwrap_or_default();
        (
            texts::t(lang, "prestations_mail_validate_subject"),
            texts::t_args(
                lang,
                "prestations_mail_validate_body",
                &[
                    ("enterprise", &p.enterprise_name),
                    ("date", &date),
                    ("hours", &hours),
                    ("activity", &activity),
                    ("user", &p.user_name),
                    ("due", &due),
                ],
            ),
        )
    } else {
        (
            texts::t(lang, "prestations_mail_confirm_subject"),
            confirm_body(p, None, lang),
        )
    };
    // The worker's notices go to the email their enterprise set until they set their own;
    // the user's only to their own.
    let recipient = if p.status == Status::ToValidate {
        registry::worker_address(conn, &p.structure_id, to_id).await?
    } else {
        registry::own_address(conn, to_id).await?
    };
    let mail = NewMail {
        dedup_key: format!("stage:{}:{}", p.id, p.version),
        recipient,
        about: Some(to_id.clone()),
        subject,
        body,
    };
    OUTBOX.enqueue(conn, &mail, now).await?;
    Ok(())
}

/// `2.5` for 150 minutes.
pub fn hours_text(minutes: i64) -> String {
    let whole = minutes / 60;
    match minutes % 60 {
        0 => whole.to_string(),
        15 => format!("{whole}.25"),
        30 => format!("{whole}.5"),
        45 => format!("{whole}.75"),
        m => format!("{whole}h{m:02}"),
    }
}

/// Text of the request to confirm (and of its reminders), in `lang`.
pub fn confirm_body(p: &Prestation, reminder: Option<i64>, lang: Lang) -> String {
    let intro = match reminder {
        Some(n) => {
            let mut text = texts::t_args(
                lang,
                "prestations_mail_reminder_intro",
                &[("number", &n.to_string())],
            );
            text.push('\n');
            text
        }
        None => String::new(),
    };
    let date = day(lang, &p.work_date.to_string());
    let hours = hours_text(p.minutes);
    let activity = texts::t(lang, activity_key(p.activity));
    let due = p
        .deadlines
        .confirm_due
        .map(|d| day(lang, &d.to_string()))
        .unwrap_or_default();
    let body = texts::t_args(
        lang,
        "prestations_mail_confirm_body",
        &[
            ("worker", &p.worker_name),
            ("hours", &hours),
            ("activity", &activity),
            ("date", &date),
            ("enterprise", &p.enterprise_name),
            ("due", &due),
        ],
    );
    format!("{intro}{body}")
}

/// The catalogue key of an activity's name.
pub fn activity_key(a: Activity) -> &'static str {
    match a {
        Activity::Cleaning => "prestations_activity_cleaning",
        Activity::LaundryIroning => "prestations_activity_laundry_ironing",
        Activity::Meals => "prestations_activity_meals",
        Activity::Shopping => "prestations_activity_shopping",
        Activity::IroningCentre => "prestations_activity_ironing_centre",
        Activity::ReducedMobilityTransport => "prestations_activity_reduced_mobility_transport",
    }
}

/// The catalogue key of a status's name, as the enterprise and the worker read it.
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Encoded => "prestations_status_encoded",
        Status::ToValidate => "prestations_status_to_validate",
        Status::ContestedByWorker => "prestations_status_contested_by_worker",
        Status::ValidatedByWorker => "prestations_status_validated_by_worker",
        Status::Validated => "prestations_status_validated",
        Status::Waiting => "prestations_status_waiting",
        Status::Confirmed => "prestations_status_confirmed",
        Status::Contested => "prestations_status_contested",
        Status::Cancelled => "prestations_status_cancelled",
    }
}
