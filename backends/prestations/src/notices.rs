//! The texts of the notices a prestation causes (asking the worker to validate, the user
//! to confirm, reminders) and their queuing in the outbox.

use backend_kit::outbox::NewMail;

use crate::OUTBOX;
use crate::model::Prestation;
use crate::registry;
use crate::status::Status;

/// Queue the notice a new stage calls for: the worker is asked to validate, or the user
/// to confirm. Keyed by prestation and version: queued once.
pub(crate) async fn notify_stage(
    conn: &mut sqlx::AnyConnection,
    p: &Prestation,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (to_id, subject, body) = match p.status {
        Status::ToValidate => (
            &p.worker_id,
            "A prestation is waiting for your validation".to_owned(),
            format!(
                "{} encoded or corrected a prestation of {} ({} h, {}) for {}.\n\
                 Validate or contest it by {}; without an answer it is validated automatically.",
                p.enterprise_name,
                p.work_date,
                hours_text(p.minutes),
                p.activity.label(),
                p.user_name,
                p.deadlines
                    .validation_due
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
        ),
        s if s.in_user_stage() => (
            &p.user_id,
            "Please confirm a prestation".to_owned(),
            confirm_body(p, None),
        ),
        _ => return Ok(()),
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

/// Text of the request to confirm (and of its reminders).
pub fn confirm_body(p: &Prestation, reminder: Option<i64>) -> String {
    let intro = match reminder {
        Some(n) => format!("Reminder {n} of 2: a prestation still waits for your confirmation.\n"),
        None => String::new(),
    };
    format!(
        "{intro}{} performed {} h of {} for you on {} ({}).\nConfirm or contest it by {}; \
         after that day it is confirmed automatically and can no longer be contested.",
        p.worker_name,
        hours_text(p.minutes),
        p.activity.label(),
        p.work_date,
        p.enterprise_name,
        p.deadlines
            .confirm_due
            .map(|d| d.to_string())
            .unwrap_or_default(),
    )
}
