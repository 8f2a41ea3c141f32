//! Service-voucher prestations of Dupont Cleaning in every status, and one of Van den
//! Berg: Chloé Janssens and Farid Benali work, Hugo Martin runs the office, David Lambert
//! and Emma Leroy are the clients.

use std::sync::Arc;

use assertion::ActiveStructure;
use backend_kit::{Caller, ManualClock};
use chrono::{Days, NaiveDate};
use prestations::service::{ActInput, EncodeInput, Prestations};
use prestations::status::Action;
use prestations::store::ListFilter;

use super::people::{People, Who, acting_for, as_myself};

const AUD: &str = "prestations";
const WORKER: &[&str] = &["read", "modify"];
const OFFICE: &[&str] = &["read", "modify", "manage"];

/// The office's mail for the enterprise's digest, and the email the office sets for
/// Farid (he never set his own).
pub const OFFICE_EMAIL: &str = "bureau@dupont-cleaning.example";
const FARID_EMAIL: &str = "farid.benali@example.be";

/// The rules as they stood `days` days ago, at 10:00 in Brussels.
fn ago(svc: &Prestations, today: NaiveDate, days: u64) -> anyhow::Result<Prestations> {
    let day = today
        .checked_sub_days(Days::new(days))
        .ok_or_else(|| anyhow::anyhow!("date"))?;
    Ok(svc.with_clock(Arc::new(ManualClock::at_brussels(day, 10))))
}

/// One prestation, as `by` encodes it: `worker` is the worker's number when the office
/// encodes for a worker, `days` how many days before the encoding the work was done.
struct Work<'a> {
    worker: Option<&'a str>,
    user: &'a str,
    days: u64,
    hours: f64,
    activity: &'a str,
    send: bool,
}

async fn encode(svc: &Prestations, by: &Caller, w: Work<'_>) -> anyhow::Result<String> {
    let today = svc.today();
    let date = today
        .checked_sub_days(Days::new(w.days))
        .ok_or_else(|| anyhow::anyhow!("date"))?;
    let p = svc
        .encode(
            by,
            EncodeInput {
                worker_number: w.worker.map(str::to_owned),
                user_number: w.user.to_owned(),
                date: date.to_string(),
                hours: w.hours,
                activity: w.activity.to_owned(),
                send: w.send,
            },
        )
        .await?;
    Ok(p.id)
}

async fn act(
    svc: &Prestations,
    by: &Caller,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> anyhow::Result<()> {
    let input = ActInput {
        reason: reason.map(str::to_owned),
        ..ActInput::default()
    };
    svc.act(by, id, action, input).await?;
    Ok(())
}

/// The voucher-user number of `who`, given as at their first visit.
async fn number(app: &prestations::App, who: &Who, now: i64) -> anyhow::Result<String> {
    Ok(
        prestations::registry::ensure_now(app.pool(), &who.sub, &who.name, now)
            .await?
            .number,
    )
}

/// Write the prestations, once (nothing when the office already sees some).
pub(super) async fn seed(
    app: &prestations::App,
    dupont: &ActiveStructure,
    flemish: &ActiveStructure,
    people: &People,
) -> anyhow::Result<()> {
    let svc = app.prestations();
    let (david, emma) = (people.who("citizen-4")?, people.who("citizen-5")?);
    let (chloe, farid) = (people.who("citizen-3")?, people.who("citizen-6")?);
    let hugo = acting_for(&people.who("citizen-8")?, AUD, dupont, OFFICE);
    let seen = svc
        .list(
            &hugo,
            &ListFilter {
                limit: 1,
                ..ListFilter::default()
            },
        )
        .await?;
    if !seen.is_empty() {
        return Ok(());
    }
    let now = app.config().clock.now_ms();
    let today = svc.today();
    // David first: he holds the first number (0000 0001 96).
    let d = number(app, &david, now).await?;
    let e = number(app, &emma, now).await?;
    let c = number(app, &chloe, now).await?;
    let f = number(app, &farid, now).await?;
    let rik = people.who("citizen-18")?;
    number(app, &rik, now).await?;
    let (david, emma) = (as_myself(&david, AUD), as_myself(&emma, AUD));
    let chloe = acting_for(&chloe, AUD, dupont, WORKER);
    let farid = acting_for(&farid, AUD, dupont, WORKER);
    let rik = acting_for(&rik, AUD, flemish, WORKER);
    let w = |worker, user, days, hours, activity, send| Work {
        worker,
        user,
        days,
        hours,
        activity,
        send,
    };

    // Weeks ago: sent by Chloé and never answered (confirmed automatically on day 61);
    // encoded by the office for Farid, who did not answer (validated automatically).
    let then = ago(svc, today, 75)?;
    encode(&then, &chloe, w(None, &d, 1, 3.5, "cleaning", true)).await?;
    let then = ago(svc, today, 16)?;
    let office = Some(f.as_str());
    encode(
        &then,
        &hugo,
        w(office, &d, 1, 4.0, "laundry_ironing", false),
    )
    .await?;
    // Last week: Emma confirmed what Chloé sent; David contested what Farid sent.
    let id = encode(
        &ago(svc, today, 3)?,
        &chloe,
        w(None, &e, 1, 3.0, "cleaning", true),
    )
    .await?;
    act(&ago(svc, today, 2)?, &emma, &id, Action::Confirm, None).await?;
    let id = encode(
        &ago(svc, today, 9)?,
        &farid,
        w(None, &d, 1, 4.0, "cleaning", true),
    )
    .await?;
    act(
        &ago(svc, today, 8)?,
        &david,
        &id,
        Action::Contest,
        Some("Personne n'est venu ce jour-là."),
    )
    .await?;

    // Today. A draft Chloé keeps (encoded); sent to David (waiting).
    encode(svc, &chloe, w(None, &d, 1, 2.5, "meals", false)).await?;
    encode(svc, &chloe, w(None, &d, 7, 3.0, "cleaning", true)).await?;
    // The office encodes for its workers: Farid still has to validate (David reads « En
    // attente de validation »); David confirmed one in parallel with Chloé.
    encode(svc, &hugo, w(office, &d, 2, 4.0, "cleaning", false)).await?;
    let chloe_n = Some(c.as_str());
    let id = encode(svc, &hugo, w(chloe_n, &d, 3, 3.0, "shopping", false)).await?;
    act(svc, &david, &id, Action::Confirm, None).await?;
    // Chloé contests one (the office must correct it) and validates another.
    let id = encode(svc, &hugo, w(chloe_n, &e, 5, 4.0, "cleaning", false)).await?;
    act(
        svc,
        &chloe,
        &id,
        Action::Contest,
        Some("J'ai travaillé 3 heures ce jour-là, pas 4."),
    )
    .await?;
    let id = encode(svc, &hugo, w(chloe_n, &d, 6, 2.0, "laundry_ironing", false)).await?;
    act(svc, &chloe, &id, Action::Validate, None).await?;
    // Encoded for the wrong client, withdrawn.
    let id = encode(svc, &hugo, w(office, &e, 8, 2.0, "cleaning", false)).await?;
    act(svc, &hugo, &id, Action::Cancel, None).await?;
    // Another enterprise works for David too.
    encode(svc, &rik, w(None, &d, 4, 3.0, "cleaning", true)).await?;

    // The office's address for its digest, and Farid's email until he sets his own.
    prestations::enterprise::set_email(app.pool(), dupont, Some(OFFICE_EMAIL), i18n::Lang::Fr, now)
        .await?;
    prestations::enterprise::set_worker_email(app.pool(), &hugo, &f, Some(FARID_EMAIL), now)
        .await?;
    // The past brought to today: automatic validation, reminders, confirmation; the
    // office's digest of what its workers must validate and what was contested.
    let scheduler = app.scheduler();
    scheduler.pass().await?;
    scheduler.digests().await?;
    Ok(())
}
