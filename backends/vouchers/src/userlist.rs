//! The agent's user list (filters, sort, the same rows for the `.xlsx` download) and the
//! pre-filled registration form.

use backend_kit::Caller;
use chrono::{Duration, Months};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::agency::{Agency, AgencyError, agency_of, date, text};
use crate::texts::refusal;
use crate::users::User;

/// Filters and sort of the user list (query string).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ListQuery {
    /// Text in a name, common name or enterprise number.
    #[serde(default)]
    pub q: Option<String>,
    /// `natural` or `legal`.
    #[serde(default)]
    pub kind: Option<String>,
    /// `valid` (covered today), `expired` (no authorization covers today or later),
    /// `expiring` (the last authorization ends today or before `before`).
    #[serde(default)]
    pub auth: Option<String>,
    /// Date bound for `expiring`.
    #[serde(default)]
    pub before: Option<String>,
    /// `name` (default), `valid_until`, `created`.
    #[serde(default)]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[serde(default)]
    pub dir: Option<String>,
}

/// One row of the list.
#[derive(Debug, Clone, Serialize)]
pub struct UserRow {
    /// The user.
    pub user: User,
    /// Shown name (common name for legal persons).
    pub display_name: String,
    /// Start of the last authorization.
    pub valid_from: Option<String>,
    /// End of validity of the last authorization.
    pub valid_until: Option<String>,
    /// Covered today.
    pub authorized_today: bool,
    /// Vouchers in the wallet.
    pub balance: i64,
}

/// The registration form's starting values.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Draft {
    /// The input, pre-filled.
    pub input: crate::users::UserInput,
    /// What came from where, for the agent.
    pub sources: Vec<String>,
    /// The person is already a user of this agency: renew instead.
    pub already_registered: Option<String>,
}

/// What the agent typed before asking for the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PrefillQuery {
    /// `natural` or `legal`.
    #[serde(default)]
    pub kind: Option<String>,
    /// A legal person's number.
    #[serde(default)]
    pub enterprise_number: Option<String>,
    /// An email.
    #[serde(default)]
    pub email: Option<String>,
}

impl Agency {
    /// The agency's users, filtered and sorted.
    pub async fn list_users(
        &self,
        caller: &Caller,
        query: &ListQuery,
    ) -> Result<Vec<UserRow>, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        let today = self.today().to_string();
        let mut binds: Vec<String> = vec![structure, today];
        let mut clauses = vec!["u.structure_id = $1".to_owned()];
        if let Some(q) = text(query.q.as_deref()) {
            let cleaned: String = q.chars().filter(|c| !matches!(c, '%' | '_')).collect();
            binds.push(format!("%{}%", cleaned.to_lowercase()));
            clauses.push(format!(
                "LOWER(COALESCE(u.common_name, '') || ' ' || COALESCE(u.legal_name, '') || ' ' || \
                 COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '') || ' ' || \
                 COALESCE(u.enterprise_number, '')) LIKE ${}",
                binds.len()
            ));
        }
        match text(query.kind.as_deref()).as_deref() {
            None => {}
            Some(k @ ("natural" | "legal")) => {
                binds.push(k.to_owned());
                clauses.push(format!("u.kind = ${}", binds.len()));
            }
            Some(_) => return Err(AgencyError::invalid(refusal("vouchers_refusal_kind"))),
        }
        let covered = "EXISTS (SELECT 1 FROM ale_authorizations x WHERE x.user_id = u.id \
                       AND x.valid_from <= $2 AND x.valid_until >= $2)";
        match text(query.auth.as_deref()).as_deref() {
            None => {}
            Some("valid") => clauses.push(covered.to_owned()),
            Some("expired") => clauses.push("COALESCE(a.valid_until, '') < $2".to_owned()),
            Some("expiring") => {
                let before = match text(query.before.as_deref()) {
                    Some(b) => date(&b, "before")?,
                    None => self.today() + Duration::days(30),
                };
                binds.push(before.to_string());
                clauses.push(format!(
                    "a.valid_until >= $2 AND a.valid_until <= ${}",
                    binds.len()
                ));
            }
            Some(_) => {
                return Err(AgencyError::invalid(refusal(
                    "vouchers_refusal_auth_filter",
                )));
            }
        }
        let name = "LOWER(COALESCE(NULLIF(u.common_name, ''), u.legal_name, u.last_name || ' ' || u.first_name))";
        let key = match text(query.sort.as_deref()).as_deref() {
            None | Some("name") => name.to_owned(),
            Some("valid_until") => "COALESCE(a.valid_until, '')".to_owned(),
            Some("created") => "u.created_at".to_owned(),
            Some(_) => {
                return Err(AgencyError::invalid(refusal("vouchers_refusal_user_sort")));
            }
        };
        let dir = match text(query.dir.as_deref()).as_deref() {
            None | Some("asc") => "ASC",
            Some("desc") => "DESC",
            Some(_) => return Err(AgencyError::invalid(refusal("vouchers_refusal_dir"))),
        };
        let sql = format!(
            "SELECT u.id, u.structure_id, u.kind, u.first_name, u.last_name, u.legal_name, u.common_name, \
             u.enterprise_number, u.email, u.phone, u.street, u.postcode, u.city, u.language, u.created_at, \
             a.valid_from AS auth_from, a.valid_until AS auth_until, COALESCE(w.balance, 0) AS balance, \
             CASE WHEN {covered} THEN 1 ELSE 0 END AS covered \
             FROM ale_users u \
             LEFT JOIN ale_authorizations a ON a.user_id = u.id AND a.valid_until = \
               (SELECT MAX(y.valid_until) FROM ale_authorizations y WHERE y.user_id = u.id) \
             LEFT JOIN ale_wallets w ON w.user_id = u.id \
             WHERE {} ORDER BY {key} {dir}, {name} ASC, u.id ASC LIMIT 5000",
            clauses.join(" AND ")
        );
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let user: User = sqlx::FromRow::from_row(&row)?;
            out.push(UserRow {
                display_name: user.display_name(),
                valid_from: row.try_get("auth_from")?,
                valid_until: row.try_get("auth_until")?,
                authorized_today: row.try_get::<i64, _>("covered")? == 1,
                balance: row.try_get("balance")?,
                user,
            });
        }
        Ok(out)
    }

    /// The registration form, pre-filled: authorization dates from the agency's default
    /// length, language and municipality most common among the agency's users, a legal
    /// person's public data (names, address) from any registration of its enterprise
    /// number, and a warning when the person is already a user here.
    pub async fn prefill(
        &self,
        caller: &Caller,
        query: &PrefillQuery,
    ) -> Result<Draft, AgencyError> {
        let (structure, agency_name) = agency_of(caller)?;
        let today = self.today();
        let until = today
            .checked_add_months(Months::new(self.authorization_months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(today);
        let mut draft = Draft::default();
        draft.input.kind = text(query.kind.as_deref()).unwrap_or_else(|| "natural".to_owned());
        draft.input.valid_from = Some(today.to_string());
        draft.input.valid_until = Some(until.to_string());
        let lang = caller.lang();
        draft.sources.push(crate::texts::t_args(
            lang,
            "vouchers_prefill_default_period",
            &[("months", &self.authorization_months.to_string())],
        ));
        let usual = sqlx::query(
            "SELECT language, postcode, city, COUNT(*) AS n FROM ale_users WHERE structure_id = $1 \
             GROUP BY language, postcode, city ORDER BY n DESC, postcode LIMIT 1",
        )
        .bind(&structure)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = usual {
            draft.input.language = row.try_get("language")?;
            draft.input.postcode = row.try_get("postcode")?;
            draft.input.city = row.try_get("city")?;
            draft.sources.push(crate::texts::t_args(
                lang,
                "vouchers_prefill_usual",
                &[("agency", &agency_name)],
            ));
        } else {
            draft.input.language = Some("fr".to_owned());
        }
        if let Some(raw) = text(query.enterprise_number.as_deref()) {
            let number = backend_kit::ids::enterprise_number(&raw)
                .map_err(|e| AgencyError::invalid(e.text()))?;
            draft.input.kind = "legal".to_owned();
            draft.input.enterprise_number = Some(number.clone());
            let known: Option<User> = sqlx::query_as(&format!(
                "SELECT {} FROM ale_users u WHERE u.enterprise_number = $1 \
                 ORDER BY CASE WHEN u.structure_id = $2 THEN 0 ELSE 1 END, u.created_at DESC LIMIT 1",
                crate::users::USER_COLUMNS
            ))
            .bind(&number)
            .bind(&structure)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(k) = known {
                draft.input.legal_name = k.legal_name.clone();
                draft.input.common_name = k.common_name.clone();
                draft.input.street = k.street.clone();
                draft.input.postcode = k.postcode.clone();
                draft.input.city = k.city.clone();
                if k.structure_id == structure {
                    draft.input.email = k.email.clone();
                    draft.input.phone = k.phone.clone();
                    draft.already_registered = Some(k.id.clone());
                    draft
                        .sources
                        .push(crate::texts::t(lang, "vouchers_prefill_already_here"));
                } else {
                    draft
                        .sources
                        .push(crate::texts::t(lang, "vouchers_prefill_earlier"));
                }
            }
        }
        if let Some(email) = text(query.email.as_deref()) {
            draft.input.email = Some(email.clone());
            let known: Option<User> = sqlx::query_as(&format!(
                "SELECT {} FROM ale_users u WHERE u.structure_id = $1 AND LOWER(u.email) = LOWER($2) \
                 ORDER BY u.created_at DESC LIMIT 1",
                crate::users::USER_COLUMNS
            ))
            .bind(&structure)
            .bind(&email)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(k) = known {
                draft.already_registered = Some(k.id.clone());
                draft.input.kind = k.kind.clone();
                draft.input.first_name = k.first_name.clone();
                draft.input.last_name = k.last_name.clone();
                draft.input.legal_name = k.legal_name.clone();
                draft.input.common_name = k.common_name.clone();
                draft.input.enterprise_number = k.enterprise_number.clone();
                draft.input.phone = k.phone.clone();
                draft.input.street = k.street.clone();
                draft.input.postcode = k.postcode.clone();
                draft.input.city = k.city.clone();
                draft
                    .sources
                    .push(crate::texts::t(lang, "vouchers_prefill_same_email"));
            }
        }
        Ok(draft)
    }
}
