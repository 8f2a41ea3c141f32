//! The ALE Schaerbeek's voucher users with their wallets, its providers (one whose type
//! changed), and prestations paid, unpaid, contested and cancelled, as its agent Nicolas
//! Simon records them; and David Lambert, one of its users, who sees his own wallet when
//! he acts as himself, linked with the code Nicolas gives him.

use assertion::ActiveStructure;
use backend_kit::Caller;
use chrono::{Days, NaiveDate};
use vouchers::providers::{ChangeInput, ProviderInput};
use vouchers::userlist::ListQuery;
use vouchers::users::UserInput;
use vouchers::wallet::PurchaseInput;
use vouchers::work::WorkInput;

use super::people::{People, acting_for, as_myself};

fn day(today: NaiveDate, days_ago: u64) -> anyhow::Result<String> {
    Ok(today
        .checked_sub_days(Days::new(days_ago))
        .ok_or_else(|| anyhow::anyhow!("date"))?
        .to_string())
}

fn in_days(today: NaiveDate, days: u64) -> anyhow::Result<String> {
    Ok(today
        .checked_add_days(Days::new(days))
        .ok_or_else(|| anyhow::anyhow!("date"))?
        .to_string())
}

/// A natural person of Schaerbeek, authorized from four months ago for a year.
fn natural(today: NaiveDate, first: &str, last: &str, lang: &str) -> anyhow::Result<UserInput> {
    Ok(UserInput {
        kind: "natural".to_owned(),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        street: Some("Avenue Louis Bertrand 12".to_owned()),
        postcode: Some("1030".to_owned()),
        city: Some("Schaerbeek".to_owned()),
        language: Some(lang.to_owned()),
        valid_from: Some(day(today, 120)?),
        valid_until: Some(in_days(today, 245)?),
        ..UserInput::default()
    })
}

fn provider(
    first: &str,
    last: &str,
    kind: &str,
    cpas: Option<&str>,
    from: String,
) -> ProviderInput {
    ProviderInput {
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        email: None,
        change: ChangeInput {
            effective_from: Some(from),
            provider_type: kind.to_owned(),
            cpas: cpas.map(str::to_owned),
            note: None,
        },
    }
}

/// Write the agency's data, once (nothing when it already has users).
pub(super) async fn seed(
    app: &vouchers::App,
    agency: &ActiveStructure,
    people: &People,
) -> anyhow::Result<()> {
    let a = app.agency();
    let agent: Caller = acting_for(
        &people.who("citizen-14")?,
        "vouchers",
        agency,
        &["read", "modify"],
    );
    if !a
        .list_users(&agent, &ListQuery::default())
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let today = a.today();
    let anne = a
        .register(&agent, &natural(today, "Anne", "Dubois", "fr")?)
        .await?;
    let marc = a
        .register(&agent, &natural(today, "Marc", "Peeters", "nl")?)
        .await?;
    let lucie = a
        .register(&agent, &natural(today, "Lucie", "Fontaine", "fr")?)
        .await?;
    let bakery = a
        .register(
            &agent,
            &UserInput {
                kind: "legal".to_owned(),
                first_name: None,
                last_name: None,
                legal_name: Some("Boulangerie Lambert SRL".to_owned()),
                common_name: Some("Boulangerie Lambert".to_owned()),
                enterprise_number: Some("0456.123.001".to_owned()),
                email: Some("compta@boulangerie-lambert.example".to_owned()),
                ..natural(today, "", "", "fr")?
            },
        )
        .await?;
    let david = a
        .register(&agent, &natural(today, "David", "Lambert", "fr")?)
        .await?;
    for (user, quantity) in [
        (&anne, 10),
        (&marc, 5),
        (&lucie, 3),
        (&bakery, 20),
        (&david, 10),
    ] {
        a.purchase(&agent, &user.id, &PurchaseInput { quantity })
            .await?;
    }
    let paul = a
        .add_provider(
            &agent,
            &provider("Paul", "Renard", "unemployed", None, day(today, 365)?),
        )
        .await?;
    // Sarah was on the social integration income of the CPAS; unemployed for a month.
    let sarah = a
        .add_provider(
            &agent,
            &provider(
                "Sarah",
                "Haddad",
                "integration_income",
                Some("CPAS de Schaerbeek"),
                day(today, 200)?,
            ),
        )
        .await?;
    a.change_provider(
        &agent,
        &sarah.id,
        &ChangeInput {
            effective_from: Some(day(today, 30)?),
            provider_type: "unemployed".to_owned(),
            cpas: None,
            note: Some("Fin du revenu d'intégration, inscrite comme chômeuse complète.".to_owned()),
        },
    )
    .await?;
    a.add_provider(
        &agent,
        &provider("Jean", "Collin", "not_eligible", None, day(today, 60)?),
    )
    .await?;

    let work = |user: &str, provider: &str, days: u64, hours: i64, activity: &str| {
        Ok::<_, anyhow::Error>(WorkInput {
            user_id: user.to_owned(),
            provider_id: provider.to_owned(),
            date: day(today, days)?,
            hours,
            activity: activity.to_owned(),
        })
    };
    // Paid from the wallets.
    for input in [
        work(&anne.id, &paul.id, 20, 3, "gardening")?,
        work(&bakery.id, &sarah.id, 15, 4, "event_help")?,
    ] {
        let w = a.record_work(&agent, &input).await?;
        a.pay_work(&agent, &w.id).await?;
    }
    // Unpaid (the home page counts them).
    a.record_work(&agent, &work(&anne.id, &sarah.id, 10, 2, "childcare")?)
        .await?;
    a.record_work(
        &agent,
        &work(&lucie.id, &paul.id, 5, 2, "administrative_help")?,
    )
    .await?;
    // Contested by the user.
    let w = a
        .record_work(&agent, &work(&marc.id, &paul.id, 8, 2, "small_repairs")?)
        .await?;
    a.contest_work(
        &agent,
        &w.id,
        Some("De dienstverlener is maar één uur gebleven."),
    )
    .await?;
    // Recorded twice by mistake: cancelled.
    let w = a
        .record_work(
            &agent,
            &work(&lucie.id, &paul.id, 5, 2, "administrative_help")?,
        )
        .await?;
    a.cancel_work(&agent, &w.id).await?;
    // David's: Paul gardened for him (paid), Sarah helps with his paperwork (unpaid).
    let w = a
        .record_work(&agent, &work(&david.id, &paul.id, 12, 3, "gardening")?)
        .await?;
    a.pay_work(&agent, &w.id).await?;
    a.record_work(
        &agent,
        &work(&david.id, &sarah.id, 3, 2, "administrative_help")?,
    )
    .await?;
    // Nicolas gives David the code on his user's page; David, logged in as himself,
    // types it on `/me`: his gateway identity is linked to his wallet.
    let code = a.link_code(&agent, &david.id).await?;
    a.link(
        &as_myself(&people.who("citizen-4")?, "vouchers"),
        &code.code,
    )
    .await?;
    Ok(())
}
