//! Organisation records of the business dossiers, kept per provider (the active
//! structure): the provider's own record (kind `self`: its contact data, which is also how
//! the platform knows it, e.g. as someone's subcontractor) and its beneficiaries (kind
//! `beneficiary`). Seed 003 lists « la création d'un bénéficiaire, sa modification » and
//! « modifier une organisation » among the operations to restore: both are created and
//! modified here, each change a compare-and-set on the record's version with a line in
//! the dossier history's style (`dossier_events`, keyed by the record's id).
//!
//! Records are the provider's own: one provider never sees or changes another's
//! beneficiary records. A beneficiary's record lists the provider's dossiers for its
//! enterprise number. A dossier introduced for an enterprise without a record creates one.

use backend_kit::Caller;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool, Row};

use super::service::{DossierError, Dossiers};
use super::store::{self, Dossier};

/// Which record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The provider's own organisation.
    #[serde(rename = "self")]
    Myself,
    /// A beneficiary of the provider's dossiers.
    Beneficiary,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Self::Myself => "self",
            Self::Beneficiary => "beneficiary",
        }
    }
}

/// An organisation record.
#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    /// Id.
    pub id: String,
    /// The provider who keeps it.
    pub owner_structure_id: String,
    /// Its own record or a beneficiary's.
    pub kind: Kind,
    /// Enterprise number (10 digits).
    pub enterprise_number: String,
    /// Name.
    pub name: String,
    /// Street and number.
    pub street: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Municipality.
    pub city: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// Optimistic-lock version.
    pub version: i64,
}

/// A record's data as given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrganisationInput {
    /// Enterprise number (beneficiaries; the provider's own is its structure's).
    #[serde(default)]
    pub enterprise_number: Option<String>,
    /// Name (required).
    #[serde(default)]
    pub name: Option<String>,
    /// Street and number.
    #[serde(default)]
    pub street: Option<String>,
    /// Postcode.
    #[serde(default)]
    pub postcode: Option<String>,
    /// Municipality.
    #[serde(default)]
    pub city: Option<String>,
    /// Contact email.
    #[serde(default)]
    pub email: Option<String>,
    /// Contact phone.
    #[serde(default)]
    pub phone: Option<String>,
}

const COLUMNS: &str = "id, owner_structure_id, kind, enterprise_number, name, street, postcode, \
    city, email, phone, version";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Organisation, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(Organisation {
        id: row.try_get("id")?,
        owner_structure_id: row.try_get("owner_structure_id")?,
        kind: if kind == "self" {
            Kind::Myself
        } else {
            Kind::Beneficiary
        },
        enterprise_number: row.try_get("enterprise_number")?,
        name: row.try_get("name")?,
        street: row.try_get("street")?,
        postcode: row.try_get("postcode")?,
        city: row.try_get("city")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        version: row.try_get("version")?,
    })
}

fn text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The checked data: name and contact fields (the number is checked by the caller).
fn checked(input: &OrganisationInput) -> Result<OrganisationInput, DossierError> {
    let name = text(input.name.as_deref()).ok_or_else(|| {
        DossierError::Invalid(crate::texts::refusal("prestations_refusal_org_name").into())
    })?;
    let email = text(input.email.as_deref());
    if email
        .as_deref()
        .is_some_and(|e| !backend_kit::outbox::is_mail_address(e))
    {
        return Err(DossierError::Invalid(
            crate::texts::refusal("prestations_refusal_org_email").into(),
        ));
    }
    Ok(OrganisationInput {
        enterprise_number: None,
        name: Some(name),
        street: text(input.street.as_deref()),
        postcode: text(input.postcode.as_deref()),
        city: text(input.city.as_deref()),
        email,
        phone: text(input.phone.as_deref()),
    })
}

async fn find(
    conn: &mut AnyConnection,
    owner: &str,
    kind: Kind,
    number: &str,
) -> Result<Option<Organisation>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM dossier_organisations WHERE owner_structure_id = $1 AND kind = $2 \
         AND enterprise_number = $3"
    ))
    .bind(owner)
    .bind(kind.code())
    .bind(number)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Insert a record unless the owner has one for that number; the record either way.
pub(crate) async fn insert_if_missing(
    conn: &mut AnyConnection,
    owner: &str,
    kind: Kind,
    number: &str,
    data: &OrganisationInput,
    by: &str,
    now: i64,
) -> Result<Organisation, sqlx::Error> {
    sqlx::query(
        "INSERT INTO dossier_organisations (id, owner_structure_id, kind, enterprise_number, name, \
         street, postcode, city, email, phone, version, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) \
         ON CONFLICT (owner_structure_id, kind, enterprise_number) DO NOTHING",
    )
    .bind(backend_kit::db::new_id())
    .bind(owner)
    .bind(kind.code())
    .bind(number)
    .bind(data.name.as_deref().unwrap_or_default())
    .bind(&data.street)
    .bind(&data.postcode)
    .bind(&data.city)
    .bind(&data.email)
    .bind(&data.phone)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    find(conn, owner, kind, number)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// The name the platform knows for an enterprise number: a provider's own record.
pub(crate) async fn known_provider(
    conn: &mut AnyConnection,
    number: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT name FROM dossier_organisations WHERE kind = 'self' AND enterprise_number = $1 \
         ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(number)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("name")).transpose()
}

/// The providers known to the platform (their own records), by name: the subcontractors
/// a dossier may pick from.
pub async fn known_providers(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT enterprise_number, MAX(name) AS name FROM dossier_organisations WHERE kind = 'self' \
         GROUP BY enterprise_number ORDER BY name LIMIT 1000",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("enterprise_number")?, r.try_get("name")?)))
        .collect()
}

async fn record_event(
    conn: &mut AnyConnection,
    record_id: &str,
    now: i64,
    caller: &Caller,
    action: &str,
) -> Result<(), sqlx::Error> {
    store::add_event(
        conn,
        record_id,
        now,
        (caller.sub(), caller.name()),
        action,
        None,
        None,
        None,
    )
    .await
}

impl Dossiers {
    fn owner(caller: &Caller) -> Result<assertion::ActiveStructure, DossierError> {
        super::acting_provider(caller).ok_or_else(|| {
            DossierError::Forbidden(
                crate::texts::refusal("prestations_refusal_act_for_provider").into(),
            )
        })
    }

    /// The provider's own record, created from the assertion when it has none yet.
    pub async fn own_organisation(&self, caller: &Caller) -> Result<Organisation, DossierError> {
        let s = Self::owner(caller)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let data = OrganisationInput {
            name: Some(s.name.clone()),
            ..OrganisationInput::default()
        };
        let org = insert_if_missing(
            &mut tx,
            &s.id,
            Kind::Myself,
            &s.enterprise_number,
            &data,
            caller.sub(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Modify the provider's own record (name and contact data).
    pub async fn update_own_organisation(
        &self,
        caller: &Caller,
        input: &OrganisationInput,
    ) -> Result<Organisation, DossierError> {
        let current = self.own_organisation(caller).await?;
        self.update(caller, &current, input).await
    }

    async fn update(
        &self,
        caller: &Caller,
        current: &Organisation,
        input: &OrganisationInput,
    ) -> Result<Organisation, DossierError> {
        let data = checked(input)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE dossier_organisations SET name = $1, street = $2, postcode = $3, city = $4, \
             email = $5, phone = $6, version = version + 1, updated_at = $7 \
             WHERE id = $8 AND version = $9",
        )
        .bind(data.name.as_deref().unwrap_or_default())
        .bind(&data.street)
        .bind(&data.postcode)
        .bind(&data.city)
        .bind(&data.email)
        .bind(&data.phone)
        .bind(now)
        .bind(&current.id)
        .bind(current.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(DossierError::Stale);
        }
        record_event(&mut tx, &current.id, now, caller, "modify_organisation").await?;
        tx.commit().await?;
        Ok(Organisation {
            name: data.name.unwrap_or_default(),
            street: data.street,
            postcode: data.postcode,
            city: data.city,
            email: data.email,
            phone: data.phone,
            version: current.version + 1,
            ..current.clone()
        })
    }

    /// Create a beneficiary record (refused when the provider has one for that number).
    pub async fn create_beneficiary(
        &self,
        caller: &Caller,
        input: &OrganisationInput,
    ) -> Result<Organisation, DossierError> {
        let s = Self::owner(caller)?;
        let number = backend_kit::ids::enterprise_number(
            input.enterprise_number.as_deref().unwrap_or_default(),
        )
        .map_err(|e| DossierError::Invalid(e.text().into()))?;
        if number == s.enterprise_number {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_own_beneficiary").into(),
            ));
        }
        let data = checked(input)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        if find(&mut tx, &s.id, Kind::Beneficiary, &number)
            .await?
            .is_some()
        {
            return Err(DossierError::Conflict(
                crate::texts::refusal("prestations_refusal_record_exists").into(),
            ));
        }
        let org = insert_if_missing(
            &mut tx,
            &s.id,
            Kind::Beneficiary,
            &number,
            &data,
            caller.sub(),
            now,
        )
        .await?;
        record_event(&mut tx, &org.id, now, caller, "create_beneficiary").await?;
        tx.commit().await?;
        Ok(org)
    }

    /// A beneficiary record of the caller's structure.
    pub async fn beneficiary(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Organisation, DossierError> {
        let s = Self::owner(caller)?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM dossier_organisations WHERE id = $1 AND owner_structure_id = $2 \
             AND kind = 'beneficiary'"
        ))
        .bind(id)
        .bind(&s.id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(from_row)
            .transpose()?
            .ok_or(DossierError::NotFound)
    }

    /// Modify a beneficiary record (name and contact data; the number stays).
    pub async fn update_beneficiary(
        &self,
        caller: &Caller,
        id: &str,
        input: &OrganisationInput,
    ) -> Result<Organisation, DossierError> {
        let current = self.beneficiary(caller, id).await?;
        self.update(caller, &current, input).await
    }

    /// The provider's beneficiary records, by name.
    pub async fn beneficiaries(&self, caller: &Caller) -> Result<Vec<Organisation>, DossierError> {
        let s = Self::owner(caller)?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM dossier_organisations WHERE owner_structure_id = $1 \
             AND kind = 'beneficiary' ORDER BY name, enterprise_number LIMIT 1000"
        ))
        .bind(&s.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The provider's dossiers for a beneficiary.
    pub async fn dossiers_of(
        &self,
        caller: &Caller,
        beneficiary: &Organisation,
    ) -> Result<Vec<Dossier>, DossierError> {
        let s = Self::owner(caller)?;
        Ok(store::of_beneficiary(&self.pool, &s.id, &beneficiary.enterprise_number).await?)
    }
}
