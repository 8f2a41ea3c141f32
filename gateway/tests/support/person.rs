//! A person logged in through the simulated provider, driven as the console, account and
//! API tests drive them: pages as a browser asks for them, forms with (or without, or
//! with another's) CSRF token, JSON calls of the administration API, proxied requests
//! and the organisation switch. One way of doing each, for every test binary.

use policy::UserId;
use reqwest::StatusCode;
use serde_json::Value;

use super::{Env, client, location, login};

/// A logged-in person: their client, session cookie, CSRF token and user id.
pub struct Person {
    pub c: reqwest::Client,
    pub base: String,
    /// The `Cookie` header of their session (`gw_session=...`).
    pub cookie: String,
    pub csrf: String,
    pub id: String,
}

/// What a page or a form answered: status, `Location`, content type and body.
pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub kind: String,
    pub text: String,
}

/// Read `r` whole into an [`Answer`].
pub async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status();
    let location = location(&r);
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = r.text().await.unwrap_or_default();
    Answer {
        status,
        location,
        kind,
        text,
    }
}

impl Person {
    /// Log `citizen` (`citizen-N` of the simulated provider) in and read their CSRF
    /// token and user id from `/admin/api/me`.
    pub async fn login(env: &Env, citizen: &str) -> Self {
        let c = client();
        let session = login(env, &c, citizen).await;
        let mut p = Self {
            c,
            base: env.url.clone(),
            cookie: format!("gw_session={session}"),
            csrf: String::new(),
            id: String::new(),
        };
        let (status, me) = p.api_get("/admin/api/me").await;
        assert_eq!(status, StatusCode::OK, "{me}");
        p.csrf = me["csrf_token"].as_str().expect("csrf").to_owned();
        p.id = me["user_id"].as_str().expect("id").to_owned();
        p
    }

    /// Their user id as the access model types it.
    pub fn user_id(&self) -> UserId {
        UserId::from(self.id.as_str())
    }

    /// A page as a browser asks for it.
    pub async fn page(&self, path: &str) -> Answer {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        answer(r).await
    }

    /// A form posted with this session's CSRF token, as a browser on this site sends it.
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.form_with(path, fields, Some(&self.csrf)).await
    }

    /// A form posted with `csrf` as its token (`None`: no token at all).
    pub async fn form_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        csrf: Option<&str>,
    ) -> Answer {
        let mut all: Vec<(&str, &str)> = csrf.map(|t| ("csrf", t)).into_iter().collect();
        all.extend_from_slice(fields);
        self.raw_form(path, &all, &[]).await
    }

    /// A form posted with exactly these fields and extra headers (`sec-fetch-site` is
    /// `same-origin` unless `headers` names it).
    pub async fn raw_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = self
            .c
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .form(fields);
        if !headers.iter().any(|(k, _)| *k == "sec-fetch-site") {
            req = req.header("sec-fetch-site", "same-origin");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        answer(req.send().await.expect("post")).await
    }

    /// A JSON GET (of the administration API, or proxied): status and body.
    pub async fn api_get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "application/json")
            .send()
            .await
            .expect("get");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A JSON call of the administration API with this session's CSRF header.
    pub async fn api_post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.api_post_with(path, body, Some(&self.csrf)).await
    }

    /// A JSON call of the administration API with `csrf` as its header (`None`: none).
    pub async fn api_post_with(
        &self,
        path: &str,
        body: Value,
        csrf: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .c
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "application/json")
            .json(&body);
        if let Some(t) = csrf {
            req = req.header("x-csrf-token", t);
        }
        let r = req.send().await.expect("post");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The proxy's answer to a GET as an API client: its status.
    pub async fn proxied(&self, path: &str) -> StatusCode {
        self.c
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "application/json")
            .send()
            .await
            .expect("proxied")
            .status()
    }

    /// Act for `structure` (`POST /auth/structure`, or `myself`).
    pub async fn switch(&self, structure: &str) -> StatusCode {
        self.c
            .post(format!("{}/auth/structure", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("accept", "application/json")
            .form(&[("structure_id", structure)])
            .send()
            .await
            .expect("switch")
            .status()
    }
}
