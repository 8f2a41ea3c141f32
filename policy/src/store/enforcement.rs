//! What enforcement reads from the grant tables: the catalogue and the grants valid at
//! an instant, as rows for the decision index ([`crate::index`]) and the casbin
//! compilation ([`crate::casbin_model`]). [`for_each_grant_row`] hands out borrowed text,
//! so that loading a million grants allocates only what the index keeps.
//!
//! Reading everyone's grants from SQLite, the driver's cost per row (each row copied on
//! its worker thread and sent over a channel, about 3 µs) is most of a full load; there
//! the grants come packed, thousands to a row, by `string_agg` in pages of
//! [`PAGE`] grants ([`Packed`] reads them back). PostgreSQL's driver reads plain rows
//! faster than the server aggregates them, so it reads rows.

use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Connection as _, Row};

use super::placeholders;
use crate::error::{PolicyError, Result};
use crate::index::{CatalogueRight, GrantRow};

/// The whole catalogue.
pub(crate) async fn load_catalogue(conn: &mut AnyConnection) -> Result<Vec<CatalogueRight>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, application, level FROM policy_rights WHERE retired_at IS NULL ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, application, level)| CatalogueRight {
            id,
            application,
            level,
        })
        .collect())
}

/// Grants valid at `now_ms`, one row per grant and service, of everyone or of `users`.
pub(crate) async fn load_grant_rows(
    conn: &mut AnyConnection,
    now_ms: i64,
    users: Option<&[String]>,
) -> Result<Vec<GrantRow>> {
    let mut out = Vec::new();
    for_each_grant_row(
        conn,
        now_ms,
        users,
        |user, structure, right_id, service, valid_until| {
            out.push(GrantRow::of(
                user,
                structure,
                right_id,
                service,
                valid_until,
            ));
        },
    )
    .await?;
    Ok(out)
}

/// Which grants enforcement reads (`$1`: now).
const VALID: &str = "g.revoked_at IS NULL AND g.user_id IS NOT NULL \
     AND (g.valid_until IS NULL OR g.valid_until > $1) \
     AND g.right_id NOT IN (SELECT id FROM policy_rights WHERE retired_at IS NOT NULL)";

/// Stream the grants valid at `now_ms` (one call per grant and service; `service` is
/// `None` for the whole structure) of everyone or of `users`. Two plain queries (whole
/// structure, then per service) rather than one outer join: fewer columns to decode per
/// row on the load path.
pub(crate) async fn for_each_grant_row(
    conn: &mut AnyConnection,
    now_ms: i64,
    users: Option<&[String]>,
    visit: impl FnMut(&str, &str, &str, Option<&str>, Option<i64>),
) -> Result<()> {
    if users.is_none() && !conn.backend_name().eq_ignore_ascii_case("postgresql") {
        return for_each_grant_packed(conn, now_ms, visit).await;
    }
    for_each_grant_plain(conn, now_ms, users, visit).await
}

/// [`for_each_grant_row`] one row per grant and service.
async fn for_each_grant_plain(
    conn: &mut AnyConnection,
    now_ms: i64,
    users: Option<&[String]>,
    mut visit: impl FnMut(&str, &str, &str, Option<&str>, Option<i64>),
) -> Result<()> {
    let mut filter = String::from(VALID);
    if let Some(users) = users {
        if users.is_empty() {
            return Ok(());
        }
        filter.push_str(&format!(
            " AND g.user_id IN ({})",
            placeholders(2, users.len())
        ));
    }
    let whole = format!(
        "SELECT g.user_id, g.structure_id, g.right_id, g.valid_until FROM policy_grants g \
         WHERE g.whole_structure = 1 AND {filter}"
    );
    let per_service = format!(
        "SELECT g.user_id, g.structure_id, g.right_id, g.valid_until, gs.service_id \
         FROM policy_grants g JOIN policy_grant_services gs ON gs.grant_id = g.id \
         WHERE g.whole_structure = 0 AND {filter}"
    );
    for (sql, with_service) in [(whole, false), (per_service, true)] {
        let mut query = sqlx::query(&sql).bind(now_ms);
        for u in users.unwrap_or_default() {
            query = query.bind(u.as_str());
        }
        let mut stream = query.fetch(&mut *conn);
        while let Some(row) = stream.try_next().await? {
            let user: &str = row.try_get(0)?;
            let structure: &str = row.try_get(1)?;
            let right_id: &str = row.try_get(2)?;
            let valid_until: Option<i64> = row.try_get(3)?;
            let service: Option<&str> = if with_service {
                Some(row.try_get(4)?)
            } else {
                None
            };
            visit(user, structure, right_id, service, valid_until);
        }
    }
    Ok(())
}

/// Grants per page of the packed read (a page is one row of about 25 bytes per grant).
const PAGE: i64 = 16_384;

/// [`for_each_grant_row`] for everyone, on SQLite: the same grants, read in pages of
/// [`PAGE`] grants packed into one text each (see [`Packed`] for the format), in `rowid`
/// order, inside one read transaction (one snapshot, as the plain read would give).
async fn for_each_grant_packed(
    conn: &mut AnyConnection,
    now_ms: i64,
    mut visit: impl FnMut(&str, &str, &str, Option<&str>, Option<i64>),
) -> Result<()> {
    const GRANT: &str = "octet_length(g.user_id) || ':' || g.user_id \
         || octet_length(g.structure_id) || ':' || g.structure_id \
         || octet_length(g.right_id) || ':' || g.right_id";
    const UNTIL: &str = "coalesce(g.valid_until, '') || ';'";
    let whole = format!(
        "SELECT count(*), max(k), string_agg(e, '') FROM (\
         SELECT g.rowid AS k, {GRANT} || {UNTIL} AS e FROM policy_grants g \
         WHERE g.rowid > $2 AND g.whole_structure = 1 AND {VALID} \
         ORDER BY g.rowid LIMIT {PAGE})"
    );
    let per_service = format!(
        "SELECT count(*), max(k), string_agg(e, '') FROM (\
         SELECT gs.rowid AS k, {GRANT} || octet_length(gs.service_id) || ':' || gs.service_id \
         || {UNTIL} AS e \
         FROM policy_grant_services gs JOIN policy_grants g ON g.id = gs.grant_id \
         WHERE gs.rowid > $2 AND g.whole_structure = 0 AND {VALID} \
         ORDER BY gs.rowid LIMIT {PAGE})"
    );
    let mut tx = conn.begin().await?;
    for (sql, with_service) in [(whole, false), (per_service, true)] {
        let mut after = i64::MIN;
        loop {
            let row = sqlx::query(&sql)
                .bind(now_ms)
                .bind(after)
                .fetch_one(&mut *tx)
                .await?;
            let count: i64 = row.try_get(0)?;
            if count == 0 {
                break;
            }
            after = row.try_get(1)?;
            let mut page = Packed {
                rest: row.try_get(2)?,
            };
            let mut seen = 0i64;
            while !page.rest.is_empty() {
                let user = page.text()?;
                let structure = page.text()?;
                let right_id = page.text()?;
                let service = if with_service {
                    Some(page.text()?)
                } else {
                    None
                };
                let valid_until = page.until()?;
                visit(user, structure, right_id, service, valid_until);
                seen += 1;
            }
            if seen != count {
                return Err(CORRUPT_PAGE);
            }
            if count < PAGE {
                break;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

const CORRUPT_PAGE: PolicyError = PolicyError::Corrupt("packed grants");

/// A page of packed grants: per grant, its texts each as `<byte length>:<text>` (person,
/// structure, right, then the service for a per-service grant), then the end of
/// validity in decimal (nothing: none) and `;`. Length prefixes rather than separators,
/// so that no id can be misread whatever it contains.
struct Packed<'a> {
    rest: &'a str,
}

impl<'a> Packed<'a> {
    fn text(&mut self) -> Result<&'a str> {
        let (len, rest) = self.rest.split_once(':').ok_or(CORRUPT_PAGE)?;
        let len: usize = len.parse().map_err(|_| CORRUPT_PAGE)?;
        let text = rest.get(..len).ok_or(CORRUPT_PAGE)?;
        self.rest = &rest[len..];
        Ok(text)
    }

    fn until(&mut self) -> Result<Option<i64>> {
        let (digits, rest) = self.rest.split_once(';').ok_or(CORRUPT_PAGE)?;
        self.rest = rest;
        if digits.is_empty() {
            return Ok(None);
        }
        digits.parse().map(Some).map_err(|_| CORRUPT_PAGE)
    }
}

#[cfg(test)]
mod tests {
    use sqlx::any::AnyPoolOptions;

    use super::*;

    const NOW: i64 = 1_000_000;

    async fn exec(conn: &mut AnyConnection, sql: &str) {
        sqlx::query(sql).execute(conn).await.expect(sql);
    }

    async fn collect(conn: &mut AnyConnection, packed: bool) -> Vec<GrantRow> {
        let mut out = Vec::new();
        let push =
            |user: &str, structure: &str, right_id: &str, service: Option<&str>, valid_until| {
                out.push(GrantRow::of(
                    user,
                    structure,
                    right_id,
                    service,
                    valid_until,
                ));
            };
        if packed {
            for_each_grant_packed(conn, NOW, push)
                .await
                .expect("packed");
        } else {
            for_each_grant_plain(conn, NOW, None, push)
                .await
                .expect("plain");
        }
        out.sort_by(|a, b| {
            (
                &a.user,
                &a.structure,
                &a.right_id,
                &a.service,
                a.valid_until,
            )
                .cmp(&(
                    &b.user,
                    &b.structure,
                    &b.right_id,
                    &b.service,
                    b.valid_until,
                ))
        });
        out
    }

    /// The packed read gives exactly the rows of the plain one: over several pages, with
    /// ids holding the format's own characters and multi-byte text, and the same
    /// grants left out (revoked, expired, retired right, pending holder).
    #[tokio::test]
    async fn packed_read_equals_the_plain_read() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/p.db?mode=rwc", dir.path().display());
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("pool");
        crate::store::migrate(&pool).await.expect("migrate");
        let mut conn = pool.acquire().await.expect("conn");
        let n = PAGE * 2 + 7;
        for sql in [
            "INSERT INTO policy_structures (id, number_kind, enterprise_number, legal_name, common_name, created_at) \
             VALUES ('s:1;2', 'be', '1', 'A', 'A', 0), ('é-ß 12:', 'be', '2', 'B', 'B', 0)",
            "INSERT INTO policy_services (id, structure_id, code, label, created_at) \
             VALUES ('v;1:', 's:1;2', 'a', 'a', 0), ('ünï', 'é-ß 12:', 'b', 'b', 0)",
            "INSERT INTO policy_rights (id, application, level, label, created_at) \
             VALUES ('r:1;', 'app', 'read', 'r', 0), ('r2', 'app', 'modify', 'r', 0), \
             ('old', 'app', 'old', 'r', 0)",
            "UPDATE policy_rights SET retired_at = 1 WHERE id = 'old'",
            &format!(
                "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < {n} - 1) \
                 INSERT INTO policy_grants (id, structure_id, right_id, user_id, whole_structure, \
                 valid_until, granted_at, updated_at, revoked_at) \
                 SELECT 'g' || x, CASE WHEN x % 2 = 0 THEN 's:1;2' ELSE 'é-ß 12:' END, \
                 CASE x % 5 WHEN 0 THEN 'r:1;' WHEN 4 THEN 'old' ELSE 'r2' END, \
                 CASE WHEN x % 3 = 0 THEN 'ü:' || (x / 7) ELSE 'u;' || (x / 3) END, x % 4 = 0, \
                 CASE x % 6 WHEN 0 THEN NULL WHEN 1 THEN {NOW} WHEN 2 THEN {NOW} + x ELSE -5 + {NOW} * 2 END, \
                 0, 0, CASE WHEN x % 11 = 0 THEN 1 END FROM c"
            ),
            "INSERT INTO policy_grants (id, structure_id, right_id, nrn_hash, whole_structure, \
             granted_at, updated_at) VALUES ('pending', 's:1;2', 'r2', 'h', 1, 0, 0)",
            "INSERT INTO policy_grant_services (grant_id, service_id) \
             SELECT id, CASE WHEN structure_id = 's:1;2' THEN 'v;1:' ELSE 'ünï' END \
             FROM policy_grants WHERE whole_structure = 0",
        ] {
            exec(&mut conn, sql).await;
        }
        let plain = collect(&mut conn, false).await;
        let packed = collect(&mut conn, true).await;
        assert!(plain.len() as i64 > PAGE, "several pages ({})", plain.len());
        assert!(
            plain
                .iter()
                .any(|r| r.service.is_some() && r.valid_until.is_none())
        );
        assert!(
            plain
                .iter()
                .all(|r| r.right_id != "old" && r.user != "pending")
        );
        assert!(plain.iter().all(|r| r.valid_until.is_none_or(|v| v > NOW)));
        assert_eq!(plain, packed);
        // Through the dispatch, on SQLite, everyone's grants come packed.
        let mut dispatched = 0usize;
        for_each_grant_row(&mut conn, NOW, None, |_, _, _, _, _| dispatched += 1)
            .await
            .expect("dispatch");
        assert_eq!(dispatched, plain.len());
    }

    #[test]
    fn a_damaged_page_is_refused() {
        for bad in [
            "3:ab",
            "x:abc",
            "2:ab",
            "1:a1:b1:c12x;",
            "1:a1:b1:c",
            "1:é1:b1:c;",
        ] {
            let mut p = Packed { rest: bad };
            let read = (|| -> Result<()> {
                p.text()?;
                p.text()?;
                p.text()?;
                p.until()?;
                Ok(())
            })();
            assert!(read.is_err(), "{bad}");
        }
        let mut p = Packed {
            rest: "3:a:b2:é0:5;",
        };
        assert_eq!(p.text().ok(), Some("a:b"));
        assert_eq!(p.text().ok(), Some("é"));
        assert_eq!(p.text().ok(), Some(""));
        assert_eq!(p.until().ok(), Some(Some(5)));
        assert!(p.rest.is_empty());
    }
}
