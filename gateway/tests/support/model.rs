//! The access model seeded by the platform operator before anyone logs in, as the
//! console, account and API tests set it up: the demo citizens' national numbers, the
//! usual organisations (Acme with its services Liège and Namur, Bolt), levels,
//! designations and grants. Each call expects success.

use policy::ids::{NationalNumber, OrgNumber};
use policy::{Actor, GrantId, RightId, Scope, ServiceId, StructureId, Subject};

use super::{Env, Options};

/// National register numbers of the simulated provider's citizens 1 to 4.
pub const ALICE: &str = "85073003328";
pub const BRUNO: &str = "90021512766";
pub const CHLOE: &str = "78010124512";
pub const DAVID: &str = "02030405613";

/// Enterprise number and names of Acme and Bolt.
pub const ACME: (&str, &str, &str) = ("0200065765", "Acme SA", "Acme");
pub const BOLT: (&str, &str, &str) = ("0403123486", "Bolt SRL", "Bolt");

/// The options of a gateway whose operator is David (`sim:citizen-4`).
pub fn operators() -> Options {
    Options {
        extra_routes: "[admin]\noperators = [\"sim:citizen-4\"]\n".to_owned(),
        ..Options::default()
    }
}

/// The system clock in unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

/// The person with national number `number`, as a designation or grant names them
/// before their first login.
pub fn nrn(env: &Env, number: &str) -> Subject {
    Subject::Pending(
        NationalNumber::parse(number)
            .expect("nrn")
            .keyed_hash(env.state().keys.nrn_key()),
    )
}

/// `levels` of `application` in the catalogue (each labelled `Application / level`,
/// kept when already there); the id of the first.
pub async fn levels(env: &Env, application: &str, levels: &[&str]) -> RightId {
    let p = &env.state().policy;
    let op = Actor::operator();
    let mut name = application.to_owned();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    for level in levels {
        if p.right_by_name(application, level).await.is_err() {
            p.define_right(&op, application, level, &format!("{name} / {level}"))
                .await
                .expect("right");
        }
    }
    let first = levels.first().expect("a level");
    p.right_by_name(application, first).await.expect("right").id
}

/// A structure created by the operator from `(number, legal name, common name)`.
pub async fn structure(env: &Env, (number, legal, common): (&str, &str, &str)) -> StructureId {
    env.state()
        .policy
        .create_structure(
            &Actor::operator(),
            &OrgNumber::parse(number).expect("enterprise number"),
            legal,
            common,
        )
        .await
        .expect("structure")
        .id
}

/// A service of `structure` created by the operator.
pub async fn service(env: &Env, structure: &StructureId, code: &str, name: &str) -> ServiceId {
    env.state()
        .policy
        .create_service(&Actor::operator(), structure, code, name)
        .await
        .expect("service")
        .id
}

/// Acme's services Liège (`LGE`) and Namur (`NAM`).
pub async fn liege_and_namur(env: &Env, acme: &StructureId) -> (ServiceId, ServiceId) {
    (
        service(env, acme, "LGE", "Liège").await,
        service(env, acme, "NAM", "Namur").await,
    )
}

/// `who` (a national number) made a main manager of `structure` by the operator.
pub async fn main_manager(env: &Env, structure: &StructureId, who: &str) {
    env.state()
        .policy
        .designate_main_manager(&Actor::operator(), structure, &nrn(env, who))
        .await
        .expect("main manager");
}

/// `who` made a local manager of `service` by the operator.
pub async fn local_manager(env: &Env, structure: &StructureId, service: &ServiceId, who: &str) {
    env.state()
        .policy
        .designate_local_manager(&Actor::operator(), structure, service, &nrn(env, who))
        .await
        .expect("local manager");
}

/// `right` granted to `who` in `structure` by the operator, on `scope`, until `until`
/// (unix ms; `None`: no end).
pub async fn grant(
    env: &Env,
    structure: &StructureId,
    who: &str,
    right: &RightId,
    scope: Scope,
    until: Option<i64>,
) -> GrantId {
    env.state()
        .policy
        .grant(
            &Actor::operator(),
            &policy::grants::GrantRequest {
                structure: structure.clone(),
                subject: nrn(env, who),
                right: right.clone(),
                scope,
                valid_until: until,
            },
        )
        .await
        .expect("grant")
        .id
}

/// The two organisations the console and API tests share, once Acme (`a`) exists: Acme's
/// services Liège and Namur, Bruno its main manager, Chloé local manager of Liège holding
/// `vouchers/read` there for a day; Bolt (`b`), Alice its main manager, David holding
/// `vouchers/read` on the whole of it (`b_grant`). The `vouchers` levels are `read` and
/// `modify`.
pub struct Organisations {
    pub a: StructureId,
    pub liege: ServiceId,
    pub namur: ServiceId,
    pub b: StructureId,
    pub b_grant: GrantId,
}

/// [`Organisations`] seeded by the operator around Acme (`a`).
pub async fn organisations(env: &Env, a: StructureId) -> Organisations {
    let read = levels(env, "vouchers", &["read", "modify"]).await;
    let (liege, namur) = liege_and_namur(env, &a).await;
    let b = structure(env, BOLT).await;
    main_manager(env, &a, BRUNO).await;
    main_manager(env, &b, ALICE).await;
    local_manager(env, &a, &liege, CHLOE).await;
    let day = Some(now_ms() + 86_400_000);
    let chloe_scope = Scope::Services(vec![liege.clone()]);
    grant(env, &a, CHLOE, &read, chloe_scope, day).await;
    let b_grant = grant(env, &b, DAVID, &read, Scope::Structure, None).await;
    Organisations {
        a,
        liege,
        namur,
        b,
        b_grant,
    }
}
