//! Providers (the people who perform the work paid with vouchers): their type and their
//! public social-welfare centre (CPAS/OCMW), changed with effect at a date the agent
//! chooses, with the whole history kept. A prestation is judged by the provider's type on
//! the prestation's date, not by today's.

use backend_kit::Caller;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::agency::{Agency, AgencyError, agency_of, date, text};
use crate::texts::refusal;

/// The provider types of the scheme, with what they allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderType {
    /// Fully unemployed, receiving unemployment benefits.
    Unemployed,
    /// Receiving the social integration income from a public social-welfare centre.
    IntegrationIncome,
    /// Receiving equivalent social aid from a public social-welfare centre.
    SocialAid,
    /// No longer eligible (e.g. back at work): may not perform prestations.
    NotEligible,
}

/// Hours a provider may work per calendar month in the scheme.
pub const MONTHLY_HOURS: i64 = 70;

impl ProviderType {
    /// Every type.
    pub const ALL: [ProviderType; 4] = [
        Self::Unemployed,
        Self::IntegrationIncome,
        Self::SocialAid,
        Self::NotEligible,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unemployed => "unemployed",
            Self::IntegrationIncome => "integration_income",
            Self::SocialAid => "social_aid",
            Self::NotEligible => "not_eligible",
        }
    }

    /// From a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unemployed => "Fully unemployed, receiving benefits",
            Self::IntegrationIncome => "Social integration income (CPAS)",
            Self::SocialAid => "Equivalent social aid (CPAS)",
            Self::NotEligible => "Not eligible",
        }
    }

    /// Hours allowed per calendar month (0: none).
    pub fn monthly_hours(self) -> i64 {
        match self {
            Self::NotEligible => 0,
            _ => MONTHLY_HOURS,
        }
    }

    /// The type depends on a public social-welfare centre, which must be named.
    pub fn needs_cpas(self) -> bool {
        matches!(self, Self::IntegrationIncome | Self::SocialAid)
    }
}

/// A provider.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Provider {
    /// Id.
    pub id: String,
    /// The agency.
    pub structure_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: Option<String>,
    /// Registered (unix ms).
    pub created_at: i64,
}

impl Provider {
    /// First and last name.
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// One recorded change (never updated).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProviderChange {
    /// Id.
    pub id: String,
    /// First day it applies.
    pub effective_from: String,
    /// Type code.
    pub provider_type: String,
    /// Public social-welfare centre.
    pub cpas: Option<String>,
    /// Why.
    pub note: Option<String>,
    /// Agent who recorded it.
    pub recorded_by: String,
    /// When it was recorded (unix ms).
    pub recorded_at: i64,
}

/// A new provider.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProviderInput {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Initial type and centre, effective from `effective_from` (default today).
    #[serde(flatten)]
    pub change: ChangeInput,
}

/// A change of type and/or centre.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangeInput {
    /// First day it applies (any date the agent chooses; default today).
    #[serde(default)]
    pub effective_from: Option<String>,
    /// Type code.
    #[serde(default)]
    pub provider_type: String,
    /// Public social-welfare centre.
    #[serde(default)]
    pub cpas: Option<String>,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// Filters and sort of the provider list (query string).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderQuery {
    /// Text in the first name, last name or email.
    #[serde(default)]
    pub q: Option<String>,
    /// The type on `on`: a type code, `eligible` (any type allowing hours) or `none` (no
    /// type in effect yet).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Text in the centre's name on `on`.
    #[serde(default)]
    pub cpas: Option<String>,
    /// The day the type and centre are taken on (default today).
    #[serde(default)]
    pub on: Option<String>,
    /// `name` (default), `type`, `since` (date the type took effect) or `registered`.
    #[serde(default)]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[serde(default)]
    pub dir: Option<String>,
}

/// One row of the provider list.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderRow {
    /// The provider.
    pub provider: Provider,
    /// First and last name.
    pub name: String,
    /// The type and centre on the query's day, if any was in effect.
    pub state: Option<ProviderState>,
    /// The type's label.
    pub type_label: Option<&'static str>,
}

/// The state of a provider on a date.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderState {
    /// Type.
    pub provider_type: ProviderType,
    /// Centre.
    pub cpas: Option<String>,
    /// Since.
    pub effective_from: String,
}

impl Agency {
    fn check_change(
        &self,
        input: &ChangeInput,
    ) -> Result<(NaiveDate, ProviderType, Option<String>), AgencyError> {
        let kind = ProviderType::parse(input.provider_type.trim())
            .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_provider_type")))?;
        let cpas = text(input.cpas.as_deref());
        if kind.needs_cpas() && cpas.is_none() {
            return Err(AgencyError::invalid(
                refusal("vouchers_refusal_needs_cpas").with("type", kind.label()),
            ));
        }
        let from = match text(input.effective_from.as_deref()) {
            Some(t) => date(&t, "effective_from")?,
            None => self.today(),
        };
        Ok((from, kind, cpas))
    }

    /// Register a provider with their type and centre from a date.
    pub async fn add_provider(
        &self,
        caller: &Caller,
        input: &ProviderInput,
    ) -> Result<Provider, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        let first = text(Some(&input.first_name))
            .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_first_name")))?;
        let last = text(Some(&input.last_name))
            .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_last_name")))?;
        let email = text(input.email.as_deref());
        if email
            .as_deref()
            .is_some_and(|e| !backend_kit::outbox::is_mail_address(e))
        {
            return Err(AgencyError::invalid(refusal("vouchers_refusal_email")));
        }
        let (from, kind, cpas) = self.check_change(&input.change)?;
        let now = self.clock.now_ms();
        let p = Provider {
            id: backend_kit::db::new_id(),
            structure_id: structure,
            first_name: first,
            last_name: last,
            email,
            created_at: now,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO ale_providers (id, structure_id, first_name, last_name, email, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&p.id)
        .bind(&p.structure_id)
        .bind(&p.first_name)
        .bind(&p.last_name)
        .bind(&p.email)
        .bind(caller.sub())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_change(
            &mut tx,
            &p.id,
            from,
            kind,
            cpas.as_deref(),
            Some("registration"),
            caller.sub(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Record a change of type and/or centre, effective from a date.
    pub async fn change_provider(
        &self,
        caller: &Caller,
        id: &str,
        input: &ChangeInput,
    ) -> Result<ProviderChange, AgencyError> {
        let p = self.provider(caller, id).await?;
        let (from, kind, cpas) = self.check_change(input)?;
        let note = text(input.note.as_deref());
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let change_id = insert_change(
            &mut tx,
            &p.id,
            from,
            kind,
            cpas.as_deref(),
            note.as_deref(),
            caller.sub(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(ProviderChange {
            id: change_id,
            effective_from: from.to_string(),
            provider_type: kind.code().to_owned(),
            cpas,
            note,
            recorded_by: caller.sub().to_owned(),
            recorded_at: now,
        })
    }

    /// A provider of the caller's agency.
    pub async fn provider(&self, caller: &Caller, id: &str) -> Result<Provider, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        sqlx::query_as(
            "SELECT id, structure_id, first_name, last_name, email, created_at FROM ale_providers \
             WHERE id = $1 AND structure_id = $2",
        )
        .bind(id)
        .bind(&structure)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AgencyError::NotFound(crate::agency::Thing::Provider))
    }

    /// The agency's providers, by name.
    pub async fn providers(&self, caller: &Caller) -> Result<Vec<Provider>, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        Ok(sqlx::query_as(
            "SELECT id, structure_id, first_name, last_name, email, created_at FROM ale_providers \
             WHERE structure_id = $1 ORDER BY last_name, first_name, id",
        )
        .bind(&structure)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The agency's providers, filtered and sorted (see [`ProviderQuery`]).
    pub async fn list_providers(
        &self,
        caller: &Caller,
        query: &ProviderQuery,
    ) -> Result<Vec<ProviderRow>, AgencyError> {
        use sqlx::Row;
        let (structure, _) = agency_of(caller)?;
        let on = match text(query.on.as_deref()) {
            Some(t) => date(&t, "on")?,
            None => self.today(),
        };
        // The latest change in effect on the day (the latest recorded for a shared date).
        let latest = |column: &str| {
            format!(
                "(SELECT c.{column} FROM ale_provider_changes c WHERE c.provider_id = p.id \
                 AND c.effective_from <= $2 ORDER BY c.effective_from DESC, c.recorded_at DESC, \
                 c.id DESC LIMIT 1)"
            )
        };
        let mut binds: Vec<String> = vec![structure, on.to_string()];
        let mut clauses = vec!["x.structure_id = $1".to_owned()];
        if let Some(q) = text(query.q.as_deref()) {
            let cleaned: String = q.chars().filter(|c| !matches!(c, '%' | '_')).collect();
            binds.push(format!("%{}%", cleaned.to_lowercase()));
            clauses.push(format!(
                "LOWER(x.first_name || ' ' || x.last_name || ' ' || COALESCE(x.email, '')) LIKE ${}",
                binds.len()
            ));
        }
        match text(query.kind.as_deref()).as_deref() {
            None => {}
            Some("none") => clauses.push("x.type_on IS NULL".to_owned()),
            Some("eligible") => {
                let eligible: Vec<String> = ProviderType::ALL
                    .iter()
                    .filter(|t| t.monthly_hours() > 0)
                    .map(|t| format!("'{}'", t.code()))
                    .collect();
                clauses.push(format!("x.type_on IN ({})", eligible.join(", ")));
            }
            Some(code) => {
                let kind = ProviderType::parse(code)
                    .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_type_filter")))?;
                binds.push(kind.code().to_owned());
                clauses.push(format!("x.type_on = ${}", binds.len()));
            }
        }
        if let Some(c) = text(query.cpas.as_deref()) {
            let cleaned: String = c.chars().filter(|c| !matches!(c, '%' | '_')).collect();
            binds.push(format!("%{}%", cleaned.to_lowercase()));
            clauses.push(format!(
                "LOWER(COALESCE(x.cpas_on, '')) LIKE ${}",
                binds.len()
            ));
        }
        let dir = match text(query.dir.as_deref()).as_deref() {
            None | Some("asc") => "ASC",
            Some("desc") => "DESC",
            Some(_) => return Err(AgencyError::invalid(refusal("vouchers_refusal_dir"))),
        };
        let order = match text(query.sort.as_deref()).as_deref() {
            None | Some("name") => format!("x.last_name {dir}, x.first_name {dir}, x.id"),
            Some("type") => format!(
                "CASE WHEN x.type_on IS NULL THEN 1 ELSE 0 END, x.type_on {dir}, x.last_name, x.first_name, x.id"
            ),
            Some("since") => format!(
                "CASE WHEN x.since IS NULL THEN 1 ELSE 0 END, x.since {dir}, x.last_name, x.first_name, x.id"
            ),
            Some("registered") => format!("x.created_at {dir}, x.id"),
            Some(_) => {
                return Err(AgencyError::invalid(refusal(
                    "vouchers_refusal_provider_sort",
                )));
            }
        };
        let sql = format!(
            "SELECT x.* FROM (SELECT p.id, p.structure_id, p.first_name, p.last_name, p.email, \
             p.created_at, {} AS type_on, {} AS cpas_on, {} AS since FROM ale_providers p) x \
             WHERE {} ORDER BY {order} LIMIT 1000",
            latest("provider_type"),
            latest("cpas"),
            latest("effective_from"),
            clauses.join(" AND "),
        );
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let provider = Provider {
                id: row.try_get("id")?,
                structure_id: row.try_get("structure_id")?,
                first_name: row.try_get("first_name")?,
                last_name: row.try_get("last_name")?,
                email: row.try_get("email")?,
                created_at: row.try_get("created_at")?,
            };
            let kind: Option<String> = row.try_get("type_on")?;
            let state = match (
                kind.as_deref().and_then(ProviderType::parse),
                row.try_get::<Option<String>, _>("since")?,
            ) {
                (Some(t), Some(since)) => Some(ProviderState {
                    provider_type: t,
                    cpas: row.try_get("cpas_on")?,
                    effective_from: since,
                }),
                _ => None,
            };
            out.push(ProviderRow {
                name: provider.name(),
                type_label: state.as_ref().map(|s| s.provider_type.label()),
                state,
                provider,
            });
        }
        Ok(out)
    }

    /// Every recorded change, by effective date then recording time.
    pub async fn provider_history(
        &self,
        provider_id: &str,
    ) -> Result<Vec<ProviderChange>, AgencyError> {
        Ok(sqlx::query_as(
            "SELECT id, effective_from, provider_type, cpas, note, recorded_by, recorded_at \
             FROM ale_provider_changes WHERE provider_id = $1 ORDER BY effective_from, recorded_at",
        )
        .bind(provider_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Type and centre on `day`: the latest change effective on or before it (the latest
    /// recorded when two share a date). None before the first one.
    pub async fn provider_state_on(
        &self,
        provider_id: &str,
        day: NaiveDate,
    ) -> Result<Option<ProviderState>, AgencyError> {
        let row: Option<ProviderChange> = sqlx::query_as(
            "SELECT id, effective_from, provider_type, cpas, note, recorded_by, recorded_at \
             FROM ale_provider_changes WHERE provider_id = $1 AND effective_from <= $2 \
             ORDER BY effective_from DESC, recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(provider_id)
        .bind(day.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|c| {
            ProviderType::parse(&c.provider_type).map(|t| ProviderState {
                provider_type: t,
                cpas: c.cpas,
                effective_from: c.effective_from,
            })
        }))
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_change(
    conn: &mut sqlx::AnyConnection,
    provider_id: &str,
    from: NaiveDate,
    kind: ProviderType,
    cpas: Option<&str>,
    note: Option<&str>,
    by: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = backend_kit::db::new_id();
    sqlx::query(
        "INSERT INTO ale_provider_changes (id, provider_id, effective_from, provider_type, cpas, note, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(provider_id)
    .bind(from.to_string())
    .bind(kind.code())
    .bind(cpas)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}
