//! Prestations of the agency scheme: recorded by the agent, judged by the provider's type
//! on the prestation's date, paid from the user's wallet (see `wallet`), contested and
//! resolved. Statuses: `unpaid` → `paid` (final), `unpaid` → `contested` → `unpaid`
//! (upheld, possibly with corrected hours) or `cancelled`; `unpaid` → `cancelled`.

use backend_kit::Caller;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::agency::{Agency, AgencyError, agency_of, date, text};
use crate::providers::ProviderType;
use crate::texts::refusal;

/// Activities of the scheme.
pub const ACTIVITIES: [(&str, &str); 8] = [
    ("gardening", "Small gardening work"),
    ("small_repairs", "Small repairs"),
    ("childcare", "Childcare"),
    (
        "elderly_accompaniment",
        "Accompanying elderly or sick persons",
    ),
    ("administrative_help", "Administrative help"),
    ("school_supervision", "School supervision"),
    ("event_help", "Help at local events"),
    ("agriculture", "Seasonal agricultural work"),
];

/// Longest prestation, in hours (one voucher per hour).
pub const MAX_HOURS: i64 = 12;

/// A prestation row.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Work {
    /// Id.
    pub id: String,
    /// The agency.
    pub structure_id: String,
    /// Who it was done for (pays).
    pub user_id: String,
    /// Who did it.
    pub provider_id: String,
    /// Day.
    pub work_date: String,
    /// Hours (= vouchers to pay).
    pub hours: i64,
    /// Activity code.
    pub activity: String,
    /// `unpaid`, `paid`, `contested`, `cancelled`.
    pub status: String,
    /// Why the user contested it.
    pub contest_reason: Option<String>,
    /// How the agent resolved it.
    pub resolution_note: Option<String>,
    /// Paid (unix ms).
    pub paid_at: Option<i64>,
    /// Optimistic-lock version.
    pub version: i64,
    /// Recorded (unix ms).
    pub created_at: i64,
}

const WORK_COLUMNS: &str = "id, structure_id, user_id, provider_id, work_date, hours, activity, status, \
    contest_reason, resolution_note, paid_at, version, created_at";

/// A new prestation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WorkInput {
    /// User id.
    pub user_id: String,
    /// Provider id.
    pub provider_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Whole hours.
    pub hours: i64,
    /// Activity code.
    pub activity: String,
}

/// How a contest ends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResolveInput {
    /// `uphold` (back to unpaid, hours possibly corrected) or `cancel`.
    pub outcome: String,
    /// Corrected hours when upheld.
    #[serde(default)]
    pub hours: Option<i64>,
    /// Explanation.
    #[serde(default)]
    pub note: Option<String>,
}

/// A prestation as shown: with names and the provider's type on its date.
#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    /// The row.
    #[serde(flatten)]
    pub work: Work,
    /// Activity label.
    pub activity_label: String,
    /// The user's shown name (common name for a legal person).
    pub user_name: String,
    /// The provider's name.
    pub provider_name: String,
    /// The provider's type on the prestation's date.
    pub provider_type_on_date: Option<String>,
    /// Its label.
    pub provider_type_label: Option<String>,
    /// The provider's centre on that date.
    pub cpas_on_date: Option<String>,
}

fn month_bounds(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    (first, next.and_then(|n| n.pred_opt()).unwrap_or(day))
}

impl Agency {
    /// Judge `hours` of work by `provider_id` on `day` by the provider's type on that day:
    /// registered, eligible, and within the monthly hours (other non-cancelled prestations
    /// of the month counted, `exclude` left out).
    pub async fn judge(
        &self,
        provider_id: &str,
        day: NaiveDate,
        hours: i64,
        exclude: Option<&str>,
    ) -> Result<ProviderType, AgencyError> {
        let state = self
            .provider_state_on(provider_id, day)
            .await?
            .ok_or_else(|| {
                AgencyError::conflict(
                    "not_eligible",
                    refusal("vouchers_refusal_no_type").with("day", day),
                )
            })?;
        let kind = state.provider_type;
        if kind.monthly_hours() == 0 {
            return Err(AgencyError::conflict(
                "not_eligible",
                refusal("vouchers_refusal_not_eligible")
                    .with("day", day)
                    .with("since", &state.effective_from),
            ));
        }
        let (first, last) = month_bounds(day);
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(hours), 0) AS BIGINT) AS total FROM ale_prestations \
             WHERE provider_id = $1 AND work_date >= $2 AND work_date <= $3 AND status <> 'cancelled' AND id <> $4",
        )
        .bind(provider_id)
        .bind(first.to_string())
        .bind(last.to_string())
        .bind(exclude.unwrap_or_default())
        .fetch_one(&self.pool)
        .await?;
        let done: i64 = row.try_get("total")?;
        if done + hours > kind.monthly_hours() {
            return Err(AgencyError::conflict(
                "monthly_limit",
                refusal("vouchers_refusal_monthly_limit")
                    .with("hours", done + hours)
                    .with("month", format!("{}-{:02}", day.year(), day.month()))
                    .with("type", kind.label())
                    .with("allowed", kind.monthly_hours()),
            ));
        }
        Ok(kind)
    }

    /// Record a prestation (unpaid).
    pub async fn record_work(
        &self,
        caller: &Caller,
        input: &WorkInput,
    ) -> Result<Work, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        let user = self.user(caller, input.user_id.trim()).await?;
        let provider = self.provider(caller, input.provider_id.trim()).await?;
        let day = date(&input.date, "date")?;
        if day < self.electronic_start {
            return Err(AgencyError::invalid(
                refusal("vouchers_refusal_before_electronic")
                    .with("start", self.electronic_start.format("%-d %B %Y"))
                    .with("day", day),
            ));
        }
        if day > self.today() {
            return Err(AgencyError::invalid(refusal("vouchers_refusal_future")));
        }
        if !(1..=MAX_HOURS).contains(&input.hours) {
            return Err(AgencyError::invalid(
                refusal("vouchers_refusal_hours").with("max", MAX_HOURS),
            ));
        }
        if !ACTIVITIES.iter().any(|(code, _)| *code == input.activity) {
            return Err(AgencyError::invalid(refusal("vouchers_refusal_activity")));
        }
        if !self.authorized_on(&user.id, day).await? {
            return Err(AgencyError::conflict(
                "not_authorized",
                refusal("vouchers_refusal_not_authorized_on").with("day", day),
            ));
        }
        self.judge(&provider.id, day, input.hours, None).await?;
        let now = self.clock.now_ms();
        let w = Work {
            id: backend_kit::db::new_id(),
            structure_id: structure,
            user_id: user.id,
            provider_id: provider.id,
            work_date: day.to_string(),
            hours: input.hours,
            activity: input.activity.clone(),
            status: "unpaid".to_owned(),
            contest_reason: None,
            resolution_note: None,
            paid_at: None,
            version: 1,
            created_at: now,
        };
        sqlx::query(&format!(
            "INSERT INTO ale_prestations ({WORK_COLUMNS}, created_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13)"
        ))
        .bind(&w.id)
        .bind(&w.structure_id)
        .bind(&w.user_id)
        .bind(&w.provider_id)
        .bind(&w.work_date)
        .bind(w.hours)
        .bind(&w.activity)
        .bind(&w.status)
        .bind(&w.contest_reason)
        .bind(&w.resolution_note)
        .bind(w.paid_at)
        .bind(w.version)
        .bind(w.created_at)
        .bind(caller.sub())
        .execute(&self.pool)
        .await?;
        Ok(w)
    }

    /// A prestation of the caller's agency.
    pub async fn work(&self, caller: &Caller, id: &str) -> Result<Work, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        sqlx::query_as(&format!(
            "SELECT {WORK_COLUMNS} FROM ale_prestations WHERE id = $1 AND structure_id = $2"
        ))
        .bind(id)
        .bind(&structure)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AgencyError::NotFound(crate::agency::Thing::Prestation))
    }

    /// Prestations of the agency (optionally of one status, or of one user), newest first.
    pub async fn list_work(
        &self,
        caller: &Caller,
        status: Option<&str>,
        user_id: Option<&str>,
    ) -> Result<Vec<WorkView>, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        if let Some(s) = status
            && !["unpaid", "paid", "contested", "cancelled"].contains(&s)
        {
            return Err(AgencyError::invalid(refusal("vouchers_refusal_status")));
        }
        let mut sql = format!("SELECT {WORK_COLUMNS} FROM ale_prestations WHERE structure_id = $1");
        let mut binds = vec![structure];
        if let Some(s) = status {
            binds.push(s.to_owned());
            sql.push_str(&format!(" AND status = ${}", binds.len()));
        }
        if let Some(u) = user_id {
            binds.push(u.to_owned());
            sql.push_str(&format!(" AND user_id = ${}", binds.len()));
        }
        sql.push_str(" ORDER BY work_date DESC, created_at DESC LIMIT 1000");
        let mut q = sqlx::query_as::<_, Work>(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for w in rows {
            out.push(self.view_work(caller, w).await?);
        }
        Ok(out)
    }

    /// Names and the provider's type on the date.
    pub async fn view_work(&self, caller: &Caller, w: Work) -> Result<WorkView, AgencyError> {
        let user = self.user(caller, &w.user_id).await?;
        let provider = self.provider(caller, &w.provider_id).await?;
        let day = date(&w.work_date, "date")?;
        let state = self.provider_state_on(&provider.id, day).await?;
        Ok(WorkView {
            activity_label: ACTIVITIES
                .iter()
                .find(|(c, _)| *c == w.activity)
                .map_or_else(|| w.activity.clone(), |(_, l)| (*l).to_owned()),
            user_name: user.display_name(),
            provider_name: provider.name(),
            provider_type_on_date: state.as_ref().map(|s| s.provider_type.code().to_owned()),
            provider_type_label: state.as_ref().map(|s| s.provider_type.label().to_owned()),
            cpas_on_date: state.and_then(|s| s.cpas),
            work: w,
        })
    }

    /// Contested and unpaid prestations of the agency (the home page's counts).
    pub async fn counts(&self, caller: &Caller) -> Result<(i64, i64), AgencyError> {
        let (structure, _) = agency_of(caller)?;
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'contested' THEN 1 ELSE 0 END), 0) AS BIGINT) AS contested, \
             CAST(COALESCE(SUM(CASE WHEN status = 'unpaid' THEN 1 ELSE 0 END), 0) AS BIGINT) AS unpaid \
             FROM ale_prestations WHERE structure_id = $1",
        )
        .bind(&structure)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("contested")?, row.try_get("unpaid")?))
    }

    async fn move_work(
        &self,
        w: &Work,
        from: &str,
        to: &str,
        hours: i64,
        reason: Option<&str>,
        note: Option<&str>,
    ) -> Result<Work, AgencyError> {
        let now = self.clock.now_ms();
        let done = sqlx::query(
            "UPDATE ale_prestations SET status = $1, hours = $2, contest_reason = COALESCE($3, contest_reason), \
             resolution_note = COALESCE($4, resolution_note), version = version + 1, updated_at = $5 \
             WHERE id = $6 AND version = $7 AND status = $8",
        )
        .bind(to)
        .bind(hours)
        .bind(reason)
        .bind(note)
        .bind(now)
        .bind(&w.id)
        .bind(w.version)
        .bind(from)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AgencyError::conflict(
                "stale",
                refusal("vouchers_refusal_stale"),
            ));
        }
        Ok(Work {
            status: to.to_owned(),
            hours,
            contest_reason: reason.map(str::to_owned).or(w.contest_reason.clone()),
            resolution_note: note.map(str::to_owned).or(w.resolution_note.clone()),
            version: w.version + 1,
            ..w.clone()
        })
    }

    fn refuse(w: &Work, what: &str, allowed: &str) -> AgencyError {
        AgencyError::conflict(
            "illegal_transition",
            refusal("vouchers_refusal_transition")
                .with("action", what)
                .with("status", &w.status)
                .with("allowed", allowed),
        )
    }

    /// The user contests an unpaid prestation (reason required).
    pub async fn contest_work(
        &self,
        caller: &Caller,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Work, AgencyError> {
        let w = self.work(caller, id).await?;
        if w.status != "unpaid" {
            return Err(Self::refuse(&w, "contest", "unpaid"));
        }
        let reason =
            text(reason).ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_reason")))?;
        self.move_work(&w, "unpaid", "contested", w.hours, Some(&reason), None)
            .await
    }

    /// End a contest: uphold (back to unpaid, hours possibly corrected and judged again)
    /// or cancel.
    pub async fn resolve_work(
        &self,
        caller: &Caller,
        id: &str,
        input: &ResolveInput,
    ) -> Result<Work, AgencyError> {
        let w = self.work(caller, id).await?;
        if w.status != "contested" {
            return Err(Self::refuse(&w, "resolve", "contested"));
        }
        let note = text(input.note.as_deref());
        match input.outcome.as_str() {
            "cancel" => {
                self.move_work(&w, "contested", "cancelled", w.hours, None, note.as_deref())
                    .await
            }
            "uphold" => {
                let hours = input.hours.unwrap_or(w.hours);
                if !(1..=MAX_HOURS).contains(&hours) {
                    return Err(AgencyError::invalid(
                        refusal("vouchers_refusal_hours").with("max", MAX_HOURS),
                    ));
                }
                let day = date(&w.work_date, "date")?;
                self.judge(&w.provider_id, day, hours, Some(&w.id)).await?;
                self.move_work(&w, "contested", "unpaid", hours, None, note.as_deref())
                    .await
            }
            _ => Err(AgencyError::invalid(refusal("vouchers_refusal_outcome"))),
        }
    }

    /// Cancel an unpaid prestation.
    pub async fn cancel_work(&self, caller: &Caller, id: &str) -> Result<Work, AgencyError> {
        let w = self.work(caller, id).await?;
        if w.status != "unpaid" {
            return Err(Self::refuse(&w, "cancel", "unpaid"));
        }
        self.move_work(&w, "unpaid", "cancelled", w.hours, None, None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_bounds_cover_december_and_february() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(
            month_bounds(d(2025, 12, 15)),
            (d(2025, 12, 1), d(2025, 12, 31))
        );
        assert_eq!(month_bounds(d(2028, 2, 3)), (d(2028, 2, 1), d(2028, 2, 29)));
    }
}
