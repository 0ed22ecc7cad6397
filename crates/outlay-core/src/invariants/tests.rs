//! The invariants, checked on the demo companies of every preset: who may assign which role
//! to whom, the last top-role holder, self-grants, the base role, external members, previews
//! of a change, archiving, reporting lines and custom roles.
//!
//! Member ids are the demo person's index in the company's `people` plus one (people added
//! by a test come after), team ids the index in `teams` plus one, and grant ids
//! `100 * member + position + 1`.

use super::*;
use crate::decision::DenialKind;
use crate::demo::{self, DemoCompany};
use crate::grant::{Grant, GrantOptions};
use crate::ids::GrantId;
use crate::org::OrgChart;
use crate::preset::{self, Preset};
use MemberKind::{External, Internal};

const NOW: Timestamp = Timestamp(1_800_000_000);

/// A company as the rules see it: its roles, its org chart and every member's principal.
struct World {
    preset: &'static Preset,
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

    fn with_roles(co: &'static DemoCompany, custom: Vec<Role>) -> World {
        let preset = preset::get(co.preset).expect("preset");
        let mut w = World {
            preset,
            book: RoleBook::new(preset, custom),
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

    /// Replaces `key`'s stored grants (and whether they are archived).
    fn reload(&mut self, key: &str, archived: bool, specs: Vec<GrantSpec>) {
        let old = self.p(key);
        let p = self.load(old.member(), archived, old.kind(), specs);
        self.people.retain(|q| q.member() != p.member());
        self.people.push(p);
    }

    fn set(&mut self, key: &str, specs: Vec<GrantSpec>) {
        let archived = self.p(key).archived();
        self.reload(key, archived, specs);
    }

    fn archive(&mut self, key: &str) {
        let specs = self.specs(key);
        self.reload(key, true, specs);
    }

    fn p(&self, key: &str) -> &Principal {
        let id = self.id(key);
        self.people
            .iter()
            .find(|p| p.member() == id)
            .unwrap_or_else(|| panic!("no principal `{key}`"))
    }

    fn t(&self, viewer: &str, owner: &str) -> Target<'_> {
        self.chart.target(self.id(viewer), self.id(owner))
    }

    fn specs(&self, key: &str) -> Vec<GrantSpec> {
        self.p(key)
            .stored_grants()
            .map(|g| g.grant.spec.clone())
            .collect()
    }

    /// Active members other than `key` holding a permanent top-role grant now.
    fn other_tops(&self, key: &str) -> usize {
        let id = self.id(key);
        self.people
            .iter()
            .filter(|p| p.member() != id && p.is_permanent_top(NOW))
            .count()
    }

    /// Members other than `key`, not archived, holding any grant of the top role.
    fn any_tops(&self, key: &str) -> usize {
        let id = self.id(key);
        self.people
            .iter()
            .filter(|p| p.member() != id && !p.archived() && p.stored_grants().any(|g| g.role.top))
            .count()
    }

    fn resolve(&self, specs: &[GrantSpec]) -> Vec<(GrantSpec, Role)> {
        resolve_grants(&self.book, specs).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `actor` replaces `target`'s stored grants with `proposed`.
    fn change_in(
        &self,
        ctx: Context<'_>,
        via: GrantVia,
        actor: &str,
        target: &str,
        proposed: &[GrantSpec],
    ) -> Result<Permit<crate::permit::GrantSet>, Reason> {
        let proposed = self.resolve(proposed);
        let t = self.p(target);
        let current: Vec<ResolvedGrant> = t.stored_grants().cloned().collect();
        let change = GrantChange {
            target: self.t(actor, target),
            target_archived: t.archived(),
            target_kind: t.kind(),
            current: &current,
            proposed: &proposed,
            other_permanent_tops: self.other_tops(target),
            other_tops: self.any_tops(target),
            top_role: self.preset.top,
            base_role: self.preset.base,
        };
        change_grants(self.p(actor), ctx, via, &change)
    }

    fn change(&self, actor: &str, target: &str, proposed: &[GrantSpec]) -> &'static str {
        code(self.change_in(Context::at(NOW), GrantVia::Assign, actor, target, proposed))
    }

    /// `actor` adds one grant to `target`'s.
    fn add(&self, actor: &str, target: &str, spec: GrantSpec) -> &'static str {
        let mut specs = self.specs(target);
        specs.push(spec);
        self.change(actor, target, &specs)
    }

    /// `actor` takes away `target`'s grants of `role`.
    fn revoke(&self, actor: &str, target: &str, role: &str) -> &'static str {
        let specs: Vec<GrantSpec> = self
            .specs(target)
            .into_iter()
            .filter(|s| s.role != role)
            .collect();
        self.change(actor, target, &specs)
    }

    /// `actor` invites `key` (already joined, with no grants) with `proposed`.
    fn invite(&self, actor: &str, key: &str, proposed: &[GrantSpec]) -> &'static str {
        code(self.change_in(Context::at(NOW), GrantVia::Invite, actor, key, proposed))
    }

    fn archive_member(&self, actor: &str, target: &str) -> &'static str {
        let r = archive_member(
            self.p(actor),
            Context::at(NOW),
            self.t(actor, target),
            self.p(target),
            self.other_tops(target),
            self.preset.top,
        );
        code(r)
    }

    fn diff(&self, target: &str, proposed: &[GrantSpec]) -> AccessDiff {
        access_diff(self.p(target), &self.resolve(proposed), NOW)
    }
}

/// `ok`, or the refusing rule's code.
fn code<P>(r: Result<P, Reason>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

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

fn until(role: &str, t: Timestamp) -> GrantSpec {
    GrantSpec {
        valid_until: Some(t),
        ..GrantSpec::role(role)
    }
}

fn role(key: &str) -> GrantSpec {
    GrantSpec::role(key)
}

fn acme() -> World {
    World::of(&demo::ACME)
}

// ---------------------------------------------------------------------------------------
// Who assigns whom, preset by preset.
// ---------------------------------------------------------------------------------------

#[test]
fn pleo_extended_bookkeeper_assigns_employees_and_reviewers_not_admins() {
    // Pleo: extended access adds "Add employees and manage roles", "Assign expense reviewer
    // permissions"; "Admins are required to ... Grant access to bookkeepers and reviewers".
    let mut w = World::of(&demo::PLEO);
    assert_eq!(w.add("xena", "fin", role("employee")), "ok");
    assert_eq!(w.add("xena", "ed", role("expense_reviewer")), "ok");
    assert_eq!(w.add("xena", "ed", role("bookkeeper_limited")), "ok");
    assert_eq!(w.revoke("xena", "rita", "expense_reviewer"), "ok");
    assert_eq!(w.add("xena", "ed", role("admin")), "owner_only");
    assert_eq!(w.add("xena", "ed", role("finance")), "not_assignable");
    assert_eq!(
        w.add("xena", "ed", role("bookkeeper_extended")),
        "not_assignable"
    );
    // The limited bookkeeper assigns nothing.
    assert_eq!(
        w.add("lars", "ed", role("expense_reviewer")),
        "not_assignable"
    );
    // The administrator grants every role, admin included.
    assert_eq!(w.add("paula", "lars", role("bookkeeper_extended")), "ok");
    assert_eq!(w.add("paula", "ed", role("admin")), "ok");
    assert_eq!(w.add("paula", "ed", role("finance")), "ok");
    // "Add employees": the extended bookkeeper invites with the employee role.
    w.join("newbie", None, &[], Internal, vec![]);
    assert_eq!(w.invite("xena", "newbie", &[role("employee")]), "ok");
    assert_eq!(w.invite("xena", "newbie", &[role("admin")]), "owner_only");
    assert_eq!(w.invite("lars", "newbie", &[]), "no_permission");
}

#[test]
fn pliant_admin_assigns_accountants_and_team_managers_not_admins_nor_auditors() {
    // Pliant: "Owners are the only ones who can assign or unassign the owner or admin roles";
    // "Admins can invite cardholders and accountants, but not other admins"; "Admins and
    // owners can assign the team manager role to any member".
    let mut w = World::of(&demo::PLIANT);
    let field = w.team("Field");
    assert_eq!(w.add("amy", "carl", role("accountant")), "ok");
    assert_eq!(
        w.add("amy", "carl", GrantSpec::for_team("team_manager", field)),
        "ok"
    );
    assert_eq!(w.revoke("amy", "tom", "team_manager"), "ok");
    for r in ["admin", "owner", "auditor"] {
        assert_eq!(w.add("amy", "carl", role(r)), "owner_only", "{r}");
    }
    assert_eq!(w.revoke("amy", "aldo", "auditor"), "owner_only");
    assert_eq!(w.revoke("amy", "otto", "owner"), "owner_only");
    // Owners assign anything.
    for r in ["admin", "owner", "auditor"] {
        assert_eq!(w.add("otto", "carl", role(r)), "ok", "{r}");
    }
    assert_eq!(w.revoke("otto", "amy", "admin"), "ok");
    // Accountants and team managers assign nothing.
    assert_eq!(w.add("acc", "carl", role("accountant")), "not_assignable");
    assert_eq!(
        w.add("tom", "cara", GrantSpec::for_team("team_manager", field)),
        "not_assignable"
    );
    // Inviting: a cardholder (no role but the base one), an accountant, not an admin.
    w.join("newbie", None, &["Field"], Internal, vec![]);
    assert_eq!(w.invite("amy", "newbie", &[]), "ok");
    assert_eq!(w.invite("amy", "newbie", &[role("accountant")]), "ok");
    assert_eq!(w.invite("amy", "newbie", &[role("admin")]), "owner_only");
    assert_eq!(w.invite("otto", "newbie", &[role("admin")]), "ok");
    assert_eq!(w.invite("acc", "newbie", &[]), "no_permission");
}

#[test]
fn plane_admins_make_admins_and_the_last_admin_stays() {
    // Plane: "Every workspace has at least one admin—the account owner."
    let mut w = World::of(&demo::PLANE);
    assert_eq!(w.add("pat", "mo", role("admin")), "ok");
    assert_eq!(w.add("pat", "will", role("direct_reports_payer")), "ok");
    assert_eq!(w.add("mo", "will", role("admin")), "owner_only");
    assert_eq!(w.add("frank", "will", role("manager")), "not_assignable");
    assert_eq!(w.change("pat", "pat", &[]), "last_owner");
    match w.change_in(Context::at(NOW), GrantVia::Assign, "pat", "pat", &[]) {
        Err(Reason::LastOwner { role }) => assert_eq!(role, "admin"),
        other => panic!("expected last_owner, got {:?}", other.map(|p| p.action())),
    }
    w.set("mo", vec![role("manager"), role("admin")]);
    assert_eq!(w.change("pat", "pat", &[]), "ok");
}

#[test]
fn qonto_admin_makes_admins_but_not_account_holders() {
    // Qonto: the admin "is granted the same rights as the Account Holder. However, is not
    // allowed to request the account closure."
    let w = World::of(&demo::QONTO);
    let tech = w.team("Tech");
    assert_eq!(w.add("andy", "tim", role("admin")), "ok");
    assert_eq!(
        w.add("andy", "tim", GrantSpec::for_team("manager_advanced", tech)),
        "ok"
    );
    assert_eq!(w.add("andy", "tim", role("manager_basic")), "ok");
    assert_eq!(w.add("andy", "tim", role("account_holder")), "owner_only");
    assert_eq!(w.revoke("andy", "holly", "account_holder"), "owner_only");
    assert_eq!(
        w.add("holly", "andy", role("account_holder")),
        "single_holder"
    );
    // Managers assign nothing, whatever their team.
    assert_eq!(
        w.add("max", "emma", role("manager_basic")),
        "not_assignable"
    );
    assert_eq!(w.add("mia", "emma", role("accountant")), "not_assignable");
}

#[test]
fn eloope_admin_assigns_and_nobody_else_does() {
    // Eloope: "Finance team members cannot manage users—they can't ... change role
    // assignments."
    let w = World::of(&demo::ELOOPE);
    assert_eq!(w.add("ada", "eve", role("manager")), "ok");
    assert_eq!(w.add("ada", "ian", role("admin")), "ok");
    for who in ["fred", "max", "aud", "eve"] {
        assert_eq!(
            w.add(who, "ian", role("manager")),
            "not_assignable",
            "{who}"
        );
    }
    assert_eq!(w.add("fred", "ian", role("admin")), "owner_only");
}

#[test]
fn a_team_bound_granter_assigns_only_team_bound_grants_within_its_team() {
    let mut w = acme();
    let (sales, eng) = (w.team("Sales"), w.team("Engineering"));
    w.set(
        "bea",
        vec![GrantSpec::for_team("accountant_extended", sales)],
    );
    // Within Sales, bound to Sales: yes.
    assert_eq!(
        w.add(
            "bea",
            "alice",
            GrantSpec::for_team("expense_reviewer", sales)
        ),
        "ok"
    );
    assert_eq!(
        w.add("bea", "bob", GrantSpec::for_team("accountant", sales)),
        "ok"
    );
    // Unbound grants, other teams, members outside the team: no.
    assert_eq!(
        w.add("bea", "alice", role("expense_reviewer")),
        "not_assignable"
    );
    assert_eq!(
        w.add("bea", "alice", GrantSpec::for_team("expense_reviewer", eng)),
        "not_assignable"
    );
    assert_eq!(
        w.add(
            "bea",
            "erin",
            GrantSpec::for_team("expense_reviewer", sales)
        ),
        "not_assignable"
    );
    assert_eq!(
        w.add("bea", "erin", GrantSpec::for_team("expense_reviewer", eng)),
        "not_assignable"
    );
    // Roles its role does not list: no, even within the team.
    assert_eq!(
        w.add("bea", "alice", GrantSpec::for_team("finance", sales)),
        "not_assignable"
    );
    // Revoking alice's unbound employee grant is beyond a Sales-bound granter too.
    assert_eq!(w.revoke("bea", "alice", "employee"), "not_assignable");
    // The same role unbound assigns company-wide.
    w.set("bea", vec![role("accountant_extended")]);
    assert_eq!(w.add("bea", "erin", role("expense_reviewer")), "ok");
    assert_eq!(
        w.add(
            "bea",
            "erin",
            GrantSpec::for_team("expense_reviewer", sales)
        ),
        "ok"
    );
    assert_eq!(w.revoke("bea", "alice", "employee"), "ok");
    // The `role.assign` decision says the same directly, naming the bound grant.
    w.set(
        "bea",
        vec![GrantSpec::for_team("accountant_extended", sales)],
    );
    let reviewer = w.book.get("expense_reviewer").expect("role").clone();
    let may = |team, target: &str| {
        let ask = GrantAsk::give(&reviewer, &GrantSpec::role("expense_reviewer")).bound_to(team);
        authorize::assign(w.p("bea"), Context::at(NOW), Some(w.t("bea", target)), &ask)
            .into_result()
            .map(|g| (g.permission.key(), g.team))
            .map_err(|r| r.code())
    };
    assert_eq!(
        may(Some(sales), "alice"),
        Ok(("role.assign".to_string(), Some(sales)))
    );
    assert_eq!(may(None, "alice"), Err("not_assignable"));
    assert_eq!(may(Some(sales), "erin"), Err("not_assignable"));
}

#[test]
fn a_team_bound_inviter_invites_into_its_team_only() {
    let mut w = World::with_roles(&demo::ACME, vec![custom("sales_hr", &["member.invite"])]);
    let sales = w.team("Sales");
    w.set("fiona", vec![GrantSpec::for_team("sales_hr", sales)]);
    w.join("in_sales", None, &["Sales"], Internal, vec![]);
    w.join("elsewhere", None, &["Engineering"], Internal, vec![]);
    assert_eq!(w.invite("fiona", "in_sales", &[]), "ok");
    assert_eq!(w.invite("fiona", "elsewhere", &[]), "out_of_scope");
}

// ---------------------------------------------------------------------------------------
// Self-grants, the last top-role holder, the base role, externals.
// ---------------------------------------------------------------------------------------

#[test]
fn nobody_adds_to_their_own_grants_but_permanent_owners() {
    let mut w = acme();
    // The admin assigns finance to others, not to himself.
    assert_eq!(w.add("adam", "bob", role("finance")), "ok");
    assert_eq!(w.add("adam", "adam", role("finance")), "self_grant");
    // Not even a longer window.
    w.set(
        "adam",
        vec![role("admin"), until("finance", NOW.plus_seconds(3_600))],
    );
    let longer = vec![role("admin"), until("finance", NOW.plus_seconds(7_200))];
    assert_eq!(w.change("adam", "adam", &longer), "self_grant");
    // Dropping one's own grant is fine.
    assert_eq!(w.change("adam", "adam", &[role("admin")]), "ok");
    // A permanent owner already holds everything for good.
    assert_eq!(w.add("olivia", "olivia", role("finance")), "ok");
    // A time-limited owner is not exempt.
    w.join(
        "tina",
        None,
        &[],
        Internal,
        vec![until("owner", NOW.plus_seconds(3_600))],
    );
    assert_eq!(w.add("tina", "tina", role("finance")), "self_grant");
    assert_eq!(w.change("tina", "tina", &[role("owner")]), "self_grant");
    assert_eq!(Reason::SelfGrant.kind(), DenialKind::Forbidden);
}

#[test]
fn the_company_keeps_one_active_permanent_top_role_holder() {
    let mut w = acme();
    match w.change_in(Context::at(NOW), GrantVia::Assign, "olivia", "olivia", &[]) {
        Err(r) => assert_eq!(
            r,
            Reason::LastOwner {
                role: "owner".into()
            }
        ),
        Ok(_) => panic!("the last owner dropped her grant"),
    }
    assert_eq!(
        Reason::LastOwner {
            role: "owner".into()
        }
        .kind(),
        DenialKind::Conflict
    );
    // Making the last owner's grant end is dropping it too.
    assert_eq!(
        w.change("olivia", "olivia", &[until("owner", NOW.plus_seconds(60))]),
        "last_owner"
    );
    // A second, time-limited owner does not count; an archived permanent one neither.
    w.join(
        "tina",
        None,
        &[],
        Internal,
        vec![until("owner", NOW.plus_seconds(3_600))],
    );
    assert_eq!(w.change("olivia", "olivia", &[]), "last_owner");
    w.join("oscar", None, &[], Internal, vec![role("owner")]);
    w.archive("oscar");
    assert_eq!(w.change("olivia", "olivia", &[]), "last_owner");
    // A second permanent, active owner does.
    w.reload("oscar", false, vec![role("owner")]);
    assert_eq!(w.change("olivia", "olivia", &[]), "ok");
    assert_eq!(w.change("olivia", "oscar", &[]), "ok");
    // Archiving follows the same rule.
    let w = acme();
    assert_eq!(w.archive_member("olivia", "olivia"), "last_owner");
}

#[test]
fn the_base_role_is_never_granted() {
    // Pliant: the cardholder role "does not need to be assigned and cannot be unassigned".
    let w = World::of(&demo::PLIANT);
    assert_eq!(w.add("otto", "carl", role("cardholder")), "base_role");
    assert_eq!(w.add("amy", "carl", role("cardholder")), "base_role");
    assert_eq!(
        Reason::BaseRole {
            role: "cardholder".into()
        }
        .kind(),
        DenialKind::Conflict
    );
    // Presets without a base role grant their employee role like any other.
    assert_eq!(acme().add("adam", "fiona", role("employee")), "ok");
}

#[test]
fn external_members_are_never_given_a_role_with_cards() {
    // Pleo: external bookkeepers "Do not have access to Pleo cards".
    let mut w = World::of(&demo::PLEO);
    assert_eq!(
        w.add("paula", "lars", role("employee")),
        "external_no_cards"
    );
    assert_eq!(w.add("paula", "lars", role("bookkeeper_extended")), "ok");
    assert_eq!(w.add("paula", "lars", role("finance")), "ok");
    w.join("ext", None, &[], External, vec![]);
    assert_eq!(
        w.invite("paula", "ext", &[role("employee")]),
        "external_no_cards"
    );
    assert_eq!(
        w.invite("paula", "ext", &[role("bookkeeper_limited")]),
        "ok"
    );
    // Qonto's external accountant.
    let w = World::of(&demo::QONTO);
    for r in ["employee", "manager_basic", "manager_advanced"] {
        assert_eq!(w.add("andy", "abe", role(r)), "external_no_cards", "{r}");
    }
    // Outlay: finance holds cards of its own; the auditor does not.
    let mut w = acme();
    w.join("ext", None, &[], External, vec![]);
    assert_eq!(w.add("adam", "ext", role("finance")), "external_no_cards");
    assert_eq!(w.add("adam", "ext", role("auditor")), "ok");
    // The refusal is a 409 naming the role.
    let r = Reason::ExternalNoCards {
        role: "employee".into(),
    };
    assert_eq!(
        (r.code(), r.kind()),
        ("external_no_cards", DenialKind::Conflict)
    );
}

#[test]
fn grant_changes_are_refused_in_a_closed_company_and_to_archived_actors() {
    let mut w = acme();
    let closed = Context {
        company_closed: true,
        ..Context::at(NOW)
    };
    let r = w.change_in(
        closed,
        GrantVia::Assign,
        "olivia",
        "bob",
        &[role("employee"), role("finance")],
    );
    assert_eq!(code(r), "company_closed");
    w.join("newbie", None, &[], Internal, vec![]);
    assert_eq!(
        code(w.change_in(closed, GrantVia::Invite, "olivia", "newbie", &[])),
        "company_closed"
    );
    w.archive("adam");
    assert_eq!(w.add("adam", "bob", role("finance")), "archived");
}

#[test]
fn a_permit_names_the_actor_and_the_action() {
    let mut w = acme();
    let p = w.change_in(
        Context::at(NOW),
        GrantVia::Assign,
        "adam",
        "bob",
        &[role("employee"), role("finance")],
    );
    let p = p.unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(
        (p.action(), p.actor(), p.on_behalf_of()),
        (Action::RoleAssign, w.id("adam"), None)
    );
    w.join("newbie", None, &[], Internal, vec![]);
    let p = w.change_in(
        Context::at(NOW),
        GrantVia::Invite,
        "adam",
        "newbie",
        &[role("employee")],
    );
    assert_eq!(p.map(|p| p.action()).ok(), Some(Action::MemberInvite));
}

// ---------------------------------------------------------------------------------------
// Previews.
// ---------------------------------------------------------------------------------------

#[test]
fn the_access_diff_shows_team_bound_permissions_with_their_team() {
    let w = acme();
    let sales = w.team("Sales");
    let d = w.diff(
        "alice",
        &[role("employee"), GrantSpec::for_team("team_manager", sales)],
    );
    for p in [
        "card.issue.team@1",
        "card.limits.team@1",
        "expense.view.team@1",
        "member.view.team@1",
    ] {
        assert!(d.gained.contains(&p.to_string()), "{p} in {:?}", d.gained);
    }
    assert!(d.gained.iter().all(|p| p.ends_with("@1")), "{:?}", d.gained);
    assert!(d.lost.is_empty(), "{:?}", d.lost);
    // Binding mark's manager grant to Sales loses the reporting line and gains the team.
    let d = w.diff("mark", &[GrantSpec::for_team("manager", sales)]);
    assert!(
        d.lost.contains(&"expense.approve.team".to_string()),
        "{:?}",
        d.lost
    );
    assert!(
        d.gained.contains(&"expense.approve.team@1".to_string()),
        "{:?}",
        d.gained
    );
}

#[test]
fn the_access_diff_counts_what_is_already_held() {
    let mut w = acme();
    let sales = w.team("Sales");
    let d = w.diff("alice", &[role("employee"), role("finance")]);
    assert!(d.gained.contains(&"expense.view.all".to_string()));
    assert!(d.gained.contains(&"expense.approve.all".to_string()));
    assert!(
        !d.gained.iter().any(|p| p.starts_with("expense.view.own")),
        "{:?}",
        d.gained
    );
    assert!(d.lost.is_empty());
    // A team-bound grant adds nothing that unbound grants already give company-wide.
    w.set("alice", vec![role("employee"), role("finance")]);
    let d = w.diff(
        "alice",
        &[
            role("employee"),
            role("finance"),
            GrantSpec::for_team("expense_reviewer", sales),
        ],
    );
    assert_eq!(
        d,
        AccessDiff {
            gained: vec![],
            lost: vec![]
        }
    );
    // Dropping finance loses it back.
    let d = w.diff("alice", &[role("employee")]);
    assert!(d.lost.contains(&"expense.approve.all".to_string()));
    assert!(d.gained.is_empty());
    // An archived member holds nothing before or after.
    w.archive("alice");
    assert_eq!(
        w.diff("alice", &[role("admin")]),
        AccessDiff {
            gained: vec![],
            lost: vec![]
        }
    );
    // Grants not yet active give nothing now.
    let w = acme();
    let later = GrantSpec {
        valid_from: Some(NOW.plus_seconds(60)),
        ..role("finance")
    };
    assert!(w
        .diff("alice", &[role("employee"), later])
        .gained
        .is_empty());
}

#[test]
fn the_access_diff_keeps_the_base_role_on_both_sides() {
    let w = World::of(&demo::PLIANT);
    let d = w.diff("carl", &[role("accountant")]);
    assert!(d.lost.is_empty(), "{:?}", d.lost);
    assert!(!d.gained.iter().any(|p| p.starts_with("card.view.own")));
    assert!(d.gained.contains(&"accounting.manage".to_string()));
    // An external member gains no card permissions.
    let mut w = World::of(&demo::PLIANT);
    w.join("ext", None, &[], External, vec![]);
    let d = w.diff("ext", &[role("admin")]);
    for p in ["card.request", "card.view.own", "transaction.view.own"] {
        assert!(!d.gained.contains(&p.to_string()), "{p} in {:?}", d.gained);
    }
    assert!(d.gained.contains(&"card.issue.all".to_string()));
}

#[test]
fn the_access_diff_of_a_team_bound_grant_shows_no_company_level_permission() {
    // "company-level actions ... are never held through a team-bound grant": previewing
    // auditor@Sales should not promise audit.view, settings.view or invoice.view.
    let w = acme();
    let sales = w.team("Sales");
    let d = w.diff(
        "alice",
        &[role("employee"), GrantSpec::for_team("auditor", sales)],
    );
    assert!(
        d.gained.contains(&"expense.view.all@1".to_string()),
        "{:?}",
        d.gained
    );
    for p in [
        "audit.view@1",
        "settings.view@1",
        "invoice.view@1",
        "export.create@1",
    ] {
        assert!(!d.gained.contains(&p.to_string()), "{p} in {:?}", d.gained);
    }
}

// ---------------------------------------------------------------------------------------
// Archiving and reporting lines.
// ---------------------------------------------------------------------------------------

#[test]
fn a_sales_bound_archiver_archives_sales_members_only() {
    let mut w = World::with_roles(
        &demo::ACME,
        vec![custom(
            "sales_admin",
            &["member.archive", "member.view.team"],
        )],
    );
    let sales = w.team("Sales");
    w.set("fiona", vec![GrantSpec::for_team("sales_admin", sales)]);
    for who in ["mark", "alice", "bob"] {
        assert_eq!(w.archive_member("fiona", who), "ok", "{who}");
    }
    for who in ["erin", "nora", "adam", "olivia", "fiona"] {
        assert_eq!(w.archive_member("fiona", who), "out_of_scope", "{who}");
    }
    w.archive("alice");
    assert_eq!(w.archive_member("fiona", "alice"), "already_archived");
}

#[test]
fn only_owners_archive_owners_and_admins() {
    let w = acme();
    assert_eq!(w.archive_member("adam", "olivia"), "owner_only");
    assert_eq!(w.archive_member("adam", "mark"), "ok");
    assert_eq!(w.archive_member("olivia", "adam"), "ok");
    assert_eq!(w.archive_member("mark", "alice"), "no_permission");
}

#[test]
fn reporting_lines_never_loop() {
    let w = acme();
    let cycle = |member: &str, manager: &str| w.chart.would_cycle(w.id(member), w.id(manager));
    let manage = |actor: &str, member: &str, manager: &str| {
        let change = ManagerMove {
            member: w.id(member),
            manager: Some(w.id(manager)),
            manager_in_subtree: cycle(member, manager),
        };
        code(set_manager(
            w.p(actor),
            Context::at(NOW),
            w.t(actor, member),
            &change,
        ))
    };
    assert_eq!(manage("adam", "mark", "alice"), "reporting_cycle");
    assert_eq!(manage("adam", "mark", "mark"), "reporting_cycle");
    assert_eq!(manage("adam", "alice", "nora"), "ok");
    assert_eq!(manage("mark", "alice", "nora"), "no_permission");
}

// ---------------------------------------------------------------------------------------
// Custom roles and role requests.
// ---------------------------------------------------------------------------------------

fn input(
    book: &RoleBook,
    key: &str,
    perms: &[&str],
    read_only: bool,
    assignable: &[&str],
) -> Result<CustomRoleInput, ValidationError> {
    let perms: Vec<String> = perms.iter().map(|p| p.to_string()).collect();
    let assignable: Vec<String> = assignable.iter().map(|p| p.to_string()).collect();
    CustomRoleInput::parse(book, key, "A role", None, &perms, read_only, &assignable)
}

#[test]
fn custom_roles_are_checked_as_typed() {
    let book = RoleBook::new(preset::outlay(), vec![]);
    let field = |r: Result<CustomRoleInput, ValidationError>| r.map(|_| ()).map_err(|e| e.field);
    assert_eq!(
        field(input(&book, "admin", &["expense.view.all"], false, &[])),
        Err("key".into())
    );
    assert_eq!(
        field(input(&book, "travel_desk", &[], false, &[])),
        Err("permissions".into())
    );
    assert_eq!(
        field(input(&book, "travel_desk", &["expense.view"], false, &[])),
        Err("permissions[0]".into())
    );
    assert_eq!(
        field(input(
            &book,
            "travel_desk",
            &["trip.view.all", "trip.approve.all"],
            true,
            &[]
        )),
        Err("permissions[1]".into())
    );
    assert_eq!(
        field(input(
            &book,
            "travel_desk",
            &["trip.view.all"],
            false,
            &["nope"]
        )),
        Err("assignable[0]".into())
    );
    // Assigning implies role.assign; aliases become keys.
    let r = input(
        &book,
        "travel_desk",
        &["trip.view.all"],
        false,
        &["bookkeeper"],
    )
    .expect("valid");
    assert_eq!(r.assignable, ["accountant"]);
    assert!(r
        .permissions
        .contains(Permission::unscoped(Action::RoleAssign)));
    let role = r.into_role();
    assert_eq!(
        (role.builtin, role.team_binding, role.top_controlled),
        (false, TeamBinding::Optional, false)
    );
}

#[test]
fn nobody_defines_a_role_beyond_what_they_hold_or_could_assign() {
    let w = acme();
    let define = |actor: &str, perms: &[&str], assignable: &[&str]| {
        let r = input(&w.book, "custom_x", perms, false, assignable).expect("valid input");
        define_role(w.p(actor), Context::at(NOW), &w.book, &r)
    };
    assert_eq!(
        code(define("adam", &["expense.view.all", "member.archive"], &[])),
        "ok"
    );
    assert_eq!(
        define("adam", &["expense.view.all", "account.close"], &[]).map(|_| ()),
        Err(Reason::Escalation {
            permissions: vec![Permission::unscoped(Action::AccountClose)]
        })
    );
    assert_eq!(code(define("olivia", &["account.close"], &[])), "ok");
    assert_eq!(
        code(define("adam", &["expense.view.all"], &["finance"])),
        "ok"
    );
    assert_eq!(
        code(define("adam", &["expense.view.all"], &["admin"])),
        "owner_only"
    );
    assert_eq!(
        code(define("olivia", &["expense.view.all"], &["admin"])),
        "ok"
    );
    assert_eq!(
        code(define("mark", &["expense.view.own"], &[])),
        "no_permission"
    );
    assert_eq!(
        code(define("fiona", &["expense.view.own"], &[])),
        "no_permission"
    );
}

#[test]
fn a_capped_admin_defines_roles_that_assign_what_they_give_whatever_their_cap() {
    // Pliant: an admin capped by the owner still defines a role that assigns team managers
    // (its holders are capped when they give it).
    let mut w = World::of(&demo::PLIANT);
    let mut capped = GrantOptions::default();
    capped.max_amount_minor = Some(100);
    w.set(
        "amy",
        vec![GrantSpec {
            options: capped,
            ..role("admin")
        }],
    );
    let define = |actor: &str, assignable: &[&str]| {
        let r = input(&w.book, "custom_x", &["team.view"], false, assignable).expect("valid input");
        code(define_role(w.p(actor), Context::at(NOW), &w.book, &r))
    };
    assert_eq!(define("amy", &["team_manager"]), "ok");
    assert_eq!(define("amy", &["admin"]), "owner_only");
    assert_eq!(define("acc", &["team_manager"]), "no_permission");
}

#[test]
fn a_custom_role_with_an_admin_grade_permission_is_owner_controlled() {
    // README: "an admin cannot mint an admin under another name".
    let roles = vec![
        custom("mini_admin", &["member.archive", "expense.view.all"]),
        custom("reader", &["expense.view.all"]),
    ];
    let w = World::with_roles(&demo::ACME, roles);
    assert!(w.book.get("mini_admin").expect("role").top_controlled);
    assert!(!w.book.get("reader").expect("role").top_controlled);
    assert_eq!(w.add("adam", "bob", role("mini_admin")), "owner_only");
    assert_eq!(w.add("olivia", "bob", role("mini_admin")), "ok");
    assert_eq!(w.add("adam", "bob", role("reader")), "not_assignable");
    assert_eq!(w.add("olivia", "bob", role("reader")), "ok");
}

#[test]
fn a_role_request_is_decided_by_whoever_may_assign_the_role() {
    // Eloope: role changes "wait for approval confirmation from your administrator".
    let w = World::of(&demo::ELOOPE);
    let manager = w.preset.role("manager").expect("role").clone();
    let decide = |actor: &str, requester: &str| {
        decide_role_request(
            w.p(actor),
            Context::at(NOW),
            w.id(requester),
            &manager,
            None,
            w.t(actor, requester),
        )
        .map(|p| p.action())
        .map_err(|r| r.code())
    };
    assert_eq!(decide("ada", "eve"), Ok(Action::RoleAssign));
    assert_eq!(decide("ada", "ada"), Err("own_request"));
    assert_eq!(decide("max", "eve"), Err("not_assignable"));
    assert_eq!(decide("fred", "eve"), Err("not_assignable"));
}

// ---------------------------------------------------------------------------------------
// The shape of requested grants.
// ---------------------------------------------------------------------------------------

#[test]
fn requested_grants_are_resolved_and_their_shape_checked() {
    let w = acme();
    let sales = w.team("Sales");
    let field = |specs: &[GrantSpec]| {
        resolve_grants(&w.book, specs)
            .map(|_| ())
            .map_err(|e| e.field)
    };
    assert_eq!(
        field(&[role("team_manager")]),
        Err("grants[0].team_id".into())
    );
    assert_eq!(
        field(&[role("employee"), GrantSpec::for_team("owner", sales)]),
        Err("grants[1].team_id".into())
    );
    assert_eq!(field(&[role("nope")]), Err("grants[0].role".into()));
    let backwards = GrantSpec {
        valid_from: Some(NOW),
        valid_until: Some(NOW),
        ..role("finance")
    };
    assert_eq!(field(&[backwards]), Err("grants[0].valid_until".into()));
    let mut options = GrantOptions::default();
    options.max_amount_minor = Some(-1);
    let negative = GrantSpec {
        options,
        ..role("manager")
    };
    assert_eq!(field(&[negative]), Err("grants[0].max_amount_minor".into()));
    // Aliases are stored under the role's key, so listing both is listing one twice.
    assert_eq!(
        field(&[role("employee"), role("cardholder")]),
        Err("grants[1].role".into())
    );
    let r = resolve_grants(
        &w.book,
        &[
            role("bookkeeper"),
            GrantSpec::for_team("employee", sales),
            role("employee"),
        ],
    )
    .expect("valid");
    assert_eq!(
        r.iter().map(|(s, _)| s.role.as_str()).collect::<Vec<_>>(),
        ["accountant", "employee", "employee"]
    );
}

#[test]
fn a_new_grant_that_has_already_ended_is_refused_but_a_kept_one_is_not() {
    let mut w = acme();
    let ended = until("finance", NOW);
    let r = check_new_windows(
        w.p("bob"),
        &w.resolve(&[role("employee"), ended.clone()]),
        NOW,
    );
    assert_eq!(r.map_err(|e| e.field), Err("grants[1].valid_until".into()));
    w.set("bob", vec![role("employee"), ended.clone()]);
    assert_eq!(
        check_new_windows(w.p("bob"), &w.resolve(&[role("employee"), ended]), NOW),
        Ok(())
    );
}

#[test]
fn a_team_bound_copy_of_ones_own_rights_gains_nothing() {
    // A bound grant's own-scoped permissions reach the holder, exactly as unbound ones do:
    // adding employee@Sales beside an unbound employee grant changes no decision.
    let w = acme();
    let sales = w.team("Sales");
    let d = w.diff(
        "alice",
        &[role("employee"), GrantSpec::for_team("employee", sales)],
    );
    assert_eq!(
        d,
        AccessDiff {
            gained: vec![],
            lost: vec![]
        }
    );
}

#[test]
fn pliant_owners_set_admin_caps_and_admins_tailor_accountants() {
    // Pliant: "Please note that the maximum limit can only be changed by the Owner";
    // "Owners and Admins can determine if an Accountant has the permission to modify
    // accounting settings."
    let mut w = World::of(&demo::PLIANT);
    w.join("abel", None, &[], Internal, vec![role("admin")]);
    let mut capped = GrantOptions::default();
    capped.max_amount_minor = Some(100_000);
    capped.self_issue = Some(false);
    let admin = GrantSpec {
        options: capped,
        ..role("admin")
    };
    assert_eq!(w.change("otto", "amy", std::slice::from_ref(&admin)), "ok");
    assert_eq!(
        w.change("amy", "abel", std::slice::from_ref(&admin)),
        "owner_only"
    );
    assert_ne!(w.change("amy", "amy", std::slice::from_ref(&admin)), "ok");
    let no_settings = GrantSpec {
        options: GrantOptions::default().with_off([crate::grant::PermGroup::AccountingSettings]),
        ..role("accountant")
    };
    assert_eq!(
        w.change("amy", "acc", std::slice::from_ref(&no_settings)),
        "ok"
    );
    assert_eq!(w.change("otto", "acc", &[no_settings]), "ok");
}

#[test]
fn changing_the_options_of_ones_own_grant_is_a_self_grant() {
    let mut w = acme();
    w.set("adam", vec![role("admin"), role("finance")]);
    let mut raised = GrantOptions::default();
    raised.max_amount_minor = Some(1_000_000);
    let finance = GrantSpec {
        options: raised,
        ..role("finance")
    };
    assert_eq!(
        w.change("adam", "adam", &[role("admin"), finance.clone()]),
        "self_grant"
    );
    assert_eq!(w.change("adam", "bob", &[role("employee"), finance]), "ok");
}

#[test]
fn qonto_keeps_exactly_one_account_holder() {
    // preset.rs (Qonto rules): "exactly one account holder, the only one who may request the
    // account's closure".
    let w = World::of(&demo::QONTO);
    assert_ne!(w.add("holly", "andy", role("account_holder")), "ok");
}
