//! Business dossiers (enterprise support cheques), kept in the prestations backend under
//! `/dossiers` and `/api/dossiers`.
//!
//! A provider (the caller's active structure, right `modify`) introduces a dossier for a
//! beneficiary enterprise and one cheque of the [`catalogue`], with a mandatory description
//! of how the competence is used. Outside energy cheques the competence is the cheque
//! itself weighted 100%; an energy cheque shares the work between its competences with
//! weights adding up to 100, each with its own description.
//!
//! Statuses and who moves them (anything else is refused and changes nothing):
//!
//! | from | action | by | to |
//! |---|---|---|---|
//! | 01 being introduced | edit | provider | 01 |
//! | 01 being introduced | delete | provider | (gone; the deletion stays in the history) |
//! | 01 being introduced | submit | provider | 02 introduced |
//! | 02 introduced | take | administration (`process`) | 03 being processed |
//! | 03 being processed | accept | administration | 04 accepted |
//! | 03 being processed | refuse (reason) | administration | 05 refused |
//! | 03 being processed | cancel (reason) | provider | 06 cancelled |
//! | 04 accepted | close | provider | 07 closed (prestation completed) |
//! | any | duplicate | provider | a new 01 dossier with the same content |
//!
//! The request is submitted by the planned start of the prestation (`start_date`, a
//! « délai de rigueur »). A provider hindered by a malfunction of the platform asks for a
//! **regularisation** ([`regularisation`], seed 003: « une dérogation aux délais »): a
//! mandatory reason and proof (a screenshot, a notification received); an operator
//! (`process`) grants it with a new deadline or refuses it, and the decision stays in the
//! dossier's history.
//!
//! A dossier may name a **subcontractor**: one known to the platform (a provider that
//! acts here) or one not yet known, by enterprise number and name (seed 003: « sélection
//! d'un sous-traitant, non reconnu dans la plateforme »). Providers keep **beneficiary
//! records** and their own **organisation record**, which they create and modify
//! ([`records`]); a beneficiary's record lists its dossiers.

pub mod catalogue;
pub mod http;
pub mod records;
mod records_http;
pub mod regularisation;
mod regularisation_http;
pub mod service;
pub mod store;

use backend_kit::error::Text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use catalogue::{Catalogue, Cheque};

use crate::texts::refusal;

/// The organisation the caller acts for, with its enterprise number written as the
/// dossiers store every number (ten digits, no dots): the assertion writes it with dots
/// (`0441.122.346`), a form or the register without. Compared as stored, the two would
/// never match (a provider on the platform taken for an unknown subcontractor).
pub(crate) fn acting_provider(caller: &backend_kit::Caller) -> Option<assertion::ActiveStructure> {
    caller.0.organisation().cloned().map(|mut s| {
        if let Ok(number) = backend_kit::ids::enterprise_number(&s.enterprise_number) {
            s.enterprise_number = number;
        }
        s
    })
}

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DossierStatus {
    /// 01: the provider is writing it.
    #[serde(rename = "01")]
    BeingIntroduced,
    /// 02: submitted, waiting for the administration.
    #[serde(rename = "02")]
    Introduced,
    /// 03: the administration is processing it.
    #[serde(rename = "03")]
    BeingProcessed,
    /// 04: accepted.
    #[serde(rename = "04")]
    Accepted,
    /// 05: refused.
    #[serde(rename = "05")]
    Refused,
    /// 06: cancelled while being processed.
    #[serde(rename = "06")]
    Cancelled,
    /// 07: the prestation is completed.
    #[serde(rename = "07")]
    Closed,
}

impl DossierStatus {
    /// Every status.
    pub const ALL: [DossierStatus; 7] = [
        Self::BeingIntroduced,
        Self::Introduced,
        Self::BeingProcessed,
        Self::Accepted,
        Self::Refused,
        Self::Cancelled,
        Self::Closed,
    ];

    /// The two-digit code.
    pub fn code(self) -> &'static str {
        match self {
            Self::BeingIntroduced => "01",
            Self::Introduced => "02",
            Self::BeingProcessed => "03",
            Self::Accepted => "04",
            Self::Refused => "05",
            Self::Cancelled => "06",
            Self::Closed => "07",
        }
    }

    /// From the code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::BeingIntroduced => "Being introduced",
            Self::Introduced => "Introduced",
            Self::BeingProcessed => "Being processed",
            Self::Accepted => "Accepted",
            Self::Refused => "Refused",
            Self::Cancelled => "Cancelled",
            Self::Closed => "Closed",
        }
    }

    /// Badge colour.
    pub fn colour(self) -> &'static str {
        match self {
            Self::BeingIntroduced => "blue",
            Self::Introduced => "yellow",
            Self::BeingProcessed => "orange",
            Self::Accepted => "green",
            Self::Refused => "red",
            Self::Cancelled => "grey",
            Self::Closed => "darkgreen",
        }
    }
}

/// What is asked of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierAction {
    /// Change its content.
    Edit,
    /// Remove it.
    Delete,
    /// Send it to the administration.
    Submit,
    /// Start processing.
    Take,
    /// Grant it.
    Accept,
    /// Refuse it.
    Refuse,
    /// Cancel it.
    Cancel,
    /// Report the prestation completed.
    Close,
    /// Copy it into a new dossier.
    Duplicate,
}

impl DossierAction {
    /// Every action.
    pub const ALL: [DossierAction; 9] = [
        Self::Edit,
        Self::Delete,
        Self::Submit,
        Self::Take,
        Self::Accept,
        Self::Refuse,
        Self::Cancel,
        Self::Close,
        Self::Duplicate,
    ];

    /// URL segment and stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Submit => "submit",
            Self::Take => "take",
            Self::Accept => "accept",
            Self::Refuse => "refuse",
            Self::Cancel => "cancel",
            Self::Close => "close",
            Self::Duplicate => "duplicate",
        }
    }

    /// From a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The administration's actions; the others are the provider's.
    pub fn by_administration(self) -> bool {
        matches!(self, Self::Take | Self::Accept | Self::Refuse)
    }
}

/// An action refused from a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a dossier in status {} ({}): {reason}", .action.code(), .from.code(), .from.label())]
pub struct DossierTransitionError {
    /// Current status.
    pub from: DossierStatus,
    /// Refused action.
    pub action: DossierAction,
    /// Why.
    pub reason: &'static str,
}

impl DossierTransitionError {
    /// The catalogue key of [`DossierTransitionError::reason`] (one reason per action).
    pub fn reason_key(&self) -> &'static str {
        match self.action {
            DossierAction::Edit => "prestations_dossier_refusal_edit",
            DossierAction::Delete => "prestations_dossier_refusal_delete",
            DossierAction::Submit => "prestations_dossier_refusal_submit",
            DossierAction::Take => "prestations_dossier_refusal_take",
            DossierAction::Accept | DossierAction::Refuse => "prestations_dossier_refusal_decide",
            DossierAction::Cancel => "prestations_dossier_refusal_cancel",
            DossierAction::Close => "prestations_dossier_refusal_close",
            DossierAction::Duplicate => "prestations_dossier_refusal_duplicate",
        }
    }
}

/// The status after `action` from `from`; `None` for a deletion. Duplicate leaves the
/// source unchanged (its result is a new dossier in 01).
pub fn dossier_transition(
    from: DossierStatus,
    action: DossierAction,
) -> Result<Option<DossierStatus>, DossierTransitionError> {
    use DossierAction as A;
    use DossierStatus as S;
    let to = match (from, action) {
        (S::BeingIntroduced, A::Edit) => Some(S::BeingIntroduced),
        (S::BeingIntroduced, A::Delete) => None,
        (S::BeingIntroduced, A::Submit) => Some(S::Introduced),
        (S::Introduced, A::Take) => Some(S::BeingProcessed),
        (S::BeingProcessed, A::Accept) => Some(S::Accepted),
        (S::BeingProcessed, A::Refuse) => Some(S::Refused),
        (S::BeingProcessed, A::Cancel) => Some(S::Cancelled),
        (S::Accepted, A::Close) => Some(S::Closed),
        (s, A::Duplicate) => Some(s),
        (_, action) => {
            let reason = match action {
                A::Edit => {
                    "only a dossier being introduced (01) can be changed; duplicate it instead"
                }
                A::Delete => "only a dossier being introduced (01) can be deleted",
                A::Submit => "only a dossier being introduced (01) can be submitted",
                A::Take => "only an introduced dossier (02) can be taken into processing",
                A::Accept | A::Refuse => "only a dossier being processed (03) can be decided",
                A::Cancel => "only a dossier being processed (03) can be cancelled",
                A::Close => "only an accepted dossier (04) can be closed",
                A::Duplicate => "any dossier can be duplicated",
            };
            return Err(DossierTransitionError {
                from,
                action,
                reason,
            });
        }
    };
    Ok(to)
}

/// One competence of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competence {
    /// The cheque code (ordinary cheques) or an energy competence code.
    pub code: String,
    /// Share of the work, in percent.
    pub weight: i64,
    /// How the competence is used.
    pub description: String,
}

/// Content of a dossier as given by the provider.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DossierInput {
    /// Beneficiary's enterprise number.
    pub beneficiary_number: String,
    /// Beneficiary's name.
    pub beneficiary_name: String,
    /// Cheque code.
    pub cheque: String,
    /// How the competence is used (ordinary cheques).
    #[serde(default)]
    pub description: Option<String>,
    /// Weighted competences (energy cheques).
    #[serde(default)]
    pub competences: Option<Vec<Competence>>,
    /// Planned start of the prestation, `YYYY-MM-DD`: the request is submitted by then.
    #[serde(default)]
    pub start_date: Option<String>,
    /// A subcontractor's enterprise number (known to the platform or not).
    #[serde(default)]
    pub subcontractor_number: Option<String>,
    /// The subcontractor's name, needed when the platform does not know it yet.
    #[serde(default)]
    pub subcontractor_name: Option<String>,
}

/// The checked content of a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Beneficiary's enterprise number (10 digits).
    pub beneficiary_number: String,
    /// Beneficiary's name.
    pub beneficiary_name: String,
    /// Competences.
    pub competences: Vec<Competence>,
    /// Planned start.
    pub start_date: NaiveDate,
    /// Subcontractor's enterprise number (10 digits) and the name typed, if any.
    pub subcontractor: Option<(String, Option<String>)>,
}

/// Longest description accepted.
pub const MAX_DESCRIPTION: usize = 4000;

/// `text` checked as the description of the use of `what` (a competence's label, or
/// `None`: the cheque's one competence).
fn description(text: Option<&str>, what: Option<&str>) -> Result<String, Text> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(match what {
            Some(label) => refusal("prestations_refusal_description_of").with("label", label),
            None => refusal("prestations_refusal_description"),
        });
    }
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(refusal("prestations_refusal_description_long").with("max", MAX_DESCRIPTION));
    }
    Ok(text.to_owned())
}

/// The competences of a dossier on `cheque`, checked.
pub fn competences(cheque: &Cheque, input: &DossierInput) -> Result<Vec<Competence>, Text> {
    if !cheque.energy {
        let given = input.competences.as_deref().unwrap_or_default();
        let only_itself = given.is_empty()
            || (given.len() == 1 && given[0].code == cheque.code && given[0].weight == 100);
        if !only_itself {
            return Err(refusal("prestations_refusal_competence_itself"));
        }
        let text = input
            .description
            .as_deref()
            .or_else(|| given.first().map(|c| c.description.as_str()));
        return Ok(vec![Competence {
            code: cheque.code.clone(),
            weight: 100,
            description: description(text, None)?,
        }]);
    }
    let given = input.competences.as_deref().unwrap_or_default();
    if given.is_empty() {
        return Err(refusal("prestations_refusal_energy_competences"));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for c in given {
        let def = cheque
            .competences
            .iter()
            .find(|d| d.code == c.code)
            .ok_or_else(|| {
                refusal("prestations_refusal_foreign_competence").with("code", &c.code)
            })?;
        if !seen.insert(c.code.as_str()) {
            return Err(refusal("prestations_refusal_competence_twice").with("code", &c.code));
        }
        if !(1..=100).contains(&c.weight) {
            return Err(refusal("prestations_refusal_weight"));
        }
        out.push(Competence {
            code: c.code.clone(),
            weight: c.weight,
            description: description(Some(&c.description), Some(&def.label))?,
        });
    }
    let total: i64 = out.iter().map(|c| c.weight).sum();
    if total != 100 {
        return Err(refusal("prestations_refusal_weights_total").with("total", total));
    }
    Ok(out)
}

/// An enterprise number of the field `field` refused.
fn number_refusal(field: &'static str, e: &backend_kit::ids::EnterpriseNumberError) -> Text {
    let key = match e {
        backend_kit::ids::EnterpriseNumberError::Length => "prestations_refusal_enterprise_length",
        backend_kit::ids::EnterpriseNumberError::Checksum => {
            "prestations_refusal_enterprise_checksum"
        }
    };
    refusal(key).with("field", field)
}

/// Check the whole input against the catalogue (the dates against the store's rules are
/// the service's).
pub fn check_input(catalogue: &Catalogue, input: &DossierInput) -> Result<Checked, Text> {
    let number = backend_kit::ids::enterprise_number(&input.beneficiary_number)
        .map_err(|e| number_refusal("beneficiary", &e))?;
    let name = input.beneficiary_name.trim();
    if name.is_empty() {
        return Err(refusal("prestations_refusal_beneficiary_name"));
    }
    let cheque = catalogue
        .cheque(input.cheque.trim())
        .ok_or_else(|| refusal("prestations_refusal_cheque"))?;
    let start = input
        .start_date
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| refusal("prestations_refusal_start_required"))?;
    let start_date = NaiveDate::parse_from_str(start, "%Y-%m-%d")
        .map_err(|_| refusal("prestations_refusal_date").with("field", "start_date"))?;
    let subcontractor = match input
        .subcontractor_number
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(raw) => {
            let n = backend_kit::ids::enterprise_number(raw)
                .map_err(|e| number_refusal("subcontractor", &e))?;
            if n == number {
                return Err(refusal("prestations_refusal_subcontractor_beneficiary"));
            }
            let name = input
                .subcontractor_name
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            Some((n, name))
        }
    };
    Ok(Checked {
        beneficiary_number: number,
        beneficiary_name: name.to_owned(),
        competences: competences(cheque, input)?,
        start_date,
        subcontractor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_only_in_01_cancellation_only_in_03() {
        use DossierAction as A;
        use DossierStatus as S;
        for s in S::ALL {
            assert_eq!(
                dossier_transition(s, A::Delete).is_ok(),
                s == S::BeingIntroduced
            );
            assert_eq!(
                dossier_transition(s, A::Cancel).is_ok(),
                s == S::BeingProcessed
            );
            assert!(dossier_transition(s, A::Duplicate).is_ok());
        }
        assert_eq!(dossier_transition(S::BeingIntroduced, A::Delete), Ok(None));
        assert_eq!(
            dossier_transition(S::Introduced, A::Take),
            Ok(Some(S::BeingProcessed))
        );
        let err = dossier_transition(S::Refused, A::Accept).expect_err("refused");
        assert!(err.to_string().contains("05"));
    }

    /// An operator's catalogue with an energy cheque (the shipped one has none).
    fn with_energy() -> Catalogue {
        Catalogue::from_toml(include_str!(
            "../../tests/fixtures/cheques-with-energy.toml"
        ))
        .expect("catalogue")
    }

    fn input(cheque: &str) -> DossierInput {
        DossierInput {
            beneficiary_number: "0403.449.625".to_owned(),
            beneficiary_name: "Boulangerie Dupont".to_owned(),
            cheque: cheque.to_owned(),
            start_date: Some("2026-04-01".to_owned()),
            ..DossierInput::default()
        }
    }

    #[test]
    fn ordinary_cheque_is_its_own_competence_at_100() {
        let cat = Catalogue::shipped().expect("catalogue");
        let mut i = input("DIG-CYBER");
        assert!(check_input(&cat, &i).is_err(), "description is mandatory");
        i.description = Some("   ".to_owned());
        assert!(check_input(&cat, &i).is_err(), "blank is no description");
        i.description = Some("Audit of the web shop".to_owned());
        let checked = check_input(&cat, &i).expect("valid");
        let (number, comps) = (checked.beneficiary_number, checked.competences);
        assert_eq!(number, "0403449625");
        assert_eq!(comps.len(), 1);
        assert_eq!(
            (comps[0].code.as_str(), comps[0].weight),
            ("DIG-CYBER", 100)
        );
        i.competences = Some(vec![Competence {
            code: "DIG-CYBER".to_owned(),
            weight: 60,
            description: "x".to_owned(),
        }]);
        assert!(check_input(&cat, &i).is_err(), "not weighted 100%");
    }

    #[test]
    fn energy_cheque_weights_add_up_to_100() {
        let cat = with_energy();
        let mut i = input("ENE-TEST");
        i.description = Some("whole".to_owned());
        assert!(check_input(&cat, &i).is_err(), "needs competences");
        let c = |code: &str, weight| Competence {
            code: code.to_owned(),
            weight,
            description: format!("use of {code}"),
        };
        i.competences = Some(vec![c("ENE-AUDIT", 60), c("ENE-PLAN", 30)]);
        assert!(check_input(&cat, &i).is_err(), "90%");
        i.competences = Some(vec![c("ENE-AUDIT", 60), c("ENE-PLAN", 40)]);
        assert_eq!(check_input(&cat, &i).expect("valid").competences.len(), 2);
        i.competences = Some(vec![c("ENE-AUDIT", 60), c("DIG-CYBER", 40)]);
        assert!(check_input(&cat, &i).is_err(), "foreign competence");
        i.competences = Some(vec![c("ENE-AUDIT", 50), c("ENE-AUDIT", 50)]);
        assert!(check_input(&cat, &i).is_err(), "twice");
    }

    #[test]
    fn start_date_and_subcontractor_are_checked() {
        let cat = Catalogue::shipped().expect("catalogue");
        let mut i = input("DIG-CYBER");
        i.description = Some("d".to_owned());
        i.start_date = None;
        assert!(check_input(&cat, &i).is_err(), "the start date is required");
        i.start_date = Some("1 April".to_owned());
        assert!(check_input(&cat, &i).is_err());
        i.start_date = Some("2026-04-01".to_owned());
        i.subcontractor_number = Some("0203.201.341".to_owned());
        assert!(check_input(&cat, &i).is_err(), "check digits");
        i.subcontractor_number = Some("0403.449.625".to_owned());
        assert!(check_input(&cat, &i).is_err(), "not the beneficiary");
        i.subcontractor_number = Some("0203.201.340".to_owned());
        i.subcontractor_name = Some(" Sous-Traitant SPRL ".to_owned());
        assert_eq!(
            check_input(&cat, &i).expect("valid").subcontractor,
            Some((
                "0203201340".to_owned(),
                Some("Sous-Traitant SPRL".to_owned())
            ))
        );
    }

    #[test]
    fn beneficiary_number_is_checked() {
        let cat = Catalogue::shipped().expect("catalogue");
        let mut i = input("CRE-ADVICE");
        i.description = Some("d".to_owned());
        i.beneficiary_number = "0403.449.626".to_owned();
        assert!(check_input(&cat, &i).is_err());
    }
}
