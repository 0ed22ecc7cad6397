//! Model-based test of the core's decisions: random grants (built-in roles, optional team
//! bindings, optional windows around `now`) on a random org chart, compared against a naive
//! model written here from the rules as stated, with permissions as plain strings.
//!
//! The model shares only data with the core (each built-in role's permission list, the
//! catalog's keys, which roles are read-only and which actions change data); effective
//! permissions, team capping, scopes, relations, four-eyes and the status rules are
//! re-implemented below.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_core::authorize::{self, ExpenseAction, ExpenseFacts};
use outlay_core::catalog::{self, ACTIONS};
use outlay_core::expense::ExpenseStatus;
use outlay_core::role::{self, TeamBinding, BUILTIN_ROLES};
use outlay_core::{
    Grant, GrantId, GrantSpec, MemberId, OrgChart, Principal, Reason, Relation, ResolvedGrant,
    Scope, TeamId, Timestamp,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const NOW: i64 = 1_800_000_000;
const TEAMS: i64 = 3;
const MAX_MEMBERS: usize = 6;

// --- The random world ----------------------------------------------------------------------

/// A grant as generated: times are offsets from `NOW`.
#[derive(Clone, Debug)]
struct GrantCase {
    role: &'static str,
    team: Option<i64>,
    from: Option<i64>,
    until: Option<i64>,
}

#[derive(Clone, Debug)]
struct World {
    /// Member ids, by position: a shuffled `1..=n`.
    ids: Vec<i64>,
    /// Manager of each position: always an earlier position, so the chart is a forest.
    managers: Vec<Option<usize>>,
    teams: Vec<BTreeSet<i64>>,
    actor: usize,
    archived: bool,
    grants: Vec<GrantCase>,
    /// `now` as an offset from `NOW`: lands on, before and after the grants' edges.
    now: i64,
}

fn role_keys() -> Vec<&'static str> {
    BUILTIN_ROLES.iter().map(|r| r.key).collect()
}

fn grant_case() -> impl Strategy<Value = GrantCase> {
    (
        prop::sample::select(role_keys()),
        prop::option::of(1..=TEAMS),
        prop::option::of(-3i64..=3),
        prop::option::of(-3i64..=3),
    )
        .prop_map(|(role, team, from, until)| {
            let binding = BUILTIN_ROLES
                .iter()
                .find(|r| r.key == role)
                .map(|r| r.team_binding)
                .unwrap();
            // Grants as the store keeps them: bindings as the role demands.
            let team = match binding {
                TeamBinding::Never => None,
                TeamBinding::Optional => team,
                TeamBinding::Required => Some(team.unwrap_or(1)),
            };
            GrantCase {
                role,
                team,
                from,
                until,
            }
        })
}

fn world() -> impl Strategy<Value = World> {
    (1usize..=MAX_MEMBERS)
        .prop_flat_map(|n| {
            (
                Just((1..=n as i64).collect::<Vec<_>>()).prop_shuffle(),
                prop::collection::vec(prop::option::of(any::<prop::sample::Index>()), n),
                prop::collection::vec(prop::collection::btree_set(1..=TEAMS, 0..=2), n),
                0..n,
                prop::bool::weighted(0.1),
                prop::collection::vec(grant_case(), 0..=4),
                -2i64..=2,
            )
        })
        .prop_map(|(ids, managers, teams, actor, archived, grants, now)| {
            let managers = managers
                .into_iter()
                .enumerate()
                .map(|(i, m)| if i == 0 { None } else { m.map(|m| m.index(i)) })
                .collect();
            World {
                ids,
                managers,
                teams,
                actor,
                archived,
                grants,
                now,
            }
        })
}

// --- The world as the core sees it ---------------------------------------------------------

fn now(w: &World) -> Timestamp {
    Timestamp(NOW + w.now)
}

fn principal(w: &World) -> Principal {
    let grants = w
        .grants
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let spec = GrantSpec {
                role: g.role.to_string(),
                team: g.team.map(TeamId),
                valid_from: g.from.map(|s| Timestamp(NOW + s)),
                valid_until: g.until.map(|s| Timestamp(NOW + s)),
            };
            let role = role::builtin(g.role).unwrap();
            ResolvedGrant::new(
                Grant {
                    id: GrantId(i as i64 + 1),
                    spec,
                },
                role,
            )
        })
        .collect();
    Principal {
        member: MemberId(w.ids[w.actor]),
        archived: w.archived,
        grants,
    }
}

fn chart(w: &World) -> OrgChart {
    OrgChart::new(
        (0..w.ids.len())
            .map(|i| {
                (
                    MemberId(w.ids[i]),
                    w.managers[i].map(|m| MemberId(w.ids[m])),
                    w.teams[i].iter().map(|t| TeamId(*t)).collect(),
                )
            })
            .collect(),
    )
}

// --- The model -----------------------------------------------------------------------------

const OWN: u8 = 0;
const TEAM: u8 = 1;
const ALL: u8 = 2;

fn rank_of(scope: Scope) -> u8 {
    match scope {
        Scope::Own => OWN,
        Scope::Team => TEAM,
        Scope::All => ALL,
    }
}

/// Every key of the catalog, as served: `expense.view.team`, `member.invite`, ...
fn catalog_keys() -> BTreeSet<String> {
    catalog::catalog().into_iter().map(|p| p.key).collect()
}

/// A permission key split into its action key and scope; unscoped ones reach everything.
fn split(key: &str) -> (String, u8) {
    match key.rsplit_once('.') {
        Some((action, "own")) => (action.to_string(), OWN),
        Some((action, "team")) => (action.to_string(), TEAM),
        Some((action, "all")) => (action.to_string(), ALL),
        _ => (key.to_string(), ALL),
    }
}

struct ModelGrant {
    id: i64,
    role: &'static str,
    team: Option<i64>,
    read_only: bool,
    /// Action key -> widest scope this grant gives it at.
    perms: BTreeMap<String, u8>,
}

struct Model {
    actor: i64,
    archived: bool,
    /// Active grants only.
    grants: Vec<ModelGrant>,
    /// Position of each id, and of each position its manager and teams.
    ids: Vec<i64>,
    managers: Vec<Option<usize>>,
    teams: Vec<BTreeSet<i64>>,
}

impl Model {
    fn new(w: &World) -> Model {
        let keys = catalog_keys();
        let at = NOW + w.now;
        let grants = w
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                !w.archived
                    && g.from.is_none_or(|f| NOW + f <= at)
                    && g.until.is_none_or(|u| at < NOW + u)
            })
            .map(|(i, g)| {
                let role = role::builtin(g.role).unwrap();
                let mut perms: BTreeMap<String, u8> = BTreeMap::new();
                for p in role.permissions.iter() {
                    let key = p.to_string();
                    let (action, mut rank) = split(&key);
                    let scoped = !keys.contains(&action);
                    if g.team.is_some() && scoped && rank == ALL {
                        // A team-bound grant reaches its team at most; no team scope, nothing.
                        if keys.contains(&format!("{action}.team")) {
                            rank = TEAM;
                        } else {
                            continue;
                        }
                    }
                    let e = perms.entry(action).or_insert(rank);
                    *e = (*e).max(rank);
                }
                ModelGrant {
                    id: i as i64 + 1,
                    role: g.role,
                    team: g.team,
                    read_only: role.read_only,
                    perms,
                }
            })
            .collect();
        Model {
            actor: w.ids[w.actor],
            archived: w.archived,
            grants,
            ids: w.ids.clone(),
            managers: w.managers.clone(),
            teams: w.teams.clone(),
        }
    }

    fn pos(&self, id: i64) -> usize {
        self.ids.iter().position(|i| *i == id).unwrap()
    }

    fn relation(&self, target: i64) -> Relation {
        if target == self.actor {
            return Relation::Own;
        }
        // Walk up from the target; the chart is a forest, so this ends.
        let mut cur = self.managers[self.pos(target)];
        while let Some(m) = cur {
            if self.ids[m] == self.actor {
                return Relation::Team;
            }
            cur = self.managers[m];
        }
        let bound: BTreeSet<i64> = self.grants.iter().filter_map(|g| g.team).collect();
        if self.teams[self.pos(target)]
            .iter()
            .any(|t| bound.contains(t))
        {
            return Relation::Team;
        }
        Relation::Other
    }

    fn needed(relation: Relation) -> u8 {
        match relation {
            Relation::Own => OWN,
            Relation::Team => TEAM,
            Relation::Other => ALL,
        }
    }

    fn widest(&self, action: &str) -> Option<u8> {
        self.grants
            .iter()
            .filter_map(|g| g.perms.get(action).copied())
            .max()
    }

    /// Ok with the grants that would each allow it, or the code of the refusal.
    fn check(&self, action: &str, needed: u8, mutates: bool) -> Result<Vec<&ModelGrant>, Refusal> {
        if self.archived {
            return Err(Refusal::Archived);
        }
        let allowing: Vec<&ModelGrant> = self
            .grants
            .iter()
            .filter(|g| g.perms.get(action).is_some_and(|r| *r >= needed))
            .collect();
        if !allowing.is_empty() {
            return Ok(allowing);
        }
        if let Some(held) = self.widest(action) {
            return Err(Refusal::OutOfScope { held, needed });
        }
        if mutates && self.grants.iter().any(|g| g.read_only) {
            return Err(Refusal::ReadOnly);
        }
        Err(Refusal::NoPermission)
    }

    fn expense(
        &self,
        action: ExpenseAction,
        owner: i64,
        status: ExpenseStatus,
    ) -> Result<Vec<&ModelGrant>, Refusal> {
        use ExpenseAction::*;
        use ExpenseStatus::*;
        if self.archived {
            return Err(Refusal::Archived);
        }
        let deciding = matches!(action, Approve | Reject);
        if deciding && owner == self.actor {
            return Err(Refusal::FourEyes);
        }
        let key = match action {
            View => "expense.view",
            Edit => "expense.edit",
            Delete => "expense.delete",
            Submit => "expense.submit",
            Approve | Reject => "expense.approve",
        };
        let allowing = self.check(key, Self::needed(self.relation(owner)), action != View)?;
        let ok = match action {
            View => true,
            Edit | Delete => {
                if status == Approved {
                    return Err(Refusal::ApprovedImmutable);
                }
                matches!(status, Draft | Rejected)
            }
            Submit => matches!(status, Draft | Rejected),
            Approve | Reject => status == Submitted,
        };
        if ok {
            Ok(allowing)
        } else {
            Err(Refusal::WrongStatus)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    Archived,
    NoPermission,
    OutOfScope { held: u8, needed: u8 },
    ReadOnly,
    FourEyes,
    ApprovedImmutable,
    WrongStatus,
}

impl Refusal {
    fn code(self) -> &'static str {
        match self {
            Refusal::Archived => "archived",
            Refusal::NoPermission => "no_permission",
            Refusal::OutOfScope { .. } => "out_of_scope",
            Refusal::ReadOnly => "read_only_role",
            Refusal::FourEyes => "four_eyes",
            Refusal::ApprovedImmutable => "approved_immutable",
            Refusal::WrongStatus => "wrong_status",
        }
    }
}

/// Compares one answer of the core with the model's.
fn agree(
    core: &Result<Reason, Reason>,
    model: &Result<Vec<&ModelGrant>, Refusal>,
    action_key: &str,
    what: &str,
) -> Result<(), TestCaseError> {
    match (core, model) {
        (
            Ok(Reason::Granted {
                permission,
                grant,
                role,
                team,
            }),
            Ok(allowing),
        ) => {
            let g = allowing.iter().find(|g| g.id == grant.0);
            let g = match g {
                Some(g) => g,
                None => {
                    return Err(TestCaseError::fail(format!(
                        "{what}: allowed by grant {grant}, which the model says does not allow it"
                    )))
                }
            };
            prop_assert_eq!(&**role, g.role, "{}: role", what);
            prop_assert_eq!(team.map(|t| t.0), g.team, "{}: team", what);
            prop_assert_eq!(permission.action.key(), action_key, "{}: action", what);
            let reported = permission.scope.map(rank_of);
            let expected = permission.scope.and(g.perms.get(action_key).copied());
            prop_assert_eq!(reported, expected, "{}: scope of the grant", what);
            prop_assert_eq!(
                permission.scope.is_some(),
                permission.action.is_scoped(),
                "{}: scoped",
                what
            );
        }
        (Err(reason), Err(refusal)) => {
            prop_assert_eq!(reason.code(), refusal.code(), "{}: {:?}", what, reason);
            if let (
                Reason::OutOfScope { held, needed, .. },
                Refusal::OutOfScope {
                    held: mh,
                    needed: mn,
                },
            ) = (reason, refusal)
            {
                prop_assert_eq!((rank_of(*held), rank_of(*needed)), (*mh, *mn), "{}", what);
            }
            if let Reason::ReadOnlyRole { role, .. } = reason {
                let ro = role::builtin(role).is_some_and(|r| r.read_only);
                prop_assert!(ro, "{}: {} named as read-only", what, role);
            }
        }
        (core, model) => {
            let model = model
                .as_ref()
                .map(|g| g.iter().map(|g| g.id).collect::<Vec<_>>());
            return Err(TestCaseError::fail(format!(
                "{what}: core says {core:?}, model says {model:?}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decisions_agree_with_the_model(w in world()) {
        let p = principal(&w);
        let chart = chart(&w);
        let model = Model::new(&w);
        let now = now(&w);
        let bound = p.bound_teams(now);

        // Raw checks: every catalog action at every needed scope.
        for info in ACTIONS {
            for needed in Scope::ALL {
                let core = p.check(now, info.action, needed);
                let m = model.check(info.key, rank_of(needed), info.mutates);
                agree(&core, &m, info.key, &format!("check {} at {needed}", info.key))?;
            }
            prop_assert_eq!(
                p.reach(now, info.action).map(rank_of),
                model.widest(info.key),
                "reach of {}", info.key
            );
        }

        // Expenses of every member, in every status, for every action.
        for &owner in &w.ids {
            let relation = chart.relation(p.member, &bound, MemberId(owner));
            prop_assert_eq!(relation, model.relation(owner), "relation to {}", owner);
            for status in ExpenseStatus::ALL {
                let facts = ExpenseFacts { owner: MemberId(owner), status };
                let mut buttons = Vec::new();
                for action in ExpenseAction::ALL {
                    let core = authorize::expense(&p, now, action, facts, relation).into_result();
                    let m = model.expense(action, owner, status);
                    let key = action.permission().key();
                    agree(&core, &m, key, &format!("{action:?} {owner}'s {status:?}"))?;
                    if action != ExpenseAction::View && m.is_ok() {
                        buttons.push(action.as_str());
                    }
                }
                prop_assert_eq!(
                    authorize::expense_actions(&p, now, facts, relation),
                    buttons,
                    "buttons on {}'s {:?}", owner, status
                );
            }
        }
    }

    /// The two rules no grant can lift, stated on their own.
    #[test]
    fn four_eyes_and_approved_is_final_hold_for_any_grants(w in world()) {
        let p = principal(&w);
        let now = now(&w);
        for relation in [Relation::Own, Relation::Team, Relation::Other] {
            for action in [ExpenseAction::Approve, ExpenseAction::Reject] {
                for status in ExpenseStatus::ALL {
                    let facts = ExpenseFacts { owner: p.member, status };
                    let d = authorize::expense(&p, now, action, facts, relation);
                    prop_assert!(!d.allowed);
                    if !p.archived {
                        prop_assert_eq!(d.reason, Reason::SelfApproval);
                    }
                }
            }
            for owner in &w.ids {
                let owner = MemberId(*owner);
                for action in [ExpenseAction::Edit, ExpenseAction::Delete] {
                    let facts = ExpenseFacts { owner, status: ExpenseStatus::Approved };
                    prop_assert!(!authorize::expense(&p, now, action, facts, relation).allowed);
                }
            }
        }
    }
}
