//! A fresh PostgreSQL database per test, from the workspace's harness
//! ([`e2e::Postgres`]: `GATEWAY_TEST_PG_URL`, else the local server, else a throwaway
//! cluster). Dropped with the guard.

use e2e::{Postgres, TestDatabase};

pub struct FreshDb {
    pub url: String,
    db: TestDatabase,
}

impl FreshDb {
    pub async fn create() -> Self {
        let server = Postgres::ensure()
            .await
            .expect("PostgreSQL must be reachable (the test script starts one)");
        let db = server.fresh_database().await.expect("create database");
        Self {
            url: db.url.clone(),
            db,
        }
    }

    /// Make the database disappear under running gateways (connections killed).
    pub async fn drop_now(&self) {
        self.db.drop_now().await.expect("drop");
    }
}
