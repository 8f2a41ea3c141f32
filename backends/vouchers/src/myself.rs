//! An ALE user acting as themselves (a private client, `acting: self` in the assertion):
//! their own wallets and prestations, read only.
//!
//! ALE users are registered by an agent with their names, never with a gateway identity,
//! so the link between a user and the person who logs in is made once, with a code: the
//! agent gives a natural person a one-time code (shown once, stored as a SHA-256 hash, 64
//! random bits, valid [`LINK_CODE_DAYS`] days, a new one replacing the old); the person,
//! logged in as themselves, enters it and their gateway `sub` is linked to that user. A
//! person may be linked to users of several agencies. An agent never sees the `sub`, and a
//! person sees only the users linked to them. Legal persons act for their organisation,
//! not as themselves: they get no code.

use backend_kit::Caller;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::agency::{Agency, AgencyError, agency_of};
use crate::wallet::Voucher;
use crate::work::ACTIVITIES;

/// How long a link code stays valid.
pub const LINK_CODE_DAYS: i64 = 30;

/// A code as given to the person, and until when it works.
#[derive(Debug, Clone, Serialize)]
pub struct LinkCode {
    /// `XXXX-XXXX-XXXX-XXXX` (hexadecimal; case, spaces and dashes ignored when typed).
    pub code: String,
    /// Last day it works (Brussels).
    pub valid_until: String,
}

/// One of the person's prestations, as they see it.
#[derive(Debug, Clone, Serialize)]
pub struct MyWork {
    /// Day.
    pub work_date: String,
    /// Hours (= vouchers).
    pub hours: i64,
    /// Activity code.
    pub activity: String,
    /// What was done.
    pub activity_label: String,
    /// Who did it.
    pub provider_name: String,
    /// `unpaid`, `paid`, `contested`, `cancelled`.
    pub status: String,
}

/// A wallet of the person at one agency.
#[derive(Debug, Clone, Serialize)]
pub struct MyWallet {
    /// The agency.
    pub agency_name: String,
    /// The user's name there.
    pub display_name: String,
    /// Vouchers in the wallet.
    pub balance: i64,
    /// The vouchers, unspent first.
    pub vouchers: Vec<Voucher>,
    /// The prestations, newest first.
    pub prestations: Vec<MyWork>,
}

fn hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

fn myself(caller: &Caller) -> Result<&str, AgencyError> {
    if caller.0.acts_as_self() {
        Ok(caller.sub())
    } else {
        Err(AgencyError::Forbidden(
            crate::texts::refusal("vouchers_refusal_myself_only").into(),
        ))
    }
}

impl Agency {
    /// An agent gives a natural person of the agency a one-time code to see their wallet
    /// online. A new code replaces an unused earlier one.
    pub async fn link_code(&self, caller: &Caller, user_id: &str) -> Result<LinkCode, AgencyError> {
        let (_, agency_name) = agency_of(caller)?;
        let user = self.user(caller, user_id).await?;
        if user.is_legal() {
            return Err(AgencyError::invalid(crate::texts::refusal(
                "vouchers_refusal_legal_no_code",
            )));
        }
        let mut bytes = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let raw = hex::encode_upper(bytes);
        let code = format!(
            "{}-{}-{}-{}",
            &raw[..4],
            &raw[4..8],
            &raw[8..12],
            &raw[12..]
        );
        let now = self.clock.now_ms();
        let expires = now + LINK_CODE_DAYS * 86_400_000;
        sqlx::query(
            "INSERT INTO ale_link_codes (user_id, code_hash, agency_name, expires_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET \
             code_hash = excluded.code_hash, agency_name = excluded.agency_name, \
             expires_at = excluded.expires_at, created_by = excluded.created_by, \
             created_at = excluded.created_at",
        )
        .bind(&user.id)
        .bind(hash(&code))
        .bind(&agency_name)
        .bind(expires)
        .bind(caller.sub())
        .bind(now)
        .execute(&self.pool)
        .await?;
        tracing::info!(user = %user.id, "wallet link code given");
        Ok(LinkCode {
            code,
            valid_until: backend_kit::clock::brussels_date(expires).to_string(),
        })
    }

    /// A person acting as themselves enters their code: their identity is linked to that
    /// user. The code works once.
    pub async fn link(&self, caller: &Caller, code: &str) -> Result<String, AgencyError> {
        let sub = myself(caller)?;
        if code.trim().is_empty() {
            return Err(AgencyError::invalid(crate::texts::refusal(
                "vouchers_refusal_code_empty",
            )));
        }
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "DELETE FROM ale_link_codes WHERE code_hash = $1 AND expires_at >= $2 \
             RETURNING user_id, agency_name",
        )
        .bind(hash(code))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(AgencyError::invalid(crate::texts::refusal(
                "vouchers_refusal_code_unknown",
            )));
        };
        let user_id: String = row.try_get("user_id")?;
        let agency_name: String = row.try_get("agency_name")?;
        sqlx::query(
            "INSERT INTO ale_user_links (user_id, sub, agency_name, linked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET sub = excluded.sub, agency_name = excluded.agency_name, \
             linked_at = excluded.linked_at",
        )
        .bind(&user_id)
        .bind(sub)
        .bind(&agency_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(user = %user_id, "wallet linked to a person");
        Ok(agency_name)
    }

    /// The wallets and prestations of the person acting as themselves.
    pub async fn my_wallets(&self, caller: &Caller) -> Result<Vec<MyWallet>, AgencyError> {
        let sub = myself(caller)?;
        let links = sqlx::query(
            "SELECT l.user_id, l.agency_name, u.first_name, u.last_name FROM ale_user_links l \
             JOIN ale_users u ON u.id = l.user_id WHERE l.sub = $1 ORDER BY l.agency_name, l.user_id",
        )
        .bind(sub)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(links.len());
        for link in &links {
            let user_id: String = link.try_get("user_id")?;
            let first: Option<String> = link.try_get("first_name")?;
            let last: Option<String> = link.try_get("last_name")?;
            let works = sqlx::query(
                "SELECT w.work_date, w.hours, w.activity, w.status, p.first_name, p.last_name \
                 FROM ale_prestations w JOIN ale_providers p ON p.id = w.provider_id \
                 WHERE w.user_id = $1 ORDER BY w.work_date DESC, w.created_at DESC LIMIT 500",
            )
            .bind(&user_id)
            .fetch_all(&self.pool)
            .await?;
            let mut prestations = Vec::with_capacity(works.len());
            for w in &works {
                let activity: String = w.try_get("activity")?;
                let first: String = w.try_get("first_name")?;
                let last: String = w.try_get("last_name")?;
                prestations.push(MyWork {
                    work_date: w.try_get("work_date")?,
                    hours: w.try_get("hours")?,
                    activity_label: ACTIVITIES
                        .iter()
                        .find(|(c, _)| *c == activity)
                        .map_or(activity.clone(), |(_, l)| (*l).to_owned()),
                    activity,
                    provider_name: format!("{first} {last}"),
                    status: w.try_get("status")?,
                });
            }
            out.push(MyWallet {
                agency_name: link.try_get("agency_name")?,
                display_name: format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default())
                    .trim()
                    .to_owned(),
                balance: self.balance(&user_id).await?,
                vouchers: self.vouchers(&user_id).await?,
                prestations,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::hash;

    #[test]
    fn a_code_is_read_whatever_its_spelling() {
        assert_eq!(hash("ABCD-0123-EF45-6789"), hash("abcd 0123 ef45 6789"));
        assert_ne!(hash("ABCD-0123-EF45-6789"), hash("ABCD-0123-EF45-6788"));
    }
}
