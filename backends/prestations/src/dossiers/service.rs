//! Dossier operations for a verified caller: the provider (active structure that owns the
//! dossier) and the administration (right `process`).

use std::sync::Arc;

use backend_kit::error::Message;
use backend_kit::{ApiError, Caller, Clock};
use chrono::Datelike;
use sqlx::AnyPool;

use super::catalogue::Catalogue;
use super::records::{self, Kind, OrganisationInput};
use super::store::{self, Dossier, DossierEvent};
use super::{
    Checked, DossierAction, DossierInput, DossierStatus, DossierTransitionError, check_input,
    dossier_transition,
};
use crate::RIGHT_PROCESS;

/// Why a dossier operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    /// Bad input.
    #[error("{0}")]
    Invalid(Message),
    /// Not the caller's to do.
    #[error("{0}")]
    Forbidden(Message),
    /// Unknown or invisible.
    #[error("no such dossier")]
    NotFound,
    /// The status forbids it.
    #[error(transparent)]
    Transition(#[from] DossierTransitionError),
    /// Changed meanwhile.
    #[error("the dossier changed meanwhile; reload it and try again")]
    Stale,
    /// The state forbids it (e.g. a record that already exists, a pending request).
    #[error("{0}")]
    Conflict(Message),
    /// The submission deadline passed (a regularisation may extend it).
    #[error("{0}")]
    Deadline(Message),
    /// Storage failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<DossierError> for ApiError {
    fn from(e: DossierError) -> Self {
        match e {
            DossierError::Invalid(m) => ApiError::Invalid(m),
            DossierError::Forbidden(m) => ApiError::Forbidden(m),
            DossierError::NotFound => {
                ApiError::not_found(crate::texts::refusal("prestations_refusal_no_dossier"))
            }
            DossierError::Transition(t) => {
                ApiError::conflict("illegal_transition", crate::texts::refusal(t.reason_key()))
            }
            DossierError::Stale => ApiError::conflict(
                "stale",
                crate::texts::refusal("prestations_refusal_dossier_stale"),
            ),
            DossierError::Conflict(m) => ApiError::conflict("conflict", m),
            DossierError::Deadline(m) => ApiError::conflict("deadline_passed", m),
            DossierError::Db(d) => d.into(),
        }
    }
}

/// The dossier rules over one database.
#[derive(Clone)]
pub struct Dossiers {
    pub(crate) pool: AnyPool,
    pub(crate) catalogue: Arc<Catalogue>,
    pub(crate) clock: Arc<dyn Clock>,
}

/// The caller acts for the provider of `d` (never when acting as themselves).
pub(crate) fn is_provider(caller: &Caller, d: &Dossier) -> bool {
    caller
        .0
        .organisation()
        .is_some_and(|s| s.id == d.provider_structure_id)
}

/// A subcontractor named by number: the name the platform knows (a provider's own
/// record), or the name typed for one it does not know yet.
async fn subcontractor(
    conn: &mut sqlx::AnyConnection,
    provider_number: &str,
    given: Option<(String, Option<String>)>,
) -> Result<(Option<String>, Option<String>, bool), DossierError> {
    let Some((number, typed)) = given else {
        return Ok((None, None, false));
    };
    if number == provider_number {
        return Err(DossierError::Invalid(
            crate::texts::refusal("prestations_refusal_own_subcontractor").into(),
        ));
    }
    match records::known_provider(conn, &number).await? {
        Some(name) => Ok((Some(number), Some(name), true)),
        None => {
            let name = typed.ok_or_else(|| {
                DossierError::Invalid(
                    crate::texts::refusal("prestations_refusal_subcontractor_name").into(),
                )
            })?;
            Ok((Some(number), Some(name), false))
        }
    }
}

impl Dossiers {
    /// The same rules over the same database, with "now" from `clock` (see
    /// [`crate::service::Prestations::with_clock`]).
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            ..self.clone()
        }
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Today in Brussels.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// Introduce a new dossier (status 01) for the caller's structure as provider.
    pub async fn create(
        &self,
        caller: &Caller,
        input: &DossierInput,
    ) -> Result<Dossier, DossierError> {
        let provider = super::acting_provider(caller).ok_or_else(|| {
            DossierError::Forbidden(
                crate::texts::refusal("prestations_refusal_choose_provider").into(),
            )
        })?;
        let checked =
            check_input(&self.catalogue, input).map_err(|t| DossierError::Invalid(t.into()))?;
        if checked.beneficiary_number == provider.enterprise_number {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_dossier_for_itself").into(),
            ));
        }
        self.check_start(checked.start_date)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let (sub_number, sub_name, sub_known) = subcontractor(
            &mut tx,
            &provider.enterprise_number,
            checked.subcontractor.clone(),
        )
        .await?;
        self.keep_records(&mut tx, caller, &provider, &checked, now)
            .await?;
        let mut d = Dossier {
            id: backend_kit::db::new_id(),
            reference: String::new(),
            provider_structure_id: provider.id,
            provider_number: provider.enterprise_number,
            provider_name: provider.name,
            beneficiary_number: checked.beneficiary_number,
            beneficiary_name: checked.beneficiary_name,
            cheque_code: input.cheque.trim().to_owned(),
            status: DossierStatus::BeingIntroduced,
            duplicated_from: None,
            decision_note: None,
            version: 1,
            created_by: caller.sub().to_owned(),
            created_at: now,
            updated_at: now,
            competences: checked.competences,
            start_date: Some(checked.start_date),
            submit_by: Some(checked.start_date),
            subcontractor_number: sub_number,
            subcontractor_name: sub_name,
            subcontractor_known: sub_known,
        };
        d.reference = store::next_reference(&mut tx, self.clock.today().year()).await?;
        store::insert(&mut tx, &d).await?;
        let to = Some(d.status);
        store::add_event(
            &mut tx,
            &d.id,
            now,
            (caller.sub(), caller.name()),
            "create",
            None,
            to,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(d)
    }

    /// The planned start of a new or changed dossier: not in the past (the request is
    /// submitted by then).
    fn check_start(&self, start: chrono::NaiveDate) -> Result<(), DossierError> {
        let today = self.clock.today();
        if start < today {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_start_past")
                    .with("start", start)
                    .into(),
            ));
        }
        Ok(())
    }

    /// The provider's own record and the beneficiary's, created when missing.
    async fn keep_records(
        &self,
        conn: &mut sqlx::AnyConnection,
        caller: &Caller,
        provider: &assertion::ActiveStructure,
        checked: &Checked,
        now: i64,
    ) -> Result<(), DossierError> {
        let own = OrganisationInput {
            name: Some(provider.name.clone()),
            ..OrganisationInput::default()
        };
        records::insert_if_missing(
            conn,
            &provider.id,
            Kind::Myself,
            &provider.enterprise_number,
            &own,
            caller.sub(),
            now,
        )
        .await?;
        let beneficiary = OrganisationInput {
            name: Some(checked.beneficiary_name.clone()),
            ..OrganisationInput::default()
        };
        records::insert_if_missing(
            conn,
            &provider.id,
            Kind::Beneficiary,
            &checked.beneficiary_number,
            &beneficiary,
            caller.sub(),
            now,
        )
        .await?;
        Ok(())
    }

    /// A dossier the caller may see: its provider's, or for the administration any
    /// submitted one and any one with a regularisation request.
    pub async fn get(&self, caller: &Caller, id: &str) -> Result<Dossier, DossierError> {
        let d = store::get(&self.pool, id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let admin = caller.has(RIGHT_PROCESS)
            && (d.status != DossierStatus::BeingIntroduced
                || super::regularisation::has_request(&self.pool, &d.id).await?);
        if is_provider(caller, &d) || admin {
            Ok(d)
        } else {
            Err(DossierError::NotFound)
        }
    }

    /// The history of a visible dossier.
    pub async fn events(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Vec<DossierEvent>, DossierError> {
        self.get(caller, id).await?;
        Ok(store::events(&self.pool, id).await?)
    }

    /// Dossiers the caller sees.
    pub async fn list(&self, caller: &Caller) -> Result<Vec<Dossier>, DossierError> {
        let structure = caller.0.organisation().map(|s| s.id.as_str());
        Ok(store::list(&self.pool, structure, caller.has(RIGHT_PROCESS)).await?)
    }

    fn check_role(caller: &Caller, d: &Dossier, action: DossierAction) -> Result<(), DossierError> {
        if action.by_administration() {
            if !caller.has(RIGHT_PROCESS) {
                return Err(DossierError::Forbidden(
                    crate::texts::refusal("prestations_refusal_administration_only")
                        .with("right", RIGHT_PROCESS)
                        .with("action", action.code())
                        .into(),
                ));
            }
        } else if !is_provider(caller, d) {
            return Err(DossierError::Forbidden(
                crate::texts::refusal("prestations_refusal_dossier_provider_only").into(),
            ));
        }
        Ok(())
    }

    /// Change the content of a dossier in 01.
    pub async fn edit(
        &self,
        caller: &Caller,
        id: &str,
        input: &DossierInput,
    ) -> Result<Dossier, DossierError> {
        let d = self.get(caller, id).await?;
        Self::check_role(caller, &d, DossierAction::Edit)?;
        dossier_transition(d.status, DossierAction::Edit)?;
        let checked =
            check_input(&self.catalogue, input).map_err(|t| DossierError::Invalid(t.into()))?;
        if d.start_date != Some(checked.start_date) {
            self.check_start(checked.start_date)?;
        }
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let (sub_number, sub_name, sub_known) =
            subcontractor(&mut tx, &d.provider_number, checked.subcontractor.clone()).await?;
        if let Some(provider) = super::acting_provider(caller) {
            self.keep_records(&mut tx, caller, &provider, &checked, now)
                .await?;
        }
        // A granted regularisation's later deadline stays.
        let submit_by = match d.submit_by {
            Some(by) if d.start_date.is_some_and(|s| by > s) => Some(by.max(checked.start_date)),
            _ => Some(checked.start_date),
        };
        let next = Dossier {
            beneficiary_number: checked.beneficiary_number,
            beneficiary_name: checked.beneficiary_name,
            cheque_code: input.cheque.trim().to_owned(),
            competences: checked.competences,
            start_date: Some(checked.start_date),
            submit_by,
            subcontractor_number: sub_number,
            subcontractor_name: sub_name,
            subcontractor_known: sub_known,
            version: d.version + 1,
            updated_at: now,
            ..d.clone()
        };
        if !store::compare_and_set(&mut tx, d.version, d.status, &next).await? {
            return Err(DossierError::Stale);
        }
        let s = Some(d.status);
        store::add_event(
            &mut tx,
            id,
            now,
            (caller.sub(), caller.name()),
            "edit",
            s,
            s,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Delete a dossier in 01. Its history keeps a line saying so.
    pub async fn delete(&self, caller: &Caller, id: &str) -> Result<(), DossierError> {
        let d = self.get(caller, id).await?;
        Self::check_role(caller, &d, DossierAction::Delete)?;
        dossier_transition(d.status, DossierAction::Delete)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        if !store::delete(&mut tx, id, d.version).await? {
            return Err(DossierError::Stale);
        }
        let note = Some(d.reference.as_str());
        store::add_event(
            &mut tx,
            id,
            now,
            (caller.sub(), caller.name()),
            "delete",
            Some(d.status),
            None,
            note,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Submit, take, accept, refuse, cancel or close. Refusing and cancelling need a reason.
    pub async fn act(
        &self,
        caller: &Caller,
        id: &str,
        action: DossierAction,
        reason: Option<&str>,
    ) -> Result<Dossier, DossierError> {
        if matches!(
            action,
            DossierAction::Edit | DossierAction::Delete | DossierAction::Duplicate
        ) {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_use_edit").into(),
            ));
        }
        let d = self.get(caller, id).await?;
        Self::check_role(caller, &d, action)?;
        let to = dossier_transition(d.status, action)?.ok_or(DossierError::NotFound)?;
        if action == DossierAction::Submit
            && let Some(by) = d.submit_by
            && self.clock.today() > by
        {
            return Err(DossierError::Deadline(
                crate::texts::refusal("prestations_refusal_deadline")
                    .with("by", by)
                    .into(),
            ));
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if matches!(action, DossierAction::Refuse | DossierAction::Cancel) && reason.is_none() {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_dossier_reason")
                    .with("action", action.code())
                    .into(),
            ));
        }
        let now = self.clock.now_ms();
        let next = Dossier {
            status: to,
            decision_note: reason.map(str::to_owned).or(d.decision_note.clone()),
            version: d.version + 1,
            updated_at: now,
            ..d.clone()
        };
        let mut tx = self.pool.begin().await?;
        if !store::compare_and_set(&mut tx, d.version, d.status, &next).await? {
            return Err(DossierError::Stale);
        }
        let who = (caller.sub(), caller.name());
        store::add_event(
            &mut tx,
            id,
            now,
            who,
            action.code(),
            Some(d.status),
            Some(to),
            reason,
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Copy a dossier (any status) into a new one in 01 for the same provider.
    pub async fn duplicate(&self, caller: &Caller, id: &str) -> Result<Dossier, DossierError> {
        let d = self.get(caller, id).await?;
        Self::check_role(caller, &d, DossierAction::Duplicate)?;
        dossier_transition(d.status, DossierAction::Duplicate)?;
        let now = self.clock.now_ms();
        let mut copy = Dossier {
            id: backend_kit::db::new_id(),
            status: DossierStatus::BeingIntroduced,
            duplicated_from: Some(d.id.clone()),
            decision_note: None,
            // A regularisation granted to the original does not carry over.
            submit_by: d.start_date,
            version: 1,
            created_by: caller.sub().to_owned(),
            created_at: now,
            updated_at: now,
            ..d.clone()
        };
        let mut tx = self.pool.begin().await?;
        copy.reference = store::next_reference(&mut tx, self.clock.today().year()).await?;
        store::insert(&mut tx, &copy).await?;
        let who = (caller.sub(), caller.name());
        let to = Some(DossierStatus::BeingIntroduced);
        store::add_event(
            &mut tx,
            &copy.id,
            now,
            who,
            "create",
            None,
            to,
            Some(&format!("duplicate of {}", d.reference)),
        )
        .await?;
        store::add_event(
            &mut tx,
            &d.id,
            now,
            who,
            "duplicate",
            Some(d.status),
            Some(d.status),
            Some(&copy.reference),
        )
        .await?;
        tx.commit().await?;
        Ok(copy)
    }
}
