//! Seeds the demo companies (Acme, Globex and one per seed preset, defined in the core)
//! into a store, through the store's permit-free seeding writes: the one place in this
//! crate allowed to use them.
#![allow(clippy::disallowed_methods)]

use outlay_core::demo::{self, DemoCompany};
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::money::Money;
use outlay_core::{GrantSpec, MemberId, MemberKind, OrgId, TeamId, Timestamp};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::members::MemberStatus;
use outlay_store::{seed, Store, StoreError};
use std::collections::HashMap;

/// What was seeded: each company and its people's emails with their member ids.
pub struct Seeded {
    pub companies: Vec<SeededCompany>,
}

pub struct SeededCompany {
    pub org: OrgId,
    pub name: &'static str,
    pub preset: &'static str,
    pub people: Vec<(String, MemberId, String)>,
    pub teams: HashMap<&'static str, TeamId>,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("demo data is inconsistent: {0}")]
    Data(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Seeds every demo company in one transaction, reporting progress through `progress`.
pub async fn seed(
    store: &Store,
    now: Timestamp,
    progress: impl Fn(&str),
) -> Result<Seeded, SeedError> {
    // Every demo person shares one published password, so one argon2id hash (off the async
    // threads) serves them all: a salt per person would protect nothing here.
    progress("hashing the demo password (argon2id)");
    let hash = tokio::task::spawn_blocking(|| crate::password::hash(demo::PASSWORD))
        .await
        .map_err(|e| SeedError::Hash(e.to_string()))?
        .map_err(|e| SeedError::Hash(e.to_string()))?;
    let mut hashes = std::iter::repeat(hash);

    let mut tx = store.write(now).await?;
    let mut companies = Vec::new();
    for company in demo::COMPANIES {
        progress(&format!(
            "seeding {} (preset {})",
            company.name, company.preset
        ));
        companies.push(seed_company(&mut tx, company, now, &mut hashes).await?);
    }
    tx.commit().await?;
    Ok(Seeded { companies })
}

async fn seed_company(
    tx: &mut outlay_store::Write,
    company: &'static DemoCompany,
    now: Timestamp,
    hashes: &mut impl Iterator<Item = String>,
) -> Result<SeededCompany, SeedError> {
    let missing = |what: &str| SeedError::Data(format!("{} names unknown {what}", company.name));
    let org = seed::company(tx, company.name, company.preset, "EUR").await?;
    let mut teams = HashMap::new();
    for name in company.teams {
        teams.insert(*name, seed::team(tx, org, name).await?);
    }
    let mut ids: HashMap<&str, MemberId> = HashMap::new();
    let mut people = Vec::new();
    for p in company.people {
        let email = company.email(p);
        let hash = hashes.next().ok_or_else(|| missing("password"))?;
        let person =
            outlay_store::auth::create_person(tx, &email, p.name, Some(&hash), now).await?;
        let member = seed::member(
            tx,
            org,
            &outlay_store::members::NewMember {
                person,
                name: p.name,
                status: MemberStatus::Active,
                manager: None,
                kind: if p.external {
                    MemberKind::External
                } else {
                    MemberKind::Internal
                },
            },
        )
        .await?;
        ids.insert(p.key, member);
        let mut roles: Vec<String> = p
            .grants
            .iter()
            .map(|(role, team)| match team {
                Some(t) => format!("{role}@{t}"),
                None => role.to_string(),
            })
            .collect();
        if let Some(base) = outlay_core::preset::get(company.preset).and_then(|p| p.base) {
            roles.insert(0, format!("{base} (base)"));
        }
        if p.external {
            roles.push("(external)".to_string());
        }
        people.push((email, member, roles.join(", ")));
    }
    for p in company.people {
        let member = *ids.get(p.key).ok_or_else(|| missing(p.key))?;
        if let Some(m) = p.manager {
            let manager = ids.get(m).ok_or_else(|| missing(m))?;
            seed::move_under(tx, org, member, Some(*manager)).await?;
        }
        for (role, team) in p.grants {
            let team = match team {
                Some(t) => Some(*teams.get(t).ok_or_else(|| missing(t))?),
                None => None,
            };
            let spec = GrantSpec {
                team,
                ..GrantSpec::role(role)
            };
            seed::grant(tx, org, member, &spec).await?;
        }
        for t in p.teams {
            let team = teams.get(t).ok_or_else(|| missing(t))?;
            seed::team_member(tx, org, *team, member).await?;
        }
        let Some(approver) = company.approver_of(p) else {
            continue;
        };
        let approver = *ids.get(approver.key).ok_or_else(|| missing(approver.key))?;
        for e in demo::expenses_of(p) {
            let input = ExpenseInput {
                money: Money::new(e.amount_minor, e.currency)
                    .map_err(|err| SeedError::Data(err.to_string()))?,
                merchant: e.merchant.to_string(),
                spent_on: e.spent_on.to_string(),
                category: e.category.to_string(),
                note: None,
                trip_id: None,
            };
            let decided_by = match e.status {
                ExpenseStatus::Approved => Some((approver, None)),
                ExpenseStatus::Rejected => Some((approver, Some("receipt missing"))),
                _ => None,
            };
            seed::expense(tx, org, member, &input, e.status, decided_by).await?;
        }
    }
    tx.audit(NewEvent {
        org,
        at: now,
        actor_member: None,
        actor_person: None,
        action: "demo.seed",
        target: &format!("org:{}", org.0),
        outcome: Outcome::Allowed,
        reason: "demo",
        detail: serde_json::json!({"people": company.people.len()}),
    })
    .await?;
    Ok(SeededCompany {
        org,
        name: company.name,
        preset: company.preset,
        people,
        teams,
    })
}
