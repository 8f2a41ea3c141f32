//! The demo's data written into a running gateway's stores (`gateway demo` and the
//! browser tests alike): the access model, the demo's people known by national number
//! before their first login, and the backends' records through their own services.

use crate::state::AppState;

/// Seed `state` and `demo`'s backends with everything the demo shows.
pub async fn seed(state: &AppState, demo: &demo::Demo) -> anyhow::Result<()> {
    demo::seed(&state.policy, state.keys.nrn_key()).await?;
    let people = enrol_people(state).await?;
    demo::data::seed(
        &state.policy,
        state.keys.nrn_key(),
        demo.backends(),
        &people,
    )
    .await
    .map_err(|e| e.context("the demo's backend data"))
}

/// The demo's people known to the gateway before their first login (by their national
/// register number, as an import knows them), so that the backends' data can name them.
async fn enrol_people(state: &AppState) -> anyhow::Result<demo::data::People> {
    let mut people = demo::data::People::default();
    for c in demo::sim_idp::demo_citizens() {
        let number = policy::ids::NationalNumber::parse(&c.rrn)?;
        let id = crate::store::users::enrol(
            &state.db,
            &c.name,
            &number.keyed_hash(state.keys.nrn_key()),
            &number.masked(),
            crate::store::now_ms(),
        )
        .await?;
        people.insert(&c.id, &id);
    }
    Ok(people)
}
