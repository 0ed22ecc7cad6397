//! The decision function, checked on the demo companies of every preset: who sees and does
//! what to whose data, through which single grant, and which rule refuses the rest.
//!
//! Member ids are the demo person's index in the company's `people` plus one (people added
//! by a test come after), team ids the index in `teams` plus one, and grant ids
//! `100 * member + position + 1` (the base role is grant 0).

use super::*;
use crate::catalog::{PermSet, ACTIONS};
use crate::decision::DenialKind;
use crate::demo::{self, DemoCompany};
use crate::grant::{Grant, GrantOptions, GrantSpec, PermGroup};
use crate::ids::GrantId;
use crate::ids::MemberId;
use crate::org::OrgChart;
use crate::preset;
use crate::principal::MemberKind;
use crate::role::{Assignable, Role, RoleBook, TeamBinding};
use std::sync::Arc;

use ExpenseStatus::{Approved, Draft, Rejected, Submitted};
use MemberKind::{External, Internal};

const NOW: Timestamp = Timestamp(1_800_000_000);

/// A company as the rules see it: its roles, its org chart and every member's principal.
struct World {
    book: RoleBook,
    names: Vec<&'static str>,
    teams: Vec<&'static str>,
    rows: Vec<(MemberId, Option<MemberId>, Vec<TeamId>)>,
    chart: OrgChart,
    people: Vec<Principal>,
}

impl World {
    fn of(co: &'static DemoCompany) -> World {
        World::with_roles(co, vec![])
    }

    /// The demo company `co`, with these custom roles besides its preset's.
    fn with_roles(co: &'static DemoCompany, custom: Vec<Role>) -> World {
        let book = RoleBook::new(preset::get(co.preset).expect("preset"), custom);
        let mut w = World {
            book,
            names: co.people.iter().map(|p| p.key).collect(),
            teams: co.teams.to_vec(),
            rows: vec![],
            chart: OrgChart::default(),
            people: vec![],
        };
        for p in co.people {
            let specs = p
                .grants
                .iter()
                .map(|(role, team)| match team {
                    Some(t) => GrantSpec::for_team(role, w.team(t)),
                    None => GrantSpec::role(role),
                })
                .collect();
            let kind = if p.external { External } else { Internal };
            w.join(p.key, p.manager, p.teams, kind, specs);
        }
        w
    }

    fn id(&self, key: &str) -> MemberId {
        let i = self.names.iter().position(|n| *n == key);
        MemberId(i.unwrap_or_else(|| panic!("no member `{key}`")) as i64 + 1)
    }

    fn team(&self, name: &str) -> TeamId {
        let i = self.teams.iter().position(|t| *t == name);
        TeamId(i.unwrap_or_else(|| panic!("no team `{name}`")) as i64 + 1)
    }

    /// The id of `key`'s `i`-th stored grant.
    fn gid(&self, key: &str, i: usize) -> GrantId {
        GrantId(self.id(key).0 * 100 + i as i64 + 1)
    }

    fn load(
        &self,
        id: MemberId,
        archived: bool,
        kind: MemberKind,
        specs: Vec<GrantSpec>,
    ) -> Principal {
        let grants = specs
            .into_iter()
            .enumerate()
            .map(|(i, spec)| Grant {
                id: GrantId(id.0 * 100 + i as i64 + 1),
                spec,
            })
            .collect();
        Principal::load(crate::OrgId(1), id, archived, kind, grants, &self.book)
    }

    /// Adds (or replaces) a member with a manager, teams, a kind and grants.
    fn join(
        &mut self,
        key: &'static str,
        manager: Option<&str>,
        teams: &[&str],
        kind: MemberKind,
        specs: Vec<GrantSpec>,
    ) {
        if !self.names.contains(&key) {
            self.names.push(key);
        }
        let id = self.id(key);
        let row = (
            id,
            manager.map(|m| self.id(m)),
            teams.iter().map(|t| self.team(t)).collect(),
        );
        self.rows.retain(|r| r.0 != id);
        self.rows.push(row);
        self.chart = OrgChart::new(self.rows.clone());
        let p = self.load(id, false, kind, specs);
        self.people.retain(|q| q.member() != id);
        self.people.push(p);
    }

    /// Replaces `key`'s stored grants.
    fn set(&mut self, key: &str, specs: Vec<GrantSpec>) {
        let old = self.p(key);
        let p = self.load(old.member(), old.archived(), old.kind(), specs);
        self.people.retain(|q| q.member() != p.member());
        self.people.push(p);
    }

    fn archive(&mut self, key: &str) {
        let old = self.p(key);
        let specs = old.stored_grants().map(|g| g.grant.spec.clone()).collect();
        let p = self.load(old.member(), true, old.kind(), specs);
        self.people.retain(|q| q.member() != p.member());
        self.people.push(p);
    }

    fn set_manager(&mut self, key: &str, manager: Option<&str>) {
        let (id, m) = (self.id(key), manager.map(|m| self.id(m)));
        self.chart.set_manager(id, m);
    }

    fn p(&self, key: &str) -> &Principal {
        let id = self.id(key);
        self.people
            .iter()
            .find(|p| p.member() == id)
            .unwrap_or_else(|| panic!("no principal `{key}`"))
    }

    /// `owner` as `viewer` sees them.
    fn t(&self, viewer: &str, owner: &str) -> Target<'_> {
        self.chart.target(self.id(viewer), self.id(owner))
    }

    fn ask(
        &self,
        actor: &str,
        action: Action,
        resource: ResourceRef<'_>,
        ctx: Context<'_>,
    ) -> Decision {
        decide(&Request {
            principal: self.p(actor),
            action,
            resource,
            context: ctx,
        })
    }

    /// `actor` takes `action` on `owner`'s data (a member, a card, a report...).
    fn on(&self, actor: &str, action: Action, owner: &str) -> Decision {
        self.ask(
            actor,
            action,
            ResourceRef::of_member(self.t(actor, owner)),
            Context::at(NOW),
        )
    }

    /// `actor` takes `action` on an expense of `owner` in `status`.
    fn exp(&self, actor: &str, action: Action, owner: &str, status: ExpenseStatus) -> Decision {
        self.ask(
            actor,
            action,
            self.expense(actor, owner, status, None),
            Context::at(NOW),
        )
    }

    fn expense(
        &self,
        viewer: &str,
        owner: &str,
        status: ExpenseStatus,
        amount: Option<i64>,
    ) -> ResourceRef<'_> {
        ResourceRef {
            kind: Some(Resource::Expense),
            id: Some(1),
            owner: Some(self.t(viewer, owner)),
            status: Some(crate::lifecycle::State::of(status)),
            amount_minor: amount,
            ..ResourceRef::default()
        }
    }

    /// `actor` takes a company-wide `action` with no particular target.
    fn co(&self, actor: &str, action: Action) -> Decision {
        self.ask(actor, action, ResourceRef::default(), Context::at(NOW))
    }

    /// `actor` takes `action` on `owner`'s data with an amount (a card limit, an approval).
    fn amount(&self, actor: &str, action: Action, owner: &str, amount: i64) -> Decision {
        let res = ResourceRef {
            amount_minor: Some(amount),
            ..ResourceRef::of_member(self.t(actor, owner))
        };
        self.ask(actor, action, res, Context::at(NOW))
    }

    /// `actor` acts for `delegator` on an expense of `owner`, seen from the delegator.
    fn for_(
        &self,
        actor: &str,
        delegator: &str,
        kind: DelegationKind,
        action: Action,
        owner: &str,
        status: ExpenseStatus,
    ) -> Decision {
        let ctx = Context {
            on_behalf_of: Some(OnBehalf {
                delegator: self.p(delegator),
                kind,
            }),
            ..Context::at(NOW)
        };
        self.ask(
            actor,
            action,
            self.expense(delegator, owner, status, None),
            ctx,
        )
    }

    /// `actor` takes `action` in a closed company, on `owner`'s data or the company's.
    fn closed(&self, actor: &str, action: Action, owner: Option<&str>) -> Decision {
        let ctx = Context {
            company_closed: true,
            ..Context::at(NOW)
        };
        let res = match owner {
            Some(o) => ResourceRef::of_member(self.t(actor, o)),
            None => ResourceRef::default(),
        };
        self.ask(actor, action, res, ctx)
    }
}

/// A custom role (team binding optional) holding these catalog keys.
fn custom(key: &str, perms: &[&str]) -> Role {
    Role {
        key: Arc::from(key),
        name: key.to_string(),
        description: String::new(),
        permissions: PermSet::parse(perms.iter().copied()).expect("catalog keys"),
        read_only: false,
        builtin: false,
        team_binding: TeamBinding::Optional,
        assignable: Assignable::none(),
        top: false,
        top_controlled: false,
        single: false,
    }
}

fn granted(d: Decision) -> Granted {
    d.into_result().unwrap_or_else(|r| panic!("refused: {r}"))
}

fn capped(
    role: &str,
    team: Option<TeamId>,
    cap: Option<i64>,
    self_issue: Option<bool>,
) -> GrantSpec {
    let mut options = GrantOptions::default();
    options.max_amount_minor = cap;
    options.self_issue = self_issue;
    GrantSpec {
        team,
        options,
        ..GrantSpec::role(role)
    }
}

fn off(role: &str, groups: &[PermGroup]) -> GrantSpec {
    GrantSpec {
        options: GrantOptions::default().with_off(groups.iter().copied()),
        ..GrantSpec::role(role)
    }
}

fn acme() -> World {
    World::of(&demo::ACME)
}

// ---------------------------------------------------------------------------------------
// 1. Regressions of the defects the redesign fixes.
// ---------------------------------------------------------------------------------------

#[test]
fn a_manager_given_employee_at_sales_does_not_approve_sales_expenses() {
    let mut w = acme();
    let sales = w.team("Sales");
    w.set(
        "nora",
        vec![
            GrantSpec::role("manager"),
            GrantSpec::for_team("employee", sales),
        ],
    );
    for owner in ["mark", "alice"] {
        let d = w.exp("nora", Action::ExpenseApprove, owner, Submitted);
        assert_eq!(
            d,
            Decision::Denied(Reason::OutOfScope {
                action: Action::ExpenseApprove,
                held: Scope::Team,
                needed: Scope::All,
            }),
            "nora approving {owner}'s expense"
        );
        assert_eq!(
            w.exp("nora", Action::ExpenseView, owner, Submitted).code(),
            "out_of_scope"
        );
    }
    // Her own report is still hers to decide, through the unbound manager grant.
    let g = granted(w.exp("nora", Action::ExpenseApprove, "erin", Submitted));
    assert_eq!((g.grant, g.team), (w.gid("nora", 0), None));
}

#[test]
fn a_manager_given_team_manager_at_sales_sees_sales_but_does_not_approve_it() {
    let mut w = acme();
    let sales = w.team("Sales");
    w.set(
        "nora",
        vec![
            GrantSpec::role("manager"),
            GrantSpec::for_team("team_manager", sales),
        ],
    );
    for owner in ["mark", "alice"] {
        assert_eq!(
            w.exp("nora", Action::ExpenseApprove, owner, Submitted)
                .code(),
            "out_of_scope"
        );
        assert_eq!(
            w.on("nora", Action::ReportApprove, owner).code(),
            "out_of_scope"
        );
        // team_manager@Sales views the team's expenses and cards: that much it does give.
        let g = granted(w.exp("nora", Action::ExpenseView, owner, Submitted));
        assert_eq!(
            (g.grant, g.role.as_ref(), g.team),
            (w.gid("nora", 1), "team_manager", Some(sales))
        );
        assert!(w.on("nora", Action::CardIssue, owner).is_allowed());
    }
    assert_eq!(
        w.on("nora", Action::CardIssue, "erin").code(),
        "out_of_scope"
    );
}

#[test]
fn an_allowed_approval_names_the_one_grant_that_allowed_it() {
    let mut w = acme();
    let g = granted(w.exp("mark", Action::ExpenseApprove, "alice", Submitted));
    assert_eq!(
        g,
        Granted {
            permission: Permission::scoped(Action::ExpenseApprove, Scope::Team),
            grant: w.gid("mark", 0),
            role: Arc::from("manager"),
            team: None,
            base: false,
            on_behalf_of: None,
        }
    );
    assert_eq!(
        g.to_string(),
        format!(
            "allowed by `expense.approve.team` of role `manager` (grant {})",
            w.gid("mark", 0)
        )
    );
    // With manager@Sales besides her unbound manager grant, nora approves alice's expense
    // through the bound grant and erin's through the unbound one.
    let sales = w.team("Sales");
    w.set(
        "nora",
        vec![
            GrantSpec::role("manager"),
            GrantSpec::for_team("manager", sales),
        ],
    );
    let g = granted(w.exp("nora", Action::ExpenseApprove, "alice", Submitted));
    assert_eq!((g.grant, g.team), (w.gid("nora", 1), Some(sales)));
    assert!(g
        .to_string()
        .ends_with(&format!("(grant {}, bound to team {sales})", g.grant)));
    let g = granted(w.exp("nora", Action::ExpenseApprove, "erin", Submitted));
    assert_eq!((g.grant, g.team), (w.gid("nora", 0), None));
}

#[test]
fn a_sales_bound_archiver_archives_sales_members_only() {
    let roles = vec![custom(
        "sales_admin",
        &["member.archive", "member.manage", "member.view.team"],
    )];
    let mut w = World::with_roles(&demo::ACME, roles);
    let sales = w.team("Sales");
    w.set("fiona", vec![GrantSpec::for_team("sales_admin", sales)]);
    for owner in ["mark", "alice", "bob"] {
        let g = granted(w.on("fiona", Action::MemberArchive, owner));
        assert_eq!(
            (g.grant, g.team, g.permission),
            (
                w.gid("fiona", 0),
                Some(sales),
                Permission::unscoped(Action::MemberArchive)
            )
        );
        assert!(w.on("fiona", Action::MemberManage, owner).is_allowed());
    }
    for owner in ["erin", "nora", "olivia", "adam", "fiona"] {
        assert_eq!(
            w.on("fiona", Action::MemberArchive, owner),
            Decision::Denied(Reason::OutOfScope {
                action: Action::MemberArchive,
                held: Scope::All,
                needed: w.t("fiona", owner).line.needed_scope(),
            }),
            "fiona archiving {owner}"
        );
    }
    // No target at all, or another team's: not reached either.
    assert_eq!(w.co("fiona", Action::MemberArchive).code(), "out_of_scope");
    let eng = ResourceRef {
        team: Some(w.team("Engineering")),
        ..ResourceRef::default()
    };
    assert_eq!(
        w.ask("fiona", Action::MemberArchive, eng, Context::at(NOW))
            .code(),
        "out_of_scope"
    );
    // Unbound, the same role archives anyone.
    w.set("fiona", vec![GrantSpec::role("sales_admin")]);
    assert!(w.on("fiona", Action::MemberArchive, "erin").is_allowed());
}

#[test]
fn team_bound_grants_never_give_company_level_actions() {
    // A custom role holding the whole catalog.
    let everything = Role {
        permissions: PermSet::everything(),
        ..custom("everything", &[])
    };
    let mut w = World::with_roles(&demo::ACME, vec![everything]);
    let sales = w.team("Sales");
    w.set("mark", vec![GrantSpec::for_team("everything", sales)]);
    let company: Vec<Action> = ACTIONS
        .iter()
        .filter(|a| a.company_level)
        .map(|a| a.action)
        .collect();
    assert!(company.len() > 20, "the catalog has company-level actions");
    let in_sales = ResourceRef {
        team: Some(sales),
        ..ResourceRef::default()
    };
    for a in &company {
        assert!(!w.co("mark", *a).is_allowed(), "{} with no target", a.key());
        assert!(
            !w.ask("mark", *a, in_sales, Context::at(NOW)).is_allowed(),
            "{} in Sales",
            a.key()
        );
        assert!(
            !w.on("mark", *a, "alice").is_allowed(),
            "{} on alice (Sales)",
            a.key()
        );
        assert!(
            !w.on("mark", *a, "mark").is_allowed(),
            "{} on himself",
            a.key()
        );
    }
    // ...while the member-level ones reach Sales.
    for a in [
        Action::ExpenseApprove,
        Action::MemberArchive,
        Action::RoleAssign,
        Action::CardIssue,
    ] {
        assert!(w.on("mark", a, "alice").is_allowed(), "{}", a.key());
    }
    // Unbound, the same role holds every company-level action.
    w.set("mark", vec![GrantSpec::role("everything")]);
    for a in &company {
        assert!(w.co("mark", *a).is_allowed(), "{} unbound", a.key());
    }
}

#[test]
fn built_in_roles_bound_to_a_team_give_no_company_level_rights_either() {
    let mut w = acme();
    let sales = w.team("Sales");
    w.set("bea", vec![GrantSpec::for_team("accountant", sales)]);
    w.set("fiona", vec![GrantSpec::for_team("finance", sales)]);
    w.set("audrey", vec![GrantSpec::for_team("auditor", sales)]);
    for a in [
        Action::AccountingManage,
        Action::AccountingView,
        Action::ExportCreate,
        Action::InvoiceView,
        Action::SettingsView,
    ] {
        assert!(!w.co("bea", a).is_allowed(), "bea: {}", a.key());
    }
    assert!(!w.co("fiona", Action::RateManage).is_allowed());
    assert!(!w.co("audrey", Action::AuditView).is_allowed());
    // Member-level rights of the same grants reach Sales, and only Sales.
    assert!(w
        .exp("bea", Action::ExpenseCorrect, "alice", Approved)
        .is_allowed());
    assert_eq!(
        w.exp("bea", Action::ExpenseCorrect, "erin", Approved)
            .code(),
        "out_of_scope"
    );
    assert!(w
        .exp("fiona", Action::ExpenseApprove, "alice", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("fiona", Action::ExpenseApprove, "erin", Submitted)
            .code(),
        "out_of_scope"
    );
    assert!(w
        .exp("audrey", Action::ExpenseView, "bob", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("audrey", Action::ExpenseView, "erin", Submitted)
            .code(),
        "out_of_scope"
    );
}

#[test]
fn a_bound_grant_reaching_only_its_holder_names_its_own_scoped_permission() {
    // nora is in Engineering; manager@Sales reaches her own expenses through
    // `expense.view.own` only, so that is the permission the decision should name.
    let mut w = acme();
    let sales = w.team("Sales");
    w.set("nora", vec![GrantSpec::for_team("manager", sales)]);
    let g = granted(w.exp("nora", Action::ExpenseView, "nora", Draft));
    assert_eq!(g.team, Some(sales));
    assert_eq!(
        g.permission,
        Permission::scoped(Action::ExpenseView, Scope::Own)
    );
}

// ---------------------------------------------------------------------------------------
// 2. Scopes: own < direct < team < all.
// ---------------------------------------------------------------------------------------

#[test]
fn plane_manager_approves_a_direct_report_but_not_an_indirect_one() {
    // Seed: "Manager—can view and manage their assigned direct reports, including approving
    // expense reports and time off requests". mo -> will -> walt.
    let w = World::of(&demo::PLANE);
    let g = granted(w.exp("mo", Action::ExpenseApprove, "will", Submitted));
    assert_eq!(
        g.permission,
        Permission::scoped(Action::ExpenseApprove, Scope::Direct)
    );
    assert!(w.on("mo", Action::TimeOffApprove, "will").is_allowed());
    assert_eq!(
        w.exp("mo", Action::ExpenseApprove, "walt", Submitted),
        Decision::Denied(Reason::OutOfScope {
            action: Action::ExpenseApprove,
            held: Scope::Direct,
            needed: Scope::Team,
        })
    );
    assert_eq!(
        w.on("mo", Action::MemberView, "walt").code(),
        "out_of_scope"
    );
    assert_eq!(
        w.on("mo", Action::ReportApprove, "walt").code(),
        "out_of_scope"
    );
}

#[test]
fn eloope_and_outlay_managers_reach_their_whole_reporting_line() {
    // Eloope: nia -> max -> eve, once max reports to nia.
    let mut w = World::of(&demo::ELOOPE);
    w.set_manager("max", Some("nia"));
    assert_eq!(w.t("nia", "eve").line, Line::Indirect);
    assert!(w
        .exp("nia", Action::ExpenseApprove, "eve", Submitted)
        .is_allowed());
    assert!(w
        .exp("nia", Action::ExpenseView, "eve", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("nia", Action::ExpenseApprove, "ian", Submitted)
            .code(),
        "out_of_scope"
    );
    // Outlay (Acme): nora -> mark -> alice, once mark reports to nora.
    let mut w = acme();
    w.set_manager("mark", Some("nora"));
    assert!(w
        .exp("nora", Action::ExpenseApprove, "alice", Submitted)
        .is_allowed());
    assert!(w
        .exp("nora", Action::ExpenseApprove, "mark", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("nora", Action::ExpenseApprove, "fiona", Submitted)
            .code(),
        "out_of_scope"
    );
}

#[test]
fn own_scope_reaches_only_oneself_and_all_reaches_everyone() {
    let w = acme();
    assert!(w
        .exp("alice", Action::ExpenseView, "alice", Draft)
        .is_allowed());
    assert_eq!(
        w.exp("alice", Action::ExpenseView, "bob", Draft),
        Decision::Denied(Reason::OutOfScope {
            action: Action::ExpenseView,
            held: Scope::Own,
            needed: Scope::All,
        })
    );
    for owner in ["alice", "erin", "mark", "olivia"] {
        let g = granted(w.exp("fiona", Action::ExpenseView, owner, Submitted));
        assert_eq!(
            g.permission,
            Permission::scoped(Action::ExpenseView, Scope::All)
        );
    }
}

#[test]
fn the_readme_tour_mark_sees_his_reports_not_erin() {
    // README: "mark sees his own, alice's and bob's (his reports), not erin's."
    let w = acme();
    for owner in ["mark", "alice", "bob"] {
        assert!(
            w.exp("mark", Action::ExpenseView, owner, Submitted)
                .is_allowed(),
            "{owner}"
        );
    }
    assert_eq!(
        w.exp("mark", Action::ExpenseView, "erin", Submitted).code(),
        "out_of_scope"
    );
    // "...but not one of his own: 403 four_eyes"
    let d = w.exp("mark", Action::ExpenseApprove, "mark", Submitted);
    assert_eq!(d, Decision::Denied(Reason::SelfApproval));
    assert_eq!(d.code(), "four_eyes");
}

#[test]
fn changing_a_manager_moves_access_at_once() {
    // Plane seed: "Changing a worker's manager immediately updates access. The new manager
    // gains visibility and the previous manager loses access to that worker's data."
    let mut w = World::of(&demo::PLANE);
    assert!(w.on("mo", Action::MemberView, "will").is_allowed());
    assert_eq!(
        w.on("dora", Action::PaymentApprove, "will").code(),
        "out_of_scope"
    );
    w.set_manager("will", Some("dora"));
    assert_eq!(
        w.on("mo", Action::MemberView, "will").code(),
        "out_of_scope"
    );
    assert!(w.on("dora", Action::PaymentApprove, "will").is_allowed());
    assert!(w.on("dora", Action::MemberView, "will").is_allowed());
}

// ---------------------------------------------------------------------------------------
// 3. The seeds, preset by preset.
// ---------------------------------------------------------------------------------------

/// Eloope's "Role comparison" table, row by row, for Employee (eve), Manager (max), Finance
/// (fred), Auditor (aud) and Admin (ada). "Team" is eve (max's report; for eve herself, her
/// manager max); "all" is ian, who reports to ada.
#[test]
fn eloope_role_comparison_table() {
    let w = World::of(&demo::ELOOPE);
    let reps = ["eve", "max", "fred", "aud", "ada"];
    let team = |r: &str| if r == "eve" { "max" } else { "eve" };
    type Row = (&'static str, fn(&World, &str, &str) -> Decision, [bool; 5]);
    let rows: [Row; 9] = [
        // | Submit own expenses | ✅ | ✅ | ✅ | ❌ | ✅ |
        (
            "submit own expenses",
            |w, r, _| w.exp(r, Action::ExpenseSubmit, r, Draft),
            [true, true, true, false, true],
        ),
        // | View team expenses | ❌ | ✅ | ✅ | ✅ | ✅ |
        (
            "view team expenses",
            |w, r, t| w.exp(r, Action::ExpenseView, t, Submitted),
            [false, true, true, true, true],
        ),
        // | View all expenses | ❌ | ❌ | ✅ | ✅ | ✅ |
        (
            "view all expenses",
            |w, r, _| w.exp(r, Action::ExpenseView, "ian", Submitted),
            [false, false, true, true, true],
        ),
        // | Approve team reports | ❌ | ✅ | ✅ | ❌ | ✅ |
        (
            "approve team reports",
            |w, r, t| w.on(r, Action::ReportApprove, t),
            [false, true, true, false, true],
        ),
        // | Process reimbursements | ❌ | ❌ | ✅ | ❌ | ✅ |
        (
            "process reimbursements",
            |w, r, t| w.exp(r, Action::ExpenseReimburse, t, Approved),
            [false, false, true, false, true],
        ),
        // | Manage users | ❌ | ❌ | ❌ | ❌ | ✅ |
        (
            "manage users: invite",
            |w, r, _| w.co(r, Action::MemberInvite),
            [false, false, false, false, true],
        ),
        (
            "manage users: deactivate",
            |w, r, _| w.on(r, Action::MemberArchive, "ian"),
            [false, false, false, false, true],
        ),
        (
            "manage users: roles",
            |w, r, _| w.on(r, Action::RoleAssign, "ian"),
            [false, false, false, false, true],
        ),
        // | Configure policies | ❌ | ❌ | ❌ | ❌ | ✅ |
        (
            "configure policies",
            |w, r, _| w.co(r, Action::PolicyManage),
            [false, false, false, false, true],
        ),
    ];
    for (what, check, expected) in rows {
        for (rep, want) in reps.iter().zip(expected) {
            let d = check(&w, rep, team(rep));
            assert_eq!(d.is_allowed(), want, "{what} for {rep}: {d}");
            // "Auditors cannot create, edit, or delete anything in the system—their access is
            // strictly read-only": each refused change names the read-only role.
            if *rep == "aud" && !want {
                assert_eq!(d.code(), "read_only_role", "{what} for aud");
            }
        }
    }
}

#[test]
fn eloope_seed_sentences() {
    let w = World::of(&demo::ELOOPE);
    // "Employees can create, view, edit, and delete their own expenses before submitting them."
    for a in [
        Action::ExpenseView,
        Action::ExpenseEdit,
        Action::ExpenseDelete,
        Action::ExpenseSubmit,
    ] {
        assert!(w.exp("eve", a, "eve", Draft).is_allowed(), "{}", a.key());
    }
    assert!(w.co("eve", Action::ExpenseCreate).is_allowed());
    // "Employees can request cash advances ... and create trip records"
    assert!(w.co("eve", Action::AdvanceRequest).is_allowed());
    assert!(w.co("eve", Action::TripCreate).is_allowed());
    // "They cannot approve anything"
    assert_eq!(
        w.exp("eve", Action::ExpenseApprove, "max", Submitted)
            .code(),
        "no_permission"
    );
    // "They also cannot see organization-wide analytics or reporting, only their own"
    assert!(w.on("eve", Action::AnalyticsView, "eve").is_allowed());
    assert!(!w.co("eve", Action::AnalyticsView).is_allowed());
    // Managers "can approve cash advance and trip requests as well"
    assert!(w.on("max", Action::AdvanceApprove, "eve").is_allowed());
    assert!(w.on("max", Action::TripApprove, "eve").is_allowed());
    // A request is withdrawn by whoever made it only: the manager sees it, never withdraws it.
    assert!(w.on("eve", Action::TripCreate, "eve").is_allowed());
    assert_eq!(
        w.on("max", Action::TripCreate, "eve").code(),
        "out_of_scope"
    );
    assert_eq!(
        w.on("fred", Action::AdvanceRequest, "eve").code(),
        "out_of_scope"
    );
    // "they can set up delegation to route approvals to another manager temporarily"
    assert!(w.on("max", Action::DelegationManage, "max").is_allowed());
    // "Managers cannot view expenses or reports from employees outside their team"
    assert_eq!(
        w.on("max", Action::ReportView, "ian").code(),
        "out_of_scope"
    );
    // "Finance can configure currencies and exchange rates ... and set mileage rates"
    assert!(w.co("fred", Action::RateManage).is_allowed());
    assert!(!w.co("max", Action::RateManage).is_allowed());
    // "They manage the complete cash advance lifecycle, including approving advance
    // requests, disbursing funds"
    assert!(w.on("fred", Action::AdvanceApprove, "eve").is_allowed());
    assert!(w.co("fred", Action::AdvanceDisburse).is_allowed());
    // "finance team members have final approval authority with the ability to override"
    assert!(w
        .exp("fred", Action::ExpenseOverride, "eve", Approved)
        .is_allowed());
    assert!(w
        .exp("fred", Action::ExpenseOverride, "eve", Rejected)
        .is_allowed());
    assert_eq!(
        w.exp("max", Action::ExpenseOverride, "eve", Approved)
            .code(),
        "no_permission"
    );
    // "finance cannot delete expenses or reports that have already been approved"
    assert_eq!(
        w.exp("fred", Action::ExpenseDelete, "fred", Approved)
            .code(),
        "approved_immutable"
    );
    assert_eq!(
        w.exp("fred", Action::ExpenseDelete, "eve", Approved).code(),
        "out_of_scope"
    );
    // "They cannot modify organization-wide settings"
    assert!(!w.co("fred", Action::SettingsManage).is_allowed());
    // "Auditors can view complete audit logs ... and export all data"
    assert!(w.co("aud", Action::AuditView).is_allowed());
    assert!(w.co("aud", Action::ExportCreate).is_allowed());
    // "The Auditor role by itself provides no ability to create expenses."
    assert_eq!(
        w.co("aud", Action::ExpenseCreate),
        Decision::Denied(Reason::ReadOnlyRole {
            role: Arc::from("auditor"),
            action: Action::ExpenseCreate,
        })
    );
    // Administrators "set up automation rules and integrations", "manage the organizational
    // structure", "have access to system logs, audit trails"
    for a in [
        Action::IntegrationManage,
        Action::TeamManage,
        Action::AuditView,
        Action::SettingsManage,
    ] {
        assert!(w.co("ada", a).is_allowed(), "{}", a.key());
    }
}

/// Plane's "What each role can do" table for Admin (pat), Manager (mo), Viewer (vic),
/// Accountant (acct) and Worker (will). The worker looked at is will (for will himself,
/// walt, who reports to him).
#[test]
fn plane_capability_table() {
    let w = World::of(&demo::PLANE);
    let reps = ["pat", "mo", "vic", "acct", "will"];
    let worker = |r: &str| if r == "will" { "walt" } else { "will" };
    type Row = (&'static str, fn(&World, &str, &str) -> Decision, [bool; 5]);
    let rows: [Row; 12] = [
        // | View all workers | Yes | Direct reports only | Yes | No | No |
        (
            "view workers",
            |w, r, t| w.on(r, Action::MemberView, t),
            [true, true, true, false, false],
        ),
        // | Manage workers | Yes | No | No | No | No |
        (
            "manage workers",
            |w, r, t| w.on(r, Action::MemberManage, t),
            [true, false, false, false, false],
        ),
        // | Run payroll | Yes | No | No | No | No |
        (
            "run payroll",
            |w, r, _| w.co(r, Action::PayrollRun),
            [true, false, false, false, false],
        ),
        // | Approve expense reports | Yes | Direct reports | No | No | No |
        (
            "approve expense reports",
            |w, r, t| w.on(r, Action::ReportApprove, t),
            [true, true, false, false, false],
        ),
        (
            "approve expenses",
            |w, r, t| w.exp(r, Action::ExpenseApprove, t, Submitted),
            [true, true, false, false, false],
        ),
        // | View reports | Yes | No | Yes | Yes | Own payments only |
        (
            "view reports",
            |w, r, _| w.co(r, Action::AnalyticsView),
            [true, false, true, true, false],
        ),
        // | Manage workspace settings | Yes | No | No | No | No |
        (
            "manage settings",
            |w, r, _| w.co(r, Action::SettingsManage),
            [true, false, false, false, false],
        ),
        // | Create API keys | Yes | No | No | No | No |
        (
            "create api keys",
            |w, r, _| w.co(r, Action::ApiKeyManage),
            [true, false, false, false, false],
        ),
        // | Manage sandboxes | Yes | No | No | No | No |
        (
            "manage sandboxes",
            |w, r, _| w.co(r, Action::SandboxManage),
            [true, false, false, false, false],
        ),
        // | Submit expense reports | No | No | No | No | Yes |
        (
            "submit expense reports",
            |w, r, _| w.on(r, Action::ReportSubmit, r),
            [false, false, false, false, true],
        ),
        (
            "submit expenses",
            |w, r, _| w.exp(r, Action::ExpenseSubmit, r, Draft),
            [false, false, false, false, true],
        ),
        // | Accounting / GL exports | Yes | No | No | Yes | No |
        (
            "accounting exports",
            |w, r, _| w.co(r, Action::ExportCreate),
            [true, false, false, true, false],
        ),
    ];
    for (what, check, expected) in rows {
        for (rep, want) in reps.iter().zip(expected) {
            let d = check(&w, rep, worker(rep));
            assert_eq!(d.is_allowed(), want, "{what} for {rep}: {d}");
        }
    }
    // "Manager | Direct reports only": not the indirect walt, nor anyone else.
    assert_eq!(
        w.on("mo", Action::MemberView, "walt").code(),
        "out_of_scope"
    );
    assert_eq!(
        w.on("mo", Action::MemberView, "frank").code(),
        "out_of_scope"
    );
    // "Worker | Own payments only"
    assert!(w.on("will", Action::PaymentView, "will").is_allowed());
    assert_eq!(
        w.on("will", Action::PaymentView, "walt").code(),
        "out_of_scope"
    );
    // "Viewer—read-only access ... without the ability to make changes"
    assert_eq!(
        w.on("vic", Action::MemberManage, "will").code(),
        "read_only_role"
    );
    // "Accountant—access to reports and accounting features for bookkeeping"
    assert!(w.co("acct", Action::AccountingManage).is_allowed());
}

#[test]
fn plane_seed_sentences() {
    let w = World::of(&demo::PLANE);
    // "Workers can only see their own data. They cannot view other workers' information,
    // payroll details, or organizational settings."
    assert!(w
        .exp("will", Action::ExpenseView, "will", Draft)
        .is_allowed());
    assert_eq!(
        w.exp("will", Action::ExpenseView, "walt", Draft).code(),
        "out_of_scope"
    );
    assert_eq!(
        w.on("will", Action::MemberView, "wendy").code(),
        "out_of_scope"
    );
    assert_eq!(w.co("will", Action::PayrollView).code(), "no_permission");
    assert_eq!(w.co("will", Action::SettingsView).code(), "no_permission");
    // "Full access manager—has broader visibility across workers beyond their own direct
    // reports" (and approves only for their reporting line).
    assert!(w.on("frank", Action::MemberView, "walt").is_allowed());
    assert!(w
        .exp("frank", Action::ExpenseView, "wendy", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("frank", Action::ExpenseApprove, "walt", Submitted)
            .code(),
        "out_of_scope"
    );
    // "Direct reports payer—can initiate and approve payments for their direct reports"
    assert!(w.on("dora", Action::PaymentInitiate, "wendy").is_allowed());
    assert!(w.on("dora", Action::PaymentApprove, "wendy").is_allowed());
    assert_eq!(
        w.on("dora", Action::PaymentApprove, "will").code(),
        "out_of_scope"
    );
    // "Payment request assistant—can assist with payment requests": prepares, never approves.
    assert_eq!(
        w.on("pam", Action::PaymentApprove, "will").code(),
        "no_permission"
    );
    assert_eq!(
        w.on("pam", Action::PaymentRequest, "will").code(),
        "out_of_scope"
    );
    let mut w = w;
    w.set_manager("walt", Some("pam"));
    assert!(w.on("pam", Action::PaymentRequest, "walt").is_allowed());
    // "Managers ... do not have access to detailed payroll runs or compensation data."
    assert_eq!(w.co("mo", Action::PayrollView).code(), "no_permission");
    // "Admins can configure SSO ... and verify your company domain"
    assert!(w.co("pat", Action::SsoManage).is_allowed());
    assert_eq!(w.co("mo", Action::SsoManage).code(), "no_permission");
}

#[test]
fn pleo_seed_sentences() {
    let w = World::of(&demo::PLEO);
    // Limited bookkeeper: "View invoices (cannot pay invoices)"
    assert!(w.co("lars", Action::InvoiceView).is_allowed());
    assert_eq!(w.co("lars", Action::InvoicePay).code(), "no_permission");
    // "View and modify expense details"
    assert!(w.exp("lars", Action::ExpenseEdit, "ed", Draft).is_allowed());
    assert!(w
        .exp("lars", Action::ExpenseCorrect, "ed", Approved)
        .is_allowed());
    // "Modify accounting settings", "Export accounting entries", "Reimburse out-of-pocket
    // expenses", "Move funds through the Pleo wallet"
    for a in [
        Action::AccountingManage,
        Action::ExportCreate,
        Action::ExpenseReimburse,
        Action::WalletMove,
    ] {
        assert!(w.co("lars", a).is_allowed(), "lars: {}", a.key());
    }
    // Extended: "Add employees and manage roles", "Configure spending limits", "Order cards",
    // "Perform wallet top-ups" -- none of which the limited access has.
    assert!(w.co("xena", Action::MemberInvite).is_allowed());
    assert!(w.on("xena", Action::RoleAssign, "ed").is_allowed());
    assert!(w
        .amount("xena", Action::CardLimits, "ed", 100_000)
        .is_allowed());
    assert!(w.on("xena", Action::CardIssue, "ed").is_allowed());
    assert!(w.co("xena", Action::WalletTopUp).is_allowed());
    for a in [Action::MemberInvite, Action::WalletTopUp] {
        assert_eq!(w.co("lars", a).code(), "no_permission", "lars: {}", a.key());
    }
    assert_eq!(
        w.on("lars", Action::CardIssue, "ed").code(),
        "no_permission"
    );
    // External bookkeepers "Do not have access to Pleo cards".
    for who in ["lars", "xena"] {
        assert_eq!(
            w.co(who, Action::CardRequest).code(),
            "no_permission",
            "{who}"
        );
        assert!(w
            .p(who)
            .permissions(NOW)
            .intersect(crate::role::cardholding())
            .is_empty());
    }
    // Administrators: "Configuring ERP and Accounting System integrations", "Generate API keys
    // or OAuth 2.0 applications", "Managing subscriptions and invoices", "Managing wallets".
    for a in [
        Action::IntegrationManage,
        Action::ApiKeyManage,
        Action::BillingManage,
        Action::WalletTopUp,
        Action::InvoicePay,
    ] {
        assert!(w.co("paula", a).is_allowed(), "paula: {}", a.key());
    }
    for who in ["lars", "xena", "fin", "rita", "ed"] {
        assert!(!w.co(who, Action::ApiKeyManage).is_allowed(), "{who}");
        assert!(!w.co(who, Action::IntegrationManage).is_allowed(), "{who}");
    }
    // Expense reviewers "Review submitted expenses; approve or reject expenses".
    assert!(w
        .exp("rita", Action::ExpenseApprove, "ed", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("rita", Action::ExpenseApprove, "rita", Submitted)
            .code(),
        "four_eyes"
    );
    assert_eq!(
        w.exp("ed", Action::ExpenseApprove, "emil", Submitted)
            .code(),
        "no_permission"
    );
    // Employees "Submit out-of-pocket expenses", "Use Pleo cards".
    assert!(w.exp("ed", Action::ExpenseSubmit, "ed", Draft).is_allowed());
    assert!(w.co("ed", Action::CardRequest).is_allowed());
    // Finance: "Financial oversight and reporting" -- audit and analysis, no changes.
    assert!(w.co("fin", Action::AuditView).is_allowed());
    assert!(w.co("fin", Action::AnalyticsView).is_allowed());
    assert_eq!(
        w.exp("fin", Action::ExpenseApprove, "ed", Submitted).code(),
        "read_only_role"
    );
}

#[test]
fn pliant_seed_sentences() {
    let w = World::of(&demo::PLIANT);
    // Cardholder: "This is the default role for every member ... It does not need to be
    // assigned". carl holds no stored grant.
    assert_eq!(w.p("carl").stored_grants().count(), 0);
    let g = granted(w.on("carl", Action::CardView, "carl"));
    assert_eq!(
        g,
        Granted {
            permission: Permission::scoped(Action::CardView, Scope::Own),
            grant: GrantId(0),
            role: Arc::from("cardholder"),
            team: None,
            base: true,
            on_behalf_of: None,
        }
    );
    assert_eq!(
        g.to_string(),
        "allowed by `card.view.own` of base role `cardholder`"
    );
    // "Cardholders will only have access to their own cards, and they can only view the
    // transactions made with their own cards."
    assert_eq!(
        w.on("carl", Action::CardView, "cara").code(),
        "out_of_scope"
    );
    assert_eq!(
        w.on("carl", Action::TransactionView, "cara").code(),
        "out_of_scope"
    );
    // Team managers "view all transactions made by members belonging to their team", "issue
    // new cards to team members and change card limits", "approve and decline requests for
    // new cards". tom manages Field (cara), not Office (carl).
    for a in [
        Action::TransactionView,
        Action::CardIssue,
        Action::CardLimits,
        Action::CardRequestApprove,
        Action::MemberView,
    ] {
        let g = granted(w.on("tom", a, "cara"));
        assert_eq!(
            (g.grant, g.team),
            (w.gid("tom", 0), Some(w.team("Field"))),
            "{}",
            a.key()
        );
        assert_eq!(
            w.on("tom", a, "carl").code(),
            "out_of_scope",
            "{} on carl",
            a.key()
        );
    }
    // tom's own cards are his as a cardholder, not as Field's manager (he is in Office).
    assert!(granted(w.on("tom", Action::CardView, "tom")).base);
    assert_eq!(w.on("tom", Action::CardIssue, "tom").code(), "out_of_scope");
    // Accountants "are not allowed to issue cards, change limits", "not permitted to invite
    // new members"; they set up accounting and prepare transactions for export.
    assert_eq!(
        w.on("acc", Action::CardIssue, "cara").code(),
        "no_permission"
    );
    assert_eq!(
        w.on("acc", Action::CardLimits, "cara").code(),
        "no_permission"
    );
    assert_eq!(w.co("acc", Action::MemberInvite).code(), "no_permission");
    assert!(w.co("acc", Action::AccountingManage).is_allowed());
    assert!(w.on("acc", Action::TransactionReview, "cara").is_allowed());
    // Auditors: "Auditors cannot make changes, issue cards, invite members, or modify account
    // settings", but see "transaction details, accounting settings, card limits, and member
    // permissions".
    for (a, owner) in [
        (Action::CardIssue, Some("cara")),
        (Action::MemberInvite, None),
        (Action::SettingsManage, None),
    ] {
        let d = match owner {
            Some(o) => w.on("aldo", a, o),
            None => w.co("aldo", a),
        };
        assert_eq!(d.code(), "read_only_role", "aldo: {}", a.key());
    }
    for a in [Action::TransactionView, Action::CardView, Action::RoleView] {
        assert!(w.on("aldo", a, "cara").is_allowed(), "aldo: {}", a.key());
    }
    assert!(w.co("aldo", Action::AccountingView).is_allowed());
    // Owners "change any kind of account settings including the company's billing account".
    assert!(w.co("otto", Action::BillingManage).is_allowed());
    assert!(w.co("otto", Action::AccountClose).is_allowed());
    assert_eq!(w.co("amy", Action::AccountClose).code(), "no_permission");
}

#[test]
fn pliant_owners_tailor_admins_and_accountants() {
    let mut w = World::of(&demo::PLIANT);
    // "owners can tailor access by modifying specific permissions: Organization settings ...
    // Integrations ..."
    w.set(
        "amy",
        vec![off(
            "admin",
            &[PermGroup::OrganizationSettings, PermGroup::Integrations],
        )],
    );
    for a in [
        Action::SettingsManage,
        Action::BillingManage,
        Action::IntegrationManage,
        Action::ApiKeyManage,
    ] {
        assert_eq!(w.co("amy", a).code(), "no_permission", "{}", a.key());
    }
    assert!(w.co("amy", Action::AccountingManage).is_allowed());
    assert!(w.co("amy", Action::ModuleManage).is_allowed());
    // "Owners and Admins can determine if an Accountant has the permission to modify
    // accounting settings."
    w.set(
        "acc",
        vec![off("accountant", &[PermGroup::AccountingSettings])],
    );
    assert_eq!(
        w.co("acc", Action::AccountingManage).code(),
        "no_permission"
    );
    assert!(w.co("acc", Action::AccountingView).is_allowed());
    assert!(w.co("acc", Action::ExportCreate).is_allowed());
    // Card issuance switched off takes issuing, limits and card requests away.
    w.set("amy", vec![off("admin", &[PermGroup::CardIssuance])]);
    for a in [
        Action::CardIssue,
        Action::CardLimits,
        Action::CardRequestApprove,
    ] {
        assert_eq!(
            w.on("amy", a, "cara").code(),
            "no_permission",
            "{}",
            a.key()
        );
    }
    // Export switched off.
    w.set("acc", vec![off("accountant", &[PermGroup::Export])]);
    assert_eq!(w.co("acc", Action::ExportCreate).code(), "no_permission");
    assert_eq!(
        w.on("acc", Action::TransactionReview, "cara").code(),
        "no_permission"
    );
}

#[test]
fn qonto_seed_sentences() {
    let w = World::of(&demo::QONTO);
    // Account holder: "He can access all sections and perform any action ... and can request
    // the account closure". Admin: "the same rights ... However, is not allowed to request
    // the account closure."
    assert!(w.co("holly", Action::AccountClose).is_allowed());
    assert_eq!(w.co("andy", Action::AccountClose).code(), "no_permission");
    for who in ["mia", "max", "emma", "tim", "abe"] {
        assert_eq!(
            w.co(who, Action::AccountClose).code(),
            "no_permission",
            "{who}"
        );
    }
    for a in ACTIONS
        .iter()
        .map(|a| a.action)
        .filter(|a| *a != Action::AccountClose)
    {
        // Everything else the holder may do to tim's data, the admin may too.
        let (holder, admin) = (w.on("holly", a, "tim"), w.on("andy", a, "tim"));
        assert_eq!(
            holder.is_allowed(),
            admin.is_allowed(),
            "{}: {holder} / {admin}",
            a.key()
        );
        if a.info().company_level {
            assert!(w.co("andy", a).is_allowed(), "andy: {}", a.key());
        }
    }
    // "All reviews and approval permissions are part of the Advanced Manager role only."
    assert_eq!(
        w.exp("mia", Action::ExpenseApprove, "emma", Submitted)
            .code(),
        "no_permission"
    );
    assert_eq!(
        w.on("mia", Action::TransferApprove, "emma").code(),
        "no_permission"
    );
    assert_eq!(
        w.on("mia", Action::CardRequestApprove, "emma").code(),
        "no_permission"
    );
    assert!(w
        .exp("max", Action::ExpenseApprove, "emma", Submitted)
        .is_allowed());
    assert!(w.on("max", Action::TransferApprove, "emma").is_allowed());
    assert!(w.on("max", Action::TransactionReview, "emma").is_allowed());
    // "Their scope of permissions will apply either on a Team level or at the Whole company
    // level": Ops-bound, tim (Tech) is out of reach; unbound, he is not.
    assert_eq!(
        w.exp("max", Action::ExpenseApprove, "tim", Submitted)
            .code(),
        "out_of_scope"
    );
    assert!(w.on("mia", Action::CardIssue, "emma").is_allowed());
    assert_eq!(w.on("mia", Action::CardIssue, "tim").code(), "out_of_scope");
    let mut w = w;
    w.set("max", vec![GrantSpec::role("manager_advanced")]);
    assert!(w
        .exp("max", Action::ExpenseApprove, "tim", Submitted)
        .is_allowed());
    // Employee: "Their access is limited to their own transactions, receipts and uploaded
    // invoices ... they can submit transfer requests."
    assert!(w.on("emma", Action::TransactionView, "emma").is_allowed());
    assert_eq!(
        w.on("emma", Action::TransactionView, "tim").code(),
        "out_of_scope"
    );
    assert!(w.co("emma", Action::TransferRequest).is_allowed());
    assert!(w.co("emma", Action::CardRequest).is_allowed());
    // Accountant, "designed to suit the needs of your external accountant": reads every
    // transaction, "make transfer requests", but holds no card as an external.
    assert!(w.on("abe", Action::TransactionView, "tim").is_allowed());
    assert!(w.co("abe", Action::TransferRequest).is_allowed());
    assert_eq!(w.co("abe", Action::CardRequest).code(), "no_permission");
    assert_eq!(
        w.on("abe", Action::TransferApprove, "tim").code(),
        "no_permission"
    );
}

#[test]
fn outlay_seed_rules() {
    let w = acme();
    // "auditors read everything and change nothing"
    assert!(w
        .exp("audrey", Action::ExpenseView, "erin", Approved)
        .is_allowed());
    assert_eq!(
        w.exp("audrey", Action::ExpenseEdit, "erin", Draft).code(),
        "read_only_role"
    );
    // "finance everything": sees all, approves all, overrides; no user management.
    assert!(w
        .exp("fiona", Action::ExpenseApprove, "erin", Submitted)
        .is_allowed());
    assert_eq!(w.co("fiona", Action::MemberInvite).code(), "no_permission");
    // The owner alone closes the account; the admin does everything else.
    assert!(w.co("olivia", Action::AccountClose).is_allowed());
    assert_eq!(w.co("adam", Action::AccountClose).code(), "no_permission");
    assert!(w.co("adam", Action::BillingManage).is_allowed());
}

// ---------------------------------------------------------------------------------------
// 4. Caps and switched-off groups.
// ---------------------------------------------------------------------------------------

#[test]
fn an_admin_with_a_card_limit_cap_sets_limits_up_to_it_and_not_above() {
    // Pliant: "a maximum amount up to which the admin can assign card limits".
    let mut w = World::of(&demo::PLIANT);
    w.set("amy", vec![capped("admin", None, Some(50_000), None)]);
    assert_eq!(
        w.amount("amy", Action::CardLimits, "cara", 50_001),
        Decision::Denied(Reason::OverCap {
            cap: 50_000,
            amount: 50_001,
        })
    );
    assert_eq!(
        w.amount("amy", Action::CardIssue, "cara", 60_000).code(),
        "over_cap"
    );
    assert!(w
        .amount("amy", Action::CardLimits, "cara", 50_000)
        .is_allowed());
    assert!(w.amount("amy", Action::CardLimits, "cara", 1).is_allowed());
    // No amount, or an action the cap does not govern: the cap does not apply.
    assert!(w.on("amy", Action::CardLimits, "cara").is_allowed());
    assert!(w
        .amount("amy", Action::CardView, "cara", 90_000)
        .is_allowed());
    assert!(w
        .amount("amy", Action::SettingsView, "cara", 90_000)
        .is_allowed());
    // The cap governs approvals too.
    assert_eq!(
        w.amount("amy", Action::CardRequestApprove, "cara", 90_000)
            .code(),
        "over_cap"
    );
    // The over-cap refusal is a 403, not a conflict.
    assert_eq!(
        Reason::OverCap { cap: 1, amount: 2 }.kind(),
        DenialKind::Forbidden
    );
}

#[test]
fn a_team_manager_issues_cards_only_within_the_cap() {
    // Pliant: team managers "issue new cards to team members and change card limits, however
    // only within the maximum limits previously set by an owner or an admin".
    let mut w = World::of(&demo::PLIANT);
    let field = w.team("Field");
    w.set(
        "tom",
        vec![capped("team_manager", Some(field), Some(20_000), None)],
    );
    assert!(w
        .amount("tom", Action::CardIssue, "cara", 20_000)
        .is_allowed());
    assert_eq!(
        w.amount("tom", Action::CardIssue, "cara", 20_001).code(),
        "over_cap"
    );
    // Out of the team, the scope refuses first, whatever the amount.
    assert_eq!(
        w.amount("tom", Action::CardIssue, "carl", 1).code(),
        "out_of_scope"
    );
}

#[test]
fn an_admin_who_may_not_issue_to_themself_issues_to_others() {
    // Pliant: owners "decide whether admins should be able to issue cards to themselves".
    let mut w = World::of(&demo::PLIANT);
    w.set("amy", vec![capped("admin", None, None, Some(false))]);
    assert_eq!(
        w.on("amy", Action::CardIssue, "amy"),
        Decision::Denied(Reason::SelfIssue)
    );
    assert_eq!(w.on("amy", Action::CardLimits, "amy").code(), "self_issue");
    assert!(w.on("amy", Action::CardIssue, "cara").is_allowed());
    assert!(w.on("amy", Action::CardView, "amy").is_allowed());
    // Some(true) and None both allow it.
    for opt in [Some(true), None] {
        w.set("amy", vec![capped("admin", None, None, opt)]);
        assert!(
            w.on("amy", Action::CardIssue, "amy").is_allowed(),
            "{opt:?}"
        );
    }
}

#[test]
fn a_second_uncapped_grant_still_allows_and_is_named() {
    let mut w = World::of(&demo::PLIANT);
    let field = w.team("Field");
    w.set(
        "tom",
        vec![
            capped("team_manager", Some(field), Some(10_000), Some(false)),
            GrantSpec::role("admin"),
        ],
    );
    let g = granted(w.amount("tom", Action::CardLimits, "cara", 25_000));
    assert_eq!(
        (g.grant, g.role.as_ref(), g.team),
        (w.gid("tom", 1), "admin", None)
    );
    // Under the cap, the first grant that reaches is the one named.
    let g = granted(w.amount("tom", Action::CardLimits, "cara", 5_000));
    assert_eq!(
        (g.grant, g.role.as_ref()),
        (w.gid("tom", 0), "team_manager")
    );
    // With only capped grants, the cap is the refusal even when another grant is out of
    // scope.
    w.set(
        "tom",
        vec![
            capped("team_manager", Some(field), Some(10_000), None),
            capped("team_manager", Some(w.team("Office")), None, None),
        ],
    );
    assert_eq!(
        w.amount("tom", Action::CardLimits, "cara", 25_000).code(),
        "over_cap"
    );
}

#[test]
fn a_manager_approves_expenses_up_to_the_cap_of_the_grant() {
    let mut w = acme();
    w.set("mark", vec![capped("manager", None, Some(10_000), None)]);
    let res = |amount| w.expense("mark", "alice", Submitted, Some(amount));
    let ask = |amount| {
        w.ask(
            "mark",
            Action::ExpenseApprove,
            res(amount),
            Context::at(NOW),
        )
    };
    assert!(ask(10_000).is_allowed());
    assert_eq!(
        ask(10_001),
        Decision::Denied(Reason::OverCap {
            cap: 10_000,
            amount: 10_001
        })
    );
    // The cap never caps viewing.
    assert!(w
        .ask(
            "mark",
            Action::ExpenseView,
            res(1_000_000),
            Context::at(NOW)
        )
        .is_allowed());
}

// ---------------------------------------------------------------------------------------
// 5. Delegation.
// ---------------------------------------------------------------------------------------

#[test]
fn a_delegate_approves_the_delegators_team_on_their_behalf() {
    // Eloope: "they can set up delegation to route approvals to another manager temporarily".
    let w = World::of(&demo::ELOOPE);
    let g = granted(w.for_(
        "nia",
        "max",
        DelegationKind::Approve,
        Action::ExpenseApprove,
        "eve",
        Submitted,
    ));
    assert_eq!(g.on_behalf_of, Some(w.id("max")));
    assert_eq!((g.grant, g.role.as_ref()), (w.gid("max", 0), "manager"));
    assert!(g
        .to_string()
        .ends_with(&format!(", on behalf of member {}", w.id("max"))));
    // The delegate's own rights do not decide: nia alone does not reach eve.
    assert_eq!(
        w.exp("nia", Action::ExpenseApprove, "eve", Submitted)
            .code(),
        "out_of_scope"
    );
    // Views and report approvals are covered too.
    assert!(w
        .for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseView,
            "eve",
            Submitted
        )
        .is_allowed());
    assert!(w
        .for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ReportApprove,
            "eve",
            Submitted
        )
        .is_allowed());
}

#[test]
fn the_delegators_grants_decide_not_the_delegates() {
    // fred (finance) approves everyone's expenses himself, but acting for max he reaches only
    // max's line: ian is outside it.
    let w = World::of(&demo::ELOOPE);
    assert!(w
        .exp("fred", Action::ExpenseApprove, "ian", Submitted)
        .is_allowed());
    assert_eq!(
        w.for_(
            "fred",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "ian",
            Submitted
        ),
        Decision::Denied(Reason::OutOfScope {
            action: Action::ExpenseApprove,
            held: Scope::Team,
            needed: Scope::All,
        })
    );
    // An employee delegator gives nothing to approve.
    assert_eq!(
        w.for_(
            "nia",
            "eve",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "max",
            Submitted
        )
        .code(),
        "no_permission"
    );
}

#[test]
fn a_delegate_never_approves_the_delegators_expense_nor_their_own() {
    let mut w = World::of(&demo::ELOOPE);
    assert_eq!(
        w.for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "max",
            Submitted
        ),
        Decision::Denied(Reason::SelfApproval)
    );
    // eve reports to max; as max's delegate (a manager herself, or she could approve
    // nothing) she still may not approve her own expense.
    w.set("eve", vec![GrantSpec::role("manager")]);
    assert_eq!(
        w.for_(
            "eve",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "eve",
            Submitted
        )
        .code(),
        "four_eyes"
    );
    // nia's own expense, once nia reports to max.
    w.set_manager("nia", Some("max"));
    assert_eq!(
        w.for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "nia",
            Submitted
        )
        .code(),
        "four_eyes"
    );
}

#[test]
fn a_delegation_lends_reach_never_a_verb_the_delegate_lacks() {
    use crate::member::check_delegate_holds;
    let mut w = World::of(&demo::ELOOPE);
    // Given: a manager takes another manager's approvals; an employee or an auditor none.
    assert_eq!(
        check_delegate_holds(w.p("nia"), DelegationKind::Approve, NOW),
        Ok(())
    );
    let employee = check_delegate_holds(w.p("eve"), DelegationKind::Approve, NOW).unwrap_err();
    assert_eq!(employee.field, "delegate_id");
    assert!(
        employee
            .to_string()
            .contains("does not hold `expense.approve`"),
        "{employee}"
    );
    assert_eq!(
        check_delegate_holds(w.p("eve"), DelegationKind::Submit, NOW),
        Ok(())
    );
    for kind in [DelegationKind::Approve, DelegationKind::Submit] {
        let auditor = check_delegate_holds(w.p("aud"), kind, NOW).unwrap_err();
        assert_eq!(auditor.field, "delegate_id");
        assert!(auditor.to_string().contains("read-only"), "{auditor}");
    }
    // Used: nia approves eve's expense for max while she is a manager...
    assert!(w
        .for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "eve",
            Submitted
        )
        .is_allowed());
    // ...and, once an employee only, not any more, though max still could.
    w.set("nia", vec![GrantSpec::role("employee")]);
    assert_eq!(
        w.for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "eve",
            Submitted
        ),
        Decision::Denied(Reason::DelegateLacksAction {
            action: Action::ExpenseApprove
        })
    );
    assert!(w
        .exp("max", Action::ExpenseApprove, "eve", Submitted)
        .is_allowed());
    // Viewing is a verb she still holds (her own), so max's reach lends her eve's expense.
    assert!(w
        .for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseView,
            "eve",
            Submitted
        )
        .is_allowed());
    // A grant of the verb that is not active yet gives nothing either.
    w.set(
        "nia",
        vec![GrantSpec {
            valid_from: Some(Timestamp(NOW.0 + 1)),
            ..GrantSpec::role("manager")
        }],
    );
    assert_eq!(
        w.for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "eve",
            Submitted
        )
        .code(),
        "delegate_lacks_action"
    );

    // Plane's payment request assistant submits for will, creates nothing for him.
    let w = World::of(&demo::PLANE);
    assert_eq!(
        check_delegate_holds(w.p("pam"), DelegationKind::Submit, NOW),
        Ok(())
    );
    assert!(check_delegate_holds(w.p("pam"), DelegationKind::Approve, NOW).is_err());
    let create = Context {
        on_behalf_of: Some(OnBehalf {
            delegator: w.p("will"),
            kind: DelegationKind::Submit,
        }),
        ..Context::at(NOW)
    };
    let mine = ResourceRef::of_member(w.t("will", "will"));
    assert_eq!(
        w.ask("pam", Action::ExpenseCreate, mine, create).code(),
        "delegate_lacks_action"
    );
    assert!(w
        .for_(
            "pam",
            "will",
            DelegationKind::Submit,
            Action::ExpenseSubmit,
            "will",
            Draft
        )
        .is_allowed());
}

#[test]
fn four_eyes_binds_every_hand_that_made_an_expense() {
    /// eve's expense in `status` as `viewer` sees it, made with these hands besides hers.
    fn made<'a>(
        w: &'a World,
        viewer: &str,
        status: ExpenseStatus,
        hands: &'a [MemberId],
    ) -> ResourceRef<'a> {
        ResourceRef {
            hands,
            ..w.expense(viewer, "eve", status, Some(1_000))
        }
    }
    let w = World::of(&demo::ELOOPE);
    let (max, ada, fred, nia) = ([w.id("max")], [w.id("ada")], [w.id("fred")], [w.id("nia")]);
    let now = Context::at(NOW);
    // max created eve's expense for her (under her submit delegation): he never decides it.
    let mine = made(&w, "max", Submitted, &max);
    assert_eq!(
        w.ask("max", Action::ExpenseApprove, mine, now),
        Decision::Denied(Reason::SelfApproval)
    );
    // Hands bind decisions only: he still sees what he prepared.
    assert!(w.ask("max", Action::ExpenseView, mine, now).is_allowed());
    // Another's hand does not bind him.
    let adas = made(&w, "max", Submitted, &ada);
    assert!(w.ask("max", Action::ExpenseApprove, adas, now).is_allowed());
    // Nor does fred override what he edited.
    let edited = made(&w, "fred", Approved, &fred);
    assert_eq!(
        w.ask("fred", Action::ExpenseOverride, edited, now).code(),
        "four_eyes"
    );
    // Nobody approves for max what max had a hand in, nor what they did themself.
    let for_max = Context {
        on_behalf_of: Some(OnBehalf {
            delegator: w.p("max"),
            kind: DelegationKind::Approve,
        }),
        ..now
    };
    for hands in [&max, &nia] {
        let e = made(&w, "max", Submitted, hands);
        assert_eq!(
            w.ask("nia", Action::ExpenseApprove, e, for_max).code(),
            "four_eyes"
        );
    }
    assert!(w
        .ask("nia", Action::ExpenseApprove, adas, for_max)
        .is_allowed());
}

#[test]
fn a_delegation_covers_only_its_kind_of_action() {
    let w = World::of(&demo::ELOOPE);
    for a in [
        Action::ExpenseReimburse,
        Action::ExpenseEdit,
        Action::MemberInvite,
        Action::ExpenseOverride,
        Action::DelegationManage,
    ] {
        assert_eq!(
            w.for_("nia", "ada", DelegationKind::Approve, a, "eve", Submitted),
            Decision::Denied(Reason::NotDelegated { action: a }),
            "{}",
            a.key()
        );
    }
    // A submit delegation never approves (Plane's payment request assistant).
    let w = World::of(&demo::PLANE);
    assert_eq!(
        w.for_(
            "pam",
            "mo",
            DelegationKind::Submit,
            Action::ExpenseApprove,
            "will",
            Submitted
        ),
        Decision::Denied(Reason::NotDelegated {
            action: Action::ExpenseApprove
        })
    );
    assert_eq!(
        w.for_(
            "pam",
            "will",
            DelegationKind::Submit,
            Action::ReportApprove,
            "walt",
            Submitted
        )
        .code(),
        "not_delegated"
    );
    // ...but submits for the delegator, on their own expense.
    let g = granted(w.for_(
        "pam",
        "will",
        DelegationKind::Submit,
        Action::ExpenseSubmit,
        "will",
        Draft,
    ));
    assert_eq!(g.on_behalf_of, Some(w.id("will")));
    assert!(w
        .for_(
            "pam",
            "will",
            DelegationKind::Submit,
            Action::ExpenseEdit,
            "will",
            Draft
        )
        .is_allowed());
    assert_eq!(
        w.for_(
            "pam",
            "will",
            DelegationKind::Submit,
            Action::ExpenseSubmit,
            "walt",
            Draft
        )
        .code(),
        "out_of_scope"
    );
    // The kinds cover what they say.
    for a in Action::all() {
        let approve = matches!(
            a,
            Action::ExpenseView
                | Action::ExpenseApprove
                | Action::ReportView
                | Action::ReportApprove
                | Action::AdvanceApprove
                | Action::TripApprove
                | Action::TimeOffApprove
        );
        assert_eq!(DelegationKind::Approve.covers(a), approve, "{}", a.key());
        if DelegationKind::Submit.covers(a) {
            assert!(
                !is_decision(a),
                "a submit delegation covers the decision {}",
                a.key()
            );
        }
    }
}

#[test]
fn an_archived_delegator_or_delegate_acts_for_nobody() {
    let mut w = World::of(&demo::ELOOPE);
    w.archive("max");
    assert_eq!(
        w.for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "eve",
            Submitted
        ),
        Decision::Denied(Reason::Archived)
    );
    let mut w = World::of(&demo::ELOOPE);
    w.archive("nia");
    assert_eq!(
        w.for_(
            "nia",
            "max",
            DelegationKind::Approve,
            Action::ExpenseApprove,
            "eve",
            Submitted
        )
        .code(),
        "archived"
    );
}

#[test]
fn a_permit_records_the_actor_and_the_delegator() {
    let w = World::of(&demo::ELOOPE);
    let ctx = Context {
        on_behalf_of: Some(OnBehalf {
            delegator: w.p("max"),
            kind: DelegationKind::Approve,
        }),
        ..Context::at(NOW)
    };
    let req = Request {
        principal: w.p("nia"),
        action: Action::ExpenseApprove,
        resource: w.expense("max", "eve", Submitted, None),
        context: ctx,
    };
    let (p, g) = permit(&req).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(
        (p.action(), p.actor(), p.on_behalf_of()),
        (Action::ExpenseApprove, w.id("nia"), Some(w.id("max")))
    );
    assert_eq!(g.on_behalf_of, Some(w.id("max")));
    let own = Request {
        resource: w.expense("max", "max", Submitted, None),
        ..req
    };
    assert_eq!(permit(&own).map(|_| ()), Err(Reason::SelfApproval));
}

// ---------------------------------------------------------------------------------------
// 6. Forbids: archived, closed company, four-eyes, status rules; base role; externals.
// ---------------------------------------------------------------------------------------

#[test]
fn a_closed_company_changes_nothing_and_only_auditors_and_owners_read() {
    let w = acme();
    // Reads: members holding audit.view through an unbound grant.
    for who in ["audrey", "olivia", "adam"] {
        assert!(
            w.closed(who, Action::ExpenseView, Some("alice"))
                .is_allowed(),
            "{who}"
        );
        assert!(w.closed(who, Action::AuditView, None).is_allowed(), "{who}");
    }
    assert!(w.closed("audrey", Action::ExportCreate, None).is_allowed());
    // Everyone else reads nothing, not even their own.
    for who in ["alice", "mark", "fiona", "bea"] {
        let d = w.closed(who, Action::ExpenseView, Some(who));
        assert_eq!(d, Decision::Denied(Reason::CompanyClosed), "{who}");
    }
    // Nobody changes anything, the owner included.
    for a in [
        Action::ExpenseEdit,
        Action::SettingsManage,
        Action::AccountClose,
        Action::MemberInvite,
        Action::RoleAssign,
    ] {
        let d = w.closed("olivia", a, Some("olivia"));
        assert_eq!(d.code(), "company_closed", "{}", a.key());
    }
    // A 409.
    assert_eq!(Reason::CompanyClosed.kind(), DenialKind::Conflict);
}

#[test]
fn a_team_bound_auditor_reads_nothing_in_a_closed_company() {
    let mut w = acme();
    let sales = w.team("Sales");
    w.set("audrey", vec![GrantSpec::for_team("auditor", sales)]);
    assert_eq!(
        w.closed("audrey", Action::ExpenseView, Some("alice"))
            .code(),
        "company_closed"
    );
    // Pleo's finance role holds audit.view: it reads a closed company.
    let w = World::of(&demo::PLEO);
    assert!(w
        .closed("fin", Action::ExpenseView, Some("ed"))
        .is_allowed());
    assert_eq!(
        w.closed("ed", Action::ExpenseView, Some("ed")).code(),
        "company_closed"
    );
}

#[test]
fn archived_members_do_nothing_and_that_comes_first() {
    let mut w = acme();
    w.archive("olivia");
    assert_eq!(
        w.co("olivia", Action::SettingsView),
        Decision::Denied(Reason::Archived)
    );
    assert_eq!(
        w.exp("olivia", Action::ExpenseView, "olivia", Draft).code(),
        "archived"
    );
    assert_eq!(
        w.closed("olivia", Action::AuditView, None).code(),
        "archived"
    );
    assert!(w.p("olivia").permissions(NOW).is_empty());
    // A Pliant member archived loses the base role too.
    let mut w = World::of(&demo::PLIANT);
    w.archive("carl");
    assert_eq!(w.on("carl", Action::CardView, "carl").code(), "archived");
}

#[test]
fn nobody_decides_their_own_submission() {
    let w = acme();
    for a in [Action::ExpenseApprove, Action::ExpenseOverride] {
        for who in ["olivia", "adam", "fiona", "mark"] {
            let status = if a == Action::ExpenseApprove {
                Submitted
            } else {
                Approved
            };
            assert_eq!(
                w.exp(who, a, who, status).code(),
                "four_eyes",
                "{who}: {}",
                a.key()
            );
        }
    }
    for a in [
        Action::ReportApprove,
        Action::AdvanceApprove,
        Action::TripApprove,
        Action::TimeOffApprove,
        Action::CardRequestApprove,
        Action::TransferApprove,
        Action::PaymentApprove,
    ] {
        assert_eq!(
            w.on("olivia", a, "olivia").code(),
            "four_eyes",
            "{}",
            a.key()
        );
    }
    // Four-eyes comes before the status rules and before the grants.
    assert_eq!(
        w.exp("alice", Action::ExpenseApprove, "alice", Draft)
            .code(),
        "four_eyes"
    );
    // Viewing or editing one's own is no decision; correcting its amount after approval is.
    assert!(w.on("olivia", Action::MemberView, "olivia").is_allowed());
    assert_eq!(
        w.exp("olivia", Action::ExpenseCorrect, "olivia", Approved)
            .code(),
        "four_eyes"
    );
}

#[test]
fn expense_status_rules_hold_after_the_allow() {
    let w = acme();
    // "approved is final": nobody edits or deletes it, the owner included.
    for who in ["olivia", "bea"] {
        assert_eq!(
            w.exp(who, Action::ExpenseEdit, "alice", Approved),
            Decision::Denied(Reason::ApprovedImmutable),
            "{who}"
        );
    }
    assert_eq!(
        w.exp("olivia", Action::ExpenseDelete, "alice", Approved)
            .code(),
        "approved_immutable"
    );
    assert_eq!(
        w.exp("alice", Action::ExpenseEdit, "alice", Approved)
            .code(),
        "approved_immutable"
    );
    // Drafts and rejected ones are editable and submittable; submitted ones are not.
    for s in [Draft, Rejected] {
        assert!(w.exp("alice", Action::ExpenseEdit, "alice", s).is_allowed());
        assert!(w
            .exp("alice", Action::ExpenseSubmit, "alice", s)
            .is_allowed());
        assert!(w
            .exp("alice", Action::ExpenseDelete, "alice", s)
            .is_allowed());
    }
    assert_eq!(
        w.exp("alice", Action::ExpenseEdit, "alice", Submitted),
        Decision::Denied(Reason::WrongStatus {
            noun: "an expense",
            status: "submitted",
            action: "edit"
        })
    );
    assert_eq!(
        w.exp("alice", Action::ExpenseSubmit, "alice", Approved),
        Decision::Denied(Reason::WrongStatus {
            noun: "an expense",
            status: "approved",
            action: "submit"
        })
    );
    // Only submitted expenses are decided; only decided ones overridden; only approved ones
    // corrected.
    for s in [Draft, Approved, Rejected] {
        assert_eq!(
            w.exp("mark", Action::ExpenseApprove, "alice", s).code(),
            "wrong_status",
            "{s:?}"
        );
    }
    assert_eq!(
        w.exp("fiona", Action::ExpenseOverride, "alice", Submitted)
            .code(),
        "wrong_status"
    );
    assert_eq!(
        w.exp("bea", Action::ExpenseCorrect, "alice", Submitted)
            .code(),
        "wrong_status"
    );
    assert!(w
        .exp("bea", Action::ExpenseCorrect, "alice", Approved)
        .is_allowed());
    // Without the right, the refusal is about the right, not the status.
    assert_eq!(
        w.exp("bob", Action::ExpenseEdit, "alice", Approved).code(),
        "out_of_scope"
    );
    assert_eq!(Reason::ApprovedImmutable.kind(), DenialKind::Conflict);
}

#[test]
fn the_buttons_an_expense_shows_follow_the_same_rules() {
    let w = acme();
    let facts = |viewer: &str, status| ExpenseFacts {
        id: 1,
        owner: w.t(viewer, "alice"),
        status,
        amount_minor: Some(1_000),
        category: None,
        hands: &[],
        report: None,
    };
    let ctx = Context::at(NOW);
    assert_eq!(
        expense_actions(w.p("alice"), ctx, &facts("alice", Draft)),
        ["edit", "delete", "submit"]
    );
    assert_eq!(
        expense_actions(w.p("alice"), ctx, &facts("alice", Submitted)),
        Vec::<&str>::new()
    );
    assert_eq!(
        expense_actions(w.p("mark"), ctx, &facts("mark", Submitted)),
        ["approve", "reject"]
    );
    assert_eq!(
        expense_actions(w.p("fiona"), ctx, &facts("fiona", Approved)),
        ["override", "correct"]
    );
    assert_eq!(
        expense_actions(w.p("bea"), ctx, &facts("bea", Approved)),
        ["correct"]
    );
    assert_eq!(
        expense_actions(w.p("nora"), ctx, &facts("nora", Submitted)),
        Vec::<&str>::new()
    );
    let d = expense(
        w.p("mark"),
        ctx,
        ExpenseAction::Reject,
        &facts("mark", Submitted),
    );
    assert_eq!(granted(d).permission.action, Action::ExpenseApprove);
    assert_eq!(
        ExpenseAction::parse("expense.reject"),
        Some(ExpenseAction::Reject)
    );
}

#[test]
fn the_base_role_is_held_by_every_active_member_without_a_grant() {
    let w = World::of(&demo::PLIANT);
    for who in ["otto", "amy", "acc", "aldo", "tom", "cara", "carl"] {
        let p = w.p(who);
        assert!(p.grants()[0].base, "{who}");
        assert_eq!(p.grants()[0].grant.id, GrantId(0));
        assert!(p.stored_grants().all(|g| !g.base));
        // The base role comes first, so it is the one named for one's own transactions.
        let g = granted(w.on(who, Action::TransactionView, who));
        assert!(
            g.base && g.grant == GrantId(0) && &*g.role == "cardholder",
            "{who}: {g}"
        );
    }
    // The base role gives nothing beyond one's own.
    assert_eq!(
        w.on("cara", Action::CardView, "carl").code(),
        "out_of_scope"
    );
    assert_eq!(w.co("cara", Action::CardIssue).code(), "no_permission");
    // Presets without a base role give nothing without a grant.
    let mut w = acme();
    w.set("alice", vec![]);
    assert!(w.p("alice").grants().is_empty());
    assert_eq!(w.co("alice", Action::ExpenseCreate).code(), "no_permission");
}

#[test]
fn external_members_never_hold_cardholding_permissions() {
    let mut w = World::of(&demo::PLIANT);
    w.join(
        "ext",
        None,
        &["Field"],
        External,
        vec![GrantSpec::role("admin")],
    );
    // Not through the base role, not through admin.
    assert_eq!(w.co("ext", Action::CardRequest).code(), "no_permission");
    let base = &w.p("ext").grants()[0];
    assert!(
        base.base
            && base
                .permissions
                .intersect(crate::role::cardholding())
                .is_empty()
    );
    assert!(w
        .p("ext")
        .permissions(NOW)
        .intersect(crate::role::cardholding())
        .is_empty());
    // The rest of the base role and of admin stays.
    assert!(w.co("ext", Action::ExpenseCreate).is_allowed());
    assert!(w.on("ext", Action::CardIssue, "cara").is_allowed());
    // With only the base role, an external has no card of their own to see.
    w.join("ext2", None, &[], External, vec![]);
    assert_eq!(
        w.on("ext2", Action::CardView, "ext2").code(),
        "no_permission"
    );
    assert_eq!(
        w.on("ext2", Action::TransactionView, "ext2").code(),
        "no_permission"
    );
    assert!(w
        .exp("ext2", Action::ExpenseView, "ext2", Draft)
        .is_allowed());
}

#[test]
fn grants_give_only_within_their_window_and_roles_that_are_gone_give_nothing() {
    let mut w = acme();
    let ended = GrantSpec {
        valid_until: Some(NOW),
        ..GrantSpec::role("finance")
    };
    let future = GrantSpec {
        valid_from: Some(NOW.plus_seconds(1)),
        ..GrantSpec::role("admin")
    };
    w.set(
        "bob",
        vec![
            GrantSpec::role("employee"),
            ended,
            future,
            GrantSpec::role("no_such_role"),
        ],
    );
    assert_eq!(w.p("bob").grants().len(), 3, "the unknown role is dropped");
    assert_eq!(
        w.exp("bob", Action::ExpenseView, "erin", Submitted).code(),
        "out_of_scope"
    );
    assert_eq!(w.co("bob", Action::SettingsManage).code(), "no_permission");
    let at = |t: Timestamp| {
        decide(&Request {
            principal: w.p("bob"),
            action: Action::ExpenseView,
            resource: w.expense("bob", "erin", Submitted, None),
            context: Context::at(t),
        })
    };
    assert!(at(Timestamp(NOW.0 - 1)).is_allowed());
    assert!(!at(NOW).is_allowed());
}

#[test]
fn one_single_grant_must_hold_the_action_at_a_scope_that_reaches() {
    // Nothing merges across grants: expense.approve.direct of one grant and a bound team of
    // another do not add up to reaching an indirect report outside the team.
    let mut w = World::of(&demo::PLANE);
    let crew = w.team("Crew");
    w.set(
        "mo",
        vec![
            GrantSpec::role("manager"),
            GrantSpec::for_team("viewer", crew),
        ],
    );
    // walt is in Crew and mo's indirect report: the viewer@Crew grant sees him, but only
    // the manager grant approves, and it reaches direct reports only.
    assert!(w
        .exp("mo", Action::ExpenseView, "walt", Submitted)
        .is_allowed());
    assert_eq!(
        w.exp("mo", Action::ExpenseApprove, "walt", Submitted)
            .code(),
        "out_of_scope"
    );
    let g = granted(w.exp("mo", Action::ExpenseView, "walt", Submitted));
    assert_eq!((g.role.as_ref(), g.team), ("viewer", Some(crew)));
}

#[test]
fn refusals_name_the_most_telling_rule() {
    let w = acme();
    // No grant holds it at all.
    assert_eq!(
        w.co("alice", Action::SettingsManage),
        Decision::Denied(Reason::NoPermission {
            action: Action::SettingsManage
        })
    );
    // A read-only role is held and nothing else allows the change.
    assert_eq!(
        w.co("audrey", Action::SettingsManage),
        Decision::Denied(Reason::ReadOnlyRole {
            role: Arc::from("auditor"),
            action: Action::SettingsManage
        })
    );
    assert_eq!(w.co("audrey", Action::PayrollRun).code(), "read_only_role");
    // Reads refused to a read-only holder are plain no_permission.
    assert_eq!(w.co("audrey", Action::PayrollView).code(), "no_permission");
    assert_eq!(w.co("alice", Action::AuditView).code(), "no_permission");
    // A read-only role held beside a role that allows the change does not refuse it.
    let mut w = w;
    w.set(
        "audrey",
        vec![GrantSpec::role("auditor"), GrantSpec::role("finance")],
    );
    assert!(w.co("audrey", Action::RateManage).is_allowed());
    for r in [
        Reason::NoPermission {
            action: Action::AuditView,
        },
        Reason::SelfApproval,
        Reason::NotDelegated {
            action: Action::AuditView,
        },
        Reason::SelfIssue,
    ] {
        assert_eq!(r.kind(), DenialKind::Forbidden, "{}", r.code());
    }
}

#[test]
fn the_list_scope_of_each_grant_is_what_decide_reaches() {
    let mut w = acme();
    let sales = w.team("Sales");
    w.set(
        "nora",
        vec![
            GrantSpec::role("manager"),
            GrantSpec::for_team("team_manager", sales),
        ],
    );
    let s = w
        .p("nora")
        .list_scope(NOW, Action::ExpenseView)
        .expect("a scope");
    for owner in ["nora", "erin", "mark", "alice", "bob", "olivia", "fiona"] {
        let t = w.t("nora", owner);
        let listed = s.reaches(&t);
        let decided = w
            .exp("nora", Action::ExpenseView, owner, Submitted)
            .is_allowed();
        assert_eq!(listed, decided, "{owner}");
    }
    assert_eq!(
        w.p("nora")
            .list_scope(NOW, Action::ExpenseApprove)
            .map(|s| s.teams),
        Some(vec![])
    );
}

#[test]
fn a_team_bound_grant_lists_no_company_level_data() {
    // decide never allows audit.view through auditor@Sales; the list scope and the
    // effective permissions shown on pages should agree.
    let mut w = acme();
    let sales = w.team("Sales");
    w.set("audrey", vec![GrantSpec::for_team("auditor", sales)]);
    assert!(!w.co("audrey", Action::AuditView).is_allowed());
    assert_eq!(w.p("audrey").list_scope(NOW, Action::AuditView), None);
    assert!(w
        .p("audrey")
        .effective(NOW)
        .iter()
        .all(|e| !e.permission.info().company_level));
}

#[test]
fn member_and_team_buttons_follow_the_rules() {
    let w = acme();
    let ctx = Context::at(NOW);
    let acts = |actor: &str, target: &str| {
        member_actions(w.p(actor), ctx, w.t(actor, target), w.p(target))
    };
    assert_eq!(
        acts("olivia", "adam"),
        [
            "view_permissions",
            "edit_grants",
            "set_manager",
            "edit_profile",
            "archive"
        ]
    );
    // The admin does not touch the owner's grants nor archive her.
    assert_eq!(
        acts("adam", "olivia"),
        ["view_permissions", "set_manager", "edit_profile"]
    );
    assert_eq!(acts("alice", "alice"), ["view_permissions"]);
    assert_eq!(acts("alice", "bob"), Vec::<&str>::new());
    assert_eq!(
        team_actions(w.p("adam"), ctx),
        ["add_member", "remove_member"]
    );
    assert_eq!(team_actions(w.p("mark"), ctx), Vec::<&str>::new());
}

#[test]
fn an_external_bookkeeper_never_issues_a_card_to_themself() {
    // Pleo: external bookkeepers "Do not have access to Pleo cards". xena (external,
    // bookkeeper_extended) orders cards for employees, but a card of her own would give her
    // exactly the access the seed denies.
    let w = World::of(&demo::PLEO);
    assert!(w.on("xena", Action::CardIssue, "ed").is_allowed());
    assert!(!w.on("xena", Action::CardIssue, "xena").is_allowed());
    assert!(!w
        .amount("xena", Action::CardLimits, "xena", 1_000)
        .is_allowed());
}

#[test]
fn an_override_goes_from_one_decision_to_the_other() {
    assert_eq!(override_status(true, Rejected), None);
    assert_eq!(override_status(false, Approved), None);
    for s in [Draft, Submitted, Approved] {
        assert_eq!(
            override_status(true, s).map(|r| r.code()),
            Some("wrong_status"),
            "{s:?}"
        );
    }
    for s in [Draft, Submitted, Rejected] {
        assert_eq!(
            override_status(false, s).map(|r| r.code()),
            Some("wrong_status"),
            "{s:?}"
        );
    }
}

#[test]
fn the_roles_one_may_grant_are_those_ones_grants_list() {
    let w = acme();
    let ctx = Context::at(NOW);
    let role = |k: &str| w.book.get(k).expect("role").clone();
    assert_eq!(role_actions(w.p("adam"), ctx, &role("finance")), ["grant"]);
    assert_eq!(
        role_actions(w.p("adam"), ctx, &role("admin")),
        Vec::<&str>::new()
    );
    assert_eq!(role_actions(w.p("olivia"), ctx, &role("admin")), ["grant"]);
    assert_eq!(
        role_actions(w.p("mark"), ctx, &role("employee")),
        Vec::<&str>::new()
    );
    let closed = Context {
        company_closed: true,
        ..ctx
    };
    assert_eq!(
        role_actions(w.p("olivia"), closed, &role("admin")),
        Vec::<&str>::new()
    );
    // A team-bound grant gives within its team: the role is still one to grant.
    let mut w = acme();
    let sales = w.team("Sales");
    w.set(
        "bea",
        vec![GrantSpec::for_team("accountant_extended", sales)],
    );
    let reviewer = w.book.get("expense_reviewer").expect("role").clone();
    assert_eq!(role_actions(w.p("bea"), ctx, &reviewer), ["grant"]);
    let finance = w.book.get("finance").expect("role").clone();
    assert_eq!(role_actions(w.p("bea"), ctx, &finance), Vec::<&str>::new());
    // Nobody in particular named, a bound grant gives to some member of its team only.
    let bound =
        |team| GrantAsk::give(&reviewer, &GrantSpec::role("expense_reviewer")).bound_to(team);
    assert!(assign(w.p("bea"), ctx, None, &bound(Some(sales))).is_allowed());
    assert_eq!(
        assign(w.p("bea"), ctx, None, &bound(None)).code(),
        "not_assignable"
    );
}

// ---------------------------------------------------------------------------------------
// Granting a role is a `role.assign` decision carrying the grant.
// ---------------------------------------------------------------------------------------

impl World {
    /// `actor` gives `target` the grant `spec`, with what is known of `target`.
    fn give(&self, actor: &str, target: &str, spec: &GrantSpec) -> Decision {
        let role = self.book.get(&spec.role).expect("role");
        let holder = self.p(target);
        let facts = GrantFacts {
            base: self.book.base().is_some_and(|b| b.key == role.key),
            holder_kind: holder.kind(),
            holder_has_role: holder.stored_grants().any(|g| g.role.key == role.key),
            other_tops: self
                .people
                .iter()
                .filter(|p| p.member() != holder.member() && p.stored_grants().any(|g| g.role.top))
                .count(),
        };
        let ask = GrantAsk::give(role, spec).with_facts(facts);
        assign(
            self.p(actor),
            Context::at(NOW),
            Some(self.t(actor, target)),
            &ask,
        )
    }

    /// `actor` takes the grant `spec` away from `target`.
    fn take(&self, actor: &str, target: &str, spec: &GrantSpec) -> Decision {
        let role = self.book.get(&spec.role).expect("role");
        let ask = GrantAsk::revoke(role, spec);
        assign(
            self.p(actor),
            Context::at(NOW),
            Some(self.t(actor, target)),
            &ask,
        )
    }
}

#[test]
fn an_allowed_grant_names_the_grant_and_permission_that_allowed_it() {
    let w = World::of(&demo::PLIANT);
    let g = granted(w.give("amy", "carl", &GrantSpec::role("accountant")));
    assert_eq!(g.permission, Permission::unscoped(Action::RoleAssign));
    assert_eq!((g.grant, &*g.role), (w.gid("amy", 0), "admin"));
    assert_eq!(
        g.to_string(),
        format!(
            "allowed by `role.assign` of role `admin` (grant {})",
            w.gid("amy", 0)
        )
    );
    // The same request, written out: the grant is the resource's payload.
    let accountant = w.book.get("accountant").expect("role");
    let ask = GrantAsk::give(accountant, &GrantSpec::role("accountant"));
    let d = decide(&Request {
        principal: w.p("amy"),
        action: Action::RoleAssign,
        resource: ResourceRef {
            grant: Some(&ask),
            ..ResourceRef::of_member(w.t("amy", "carl"))
        },
        context: Context::at(NOW),
    });
    assert_eq!(granted(d).grant, w.gid("amy", 0));
}

#[test]
fn a_role_no_grant_of_the_granter_lists_is_not_assignable() {
    let w = World::of(&demo::PLIANT);
    // Accountants assign nothing; admins do not list auditors... which owners control anyway.
    assert_eq!(
        w.give("acc", "carl", &GrantSpec::role("accountant")).code(),
        "not_assignable"
    );
    assert_eq!(
        w.take("acc", "acc", &GrantSpec::role("accountant")).code(),
        "not_assignable"
    );
    // Listing a role is not enough: the grant must hold `role.assign` too.
    let mut lister = custom("lister", &["member.view.all"]);
    lister.assignable = Assignable::Roles(vec![Arc::from("accountant")]);
    let mut w = World::with_roles(&demo::PLIANT, vec![lister]);
    w.set("acc", vec![GrantSpec::role("lister")]);
    assert_eq!(
        w.give("acc", "carl", &GrantSpec::role("accountant")).code(),
        "not_assignable"
    );
}

#[test]
fn a_capped_granter_hands_out_no_higher_cap_than_their_own() {
    let mut w = World::of(&demo::PLIANT);
    let field = w.team("Field");
    w.set("amy", vec![capped("admin", None, Some(100_000), None)]);
    let manager = |cap| capped("team_manager", Some(field), cap, None);
    assert_eq!(
        w.give("amy", "cara", &manager(Some(50_000))).code(),
        "granted"
    );
    assert_eq!(
        w.give("amy", "cara", &manager(Some(100_000))).code(),
        "granted"
    );
    assert_eq!(
        w.give("amy", "cara", &manager(Some(100_001))),
        Decision::Denied(Reason::OverCap {
            cap: 100_000,
            amount: 100_001
        })
    );
    // No cap is no limit at all: above every cap.
    assert_eq!(
        w.give("amy", "cara", &manager(None)),
        Decision::Denied(Reason::OverCap {
            cap: 100_000,
            amount: i64::MAX
        })
    );
    // Taking a grant away hands out nothing, whatever its cap; the owner sets any cap.
    assert_eq!(w.take("amy", "tom", &manager(None)).code(), "granted");
    assert_eq!(w.give("otto", "cara", &manager(None)).code(), "granted");
    // A role holding no capped action is given uncapped.
    assert_eq!(
        w.give("amy", "carl", &GrantSpec::role("accountant")).code(),
        "granted"
    );
}

#[test]
fn only_top_role_holders_grant_or_revoke_top_controlled_roles() {
    let w = World::of(&demo::PLIANT);
    for r in ["admin", "owner", "auditor"] {
        assert_eq!(
            w.give("amy", "carl", &GrantSpec::role(r)),
            Decision::Denied(Reason::OwnerOnly { role: r.into() })
        );
        assert_eq!(
            w.give("otto", "carl", &GrantSpec::role(r)).code(),
            "granted"
        );
    }
    assert_eq!(
        w.take("amy", "aldo", &GrantSpec::role("auditor")).code(),
        "owner_only"
    );
    assert_eq!(
        w.take("otto", "aldo", &GrantSpec::role("auditor")).code(),
        "granted"
    );
}

#[test]
fn a_team_bound_granter_gives_only_grants_bound_to_its_team_within_it() {
    let mut w = acme();
    let (sales, eng) = (w.team("Sales"), w.team("Engineering"));
    w.set(
        "bea",
        vec![GrantSpec::for_team("accountant_extended", sales)],
    );
    let reviewer = |team| GrantSpec {
        team,
        ..GrantSpec::role("expense_reviewer")
    };
    let g = granted(w.give("bea", "alice", &reviewer(Some(sales))));
    assert_eq!((g.grant, g.team), (w.gid("bea", 0), Some(sales)));
    assert!(g.to_string().contains("bound to team"), "{g}");
    // Unbound, bound to another team, or for someone outside the team: no.
    for (target, team) in [("alice", None), ("alice", Some(eng)), ("erin", Some(sales))] {
        assert_eq!(
            w.give("bea", target, &reviewer(team)).code(),
            "not_assignable",
            "{target} {team:?}"
        );
    }
    assert_eq!(
        w.take("bea", "alice", &GrantSpec::role("employee")).code(),
        "not_assignable"
    );
}

#[test]
fn nobody_gives_themself_a_grant_but_a_permanent_owner() {
    let mut w = acme();
    w.set(
        "adam",
        vec![GrantSpec::role("admin"), GrantSpec::role("finance")],
    );
    assert_eq!(
        w.give("adam", "adam", &GrantSpec::role("finance")),
        Decision::Denied(Reason::SelfGrant)
    );
    assert_eq!(
        w.give("adam", "bob", &GrantSpec::role("finance")).code(),
        "granted"
    );
    // Taking one's own grant away widens nothing.
    assert_eq!(
        w.take("adam", "adam", &GrantSpec::role("finance")).code(),
        "granted"
    );
    assert_eq!(
        w.give("olivia", "olivia", &GrantSpec::role("finance"))
            .code(),
        "granted"
    );
}

#[test]
fn the_rules_of_the_data_refuse_through_the_same_decision() {
    // The base role is never granted; external members hold no cards.
    let w = World::of(&demo::PLIANT);
    assert_eq!(
        w.give("otto", "carl", &GrantSpec::role("cardholder"))
            .code(),
        "base_role"
    );
    let mut w = acme();
    w.join("ext", None, &[], External, vec![]);
    let d = w.give("adam", "ext", &GrantSpec::role("finance"));
    assert_eq!(d.code(), "external_no_cards");
    assert_eq!(
        d.clone().into_result().map_err(|r| r.kind()),
        Err(DenialKind::Conflict)
    );
    // A single-holder role gets no second holder.
    let w = World::of(&demo::QONTO);
    assert_eq!(
        w.give("holly", "andy", &GrantSpec::role("account_holder"))
            .code(),
        "single_holder"
    );
    // Asked without the data's facts (who may decide a role request), only the right counts.
    let holder = w.book.get("account_holder").expect("role");
    let ask = GrantAsk::give(holder, &GrantSpec::role("account_holder"));
    let d = assign(
        w.p("holly"),
        Context::at(NOW),
        Some(w.t("holly", "andy")),
        &ask,
    );
    assert_eq!(d.code(), "granted");
}

#[test]
fn archived_granters_and_closed_companies_grant_nothing() {
    let mut w = World::of(&demo::PLIANT);
    let closed = Context {
        company_closed: true,
        ..Context::at(NOW)
    };
    let accountant = w.book.get("accountant").expect("role").clone();
    let ask = GrantAsk::give(&accountant, &GrantSpec::role("accountant"));
    let d = assign(w.p("otto"), closed, Some(w.t("otto", "carl")), &ask);
    assert_eq!(d.code(), "company_closed");
    w.archive("amy");
    assert_eq!(
        w.give("amy", "carl", &GrantSpec::role("accountant")).code(),
        "archived"
    );
}

#[test]
fn a_payout_account_is_set_by_its_member_alone_and_read_by_them_and_whoever_pays() {
    use crate::bank_account::{read, set};
    let w = World::of(&demo::ACME);
    let ctx = Context::at(NOW);
    assert!(set(w.p("alice"), ctx, w.t("alice", "alice")).is_ok());
    // `report.submit` reaches nobody but its holder: not her manager, finance or the owner.
    for who in ["bob", "mark", "fiona", "olivia"] {
        let refused = set(w.p(who), ctx, w.t(who, "alice"));
        assert_eq!(
            refused.err().map(|r| r.code()),
            Some("out_of_scope"),
            "{who}"
        );
    }
    for who in ["alice", "fiona", "bea", "olivia"] {
        assert_eq!(read(w.p(who), ctx, w.t(who, "alice")), Ok(()), "{who}");
    }
    for who in ["bob", "mark", "audrey", "nora"] {
        assert!(read(w.p(who), ctx, w.t(who, "alice")).is_err(), "{who}");
    }
    let closed = Context {
        company_closed: true,
        ..ctx
    };
    assert_eq!(
        set(w.p("alice"), closed, w.t("alice", "alice")).err(),
        Some(Reason::CompanyClosed)
    );
}
