//! Model-based tests of the core's decisions ("Role model v2").
//!
//! Random companies on every preset (random reporting forests, teams, members with random
//! grants of the preset's roles and sometimes a custom role, bound or unbound, with windows
//! around `now`, caps, `self_issue` and switched-off groups, internal or external, archived or
//! not), random delegations and random requests over the whole catalog. Every decision of
//! `outlay_core::decide` is compared with a reference model written below from the rules as
//! stated, not from the engine's helpers:
//!
//! - scopes `own < direct < team < all`; a target's line is computed here by walking the
//!   reporting forest;
//! - an unbound grant holding an action at widest scope S reaches the own line always, a direct
//!   report if S >= direct, an indirect one if S >= team, anyone else only if S == all, and a
//!   company-wide question (no target) only if the action is company-level or S == all
//!   (unscoped permissions count as `all`);
//! - a grant bound to team T never holds company-level actions; a resource naming a team must
//!   name T; with a target it reaches the holder when it holds the action at exactly `own`, and
//!   members of T when S > own; with no target only a resource of team T, when S > own;
//! - allowed iff ONE active grant (window `from <= now < until`, member not archived) holds the
//!   action at a scope that reaches and is within its caps (`max_amount_minor` for capped
//!   actions: above it, or an expense whose amount is not in the company currency, is
//!   `over_cap`; `self_issue: false` for one's own cards); nothing is merged across grants. When
//!   none does: `over_cap`/`self_issue` if a reaching grant failed its caps (either code, when
//!   several grants failed differently), `out_of_scope` (with the widest scope held and the one
//!   an unbound grant would need) if a grant holds the action, `read_only_role` for a mutation
//!   while a read-only role is active, else `no_permission`;
//! - forbids, in this order: an archived actor; company closed (mutations, and reads unless
//!   `audit.view` is held through an unbound grant); delegation (an archived delegator:
//!   `archived`; else the delegator's grants decide, only for the actions the delegation kind
//!   covers, else `not_delegated`, and only when the actor holds the action themself in some
//!   active grant, at any scope, else `delegate_lacks_action`: a delegation lends reach, never
//!   a verb); an external member never issues cards or sets limits for themself
//!   (`external_no_cards`); four-eyes on decisions about data that the actor or the delegator
//!   owns or had a hand in (created, edited or submitted); then, after an allow, the expense
//!   status rules;
//! - the base role (Pliant's `cardholder`) is held by every member without a grant; external
//!   members never hold `card.view.own`, `transaction.view.own` nor `card.request`.
//!
//! The model shares only data with the core: the catalog (keys, scopes, whether an action
//! changes data or is company-level) and each role's permission set, assignable list and flags.
//!
//! A second property applies random sequences of grant changes and archivals through
//! `outlay_core::invariants` and checks that nobody ever gets (or loses) a role that no grant
//! of its granter lets them assign (listing the role, reaching the member's team when bound,
//! the top role for top-controlled roles, and no cap above the granter's own unless the
//! granter holds the top role), that nobody adds to their own grants, and that the company
//! never loses its last permanent holder of the top role (nor gets a second one where the
//! preset allows only one); it also compares every allow/deny with the model of those rules,
//! for the whole change and for each grant given or taken away asked of `decide` as
//! `role.assign` on its own. A
//! third checks that `Principal::list_scope` lists exactly the targets a decision reaches.
//!
//! Failing cases are not persisted (the minimal case is printed); `PROPTEST_CASES` overrides
//! the number of generated companies (each with 100 requests, or a sequence of changes).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_core::authorize::{
    self, Context, DelegationKind, GrantAsk, GrantFacts, OnBehalf, Request, ResourceRef,
};
use outlay_core::catalog::{
    all_permissions, Action, PermSet, Permission, Resource, Scope, ACTIONS,
};
use outlay_core::decision::{Decision, Reason};
use outlay_core::expense::ExpenseStatus;
use outlay_core::grant::{Grant, GrantOptions, GrantSpec, PermGroup, Timestamp};
use outlay_core::ids::{GrantId, MemberId, TeamId};
use outlay_core::invariants::{self, CustomRoleInput, GrantChange, GrantVia};
use outlay_core::org::{Line, OrgChart, Target};
use outlay_core::preset::{self, Preset};
use outlay_core::principal::{MemberKind, Principal, ResolvedGrant};
use outlay_core::role::{Assignable, Role, RoleBook, TeamBinding};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use std::sync::{Arc, LazyLock};

const NOW: i64 = 1_800_000_000;
/// Team ids grants and resources name; members belong to the first 0 to 3 of them.
const TEAMS: i64 = 3;
/// Decisions checked per generated company: 1_000 companies x 100 requests = 100_000.
const COMPANIES: u32 = 1_000;
const REQUESTS: usize = 100;

// --- The catalog as the model reads it ------------------------------------------------------

/// Scope levels: own 0, direct 1, team 2, all 3. A grant's scopes of one action are a 4-bit
/// mask (own from the lowest bit); an unscoped permission sets the `all` bit.
const OWN: u8 = 0;
const DIRECT: u8 = 1;
const TEAM: u8 = 2;
const ALL: u8 = 3;

fn level(scope: Option<Scope>) -> u8 {
    match scope {
        Some(Scope::Own) => OWN,
        Some(Scope::Direct) => DIRECT,
        Some(Scope::Team) => TEAM,
        Some(Scope::All) | None => ALL,
    }
}

fn mask(scope: Option<Scope>) -> u8 {
    1 << level(scope)
}

/// The widest level in a mask.
fn widest(mask: u8) -> Option<u8> {
    (mask != 0).then(|| 7 - mask.leading_zeros() as u8)
}

/// What the model knows about one action, indexed like `ACTIONS`.
struct Facts {
    key: &'static str,
    mutates: bool,
    company: bool,
    scoped: bool,
    /// About an expense (a request about one names it as its resource kind).
    expense: bool,
}

static FACTS: LazyLock<Vec<Facts>> = LazyLock::new(|| {
    ACTIONS
        .iter()
        .enumerate()
        .map(|(i, info)| {
            assert_eq!(info.action as usize, i, "ACTIONS is in enum order");
            Facts {
                key: info.key,
                mutates: info.mutates,
                company: info.company_level,
                scoped: info.action.is_scoped(),
                expense: info.resource == Resource::Expense,
            }
        })
        .collect()
});

fn idx(key: &str) -> usize {
    FACTS
        .iter()
        .position(|f| f.key == key)
        .unwrap_or_else(|| panic!("`{key}` is not in the catalog"))
}

fn is(a: usize, keys: &[&str]) -> bool {
    keys.contains(&FACTS[a].key)
}

/// Decisions about someone's submission: four-eyes applies.
const DECISIONS: &[&str] = &[
    "expense.approve",
    "expense.override",
    "expense.correct",
    "report.approve",
    "advance.approve",
    "trip.approve",
    "card.request_approve",
    "transfer.approve",
    "payment.approve",
    "time_off.approve",
];
/// Actions `max_amount_minor` caps: setting card limits, and approving (or paying) amounts.
const CAPPED: &[&str] = &[
    "card.issue",
    "card.limits",
    "card.request_approve",
    "expense.approve",
    "expense.override",
    "report.approve",
    "advance.approve",
    "transfer.approve",
    "payment.initiate",
    "payment.approve",
];
/// What `self_issue: false` forbids on one's own cards.
const SELF_ISSUE: &[&str] = &["card.issue", "card.limits"];
/// Requests of one's own, withdrawn by their owner only.
const OWN_REQUESTS: &[&str] = &["advance.request", "trip.create"];
/// What external members never hold: (action, scope mask).
const CARDHOLDING: &[(&str, u8)] = &[
    ("card.view", 1 << OWN),
    ("transaction.view", 1 << OWN),
    ("card.request", 1 << ALL),
];
/// Switched-off groups, in `PermGroup::ALL` order, and the actions each takes away.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "organization_settings",
        &["settings.manage", "billing.manage"],
    ),
    ("accounting_settings", &["accounting.manage"]),
    ("modules", &["module.manage"]),
    ("integrations", &["integration.manage", "api_key.manage"]),
    (
        "card_issuance",
        &["card.issue", "card.limits", "card.request_approve"],
    ),
    ("export", &["export.create", "transaction.review"]),
];
/// What each delegation kind covers.
const DELEGATED_APPROVE: &[&str] = &[
    "expense.view",
    "expense.approve",
    "report.view",
    "report.approve",
    "advance.approve",
    "trip.approve",
    "time_off.approve",
];
const DELEGATED_SUBMIT: &[&str] = &[
    "expense.create",
    "expense.view",
    "expense.edit",
    "expense.submit",
    "report.create",
    "report.view",
    "report.submit",
];

fn covers(kind: DelegationKind, a: usize) -> bool {
    match kind {
        DelegationKind::Approve => is(a, DELEGATED_APPROVE),
        DelegationKind::Submit => is(a, DELEGATED_SUBMIT),
    }
}

/// The status rules of expenses, applied after an allow.
fn status_rule(a: usize, status: ExpenseStatus) -> Option<&'static str> {
    use ExpenseStatus::*;
    let ok = match FACTS[a].key {
        "expense.edit" | "expense.delete" if status == Approved => {
            return Some("approved_immutable")
        }
        "expense.edit" | "expense.delete" | "expense.submit" => matches!(status, Draft | Rejected),
        "expense.approve" => status == Submitted,
        "expense.override" => matches!(status, Approved | Rejected),
        "expense.correct" => status == Approved,
        _ => true,
    };
    (!ok).then_some("wrong_status")
}

// --- Random companies -----------------------------------------------------------------------

#[derive(Clone, Debug)]
struct GrantCase {
    /// A role of the preset (the base role excluded), or the custom role.
    role: Index,
    custom: bool,
    bind: bool,
    team: i64,
    /// Offsets from `NOW`.
    from: Option<i64>,
    until: Option<i64>,
    cap: Option<i64>,
    self_issue: Option<bool>,
    /// Switched-off groups, one bit per entry of `GROUPS`.
    off: u8,
}

#[derive(Clone, Debug)]
struct MemberCase {
    /// An earlier member, so the reporting lines form a forest.
    manager: Option<Index>,
    /// Bits of the teams (of the first `teams`) the member is in.
    teams: u8,
    grants: Vec<GrantCase>,
    external: bool,
    archived: bool,
}

#[derive(Clone, Debug)]
struct CustomCase {
    perms: Vec<Index>,
    read_only: bool,
    assigns: Vec<Index>,
    /// Lists itself as assignable, so its holders may hand it on (top-controlled or not).
    assigns_itself: bool,
}

#[derive(Clone, Debug)]
struct CompanyCase {
    preset: usize,
    /// Member ids by position: a shuffled `1..=n`.
    ids: Vec<i64>,
    teams: i64,
    members: Vec<MemberCase>,
    custom: Option<CustomCase>,
}

fn grant_case() -> impl Strategy<Value = GrantCase> {
    (
        any::<Index>(),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.4),
        1..=TEAMS,
        prop::option::weighted(0.3, -2i64..=2),
        prop::option::weighted(0.3, -2i64..=2),
        prop::option::weighted(0.3, (0i64..=10).prop_map(|x| x * 100)),
        prop::option::weighted(0.3, any::<bool>()),
        prop_oneof![3 => Just(0u8), 1 => 0u8..64],
    )
        .prop_map(
            |(role, custom, bind, team, from, until, cap, self_issue, off)| GrantCase {
                role,
                custom,
                bind,
                team,
                from,
                until,
                cap,
                self_issue,
                off,
            },
        )
}

fn member_case() -> impl Strategy<Value = MemberCase> {
    (
        prop::option::weighted(0.7, any::<Index>()),
        0u8..8,
        prop::collection::vec(grant_case(), 0..=4),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(manager, teams, grants, external, archived)| MemberCase {
            manager,
            teams,
            grants,
            external,
            archived,
        })
}

fn custom_case() -> impl Strategy<Value = CustomCase> {
    (
        prop::collection::vec(any::<Index>(), 1..24),
        prop::bool::weighted(0.2),
        prop::collection::vec(any::<Index>(), 0..3),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(perms, read_only, assigns, assigns_itself)| CustomCase {
            perms,
            read_only,
            assigns,
            assigns_itself,
        })
}

fn company_case(max_members: usize) -> impl Strategy<Value = CompanyCase> {
    (0..preset::all().len(), 2..=max_members, 0..=TEAMS).prop_flat_map(|(preset, n, teams)| {
        (
            Just(preset),
            Just((1..=n as i64).collect::<Vec<_>>()).prop_shuffle(),
            Just(teams),
            prop::collection::vec(member_case(), n),
            prop::option::weighted(0.4, custom_case()),
        )
            .prop_map(|(preset, ids, teams, members, custom)| CompanyCase {
                preset,
                ids,
                teams,
                members,
                custom,
            })
    })
}

/// A member of a built company.
#[derive(Clone, Debug)]
struct Member {
    id: MemberId,
    manager: Option<usize>,
    teams: Vec<TeamId>,
    kind: MemberKind,
    archived: bool,
    /// Stored grants (never the base role).
    grants: Vec<Grant>,
}

#[derive(Clone, Debug)]
struct Company {
    preset: &'static Preset,
    book: RoleBook,
    custom: Option<Role>,
    members: Vec<Member>,
    next_grant: i64,
}

impl Company {
    fn build(case: &CompanyCase) -> Company {
        let preset = &preset::all()[case.preset];
        let custom = case.custom.as_ref().map(|c| custom_role(preset, c));
        let book = RoleBook::new(preset, custom.iter().cloned().collect());
        let mut company = Company {
            preset,
            book,
            custom,
            members: Vec::new(),
            next_grant: 1,
        };
        for (i, m) in case.members.iter().enumerate() {
            let grants = m
                .grants
                .iter()
                .map(|g| {
                    let spec = company.spec(g, false);
                    company.grant(spec)
                })
                .collect();
            company.members.push(Member {
                id: MemberId(case.ids[i]),
                manager: if i == 0 {
                    None
                } else {
                    m.manager.map(|x| x.index(i))
                },
                teams: (0..case.teams)
                    .filter(|t| m.teams & (1 << t) != 0)
                    .map(|t| TeamId(t + 1))
                    .collect(),
                kind: if m.external {
                    MemberKind::External
                } else {
                    MemberKind::Internal
                },
                archived: m.archived,
                grants,
            });
        }
        company
    }

    fn grant(&mut self, spec: GrantSpec) -> Grant {
        let id = GrantId(self.next_grant);
        self.next_grant += 1;
        Grant { id, spec }
    }

    /// The roles random grants are drawn from: the preset's, without the base role unless
    /// `with_base`.
    fn grantable(&self, with_base: bool) -> Vec<&Role> {
        self.preset
            .roles()
            .iter()
            .filter(|r| with_base || Some(&*r.key) != self.preset.base)
            .collect()
    }

    /// A grant as the store keeps it: the team binding as the role demands.
    fn spec(&self, g: &GrantCase, with_base: bool) -> GrantSpec {
        let role = match (&self.custom, g.custom) {
            (Some(c), true) => c,
            _ => {
                let roles = self.grantable(with_base);
                roles[g.role.index(roles.len())]
            }
        };
        let team = match role.team_binding {
            TeamBinding::Never => None,
            TeamBinding::Optional => g.bind.then_some(TeamId(g.team)),
            TeamBinding::Required => Some(TeamId(g.team)),
        };
        let groups = PermGroup::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| g.off & (1 << i) != 0)
            .map(|(_, grp)| grp);
        GrantSpec {
            role: role.key.to_string(),
            team,
            valid_from: g.from.map(|s| Timestamp(NOW + s)),
            valid_until: g.until.map(|s| Timestamp(NOW + s)),
            options: {
                let mut o = GrantOptions::default().with_off(groups);
                o.max_amount_minor = g.cap;
                o.self_issue = g.self_issue;
                o
            },
        }
    }

    fn role(&self, key: &str) -> &Role {
        // From the book, as the store resolves them: custom roles marked top-controlled there.
        self.book
            .all()
            .find(|r| &*r.key == key)
            .unwrap_or_else(|| panic!("no role `{key}`"))
    }

    fn principal(&self, i: usize) -> Principal {
        let m = &self.members[i];
        Principal::load(
            outlay_core::OrgId(1),
            m.id,
            m.archived,
            m.kind,
            m.grants.clone(),
            &self.book,
        )
    }

    fn principals(&self) -> Vec<Principal> {
        (0..self.members.len()).map(|i| self.principal(i)).collect()
    }

    fn chart(&self) -> OrgChart {
        OrgChart::new(
            self.members
                .iter()
                .map(|m| (m.id, m.manager.map(|x| self.members[x].id), m.teams.clone()))
                .collect(),
        )
    }

    /// Where member `t` sits relative to member `p`: walks the reporting forest.
    fn line(&self, p: usize, t: usize) -> Line {
        if p == t {
            return Line::Own;
        }
        let mut up = self.members[t].manager;
        let mut depth = 0;
        while let Some(m) = up {
            if m == p {
                return if depth == 0 {
                    Line::Direct
                } else {
                    Line::Indirect
                };
            }
            up = self.members[m].manager;
            depth += 1;
        }
        Line::Other
    }

    fn target(&self, p: usize, t: usize) -> Target<'_> {
        Target {
            member: self.members[t].id,
            line: self.line(p, t),
            teams: &self.members[t].teams,
        }
    }

    /// What each member's grants give, as the model sees it, the base role first.
    fn model(&self) -> Vec<Vec<MGrant>> {
        self.members
            .iter()
            .map(|m| {
                let base = self.preset.base.map(|b| {
                    let mut g = MGrant::new(&GrantSpec::role(b), GrantId(0), self.role(b), m.kind);
                    g.base = true;
                    g
                });
                base.into_iter()
                    .chain(
                        m.grants
                            .iter()
                            .map(|g| MGrant::new(&g.spec, g.id, self.role(&g.spec.role), m.kind)),
                    )
                    .collect()
            })
            .collect()
    }
}

/// A custom role from random catalog permissions, as `CustomRoleInput` would define it: a
/// role that lists assignable roles holds `role.assign`. Read-only roles assign nothing.
fn custom_role(preset: &'static Preset, c: &CustomCase) -> Role {
    let all: Vec<Permission> = all_permissions().collect();
    let mut permissions = PermSet::EMPTY;
    for i in &c.perms {
        let p = all[i.index(all.len())];
        if !(c.read_only && p.info().mutates) {
            permissions.insert(p);
        }
    }
    let key = "custom_role";
    let mut assignable: Vec<String> = Vec::new();
    if !c.read_only && c.assigns_itself {
        assignable.push(key.to_string());
    }
    if !c.read_only {
        for i in &c.assigns {
            let r = &preset.roles()[i.index(preset.roles().len())];
            if !assignable.iter().any(|k| *k == *r.key) {
                assignable.push(r.key.to_string());
            }
        }
    }
    if !assignable.is_empty() {
        permissions.insert(Permission::unscoped(Action::RoleAssign));
    }
    CustomRoleInput {
        key: key.to_string(),
        name: "Custom".to_string(),
        description: "random catalog permissions".to_string(),
        permissions,
        read_only: c.read_only,
        assignable,
    }
    .into_role()
}

// --- The reference model --------------------------------------------------------------------

/// One grant as the model sees it.
#[derive(Clone, Debug)]
struct MGrant {
    id: GrantId,
    role: Arc<str>,
    base: bool,
    team: Option<TeamId>,
    from: Option<Timestamp>,
    until: Option<Timestamp>,
    /// Per action (catalog index): the scopes held, as a mask.
    held: Vec<u8>,
    read_only: bool,
    cap: Option<i64>,
    self_issue: Option<bool>,
}

impl MGrant {
    fn new(spec: &GrantSpec, id: GrantId, role: &Role, kind: MemberKind) -> MGrant {
        let mut held = vec![0u8; FACTS.len()];
        for p in role.permissions.iter() {
            held[p.action as usize] |= mask(p.scope);
        }
        let off = spec.options.off_bits();
        for (i, (name, keys)) in GROUPS.iter().enumerate() {
            assert_eq!(PermGroup::ALL[i].key(), *name);
            if off & (1 << i) != 0 {
                for k in *keys {
                    held[idx(k)] = 0;
                }
            }
        }
        // A grant bound to a team never holds company-level actions.
        if spec.team.is_some() {
            for (a, f) in FACTS.iter().enumerate() {
                if f.company {
                    held[a] = 0;
                }
            }
        }
        if kind == MemberKind::External {
            for (k, m) in CARDHOLDING {
                held[idx(k)] &= !m;
            }
        }
        MGrant {
            id,
            role: role.key.clone(),
            base: false,
            team: spec.team,
            from: spec.valid_from,
            until: spec.valid_until,
            held,
            read_only: role.read_only,
            cap: spec.options.max_amount_minor,
            self_issue: spec.options.self_issue,
        }
    }

    fn active(&self, member: &Member) -> bool {
        let now = Timestamp(NOW);
        !member.archived && self.from.is_none_or(|f| f <= now) && self.until.is_none_or(|u| now < u)
    }
}

/// One request, by member position and catalog index.
#[derive(Clone, Copy, Debug)]
struct MReq {
    actor: usize,
    action: usize,
    owner: Option<usize>,
    team: Option<TeamId>,
    status: Option<ExpenseStatus>,
    amount: Option<i64>,
    on_behalf: Option<(usize, DelegationKind)>,
    /// A member besides the owner who created, edited or submitted the resource.
    hand: Option<usize>,
    closed: bool,
}

/// What the model expects.
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    /// Allowed, by any of these grants.
    Allowed(Vec<GrantId>),
    /// Denied with one of these codes; for out-of-scope, the widest level held and the
    /// level an unbound grant would need.
    Denied(Vec<&'static str>, Option<(u8, u8)>),
}

fn deny(code: &'static str) -> Expect {
    Expect::Denied(vec![code], None)
}

/// Whether grant `g` of member `holder`, holding action `a` at widest level `s`, reaches the
/// owner (or, with none, the resource's team or the whole company).
fn reaches(
    c: &Company,
    holder: usize,
    g: &MGrant,
    a: usize,
    s: u8,
    owner: Option<usize>,
    team: Option<TeamId>,
) -> bool {
    match g.team {
        None => match owner {
            None => FACTS[a].company || s == ALL,
            Some(o) => match c.line(holder, o) {
                Line::Own => true,
                Line::Direct => s >= DIRECT,
                Line::Indirect => s >= TEAM,
                Line::Other => s == ALL,
            },
        },
        Some(bound) => {
            if FACTS[a].company || team.is_some_and(|t| t != bound) {
                return false;
            }
            match owner {
                None => team == Some(bound) && s > OWN,
                Some(o) => {
                    (o == holder && g.held[a] & (1 << OWN) != 0)
                        || (s > OWN && c.members[o].teams.contains(&bound))
                }
            }
        }
    }
}

fn needed(line: Line) -> u8 {
    match line {
        Line::Own => OWN,
        Line::Direct => DIRECT,
        Line::Indirect => TEAM,
        Line::Other => ALL,
    }
}

fn model_decide(c: &Company, mg: &[Vec<MGrant>], q: &MReq) -> Expect {
    let a = q.action;
    let f = &FACTS[a];
    let actor = &c.members[q.actor];
    if actor.archived {
        return deny("archived");
    }
    if q.closed {
        let audit = mg[q.actor]
            .iter()
            .any(|g| g.active(actor) && g.team.is_none() && g.held[idx("audit.view")] != 0);
        if f.mutates || !audit {
            return deny("company_closed");
        }
    }
    let mut decider = q.actor;
    if let Some((d, kind)) = q.on_behalf {
        if c.members[d].archived {
            return deny("archived");
        }
        if !covers(kind, a) {
            return deny("not_delegated");
        }
        if !mg[q.actor]
            .iter()
            .any(|g| g.active(actor) && g.held[a] != 0)
        {
            return deny("delegate_lacks_action");
        }
        decider = d;
    }
    if actor.kind == MemberKind::External && is(a, SELF_ISSUE) && q.owner == Some(q.actor) {
        return deny("external_no_cards");
    }
    if is(a, DECISIONS) {
        let party = |m: usize| q.owner == Some(m) || q.hand == Some(m);
        if party(q.actor) || q.on_behalf.is_some_and(|(d, _)| party(d)) {
            return deny("four_eyes");
        }
    }
    let dm = &c.members[decider];
    let mut accepted = Vec::new();
    let mut capped = Vec::new();
    let mut missed: Option<u8> = None;
    for g in mg[decider].iter().filter(|g| g.active(dm)) {
        let Some(s) = widest(g.held[a]) else {
            continue;
        };
        if !reaches(c, decider, g, a, s, q.owner, q.team) {
            missed = missed.max(Some(s));
            continue;
        }
        let mut codes = Vec::new();
        if let Some(cap) = g.cap.filter(|_| is(a, CAPPED)) {
            match q.amount {
                Some(amount) if amount > cap => codes.push("over_cap"),
                // An expense's amount not in the company currency cannot be compared with the
                // cap: a capped grant does not decide it.
                None if f.expense => codes.push("over_cap"),
                _ => {}
            }
        }
        if g.self_issue == Some(false) && is(a, SELF_ISSUE) && q.owner == Some(decider) {
            codes.push("self_issue");
        }
        if codes.is_empty() {
            accepted.push(g.id);
        } else {
            capped.extend(codes);
        }
    }
    if !accepted.is_empty() {
        // A request (advance, trip) is withdrawn by its owner only.
        if is(a, OWN_REQUESTS) {
            if let Some(o) = q.owner.filter(|o| *o != decider) {
                let need = needed(c.line(decider, o));
                return Expect::Denied(vec!["out_of_scope"], Some((OWN, need)));
            }
        }
        if let Some(code) = q.status.and_then(|s| status_rule(a, s)) {
            return deny(code);
        }
        return Expect::Allowed(accepted);
    }
    if !capped.is_empty() {
        return Expect::Denied(capped, None);
    }
    if let Some(held) = missed {
        let need = q.owner.map_or(ALL, |o| needed(c.line(decider, o)));
        return Expect::Denied(vec!["out_of_scope"], Some((held, need)));
    }
    if f.mutates && mg[decider].iter().any(|g| g.active(dm) && g.read_only) {
        deny("read_only_role")
    } else {
        deny("no_permission")
    }
}

// --- Property 1: decisions ------------------------------------------------------------------

#[derive(Clone, Debug)]
struct ReqCase {
    actor: Index,
    /// `Some`: an action the deciding member holds in some grant; `None`: `any_action`.
    held_action: Option<Index>,
    any_action: usize,
    /// `Some(None)`: the deciding member's own data.
    owner: Option<Option<Index>>,
    team: Option<i64>,
    status: Option<usize>,
    amount: Option<i64>,
    on_behalf: Option<(Index, bool)>,
    hand: Option<Index>,
    closed: bool,
}

fn req_case() -> impl Strategy<Value = ReqCase> {
    (
        any::<Index>(),
        prop::option::of(any::<Index>()),
        0..ACTIONS.len(),
        prop::option::weighted(0.8, prop::option::weighted(0.75, any::<Index>())),
        prop::option::weighted(0.25, 1..=TEAMS),
        prop::option::weighted(0.4, 0usize..4),
        // On, just below and just above the caps (multiples of 100).
        prop::option::weighted(0.4, (0i64..=12, -1i64..=1).prop_map(|(x, d)| x * 100 + d)),
        prop::option::weighted(0.15, (any::<Index>(), any::<bool>())),
        prop::option::weighted(0.3, any::<Index>()),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(
                actor,
                held_action,
                any_action,
                owner,
                team,
                status,
                amount,
                on_behalf,
                hand,
                closed,
            )| {
                ReqCase {
                    actor,
                    held_action,
                    any_action,
                    owner,
                    team,
                    status,
                    amount,
                    on_behalf,
                    hand,
                    closed,
                }
            },
        )
}

impl ReqCase {
    fn resolve(&self, c: &Company, mg: &[Vec<MGrant>]) -> MReq {
        let n = c.members.len();
        let on_behalf = self.on_behalf.map(|(d, approve)| {
            let kind = if approve {
                DelegationKind::Approve
            } else {
                DelegationKind::Submit
            };
            (d.index(n), kind)
        });
        let actor = self.actor.index(n);
        let decider = on_behalf.map_or(actor, |(d, _)| d);
        let held: Vec<usize> = (0..FACTS.len())
            .filter(|a| mg[decider].iter().any(|g| g.held[*a] != 0))
            .collect();
        let action = match self.held_action {
            Some(i) if !held.is_empty() => held[i.index(held.len())],
            _ => self.any_action,
        };
        MReq {
            actor,
            action,
            owner: self.owner.map(|o| o.map_or(decider, |o| o.index(n))),
            team: self.team.map(TeamId),
            status: self.status.map(|s| ExpenseStatus::ALL[s]),
            amount: self.amount,
            on_behalf,
            hand: self.hand.map(|h| h.index(n)),
            closed: self.closed,
        }
    }
}

fn engine_decide(c: &Company, people: &[Principal], q: &MReq) -> Decision {
    let decider = q.on_behalf.map_or(q.actor, |(d, _)| d);
    let info = &ACTIONS[q.action];
    let hands: Vec<MemberId> = q.hand.map(|h| c.members[h].id).into_iter().collect();
    let req = Request {
        principal: &people[q.actor],
        action: info.action,
        resource: ResourceRef {
            kind: Some(info.resource),
            id: Some(1),
            owner: q.owner.map(|o| c.target(decider, o)),
            team: q.team,
            status: q.status.map(outlay_core::lifecycle::State::of),
            amount_minor: q.amount,
            category: None,
            hands: &hands,
            report: None,
            grant: None,
            approval: None,
        },
        context: Context {
            now: Timestamp(NOW),
            on_behalf_of: q.on_behalf.map(|(d, kind)| OnBehalf {
                delegator: &people[d],
                kind,
            }),
            company_closed: q.closed,
        },
    };
    outlay_core::decide(&req)
}

/// Compares one decision with the model; `Err` describes the disagreement.
fn check(c: &Company, mg: &[Vec<MGrant>], people: &[Principal], q: &MReq) -> Result<(), String> {
    let expect = model_decide(c, mg, q);
    let got = engine_decide(c, people, q);
    let decider = q.on_behalf.map_or(q.actor, |(d, _)| d);
    let fail =
        |why: &str| {
            let member = &c.members[decider];
            let grants: Vec<String> =
                mg[decider]
                    .iter()
                    .map(|g| {
                        format!(
                    "{} `{}` team {:?} {:?}..{:?} cap {:?} self_issue {:?} active {} {:04b}",
                    g.id, g.role, g.team, g.from, g.until, g.cap, g.self_issue,
                    g.active(member), g.held[q.action]
                )
                    })
                    .collect();
            Err(format!(
                "{why}\n  request: {} by member {} (position {}) {q:?}\n  owner line: {:?}\n  \
             model: {expect:?}\n  engine: {got:?} ({got})\n  deciding grants: {grants:#?}",
                FACTS[q.action].key,
                c.members[q.actor].id,
                q.actor,
                q.owner.map(|o| c.line(decider, o)),
            ))
        };
    match (&expect, &got) {
        (Expect::Allowed(ids), Decision::Allowed(g)) => {
            if !ids.contains(&g.grant) {
                return fail("allowed by a grant the model does not accept");
            }
            let Some(m) = mg[decider].iter().find(|x| x.id == g.grant) else {
                return fail("the named grant is not the decider's");
            };
            let held = g.permission.action as usize == q.action
                && g.permission.scope.is_some() == FACTS[q.action].scoped
                && m.held[q.action] & mask(g.permission.scope) != 0;
            if !held {
                return fail("the named permission is not held by the named grant");
            }
            if g.base != m.base || g.team != m.team || g.role != m.role {
                return fail("the named grant's role, team or base flag is wrong");
            }
            if g.on_behalf_of != q.on_behalf.map(|(d, _)| c.members[d].id) {
                return fail("on_behalf_of is wrong");
            }
            Ok(())
        }
        (Expect::Denied(codes, scope), Decision::Denied(r)) => {
            if !codes.contains(&r.code()) {
                return fail("denied for another reason");
            }
            if let (Some((h, n)), Reason::OutOfScope { held, needed, .. }) = (scope, r) {
                if level(Some(*held)) != *h || level(Some(*needed)) != *n {
                    return fail("out_of_scope names the wrong scopes");
                }
            }
            Ok(())
        }
        _ => fail("the engine and the model disagree"),
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(COMPANIES))]

    /// 1_000 companies x 100 requests: the engine agrees with the model on every decision, its
    /// denial code, and the grant it names.
    #[test]
    fn decisions_agree_with_the_model(
        case in company_case(12),
        reqs in prop::collection::vec(req_case(), REQUESTS),
    ) {
        let c = Company::build(&case);
        let mg = c.model();
        let people = c.principals();
        let chart = c.chart();
        for p in 0..c.members.len() {
            for t in 0..c.members.len() {
                prop_assert_eq!(chart.line(c.members[p].id, c.members[t].id), c.line(p, t));
            }
        }
        for r in &reqs {
            let q = r.resolve(&c, &mg);
            if let Err(e) = check(&c, &mg, &people, &q) {
                return Err(TestCaseError::fail(e));
            }
        }
    }

    /// `Principal::list_scope` lists exactly the members a decision reaches: for every active
    /// member, every action they hold and every target, `ListScope::reaches` agrees with "some
    /// single active grant reaches the target" (caps and status aside).
    #[test]
    fn list_scope_is_what_decisions_reach(case in company_case(8)) {
        let c = Company::build(&case);
        let mg = c.model();
        let people = c.principals();
        for (p, grants) in mg.iter().enumerate() {
            for a in 0..FACTS.len() {
                let scope = people[p].list_scope(Timestamp(NOW), ACTIONS[a].action);
                for t in 0..c.members.len() {
                    let model = grants.iter().filter(|g| g.active(&c.members[p])).any(|g| {
                        widest(g.held[a]).is_some_and(|s| reaches(&c, p, g, a, s, Some(t), None))
                    });
                    let engine = scope.as_ref().is_some_and(|s| s.reaches(&c.target(p, t)));
                    prop_assert_eq!(
                        engine, model,
                        "list_scope({}) of member {} over member {} (line {:?}): {:?}; grants {:?}",
                        FACTS[a].key, c.members[p].id, c.members[t].id, c.line(p, t), scope,
                        grants.iter().map(|g| (&g.role, g.team, g.held[a])).collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}

// --- Property 2: grant changes --------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Add(GrantCase),
    Remove(Index),
    Rewindow(Index, Option<i64>, Option<i64>),
    Archive,
}

#[derive(Clone, Debug)]
struct Step {
    /// `true`: the actor is drawn among members whose grants assign something.
    assigner: bool,
    actor: Index,
    target: Index,
    op: Op,
    closed: bool,
}

fn step() -> impl Strategy<Value = Step> {
    let op = prop_oneof![
        4 => grant_case().prop_map(Op::Add),
        3 => any::<Index>().prop_map(Op::Remove),
        2 => (
            any::<Index>(),
            prop::option::of(-2i64..=2),
            prop::option::of(-2i64..=3)
        )
            .prop_map(|(i, f, u)| Op::Rewindow(i, f, u)),
        1 => Just(Op::Archive),
    ];
    (
        prop::bool::weighted(0.7),
        any::<Index>(),
        any::<Index>(),
        op,
        prop::bool::weighted(0.05),
    )
        .prop_map(|(assigner, actor, target, op, closed)| Step {
            assigner,
            actor,
            target,
            op,
            closed,
        })
}

/// Roles, as the assignment rules read them.
struct RoleFacts<'a> {
    c: &'a Company,
    /// Permissions (as masks per action) only top-controlled built-ins hold.
    admin_grade: Vec<u8>,
}

impl<'a> RoleFacts<'a> {
    fn new(c: &'a Company) -> RoleFacts<'a> {
        let mut others = vec![0u8; FACTS.len()];
        for r in c.preset.roles().iter().filter(|r| !r.top_controlled) {
            for p in r.permissions.iter() {
                others[p.action as usize] |= mask(p.scope);
            }
        }
        let mut every = vec![0u8; FACTS.len()];
        for p in all_permissions() {
            every[p.action as usize] |= mask(p.scope);
        }
        let admin_grade = every.iter().zip(&others).map(|(e, o)| e & !o).collect();
        RoleFacts { c, admin_grade }
    }

    fn is_top(&self, role: &str) -> bool {
        Some(role) == self.c.preset.top_role().map(|r| &*r.key)
    }

    fn top_controlled(&self, role: &Role) -> bool {
        if role.builtin {
            return role.top_controlled;
        }
        role.permissions
            .iter()
            .any(|p| self.admin_grade[p.action as usize] & mask(p.scope) != 0)
    }

    fn holds_cards(role: &Role) -> bool {
        role.permissions.iter().any(|p| {
            CARDHOLDING
                .iter()
                .any(|(k, m)| p.action as usize == idx(k) && mask(p.scope) == *m)
        })
    }

    fn assigns(role: &Role, key: &str) -> bool {
        match &role.assignable {
            Assignable::Any => true,
            Assignable::Roles(keys) => keys.iter().any(|k| &**k == key),
        }
    }
}

fn permanent_top(c: &Company, facts: &RoleFacts<'_>, m: usize) -> bool {
    let now = Timestamp(NOW);
    let member = &c.members[m];
    !member.archived
        && member.grants.iter().any(|g| {
            facts.is_top(&g.spec.role)
                && g.spec.valid_from.is_none_or(|f| f <= now)
                && g.spec.valid_until.is_none()
        })
}

fn active_spec(s: &GrantSpec) -> bool {
    let now = Timestamp(NOW);
    s.valid_from.is_none_or(|f| f <= now) && s.valid_until.is_none_or(|u| now < u)
}

/// Whether `actor` may grant or revoke `role` bound to `team` for `target`, by the rules: an
/// active grant of theirs holds `role.assign` and lists the role, unbound or bound to that same team with the target
/// in it; a top-controlled role only by an active holder of the top role.
/// A grant carrying `cap` (revocations pass `Some(0)`): a capped granter hands out no higher
/// cap, no cap counting as unlimited, unless they hold the top role or the role holds no capped
/// action.
fn model_may_assign(
    c: &Company,
    facts: &RoleFacts<'_>,
    actor: usize,
    role: &Role,
    team: Option<TeamId>,
    cap: Option<i64>,
    target: usize,
) -> bool {
    let a = &c.members[actor];
    if a.archived {
        return false;
    }
    let grants: Vec<(&Role, Option<TeamId>, Option<i64>)> = c
        .preset
        .base
        .map(|b| (c.role(b), None, None))
        .into_iter()
        .chain(a.grants.iter().filter(|g| active_spec(&g.spec)).map(|g| {
            (
                c.role(&g.spec.role),
                g.spec.team,
                g.spec.options.max_amount_minor,
            )
        }))
        .collect();
    let top = grants.iter().any(|(r, _, _)| facts.is_top(&r.key));
    if facts.top_controlled(role) && !top {
        return false;
    }
    let capped_role = role
        .permissions
        .iter()
        .any(|p| is(p.action as usize, CAPPED));
    grants.iter().any(|(r, bound, own)| {
        r.permissions.iter().any(|p| p.action == Action::RoleAssign)
            && RoleFacts::assigns(r, &role.key)
            && match bound {
                None => true,
                Some(t) => team == Some(*t) && c.members[target].teams.contains(t),
            }
            && match own {
                Some(own) if !top && capped_role => cap.is_some_and(|w| w <= *own),
                _ => true,
            }
    })
}

/// Members other than `except`, not archived, holding any grant of the top role (as the store
/// counts them for single-holder roles).
fn holders(c: &Company, facts: &RoleFacts<'_>, except: usize) -> usize {
    (0..c.members.len())
        .filter(|m| {
            *m != except
                && !c.members[*m].archived
                && c.members[*m]
                    .grants
                    .iter()
                    .any(|g| facts.is_top(&g.spec.role))
        })
        .count()
}

fn other_tops(c: &Company, facts: &RoleFacts<'_>, target: usize) -> usize {
    (0..c.members.len())
        .filter(|m| *m != target && permanent_top(c, facts, *m))
        .count()
}

fn run_steps(case: &CompanyCase, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut c = Company::build(case);
    // The company starts with a permanent, active holder of its top role.
    let top = c
        .preset
        .top_role()
        .map(|r| r.key.to_string())
        .unwrap_or_default();
    // A single-holder top role (Qonto's account holder) starts with exactly that one holder.
    let single = c.preset.top_role().is_some_and(|r| r.single);
    if single {
        for m in &mut c.members {
            m.grants.retain(|g| g.spec.role != top);
        }
    }
    c.members[0].archived = false;
    let g = c.grant(GrantSpec::role(&top));
    c.members[0].grants.push(g);
    let now = Timestamp(NOW);
    let n = c.members.len();
    for (k, s) in steps.iter().enumerate() {
        let facts = RoleFacts::new(&c);
        if let Some(custom) = &c.custom {
            let engine = c.book.get(&custom.key).map(|r| r.top_controlled);
            prop_assert_eq!(engine, Some(facts.top_controlled(custom)));
        }
        let assigners: Vec<usize> = (0..n)
            .filter(|m| {
                c.members[*m]
                    .grants
                    .iter()
                    .any(|g| !c.role(&g.spec.role).assignable.is_empty())
            })
            .collect();
        let actor = if s.assigner && !assigners.is_empty() {
            assigners[s.actor.index(assigners.len())]
        } else {
            s.actor.index(n)
        };
        let target = s.target.index(n);
        let people = c.principals();
        let ctx = Context {
            now,
            on_behalf_of: None,
            company_closed: s.closed,
        };
        let t = c.target(actor, target);
        let others = other_tops(&c, &facts, target);
        let what = format!("step {k}: member {actor} on member {target}: {s:?}");
        if let Op::Archive = s.op {
            let engine =
                invariants::archive_member(&people[actor], ctx, t, &people[target], others, &top);
            let mg = c.model();
            let decided = model_decide(
                &c,
                &mg,
                &MReq {
                    actor,
                    action: idx("member.archive"),
                    owner: Some(target),
                    team: None,
                    status: None,
                    amount: None,
                    on_behalf: None,
                    hand: None,
                    closed: s.closed,
                },
            );
            let tm = &c.members[target];
            let model = matches!(decided, Expect::Allowed(_))
                && (!tm
                    .grants
                    .iter()
                    .any(|g| facts.top_controlled(c.role(&g.spec.role)))
                    || c.members[actor]
                        .grants
                        .iter()
                        .any(|g| active_spec(&g.spec) && facts.is_top(&g.spec.role)))
                && !(permanent_top(&c, &facts, target) && others == 0)
                && !tm.archived;
            prop_assert_eq!(engine.is_ok(), model, "{}: engine {:?}", what, engine);
            if engine.is_ok() {
                c.members[target].archived = true;
            }
        } else {
            let current: Vec<ResolvedGrant> = people[target].stored_grants().cloned().collect();
            let mut proposed: Vec<GrantSpec> =
                current.iter().map(|g| g.grant.spec.clone()).collect();
            match &s.op {
                Op::Add(g) => {
                    let mut spec = c.spec(g, true);
                    if let (Some(f), Some(u)) = (spec.valid_from, spec.valid_until) {
                        if u <= f {
                            spec.valid_until = None;
                        }
                    }
                    if !proposed.contains(&spec) {
                        proposed.push(spec);
                    }
                }
                Op::Remove(i) if !proposed.is_empty() => {
                    proposed.remove(i.index(proposed.len()));
                }
                Op::Rewindow(i, f, u) if !proposed.is_empty() => {
                    let i = i.index(proposed.len());
                    let mut spec = proposed[i].clone();
                    spec.valid_from = f.map(|x| Timestamp(NOW + x));
                    spec.valid_until = u.map(|x| Timestamp(NOW + x));
                    if let (Some(f), Some(u)) = (spec.valid_from, spec.valid_until) {
                        if u <= f {
                            spec.valid_until = None;
                        }
                    }
                    if proposed.contains(&spec) {
                        proposed.remove(i);
                    } else {
                        proposed[i] = spec;
                    }
                }
                _ => {}
            }
            let pairs: Vec<(GrantSpec, Role)> = proposed
                .iter()
                .map(|s| (s.clone(), c.role(&s.role).clone()))
                .collect();
            let tm = &c.members[target];
            let change = GrantChange {
                target: t,
                target_archived: tm.archived,
                target_kind: tm.kind,
                current: &current,
                proposed: &pairs,
                other_permanent_tops: others,
                other_tops: holders(&c, &facts, target),
                top_role: &top,
                base_role: c.preset.base,
            };
            let engine = invariants::change_grants(&people[actor], ctx, GrantVia::Assign, &change);
            let old: Vec<&GrantSpec> = tm.grants.iter().map(|g| &g.spec).collect();
            let added: Vec<&GrantSpec> = proposed.iter().filter(|s| !old.contains(s)).collect();
            let removed: Vec<&GrantSpec> = old
                .iter()
                .copied()
                .filter(|s| !proposed.contains(s))
                .collect();

            // Each grant given or taken away, asked of `decide` on its own as `role.assign`,
            // against the model of the same rules (the last top-role holder is the change's
            // rule, not a grant's).
            for spec in &added {
                let role = c.role(&spec.role);
                let holds = tm.grants.iter().any(|g| g.spec.role == spec.role);
                let known = GrantFacts {
                    base: Some(&*role.key) == c.preset.base,
                    holder_kind: tm.kind,
                    holder_has_role: holds,
                    other_tops: holders(&c, &facts, target),
                };
                let ask = GrantAsk::give(role, spec).with_facts(known);
                let engine = authorize::assign(&people[actor], ctx, Some(t), &ask);
                let cap = spec.options.max_amount_minor;
                let self_grant = actor == target && !permanent_top(&c, &facts, actor);
                let external_cards =
                    tm.kind == MemberKind::External && RoleFacts::holds_cards(role);
                let second_single = role.single && !holds && holders(&c, &facts, target) > 0;
                let refused = c.members[actor].archived
                    || ctx.company_closed
                    || self_grant
                    || Some(&*role.key) == c.preset.base
                    || external_cards
                    || second_single;
                let model =
                    !refused && model_may_assign(&c, &facts, actor, role, spec.team, cap, target);
                prop_assert_eq!(
                    engine.is_allowed(),
                    model,
                    "{}: giving {:?}: engine {}",
                    what,
                    spec,
                    engine
                );
            }
            for spec in &removed {
                let role = c.role(&spec.role);
                let ask = GrantAsk::revoke(role, spec);
                let engine = authorize::assign(&people[actor], ctx, Some(t), &ask);
                let model = !c.members[actor].archived
                    && !ctx.company_closed
                    && model_may_assign(&c, &facts, actor, role, spec.team, Some(0), target);
                prop_assert_eq!(
                    engine.is_allowed(),
                    model,
                    "{}: taking {:?}: engine {}",
                    what,
                    spec,
                    engine
                );
            }

            // What any allowed change must respect, whatever else the engine checks.
            if engine.is_ok() {
                for s in &added {
                    let role = c.role(&s.role);
                    prop_assert!(
                        Some(&*role.key) != c.preset.base,
                        "{}: granted the base role",
                        what
                    );
                    prop_assert!(
                        !(tm.kind == MemberKind::External && RoleFacts::holds_cards(role)),
                        "{}: an external member got cards",
                        what
                    );
                    let cap = s.options.max_amount_minor;
                    prop_assert!(
                        model_may_assign(&c, &facts, actor, role, s.team, cap, target),
                        "{}: granted `{}` (team {:?}, cap {:?}) though no grant rule of the \
                         granter lets them",
                        what,
                        role.key,
                        s.team,
                        cap
                    );
                }
                for s in &removed {
                    let role = c.role(&s.role);
                    prop_assert!(
                        model_may_assign(&c, &facts, actor, role, s.team, Some(0), target),
                        "{}: revoked `{}` (team {:?}) though no grant rule of the granter allows",
                        what,
                        s.role,
                        s.team
                    );
                }
                prop_assert!(
                    !(actor == target && !added.is_empty() && !permanent_top(&c, &facts, actor)),
                    "{}: a member added to their own grants",
                    what
                );
            }
            // And the whole rule set, so over-strict refusals show too.
            let was_top = permanent_top(&c, &facts, target);
            let stays_top = !tm.archived
                && proposed.iter().any(|s| {
                    facts.is_top(&s.role)
                        && s.valid_from.is_none_or(|f| f <= now)
                        && s.valid_until.is_none()
                });
            let model = !c.members[actor].archived
                && !s.closed
                && added.iter().all(|s| {
                    let role = c.role(&s.role);
                    Some(&*role.key) != c.preset.base
                        && !(tm.kind == MemberKind::External && RoleFacts::holds_cards(role))
                        && model_may_assign(
                            &c,
                            &facts,
                            actor,
                            role,
                            s.team,
                            s.options.max_amount_minor,
                            target,
                        )
                        // A single-holder role (Qonto's account holder) gets no second holder.
                        && !(role.single
                            && !tm.grants.iter().any(|g| g.spec.role == s.role)
                            && holders(&c, &facts, target) > 0)
                })
                && removed.iter().all(|s| {
                    let role = c.role(&s.role);
                    model_may_assign(&c, &facts, actor, role, s.team, Some(0), target)
                })
                && !(was_top && !stays_top && others == 0)
                && !(actor == target && !added.is_empty() && !permanent_top(&c, &facts, actor));
            prop_assert_eq!(
                engine.is_ok(),
                model,
                "{}: engine {:?}",
                what,
                engine.as_ref().err()
            );
            if engine.is_ok() {
                let kept: Vec<Grant> = c.members[target].grants.clone();
                let mut next = Vec::new();
                for s in proposed {
                    match kept.iter().find(|g| g.spec == s) {
                        Some(g) => next.push(g.clone()),
                        None => next.push(c.grant(s)),
                    }
                }
                c.members[target].grants = next;
            }
        }
        let facts = RoleFacts::new(&c);
        prop_assert!(
            (0..n).any(|m| permanent_top(&c, &facts, m)),
            "{}: the company lost its last permanent `{}`",
            what,
            top
        );
        prop_assert!(
            !single || holders(&c, &facts, usize::MAX) == 1,
            "{}: `{}` has more than one holder",
            what,
            top
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(COMPANIES))]

    /// Random sequences of grant changes and archivals, each applied only when allowed: nobody
    /// gets (or loses) a role that no grant of the granter lets them assign, nobody adds to
    /// their own grants, and the company always keeps a permanent holder of its top role.
    #[test]
    fn grant_changes_keep_the_invariants(
        case in company_case(8),
        steps in prop::collection::vec(step(), 1..40),
    ) {
        run_steps(&case, &steps)?;
    }
}
