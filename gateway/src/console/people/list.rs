//! The people list: who the caller sees (one row per habilitation, and one for each
//! person attached without any), the filters, the sort.

use std::collections::{BTreeSet, HashMap};

use policy::{ManagerScope, Scope, ServiceId, Subject, UserId};
use serde::{Deserialize, Serialize};

use super::super::view::{self, Ctx};
use crate::error::{HttpError, from_policy};
use crate::i18n::{Lang, t};

const DAY_MS: i64 = 86_400_000;

/// The list's filters, sort and page, as the address carries them (every value text,
/// so that nothing a person types is refused before it is read).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct Filter {
    pub(super) name: String,
    pub(super) service: String,
    pub(super) application: String,
    pub(super) level: String,
    pub(super) ending: String,
    pub(super) expired: String,
    pub(super) sort: String,
    pub(super) dir: String,
    pub(super) page: String,
    pub(super) done: String,
}

impl Filter {
    /// The filters (not the sort nor the page) as a query string.
    pub(super) fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("name", &self.name),
            ("service", &self.service),
            ("application", &self.application),
            ("level", &self.level),
            ("ending", &self.ending),
            ("expired", &self.expired),
        ] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        q.finish()
    }

    pub(super) fn ending_days(&self) -> Option<i64> {
        self.ending
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
    }

    pub(super) fn expired_only(&self) -> bool {
        self.expired == "1"
    }

    pub(super) fn sort_key(&self) -> &'static str {
        COLUMNS
            .iter()
            .map(|(k, _)| *k)
            .find(|k| *k == self.sort)
            .unwrap_or("name")
    }

    pub(super) fn descending(&self) -> bool {
        self.dir == "desc"
    }
}

/// The sortable columns: their key in the address and the catalogue key of their title.
pub(super) const COLUMNS: [(&str, &str); 7] = [
    ("name", "console_col_name"),
    ("attached", "console_col_attached"),
    ("application", "console_col_application"),
    ("level", "console_col_level"),
    ("scope", "console_col_scope"),
    ("until", "console_col_until"),
    ("status", "console_col_status"),
];

#[derive(Debug, Clone, Serialize)]
pub(super) struct GrantView {
    pub(super) id: String,
    pub(super) application: String,
    pub(super) level: String,
    pub(super) label: String,
    pub(super) scope: String,
    pub(super) until: Option<String>,
    #[serde(skip)]
    pub(super) until_ms: Option<i64>,
    #[serde(skip)]
    pub(super) services: Option<Vec<ServiceId>>,
    pub(super) expired: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct Row {
    /// The user id (for the selection), none for a pending holder.
    pub(super) person: Option<String>,
    pub(super) name: String,
    pub(super) pending: bool,
    pub(super) attached: String,
    #[serde(skip)]
    pub(super) attached_to: Option<Scope>,
    pub(super) grant: Option<GrantView>,
    pub(super) status: String,
}

/// Everything the list needs, computed once per request.
pub(super) struct Listing {
    pub(super) rows: Vec<Row>,
    pub(super) lang: Lang,
    pub(super) scope: ManagerScope,
    pub(super) main_manager: bool,
    pub(super) structure: policy::Structure,
    pub(super) services: Vec<policy::Service>,
}

/// The rows the caller may see: one per habilitation, and one for each person attached
/// without any.
pub(super) async fn listing(
    cx: &Ctx<'_>,
) -> Result<Result<Listing, policy::PolicyError>, HttpError> {
    let (app, actor, id) = (cx.app, &cx.actor, &cx.id);
    let (structure, scope) = match view::open(app, actor, id).await {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let lang = crate::i18n::person_lang(app, cx.headers, &cx.session.user_id).await?;
    let policy = &app.policy;
    let now = policy.now_ms();
    let members = policy.members(actor, id).await.map_err(from_policy)?;
    let grants = policy.grants_in(actor, id).await.map_err(from_policy)?;
    let all_services = policy.service_names(actor, id).await.map_err(from_policy)?;
    let me = Subject::User(cx.session.user_id.as_str().into());
    let main_manager = policy
        .main_managers(actor, id)
        .await
        .map_err(from_policy)?
        .iter()
        .any(|d| d.subject == me);
    let mut ids: Vec<UserId> = members.iter().map(|m| m.user_id.clone()).collect();
    let mut hashes = Vec::new();
    for g in &grants {
        match &g.holder {
            Subject::User(u) => ids.push(u.clone()),
            Subject::Pending(h) => hashes.push(h),
        }
    }
    let names = view::names(app, ids).await?;
    let masks = policy.masked_numbers(&hashes).await.map_err(from_policy)?;
    let attached: HashMap<&str, &Scope> = members
        .iter()
        .map(|m| (m.user_id.as_str(), &m.scope))
        .collect();
    let mut rows = Vec::new();
    let mut with_grant: BTreeSet<String> = BTreeSet::new();
    for g in &grants {
        let (name, pending) = view::subject_label(&g.holder, &names, &masks);
        let person = match &g.holder {
            Subject::User(u) => Some(u.0.clone()),
            Subject::Pending(_) => None,
        };
        let attached_to = person
            .as_deref()
            .and_then(|p| attached.get(p).map(|s| (*s).clone()));
        let expired = g.valid_until.is_some_and(|u| u <= now);
        if let Some(p) = &person {
            with_grant.insert(p.clone());
        }
        rows.push(Row {
            attached: attached_to
                .as_ref()
                .map(|s| view::scope_text(s, &all_services, lang))
                .unwrap_or_default(),
            attached_to,
            person,
            name,
            pending,
            status: t(
                lang,
                if expired {
                    "console_status_expired"
                } else {
                    "console_status_valid"
                },
            ),
            grant: Some(GrantView {
                id: g.id.0.clone(),
                application: g.right.application.clone(),
                level: g.right.level.clone(),
                label: g.right.label.clone(),
                scope: view::scope_text(&g.scope, &all_services, lang),
                until: g.valid_until.map(view::last_day),
                until_ms: g.valid_until,
                services: match &g.scope {
                    Scope::Structure => None,
                    Scope::Services(l) => Some(l.clone()),
                },
                expired,
            }),
        });
    }
    for m in &members {
        if with_grant.contains(m.user_id.as_str()) {
            continue;
        }
        let (name, _) = view::subject_label(&Subject::User(m.user_id.clone()), &names, &masks);
        rows.push(Row {
            person: Some(m.user_id.0.clone()),
            name,
            pending: false,
            attached: view::scope_text(&m.scope, &all_services, lang),
            attached_to: Some(m.scope.clone()),
            grant: None,
            status: t(lang, "console_status_none"),
        });
    }
    let services = policy
        .services(id)
        .await
        .map_err(from_policy)?
        .into_iter()
        .filter(|sv| match &scope {
            ManagerScope::Whole => true,
            ManagerScope::Services(set) => set.contains(&sv.id),
        })
        .collect();
    Ok(Ok(Listing {
        rows,
        lang,
        scope,
        main_manager,
        structure,
        services,
    }))
}

/// The rows the filters keep, sorted.
pub(super) fn select(mut rows: Vec<Row>, f: &Filter, now: i64) -> Vec<Row> {
    let name = f.name.trim().to_lowercase();
    let service = f.service.trim();
    let application = f.application.trim();
    let level = f.level.trim();
    let ending = f.ending_days();
    let grant_filter =
        !application.is_empty() || !level.is_empty() || ending.is_some() || f.expired_only();
    rows.retain(|r| {
        if !name.is_empty() && !r.name.to_lowercase().contains(&name) {
            return false;
        }
        if !service.is_empty() {
            let sv = ServiceId::from(service);
            let covers = match &r.grant {
                Some(g) => g.services.as_ref().is_none_or(|l| l.contains(&sv)),
                None => match &r.attached_to {
                    Some(Scope::Structure) => true,
                    Some(Scope::Services(l)) => l.contains(&sv),
                    None => false,
                },
            };
            if !covers {
                return false;
            }
        }
        if !grant_filter {
            return true;
        }
        let Some(g) = &r.grant else {
            return false;
        };
        (application.is_empty() || g.application == application)
            && (level.is_empty() || g.level == level)
            && ending.is_none_or(|d| g.until_ms.is_some_and(|u| u > now && u <= now + d * DAY_MS))
            && (!f.expired_only() || g.expired)
    });
    let key = f.sort_key();
    rows.sort_by(|a, b| {
        let ga = a.grant.as_ref();
        let gb = b.grant.as_ref();
        let text = |r: &Row, g: Option<&GrantView>| -> String {
            match key {
                "attached" => r.attached.to_lowercase(),
                "application" => g.map(|g| g.application.clone()).unwrap_or_default(),
                "level" => g.map(|g| g.level.clone()).unwrap_or_default(),
                "scope" => g.map(|g| g.scope.to_lowercase()).unwrap_or_default(),
                "status" => r.status.clone(),
                _ => r.name.to_lowercase(),
            }
        };
        let primary = if key == "until" {
            let until = |g: Option<&GrantView>| g.and_then(|g| g.until_ms).unwrap_or(i64::MAX);
            until(ga).cmp(&until(gb))
        } else {
            text(a, ga).cmp(&text(b, gb))
        };
        let primary = if f.descending() {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| ga.map(|g| g.id.as_str()).cmp(&gb.map(|g| g.id.as_str())))
    });
    rows
}
