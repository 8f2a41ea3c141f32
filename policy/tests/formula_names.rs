//! Organisation and service names that a spreadsheet would run as formulas are refused
//! wherever a structure or a service is created, before they can reach an assertion, a
//! page or an export.

mod common;

use common::*;
use policy::{Actor, PolicyError};

async fn formula_names_are_refused(ctx: Ctx) {
    let p = ctx.policy().await;
    let op = Actor::operator();
    for (i, (legal, common)) in [
        ("=HYPERLINK(\"http://evil.example\",\"x\")", ""),
        ("Acme SA", "+32 cmd"),
        ("-2+3", ""),
        ("Acme SA", "@SUM(A1)"),
        ("\t=1", ""),
        ("Acme SA", "\r=1"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = p
            .create_structure(&op, &be_number(i as u64), legal, common)
            .await;
        assert!(
            matches!(r, Err(PolicyError::Invalid(_))),
            "{legal:?} / {common:?}: {r:?}"
        );
    }
    let s = p
        .create_structure(&op, &be_number(50), "Acme SA", "Acme")
        .await
        .expect("a plain name");
    for (code, label) in [("LGE", "=cmd"), ("-LGE", "Liège"), ("LGE", "@x")] {
        let r = p.create_service(&op, &s.id, code, label).await;
        assert!(
            matches!(r, Err(PolicyError::Invalid(_))),
            "{code:?} / {label:?}: {r:?}"
        );
    }
    p.create_service(&op, &s.id, "LGE", "Liège - centre")
        .await
        .expect("a plain label");
}

db_tests!(formula_names_are_refused);
