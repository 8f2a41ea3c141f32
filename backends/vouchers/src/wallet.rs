//! Electronic wallets: buying vouchers (numbered, one per hour of work), paying a
//! prestation from the wallet, and invoices for legal persons.
//!
//! Paying is one transaction: the prestation's compare-and-set from `unpaid` to `paid`,
//! the wallet's `balance = balance - n WHERE balance >= n` (which also locks the wallet
//! row, serialising payments from one wallet), and the marking of the n oldest unspent
//! vouchers. A balance can never go negative (the condition, and a CHECK constraint), and
//! a failed payment changes nothing.
//!
//! A purchase by a legal person produces an invoice (numbered without gaps per agency and
//! year) that is mailed through the outbox in the same transaction when an email is known;
//! the invoices of a person whose email becomes known later are mailed then.

use backend_kit::Caller;
use backend_kit::outbox::NewMail;
use chrono::Datelike;
use i18n::Lang;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::OUTBOX;
use crate::agency::{Agency, AgencyError, agency_of, euros};
use crate::users::User;
use crate::work::Work;

/// Most vouchers bought at once.
pub const MAX_PURCHASE: i64 = 1000;

/// A purchase as asked.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PurchaseInput {
    /// Vouchers to buy.
    pub quantity: i64,
}

/// A voucher in a wallet.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Voucher {
    /// Number, unique in the agency.
    pub number: String,
    /// Issued (unix ms).
    pub issued_at: i64,
    /// The prestation it paid.
    pub prestation_id: Option<String>,
    /// When (unix ms).
    pub spent_at: Option<i64>,
}

/// An invoice.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invoice {
    /// Id.
    pub id: String,
    /// Number `YYYY-NNNNN`.
    pub number: String,
    /// The user.
    pub user_id: String,
    /// The purchase.
    pub purchase_id: String,
    /// Date.
    pub issued_on: String,
    /// Vouchers.
    pub quantity: i64,
    /// Unit price (cents).
    pub unit_price_cents: i64,
    /// Total (cents).
    pub total_cents: i64,
    /// Registered name.
    pub legal_name: String,
    /// Common name, shown first.
    pub common_name: Option<String>,
    /// Enterprise number.
    pub enterprise_number: String,
    /// Address.
    pub address: String,
    /// The agency's name.
    pub agency_name: String,
    /// Queued for mailing.
    pub mailed: i64,
}

/// What a purchase produced.
#[derive(Debug, Clone, Serialize)]
pub struct Purchase {
    /// Id.
    pub id: String,
    /// Vouchers bought.
    pub quantity: i64,
    /// First and last voucher numbers.
    pub numbers: (String, String),
    /// Total (cents).
    pub total_cents: i64,
    /// The invoice, for a legal person.
    pub invoice: Option<Invoice>,
    /// Balance after.
    pub balance: i64,
}

const INVOICE_COLUMNS: &str = "id, number, user_id, purchase_id, issued_on, quantity, unit_price_cents, \
    total_cents, legal_name, common_name, enterprise_number, address, agency_name, mailed";

fn voucher_number(year: i32, n: i64) -> String {
    format!("{year}-{n:08}")
}

/// The mail of an invoice, in `lang`.
pub fn invoice_mail(inv: &Invoice, to: Option<String>, lang: Lang) -> NewMail {
    let holder = inv
        .common_name
        .clone()
        .unwrap_or_else(|| inv.legal_name.clone());
    let quantity = inv.quantity.to_string();
    let body = crate::texts::t_args(
        lang,
        "vouchers_mail_invoice_body",
        &[
            ("number", &inv.number),
            ("date", &backend_kit::texts::day(lang, &inv.issued_on)),
            ("agency", &inv.agency_name),
            ("holder", &holder),
            ("legal", &inv.legal_name),
            (
                "enterprise",
                &backend_kit::ids::format_enterprise_number(&inv.enterprise_number),
            ),
            ("address", &inv.address),
            ("quantity", &quantity),
            ("unit", &euros(inv.unit_price_cents)),
            ("total", &euros(inv.total_cents)),
        ],
    );
    NewMail {
        dedup_key: format!("invoice:{}", inv.id),
        recipient: to,
        about: Some(inv.user_id.clone()),
        subject: crate::texts::t_args(
            lang,
            "vouchers_mail_invoice_subject",
            &[("number", &inv.number), ("agency", &inv.agency_name)],
        ),
        body: format!("{body}\n"),
    }
}

/// The language of a user's mails: the one chosen at registration; German, which the
/// catalogues do not have, falls back to French.
pub fn mail_lang(user: &User) -> Lang {
    Lang::from_code(&user.language).unwrap_or(Lang::Fr)
}

/// Queue the not-yet-mailed invoices of `user` (whose email is now known).
pub(crate) async fn mail_pending_invoices(
    conn: &mut sqlx::AnyConnection,
    user: &User,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let pending: Vec<Invoice> = sqlx::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM ale_invoices WHERE user_id = $1 AND mailed = 0 ORDER BY number"
    ))
    .bind(&user.id)
    .fetch_all(&mut *conn)
    .await?;
    for inv in &pending {
        OUTBOX
            .enqueue(
                conn,
                &invoice_mail(inv, user.email.clone(), mail_lang(user)),
                now,
            )
            .await?;
        sqlx::query("UPDATE ale_invoices SET mailed = 1 WHERE id = $1")
            .bind(&inv.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(pending.len())
}

impl Agency {
    /// The user's balance.
    pub async fn balance(&self, user_id: &str) -> Result<i64, AgencyError> {
        let row = sqlx::query("SELECT balance FROM ale_wallets WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("balance")?,
            None => 0,
        })
    }

    /// The user's vouchers, unspent first.
    pub async fn vouchers(&self, user_id: &str) -> Result<Vec<Voucher>, AgencyError> {
        Ok(sqlx::query_as(
            "SELECT number, issued_at, prestation_id, spent_at FROM ale_vouchers WHERE user_id = $1 \
             ORDER BY CASE WHEN prestation_id IS NULL THEN 0 ELSE 1 END, number LIMIT 5000",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Buy vouchers for a user whose authorization covers today.
    pub async fn purchase(
        &self,
        caller: &Caller,
        user_id: &str,
        input: &PurchaseInput,
    ) -> Result<Purchase, AgencyError> {
        let (structure, agency_name) = agency_of(caller)?;
        let user = self.user(caller, user_id).await?;
        if !(1..=MAX_PURCHASE).contains(&input.quantity) {
            return Err(AgencyError::invalid(
                crate::texts::refusal("vouchers_refusal_quantity").with("max", MAX_PURCHASE),
            ));
        }
        let today = self.today();
        if !self.authorized_on(&user.id, today).await? {
            return Err(AgencyError::conflict(
                "not_authorized",
                crate::texts::refusal("vouchers_refusal_not_authorized_today"),
            ));
        }
        let qty = input.quantity;
        let price = self.voucher_price_cents;
        let total = qty * price;
        let now = self.clock.now_ms();
        let purchase_id = backend_kit::db::new_id();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO ale_purchases (id, user_id, quantity, unit_price_cents, total_cents, purchased_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&purchase_id)
        .bind(&user.id)
        .bind(qty)
        .bind(price)
        .bind(total)
        .bind(today.to_string())
        .bind(caller.sub())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let last = Self::next_counter(&mut tx, &format!("voucher:{structure}"), qty).await?;
        let first = last - qty + 1;
        for n in first..=last {
            sqlx::query(
                "INSERT INTO ale_vouchers (id, number, structure_id, user_id, purchase_id, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(backend_kit::db::new_id())
            .bind(voucher_number(today.year(), n))
            .bind(&structure)
            .bind(&user.id)
            .bind(&purchase_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let row = sqlx::query("UPDATE ale_wallets SET balance = balance + $1, updated_at = $2 WHERE user_id = $3 RETURNING balance")
            .bind(qty)
            .bind(now)
            .bind(&user.id)
            .fetch_one(&mut *tx)
            .await?;
        let balance: i64 = row.try_get("balance")?;
        let invoice = if user.is_legal() {
            let n =
                Self::next_counter(&mut tx, &format!("invoice:{structure}:{}", today.year()), 1)
                    .await?;
            let inv = Invoice {
                id: backend_kit::db::new_id(),
                number: format!("{}-{n:05}", today.year()),
                user_id: user.id.clone(),
                purchase_id: purchase_id.clone(),
                issued_on: today.to_string(),
                quantity: qty,
                unit_price_cents: price,
                total_cents: total,
                legal_name: user.legal_name.clone().unwrap_or_default(),
                common_name: user.common_name.clone(),
                enterprise_number: user.enterprise_number.clone().unwrap_or_default(),
                address: user.address(),
                agency_name: agency_name.clone(),
                mailed: i64::from(user.email.is_some()),
            };
            sqlx::query(&format!(
                "INSERT INTO ale_invoices (structure_id, created_at, {INVOICE_COLUMNS}) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
            ))
            .bind(&structure)
            .bind(now)
            .bind(&inv.id)
            .bind(&inv.number)
            .bind(&inv.user_id)
            .bind(&inv.purchase_id)
            .bind(&inv.issued_on)
            .bind(inv.quantity)
            .bind(inv.unit_price_cents)
            .bind(inv.total_cents)
            .bind(&inv.legal_name)
            .bind(&inv.common_name)
            .bind(&inv.enterprise_number)
            .bind(&inv.address)
            .bind(&inv.agency_name)
            .bind(inv.mailed)
            .execute(&mut *tx)
            .await?;
            if let Some(email) = &user.email {
                OUTBOX
                    .enqueue(
                        &mut tx,
                        &invoice_mail(&inv, Some(email.clone()), mail_lang(&user)),
                        now,
                    )
                    .await?;
            }
            Some(inv)
        } else {
            None
        };
        tx.commit().await?;
        Ok(Purchase {
            id: purchase_id,
            quantity: qty,
            numbers: (
                voucher_number(today.year(), first),
                voucher_number(today.year(), last),
            ),
            total_cents: total,
            invoice,
            balance,
        })
    }

    /// Pay an unpaid prestation from its user's wallet: one voucher per hour.
    pub async fn pay_work(&self, caller: &Caller, id: &str) -> Result<Work, AgencyError> {
        let w = self.work(caller, id).await?;
        if w.status != "unpaid" {
            return Err(AgencyError::conflict(
                "illegal_transition",
                crate::texts::refusal("vouchers_refusal_pay_unpaid_only").with("status", &w.status),
            ));
        }
        // The provider is judged by their type on the prestation's date, which an agent
        // may have changed retroactively since it was recorded.
        let day = crate::agency::date(&w.work_date, "date")?;
        self.judge(&w.provider_id, day, w.hours, Some(&w.id))
            .await?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE ale_prestations SET status = 'paid', paid_at = $1, version = version + 1, updated_at = $1 \
             WHERE id = $2 AND version = $3 AND status = 'unpaid'",
        )
        .bind(now)
        .bind(&w.id)
        .bind(w.version)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(AgencyError::conflict(
                "stale",
                crate::texts::refusal("vouchers_refusal_stale"),
            ));
        }
        let debited = sqlx::query(
            "UPDATE ale_wallets SET balance = balance - $1, updated_at = $2 WHERE user_id = $3 AND balance >= $1",
        )
        .bind(w.hours)
        .bind(now)
        .bind(&w.user_id)
        .execute(&mut *tx)
        .await?;
        if debited.rows_affected() != 1 {
            tx.rollback().await?;
            let balance = self.balance(&w.user_id).await?;
            return Err(AgencyError::conflict(
                "insufficient_balance",
                crate::texts::refusal("vouchers_refusal_balance")
                    .with("balance", balance)
                    .with("needed", w.hours),
            ));
        }
        let spent = sqlx::query(
            "UPDATE ale_vouchers SET prestation_id = $1, spent_at = $2 WHERE prestation_id IS NULL AND id IN \
             (SELECT id FROM ale_vouchers WHERE user_id = $3 AND prestation_id IS NULL ORDER BY number LIMIT $4)",
        )
        .bind(&w.id)
        .bind(now)
        .bind(&w.user_id)
        .bind(w.hours)
        .execute(&mut *tx)
        .await?;
        if i64::try_from(spent.rows_affected()).unwrap_or(-1) != w.hours {
            tx.rollback().await?;
            return Err(AgencyError::Db(sqlx::Error::Protocol(
                "wallet balance and vouchers disagree".to_owned(),
            )));
        }
        tx.commit().await?;
        Ok(Work {
            status: "paid".to_owned(),
            paid_at: Some(now),
            version: w.version + 1,
            ..w
        })
    }

    /// The agency's invoices (optionally of one user), newest first.
    pub async fn invoices(
        &self,
        caller: &Caller,
        user_id: Option<&str>,
    ) -> Result<Vec<Invoice>, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        let mut sql = format!("SELECT {INVOICE_COLUMNS} FROM ale_invoices WHERE structure_id = $1");
        if user_id.is_some() {
            sql.push_str(" AND user_id = $2");
        }
        sql.push_str(" ORDER BY number DESC LIMIT 1000");
        let mut q = sqlx::query_as::<_, Invoice>(&sql).bind(&structure);
        if let Some(u) = user_id {
            q = q.bind(u);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// One invoice of the agency.
    pub async fn invoice(&self, caller: &Caller, id: &str) -> Result<Invoice, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        sqlx::query_as(&format!(
            "SELECT {INVOICE_COLUMNS} FROM ale_invoices WHERE id = $1 AND structure_id = $2"
        ))
        .bind(id)
        .bind(&structure)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AgencyError::NotFound(crate::agency::Thing::Invoice))
    }
}
