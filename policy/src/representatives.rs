//! Legal representatives, imported from a company-register extract: CSV (`;` or `,`),
//! whose first line is a header naming the columns (any order, each once):
//!
//! | column | meaning |
//! |---|---|
//! | `enterprise_number` | the organisation's number (BCE/KBO, 10 digits mod 97; or SIREN/SIRET) |
//! | `organisation_name` | the organisation's registered (legal) name, never a person's |
//! | `function` | the representative's function in the register (`Gérant`, `Administrateur`) |
//! | `national_number` | the representative's national register number (11 digits, mod 97) |
//! | `start_date` | since when: `YYYY-MM-DD` (also `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`) |
//!
//! A missing, unknown, repeated or ambiguous column (`name`: whose?) refuses the whole
//! file, naming line 1. The import is idempotent; each bad line is reported with its
//! number and why; each line is applied in its own transaction, so a bad line never
//! half-applies. A known organisation whose registered name changed is renamed (and its
//! common name with it while that was still the registered name), reported as updated.
//! National numbers are stored as keyed hash and masked form only.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::ids::{NationalNumber, NrnHash, OrgNumber};
use crate::input::clean_text;
use crate::model::{Actor, LegalRepresentative, Structure, StructureId, UserId};
use crate::store::changes::record_change;
use crate::store::structures::{
    STRUCTURE_COLUMNS, StructureRow, insert_structure, structure_by_number_on, structure_from_row,
};

/// One refused line of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLineError {
    /// Line number in the file (1-based; the header is line 1 when present).
    pub line: usize,
    /// Why (never echoes a national number).
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data lines read (header and blank lines excluded).
    pub lines: usize,
    /// Representatives added.
    pub inserted: usize,
    /// Lines that changed what was known: a representative's start date, or the
    /// organisation's registered name.
    pub updated: usize,
    /// Lines already known as they are.
    pub unchanged: usize,
    /// Structures created because the extract named an unknown number.
    pub structures_created: usize,
    /// Structures whose registered name the extract changed.
    #[serde(default)]
    pub structures_renamed: usize,
    /// Refused lines.
    pub errors: Vec<ImportLineError>,
    /// What became of each data line, in the file's order.
    #[serde(default)]
    pub outcomes: Vec<ImportLine>,
}

/// What became of one data line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A representative was added.
    Created,
    /// A start date or the organisation's registered name changed.
    Changed,
    /// Already known as it is.
    Unchanged,
    /// The line was refused (see the reason).
    Refused,
}

/// One data line of an import: its number, the organisation's number as shown (when it
/// is a valid number: a wrong column never echoes what might be a national number),
/// what became of it and, refused, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    /// The organisation's number as shown, when the line names a valid one.
    pub enterprise_number: Option<String>,
    /// What became of the line.
    pub outcome: ImportOutcome,
    /// Why it was refused.
    pub reason: Option<String>,
}

impl ImportReport {
    fn refuse(&mut self, line: usize, enterprise_number: Option<String>, reason: String) {
        self.outcomes.push(ImportLine {
            line,
            enterprise_number,
            outcome: ImportOutcome::Refused,
            reason: Some(reason.clone()),
        });
        self.errors.push(ImportLineError { line, reason });
    }
}

/// The organisation's number of a record, as shown, if its column holds a valid one.
fn shown_number(fields: &[String], at: &[usize; 5]) -> Option<String> {
    let raw = fields.get(at[0])?;
    OrgNumber::parse(raw).ok().map(|n| n.to_string())
}

/// A validated line.
struct Line {
    number: OrgNumber,
    name: String,
    function: String,
    nrn: NationalNumber,
    start_date: String,
}

enum Applied {
    Inserted,
    Updated,
    Unchanged,
}

fn parse_date(input: &str) -> Option<String> {
    let t = input.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// The columns of an extract, in the order [`Line`] reads them.
pub const COLUMNS: [&str; 5] = [
    "enterprise_number",
    "organisation_name",
    "function",
    "national_number",
    "start_date",
];

/// Where each of [`COLUMNS`] is in a record, read from the header (line 1). Column
/// names are compared without case, spaces and `-` as `_`. Never echoes a field that
/// holds a digit: a data line taken for a header may hold a national number.
fn header(fields: &[String]) -> std::result::Result<[usize; 5], String> {
    let expected = COLUMNS.join(";");
    if fields.iter().any(|f| f.chars().any(|c| c.is_ascii_digit())) {
        return Err(format!(
            "line 1 must be a header naming the columns, e.g. {expected}"
        ));
    }
    let mut at = [usize::MAX; 5];
    for (i, raw) in fields.iter().enumerate() {
        let name: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        if name == "name" || name == "nom" || name == "naam" {
            return Err(format!(
                "line 1: column {} `{}` is ambiguous: name it organisation_name (the \
                 organisation's registered name)",
                i + 1,
                raw.trim()
            ));
        }
        let Some(slot) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(format!(
                "line 1: column {} `{}` is unknown (expected {expected})",
                i + 1,
                raw.trim()
            ));
        };
        if at[slot] != usize::MAX {
            return Err(format!("line 1: column `{name}` appears twice"));
        }
        at[slot] = i;
    }
    if let Some(missing) = COLUMNS.iter().zip(at).find(|(_, i)| *i == usize::MAX) {
        return Err(format!(
            "line 1: column `{}` is missing (expected {expected})",
            missing.0
        ));
    }
    Ok(at)
}

fn validate(fields: &[String], at: &[usize; 5]) -> std::result::Result<Line, String> {
    if fields.len() != at.len() {
        return Err(format!(
            "expected {} fields, found {}",
            at.len(),
            fields.len()
        ));
    }
    let f = |i: usize| fields[at[i]].as_str();
    let number = OrgNumber::parse(f(0)).map_err(|e| format!("enterprise number: {e}"))?;
    let name = clean_text(f(1), "organisation name", 200).map_err(|e| e.to_string())?;
    let function = clean_text(f(2), "function", 100).map_err(|e| e.to_string())?;
    let nrn = NationalNumber::parse(f(3)).map_err(|e| format!("national register number: {e}"))?;
    let start_date = parse_date(f(4))
        .ok_or_else(|| "start date: expected YYYY-MM-DD or DD/MM/YYYY".to_owned())?;
    Ok(Line {
        number,
        name,
        function,
        nrn,
        start_date,
    })
}

impl Policy {
    /// Import legal representatives from a register extract (operator only). `nrn_key`
    /// is the deployment's key for national-number hashes (the gateway's).
    pub async fn import_representatives(
        &self,
        actor: &Actor,
        csv_text: &str,
        nrn_key: &[u8],
    ) -> Result<ImportReport> {
        if actor.user_id.is_some() {
            return Err(PolicyError::forbidden(
                "only the platform operator imports the register",
            ));
        }
        let mut records = crate::csv::records(csv_text).into_iter();
        let at = match records.next() {
            None => return Err(PolicyError::Invalid("the extract is empty".to_owned())),
            Some((1, Ok(fields))) => header(&fields).map_err(PolicyError::Invalid)?,
            Some((_, Ok(_))) => {
                return Err(PolicyError::Invalid(
                    "line 1 must be a header naming the columns".to_owned(),
                ));
            }
            Some((_, Err(why))) => {
                return Err(PolicyError::Invalid(format!("line 1 (the header): {why}")));
            }
        };
        let mut report = ImportReport::default();
        for (line_no, record) in records {
            let fields = match record {
                Ok(f) => f,
                Err(why) => {
                    report.lines += 1;
                    report.refuse(line_no, None, why.to_owned());
                    continue;
                }
            };
            report.lines += 1;
            let shown = shown_number(&fields, &at);
            let line = match validate(&fields, &at) {
                Ok(l) => l,
                Err(reason) => {
                    report.refuse(line_no, shown, reason);
                    continue;
                }
            };
            match self.apply_line(actor, &line, line_no, nrn_key).await {
                Ok((applied, created, renamed)) => {
                    report.structures_created += usize::from(created);
                    report.structures_renamed += usize::from(renamed);
                    let outcome = match applied {
                        Applied::Inserted => {
                            report.inserted += 1;
                            ImportOutcome::Created
                        }
                        Applied::Updated => {
                            report.updated += 1;
                            ImportOutcome::Changed
                        }
                        Applied::Unchanged => {
                            report.unchanged += 1;
                            ImportOutcome::Unchanged
                        }
                    };
                    report.outcomes.push(ImportLine {
                        line: line_no,
                        enterprise_number: shown,
                        outcome,
                        reason: None,
                    });
                }
                Err(e) => {
                    tracing::warn!(line = line_no, error = %e, "register import: line failed");
                    report.refuse(line_no, shown, e.to_string());
                }
            }
        }
        Ok(report)
    }

    /// Apply one validated line in its own transaction.
    async fn apply_line(
        &self,
        actor: &Actor,
        line: &Line,
        line_no: usize,
        nrn_key: &[u8],
    ) -> Result<(Applied, bool, bool)> {
        let now = self.now_ms();
        let hash = line.nrn.keyed_hash(nrn_key);
        let mut tx = self.begin().await?;
        let (structure, created) = match structure_by_number_on(&mut tx, &line.number).await? {
            Some(s) => (s, false),
            None => (
                insert_structure(&mut tx, &line.number, &line.name, &line.name, now).await?,
                true,
            ),
        };
        if created {
            Audit::record_in(&mut tx, &AuditEvent {
                actor: None,
                action: actions::STRUCTURE_CREATE.to_owned(),
                target: structure.id.0.clone(),
                structure: Some(structure.id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"enterprise_number": structure.enterprise_number, "source": "register import", "line": line_no}),
            }, now).await?;
        }
        let renamed = !created && structure.legal_name != line.name;
        if renamed {
            // The common name follows while it was still the registered name (never
            // changed by the structure's managers).
            sqlx::query(
                "UPDATE policy_structures SET legal_name = $1, \
                 common_name = CASE WHEN common_name = legal_name THEN $1 ELSE common_name END, \
                 pending_since = NULL WHERE id = $2",
            )
            .bind(&line.name)
            .bind(structure.id.as_str())
            .execute(&mut *tx)
            .await?;
            Audit::record_in(&mut tx, &AuditEvent {
                actor: None,
                action: actions::STRUCTURE_RENAME.to_owned(),
                target: structure.id.0.clone(),
                structure: Some(structure.id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"legal_name": line.name, "previous": structure.legal_name, "source": "register import", "line": line_no}),
            }, now).await?;
        }
        let existing: Option<(String,)> = sqlx::query_as(
            "SELECT start_date FROM policy_legal_representatives \
             WHERE structure_id = $1 AND nrn_hash = $2 AND function = $3",
        )
        .bind(structure.id.as_str())
        .bind(hash.as_str())
        .bind(&line.function)
        .fetch_optional(&mut *tx)
        .await?;
        let applied = match existing {
            Some((d,)) if d == line.start_date && renamed => Applied::Updated,
            Some((d,)) if d == line.start_date => Applied::Unchanged,
            Some(_) => {
                sqlx::query(
                    "UPDATE policy_legal_representatives SET start_date = $1, imported_at = $2 \
                     WHERE structure_id = $3 AND nrn_hash = $4 AND function = $5",
                )
                .bind(&line.start_date)
                .bind(now)
                .bind(structure.id.as_str())
                .bind(hash.as_str())
                .bind(&line.function)
                .execute(&mut *tx)
                .await?;
                Applied::Updated
            }
            None => {
                sqlx::query(
                    "INSERT INTO policy_legal_representatives (structure_id, nrn_hash, nrn_masked, \
                     function, start_date, imported_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(structure.id.as_str())
                .bind(hash.as_str())
                .bind(line.nrn.masked())
                .bind(&line.function)
                .bind(&line.start_date)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Applied::Inserted
            }
        };
        if !matches!(applied, Applied::Unchanged) {
            Audit::record_in(&mut tx, &AuditEvent {
                actor: None,
                action: actions::REPRESENTATIVE_IMPORT.to_owned(),
                target: format!("nrn:{}", hash.as_str()),
                structure: Some(structure.id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"line": line_no, "function": line.function, "start_date": line.start_date, "register_name": line.name}),
            }, now).await?;
        }
        if created || renamed {
            record_change(&mut tx, None, now).await?;
        }
        tx.commit().await?;
        if created || renamed {
            self.after_change().await;
        }
        Ok((applied, created, renamed))
    }

    /// The legal representatives of a structure (for its representatives and managers).
    pub async fn representatives(
        &self,
        actor: &Actor,
        structure: &StructureId,
    ) -> Result<Vec<LegalRepresentative>> {
        let mut conn = self.pool().acquire().await?;
        authz::ensure_may_read(&mut conn, actor, structure).await?;
        representatives_on(&mut conn, structure).await
    }

    /// Structures the person legally represents (after their eID login).
    pub async fn represented_structures(&self, user: &UserId) -> Result<Vec<Structure>> {
        let rows: Vec<StructureRow> = sqlx::query_as(&format!(
            "SELECT DISTINCT {STRUCTURE_COLUMNS} FROM policy_structures s \
             JOIN policy_legal_representatives r ON r.structure_id = s.id \
             JOIN policy_identities i ON i.nrn_hash = r.nrn_hash \
             WHERE i.user_id = $1 ORDER BY s.common_name, s.id"
        ))
        .bind(user.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(structure_from_row).collect()
    }
}

async fn representatives_on(
    conn: &mut AnyConnection,
    structure: &StructureId,
) -> Result<Vec<LegalRepresentative>> {
    let rows: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.structure_id, r.nrn_masked, r.nrn_hash, r.function, r.start_date, i.user_id \
         FROM policy_legal_representatives r \
         LEFT JOIN policy_identities i ON i.nrn_hash = r.nrn_hash \
         WHERE r.structure_id = $1 ORDER BY r.function, r.nrn_masked",
    )
    .bind(structure.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(s, masked, hash, function, start_date, user)| LegalRepresentative {
                structure_id: StructureId(s),
                nrn_masked: masked,
                nrn_hash: NrnHash(hash),
                function,
                start_date,
                user_id: user.map(UserId),
            },
        )
        .collect())
}
