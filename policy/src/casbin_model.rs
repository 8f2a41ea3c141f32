//! The habilitations as a casbin model (RBAC with domains): the reference semantics of
//! enforcement. The model is `fixtures/habilitations_model.conf`; the currently valid
//! grants compile to its `p` (catalogue) and `g` (grant) lines.
//!
//! The gateway decides with the faster index of [`crate::Policy::decide`]; tests check on
//! random models that both answer the same. Why two: casbin-rs evaluates its matcher (a
//! rhai script) once per `p` line and keeps role links in a general role graph, which
//! costs tens of microseconds per decision and gigabytes for a million grants; the index
//! keeps one person's grants as a sorted array (see `docs/BENCHMARKS.md`).

use std::collections::HashMap;

use casbin::{CoreApi, DefaultModel, Enforcer, MemoryAdapter};

use crate::engine::Policy;
use crate::error::Result;
use crate::index::{CatalogueRight, GrantRow};
use crate::store::enforcement::{load_catalogue, load_grant_rows};

/// The casbin model text (`fixtures/habilitations_model.conf`).
pub const MODEL: &str = include_str!("../fixtures/habilitations_model.conf");

/// Casbin role name of a catalogue right.
pub fn role(application: &str, level: &str) -> String {
    format!("{application}:{level}")
}

/// Casbin domain of a grant: the structure, or one of its services.
pub fn domain(structure: &str, service: Option<&str>) -> String {
    match service {
        Some(s) => format!("{structure}/{s}"),
        None => structure.to_owned(),
    }
}

/// Policy lines for casbin: `p` = (role, application, level) for each catalogue right,
/// `g` = (user, role, domain) for each currently valid grant and service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompiledPolicy {
    /// Permission lines.
    pub p: Vec<Vec<String>>,
    /// Role assignment lines (grants).
    pub g: Vec<Vec<String>>,
}

impl CompiledPolicy {
    pub(crate) fn compile(catalogue: &[CatalogueRight], rows: &[GrantRow], now_ms: i64) -> Self {
        let mut by_id: HashMap<&str, &CatalogueRight> = HashMap::new();
        let mut p = Vec::with_capacity(catalogue.len());
        for r in catalogue {
            by_id.insert(r.id.as_str(), r);
            p.push(vec![
                role(&r.application, &r.level),
                r.application.clone(),
                r.level.clone(),
            ]);
        }
        let mut g: Vec<Vec<String>> = rows
            .iter()
            .filter(|row| row.valid_until.is_none_or(|v| v > now_ms))
            .filter_map(|row| {
                let r = by_id.get(row.right_id.as_str())?;
                Some(vec![
                    row.user.clone(),
                    role(&r.application, &r.level),
                    domain(&row.structure, row.service.as_deref()),
                ])
            })
            .collect();
        g.sort();
        g.dedup();
        Self { p, g }
    }

    /// The lines in casbin's CSV policy format (as in `fixtures/habilitations_policy.csv`).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for (kind, lines) in [("p", &self.p), ("g", &self.g)] {
            for line in lines {
                out.push_str(kind);
                for field in line {
                    out.push_str(", ");
                    out.push_str(field);
                }
                out.push('\n');
            }
        }
        out
    }

    /// A casbin enforcer over these lines with the habilitations model.
    pub async fn enforcer(&self) -> Result<Enforcer> {
        let model = DefaultModel::from_str(MODEL).await?;
        let mut adapter = MemoryAdapter::default();
        use casbin::Adapter;
        if !self.p.is_empty() {
            adapter.add_policies("p", "p", self.p.clone()).await?;
        }
        if !self.g.is_empty() {
            adapter.add_policies("g", "g", self.g.clone()).await?;
        }
        Ok(Enforcer::new(model, adapter).await?)
    }
}

/// The reference decision: may `user` use `application` at `level` in `structure`, for the
/// whole structure (empty `services`) or for each of `services`? Same contract as
/// [`Policy::decide`], answered by casbin.
pub fn casbin_decide(
    enforcer: &Enforcer,
    user: &str,
    structure: &str,
    services: &[String],
    application: &str,
    level: &str,
) -> Result<bool> {
    if enforcer.enforce((user, structure, application, level))? {
        return Ok(true);
    }
    if services.is_empty() {
        return Ok(false);
    }
    for s in services {
        let dom = domain(structure, Some(s));
        if !enforcer.enforce((user, dom.as_str(), application, level))? {
            return Ok(false);
        }
    }
    Ok(true)
}

impl Policy {
    /// Compile the grants valid at `now_ms` (from the database) to casbin policy lines.
    pub async fn compile_casbin(&self, now_ms: i64) -> Result<CompiledPolicy> {
        let mut conn = self.pool().acquire().await?;
        let catalogue = load_catalogue(&mut conn).await?;
        let rows = load_grant_rows(&mut conn, now_ms, None).await?;
        Ok(CompiledPolicy::compile(&catalogue, &rows, now_ms))
    }

    /// A casbin enforcer over the grants valid at `now_ms`.
    pub async fn casbin_enforcer(&self, now_ms: i64) -> Result<Enforcer> {
        self.compile_casbin(now_ms).await?.enforcer().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index;
    use proptest::prelude::*;

    fn catalogue() -> Vec<CatalogueRight> {
        [
            ("r0", "vouchers", "read"),
            ("r1", "vouchers", "modify"),
            ("r2", "invoices", "read"),
        ]
        .iter()
        .map(|(id, a, l)| CatalogueRight {
            id: (*id).to_owned(),
            application: (*a).to_owned(),
            level: (*l).to_owned(),
        })
        .collect()
    }

    /// A grant: user, structure, right, service (per structure), valid_until step.
    fn row() -> impl Strategy<Value = GrantRow> {
        (
            0..4u8,
            0..3u8,
            0..3u8,
            proptest::option::of(0..3u8),
            proptest::option::of(0..5i64),
        )
            .prop_map(|(u, s, r, svc, until)| GrantRow {
                user: format!("u{u}"),
                structure: format!("s{s}"),
                right_id: format!("r{r}"),
                service: svc.map(|v| format!("s{s}-v{v}")),
                valid_until: until.map(|t| t * 1000),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn index_agrees_with_casbin(rows in proptest::collection::vec(row(), 0..40)) {
            let cat = catalogue();
            let idx = index::build(&cat, rows.clone());
            let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
            for now in [0i64, 1000, 2500, 4000, 6000] {
                let enforcer = rt
                    .block_on(CompiledPolicy::compile(&cat, &rows, now).enforcer())
                    .expect("enforcer");
                for u in 0..5 {
                    let user = format!("u{u}");
                    for s in 0..4 {
                        let structure = format!("s{s}");
                        let sv = |v: u8| format!("s{s}-v{v}");
                        let sets: [Vec<String>; 6] = [
                            vec![],
                            vec![sv(0)],
                            vec![sv(1)],
                            vec![sv(0), sv(1)],
                            vec![sv(2), sv(0), sv(1)],
                            vec![format!("s{}-v0", (s + 1) % 3)],
                        ];
                        for svcs in &sets {
                            for app in ["vouchers", "invoices", "other"] {
                                let mut expected = Vec::new();
                                for level in ["read", "modify", "none"] {
                                    let fast = idx.decide(&user, &structure, svcs, app, level, now);
                                    let reference = casbin_decide(&enforcer, &user, &structure, svcs, app, level)
                                        .expect("casbin");
                                    prop_assert_eq!(fast, reference, "{} {} {:?} {}/{} at {}", user, structure, svcs, app, level, now);
                                    if reference {
                                        expected.push(level.to_owned());
                                    }
                                }
                                expected.sort();
                                prop_assert_eq!(idx.rights(&user, &structure, svcs, app, now), expected);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn compiled_lines_match_the_fixture_format() {
        let cat = catalogue();
        let rows = vec![
            GrantRow {
                user: "alice".into(),
                structure: "s-acme".into(),
                right_id: "r1".into(),
                service: None,
                valid_until: None,
            },
            GrantRow {
                user: "bob".into(),
                structure: "s-acme".into(),
                right_id: "r0".into(),
                service: Some("svc-liege".into()),
                valid_until: Some(10),
            },
        ];
        let csv = CompiledPolicy::compile(&cat, &rows, 0).to_csv();
        assert!(csv.contains("p, vouchers:read, vouchers, read\n"));
        assert!(csv.contains("g, alice, vouchers:modify, s-acme\n"));
        assert!(csv.contains("g, bob, vouchers:read, s-acme/svc-liege\n"));
        // Expired at 10: not compiled.
        assert!(
            !CompiledPolicy::compile(&cat, &rows, 10)
                .to_csv()
                .contains("bob")
        );
    }
}
