//! One storage suite, run against SQLite and PostgreSQL.

mod support;

use gateway::crypto::{Keys, random_id, token_hash};
use gateway::store::login_flows::{self, LoginFlow};
use gateway::store::sessions::{self, Session};
use gateway::store::users::{self, LoginIdentity};
use gateway::store::{Db, keys};

async fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let db = Db::connect(
        &format!("sqlite://{}", dir.path().join("s.db").display()),
        4,
    )
    .await
    .expect("db");
    db.migrate().await.expect("migrate");
    (db, dir)
}

async fn postgres() -> (Db, support::pg::FreshDb) {
    let fresh = support::pg::FreshDb::create().await;
    let db = Db::connect(&fresh.url, 4).await.expect("db");
    db.migrate().await.expect("migrate");
    (db, fresh)
}

fn identity(sub: &str, nrn: Option<&str>) -> LoginIdentity {
    LoginIdentity {
        issuer: "https://idp".to_owned(),
        subject: sub.to_owned(),
        provider: "eid".to_owned(),
        display_name: format!("Person {sub}"),
        email: Some(format!("{sub}@example.be")),
        given_name: None,
        family_name: None,
        nrn_hash: nrn.map(|n| policy::ids::NrnHash(n.to_owned())),
        nrn_masked: nrn.map(|_| "**.**.**-***.28".to_owned()),
    }
}

async fn suite(db: &Db) {
    // Users: linked by (issuer, subject), and across providers by national number.
    let u1 = users::link_login(db, &identity("s1", Some("h1")), 1)
        .await
        .expect("link");
    let again = users::link_login(db, &identity("s1", Some("h1")), 2)
        .await
        .expect("link");
    assert_eq!(u1.id, again.id);
    let mut other_idp = identity("other-sub", Some("h1"));
    other_idp.issuer = "https://company-sso".to_owned();
    let same_person = users::link_login(db, &other_idp, 3).await.expect("link");
    assert_eq!(same_person.id, u1.id);
    let u2 = users::link_login(db, &identity("s2", None), 4)
        .await
        .expect("link");
    assert_ne!(u2.id, u1.id);
    assert_eq!(
        users::find_by_email(db, "S2@EXAMPLE.BE")
            .await
            .expect("email")
            .len(),
        1
    );
    assert!(
        users::find_by_nrn(db, &policy::ids::NrnHash("h1".to_owned()))
            .await
            .expect("nrn")
            .is_some()
    );

    // Sessions.
    let s = Session {
        token_hash: token_hash("tok"),
        sid: random_id(),
        user_id: u1.id.clone(),
        display_name: "Person s1".to_owned(),
        provider: Some("eid".to_owned()),
        idp_issuer: Some("https://idp".to_owned()),
        idp_subject: Some("s1".to_owned()),
        idp_sid: Some("idp-sid-1".to_owned()),
        acr: "high".to_owned(),
        amr: vec!["eid".to_owned()],
        structure_id: None,
        myself: false,
        services: vec![],
        created_at: 1000,
        last_seen_at: 1000,
        expires_at: 100_000,
        user_agent: Some("ua".to_owned()),
        ip: Some("127.0.0.1".to_owned()),
    };
    sessions::insert(db, &s).await.expect("insert");
    assert_eq!(
        sessions::get(db, &s.token_hash)
            .await
            .expect("get")
            .as_ref(),
        Some(&s)
    );
    sessions::touch(db, &s.token_hash, 2000)
        .await
        .expect("touch");
    sessions::touch(db, &s.token_hash, 1500)
        .await
        .expect("touch never goes back");
    assert_eq!(
        sessions::get(db, &s.token_hash)
            .await
            .expect("get")
            .expect("row")
            .last_seen_at,
        2000
    );
    sessions::set_structure(db, &s.token_hash, Some("st1"), &["svc".to_owned()])
        .await
        .expect("structure");
    let row = sessions::get(db, &s.token_hash)
        .await
        .expect("get")
        .expect("row");
    assert_eq!(row.structure_id.as_deref(), Some("st1"));
    assert_eq!(row.services, vec!["svc".to_owned()]);
    let ended = sessions::delete_by_idp(db, "https://idp", Some("idp-sid-1"), None)
        .await
        .expect("bcl");
    assert_eq!(ended, vec![s.token_hash.clone()]);
    assert!(
        sessions::get(db, &s.token_hash)
            .await
            .expect("get")
            .is_none()
    );
    sessions::insert(db, &s).await.expect("insert again");
    assert_eq!(
        sessions::delete_by_idp(db, "https://idp", None, Some("s1"))
            .await
            .expect("by sub")
            .len(),
        1
    );
    sessions::insert(db, &s).await.expect("insert again");
    assert_eq!(
        sessions::purge_expired(db, 1500, 100).await.expect("purge"),
        1,
        "idle"
    );
    assert!(!sessions::delete(db, &s.token_hash).await.expect("delete"));

    // Login flows are taken once.
    let f = LoginFlow {
        state_hash: token_hash("state"),
        browser_hash: token_hash("browser"),
        provider: "eid".to_owned(),
        nonce: "n".to_owned(),
        pkce_verifier_sealed: "sealed".to_owned(),
        return_to: "/".to_owned(),
        created_at: 1,
        expires_at: 10,
    };
    login_flows::insert(db, &f).await.expect("insert");
    assert!(
        login_flows::take(db, &f.state_hash)
            .await
            .expect("take")
            .is_some()
    );
    assert!(
        login_flows::take(db, &f.state_hash)
            .await
            .expect("take")
            .is_none()
    );

    // Signing keys are sealed at rest and shared.
    let k = Keys::derive(&[3u8; 32]);
    let key = assertion::KeyMaterial::generate(100, 1000);
    keys::insert(db, &k, &key, 2000).await.expect("key");
    let stored: String = sqlx::query_scalar("SELECT sealed_seed FROM signing_keys")
        .fetch_one(&db.pool)
        .await
        .expect("row");
    assert!(!stored.contains(&hex::encode(key.seed.as_ref())));
    let loaded = keys::published(db, &k, 500).await.expect("load");
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].seed.as_ref(), key.seed.as_ref());
    assert!(
        keys::published(db, &Keys::derive(&[4u8; 32]), 500)
            .await
            .is_err(),
        "another secret cannot open it"
    );
    assert_eq!(keys::purge(db, 3000).await.expect("purge"), 1);
}

/// Security keys: several per person, a credential id registered once, removal only
/// by the owner; a ceremony state is taken once (a replay finds nothing), only by its
/// person and purpose, and not after it expired.
async fn webauthn_suite(db: &Db) {
    use gateway::factors::webauthn_store::{self as wk, KeyRow};
    let alice = users::link_login(db, &identity("wa-alice", None), 1)
        .await
        .expect("link");
    let bob = users::link_login(db, &identity("wa-bob", None), 1)
        .await
        .expect("link");
    let key = |id: &str, cred: &str| KeyRow {
        id: id.to_owned(),
        credential_id: cred.to_owned(),
        name: format!("key {id}"),
        credential: "{}".to_owned(),
        created_at: 0,
        last_used_at: None,
    };
    assert!(!wk::has_keys(db, &alice.id).await.expect("has"));
    assert!(
        wk::insert_key(db, &alice.id, &key("k1", "c1"), 10)
            .await
            .expect("insert")
    );
    assert!(
        wk::insert_key(db, &alice.id, &key("k2", "c2"), 11)
            .await
            .expect("insert")
    );
    assert!(
        !wk::insert_key(db, &bob.id, &key("k3", "c1"), 12)
            .await
            .expect("insert"),
        "a credential id belongs to one key"
    );
    let listed = wk::keys(db, &alice.id).await.expect("keys");
    assert_eq!(
        listed.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
        ["k1", "k2"]
    );
    assert!(wk::keys(db, &bob.id).await.expect("keys").is_empty());
    assert!(
        wk::update_key(db, &alice.id, "c1", "{\"n\":2}", 20)
            .await
            .expect("update")
    );
    assert!(
        !wk::update_key(db, &bob.id, "c1", "{}", 20)
            .await
            .expect("update")
    );
    let k1 = &wk::keys(db, &alice.id).await.expect("keys")[0];
    assert_eq!(
        (k1.credential.as_str(), k1.last_used_at),
        ("{\"n\":2}", Some(20))
    );
    assert_eq!(
        wk::delete_key(db, &bob.id, "k1").await.expect("delete"),
        None
    );
    assert_eq!(
        wk::delete_key(db, &alice.id, "k1")
            .await
            .expect("delete")
            .as_deref(),
        Some("key k1")
    );
    assert_eq!(wk::keys(db, &alice.id).await.expect("keys").len(), 1);

    wk::put_state(db, "auth:x", &alice.id, "authenticate", None, "s1", 100)
        .await
        .expect("put");
    // A new ceremony replaces the pending one.
    wk::put_state(db, "auth:x", &alice.id, "authenticate", None, "s2", 100)
        .await
        .expect("put");
    assert!(
        wk::take_state(db, "auth:x", &bob.id, "authenticate", 50)
            .await
            .expect("take")
            .is_none()
    );
    assert!(
        wk::take_state(db, "auth:x", &alice.id, "register", 50)
            .await
            .expect("take")
            .is_none()
    );
    assert_eq!(
        wk::take_state(db, "auth:x", &alice.id, "authenticate", 50)
            .await
            .expect("take"),
        Some(("s2".to_owned(), None))
    );
    assert!(
        wk::take_state(db, "auth:x", &alice.id, "authenticate", 50)
            .await
            .expect("take")
            .is_none(),
        "taken once"
    );
    wk::put_state(db, "reg:y", &alice.id, "register", Some("Blue"), "s3", 100)
        .await
        .expect("put");
    assert!(
        wk::take_state(db, "reg:y", &alice.id, "register", 100)
            .await
            .expect("take")
            .is_none(),
        "expired"
    );
    assert_eq!(wk::purge(db, 100).await.expect("purge"), 1);
}

#[tokio::test]
async fn storage_on_sqlite() {
    let (db, _dir) = sqlite().await;
    suite(&db).await;
    webauthn_suite(&db).await;
}

#[tokio::test]
async fn storage_on_postgres() {
    let (db, _guard) = postgres().await;
    suite(&db).await;
    webauthn_suite(&db).await;
}
