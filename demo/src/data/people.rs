//! The demo's people as the backends know them, and what the assertion would say of them
//! when they act.

use std::collections::HashMap;

use anyhow::Context as _;
use assertion::{Acting, ActiveStructure, Claims};
use backend_kit::Caller;
use policy::Policy;

use crate::sim_idp::demo_citizens;

/// The demo's people as the gateway knows them: citizen id (`citizen-4`) to the gateway's
/// id of that person (the assertion's `sub`).
#[derive(Debug, Clone, Default)]
pub struct People(HashMap<String, String>);

impl People {
    /// Record that `citizen` is `sub` at the gateway.
    pub fn insert(&mut self, citizen: &str, sub: &str) {
        self.0.insert(citizen.to_owned(), sub.to_owned());
    }

    /// `citizen` as the assertion names them: the gateway's id and the name.
    pub fn who(&self, citizen: &str) -> anyhow::Result<Who> {
        let sub = self
            .0
            .get(citizen)
            .with_context(|| format!("{citizen} is not enrolled at the gateway"))?;
        let c = demo_citizens()
            .into_iter()
            .find(|c| c.id == citizen)
            .with_context(|| format!("demo citizen {citizen}"))?;
        Ok(Who {
            sub: sub.clone(),
            name: c.name,
        })
    }
}

/// A person as a backend knows them.
#[derive(Debug, Clone)]
pub struct Who {
    /// The gateway's id.
    pub sub: String,
    /// The name.
    pub name: String,
}

/// What the assertion would say of `who`, for `aud`.
fn claims(who: &Who, aud: &str, structure: Option<&ActiveStructure>, rights: &[&str]) -> Claims {
    Claims {
        iss: "demo-seed".to_owned(),
        aud: aud.to_owned(),
        sub: who.sub.clone(),
        name: who.name.clone(),
        sid: "demo-seed".to_owned(),
        acr: "eidas-substantial".to_owned(),
        amr: vec!["fed".to_owned()],
        iat: 0,
        exp: 0,
        jti: "demo-seed".to_owned(),
        acting: if structure.is_some() {
            Acting::Organisation
        } else {
            Acting::Myself
        },
        structure: structure.cloned(),
        services: Vec::new(),
        rights: rights.iter().map(|r| (*r).to_owned()).collect(),
        shell: None,
    }
}

/// `who` acting for `structure` with `rights` of `aud`.
pub fn acting_for(who: &Who, aud: &str, structure: &ActiveStructure, rights: &[&str]) -> Caller {
    Caller::new(claims(who, aud, Some(structure), rights))
}

/// `who` acting as themselves (read and modify, what the gateway grants there).
pub fn as_myself(who: &Who, aud: &str) -> Caller {
    Caller::new(claims(who, aud, None, &["read", "modify"]))
}

/// A structure of the access model as the assertion names it.
pub async fn structure(p: &Policy, number: &str) -> anyhow::Result<ActiveStructure> {
    let s = p
        .structure_by_number(&policy::ids::OrgNumber::parse(number)?)
        .await?
        .with_context(|| format!("structure {number} (seed the access model first)"))?;
    Ok(ActiveStructure {
        id: s.id.as_str().to_owned(),
        enterprise_number: s.enterprise_number,
        name: s.common_name,
    })
}
