//! Members: invite, change grants (and preview the change), set a manager, edit the profile,
//! archive and unarchive; read one, the scoped list, and a member's effective permissions.
//! Accepting, resending and revoking an invitation are in `invitations`. Inviting the e-mail
//! of an archived member is refused with their id (`member_archived`): they are unarchived.

use super::{Actor, Change, Done, Error, Page, Paging, Question, Result};
use outlay_core::authorize;
use outlay_core::invariants::{self, GrantChange, GrantVia};
use outlay_core::member::{self as rules, Newcomer, INVITATION_SECONDS};
use outlay_core::permit::GrantSet;
use outlay_core::role::Role;
use outlay_core::{
    Action, Grant, GrantSpec, MemberId, MemberKind, Permission, Principal, Reason, TeamId,
    Timestamp,
};
use outlay_store::members::{self, MemberRow};
use outlay_store::scope::{self, TargetFacts};
use outlay_store::{Conn, StoreError, Write};
use serde_json::json;

/// A member as the actor sees them.
pub struct MemberView {
    pub row: MemberRow,
    /// Their stored grants, each with whether it gives anything now (an archived member's
    /// give nothing), by id.
    pub grants: Vec<(Grant, bool)>,
    pub teams: Vec<i64>,
    /// What the actor may do with this member now.
    pub allowed_actions: Vec<&'static str>,
}

fn view(
    actor: &Actor,
    row: MemberRow,
    target: &Principal,
    teams: Vec<i64>,
    facts: &TargetFacts,
) -> MemberView {
    let mut grants: Vec<(Grant, bool)> = target
        .stored_grants()
        .map(|g| {
            let active = !target.archived() && g.grant.spec.active_at(actor.now);
            (g.grant.clone(), active)
        })
        .collect();
    grants.sort_by_key(|(g, _)| g.id);
    MemberView {
        allowed_actions: authorize::member_actions(
            &actor.principal,
            actor.ctx(),
            facts.target(),
            target,
        ),
        row,
        grants,
        teams,
    }
}

/// A member of the company with their principal, if the actor may see them (`member.view`
/// reaching them).
pub(crate) async fn visible(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<(MemberRow, Principal, TargetFacts)> {
    let row = members::get(conn, actor.org, MemberId(id))
        .await?
        .ok_or(Error::NotFound)?;
    let facts = seen_as(conn, actor, row.member_id())
        .await?
        .ok_or(Error::NotFound)?;
    let principal = members::principal_in(conn, actor.org, &row, &actor.book).await?;
    Ok((row, principal, facts))
}

/// The member as the actor sees them, if the actor may see them (`member.view` reaching them).
pub(crate) async fn seen_as(
    conn: &mut Conn,
    actor: &Actor,
    member: MemberId,
) -> Result<Option<TargetFacts>> {
    let facts = scope::target(conn, actor.org, actor.id(), member).await?;
    let view = authorize::on_member(
        &actor.principal,
        actor.ctx(),
        Action::MemberView,
        facts.target(),
    );
    Ok(view.is_allowed().then_some(facts))
}

/// The member as stored now, as the actor sees them.
async fn reread(conn: &mut Conn, actor: &Actor, member: MemberId) -> Result<MemberView> {
    let row = members::get(conn, actor.org, member)
        .await?
        .ok_or(Error::NotFound)?;
    let principal = members::principal_in(conn, actor.org, &row, &actor.book).await?;
    let facts = scope::target(conn, actor.org, actor.id(), member).await?;
    let teams = outlay_store::teams::teams_of(conn, actor.org, member).await?;
    Ok(view(actor, row, &principal, teams, &facts))
}

/// Resolves requested grants against the company's roles and teams.
async fn resolve_grants(
    conn: &mut Conn,
    actor: &Actor,
    specs: &[GrantSpec],
) -> Result<Vec<(GrantSpec, Role)>> {
    let resolved = invariants::resolve_grants(&actor.book, specs)?;
    for (i, (spec, _)) in resolved.iter().enumerate() {
        if let Some(team) = spec.team {
            team_exists(conn, actor, team, &format!("grants[{i}].team_id")).await?;
        }
    }
    Ok(resolved)
}

/// A team of the company named in `field` of the command.
pub(crate) async fn team_exists(
    conn: &mut Conn,
    actor: &Actor,
    team: TeamId,
    field: &str,
) -> Result<TeamId> {
    match outlay_store::teams::get(conn, actor.org, team).await? {
        Some(t) => Ok(TeamId(t.id)),
        None => Err(Error::invalid(
            field,
            format!("team {team} does not exist in this company"),
        )),
    }
}

/// A would-be manager: an active member of this company.
async fn manager(conn: &mut Conn, actor: &Actor, id: Option<MemberId>) -> Result<Option<MemberId>> {
    let Some(id) = id else { return Ok(None) };
    let found = members::get(conn, actor.org, id)
        .await?
        .map(|m| m.status == "active");
    Ok(Some(rules::check_manager(id, found)?))
}

/// A uniqueness violation on the external identifier is the data's conflict.
fn external_id_taken(e: StoreError) -> Error {
    if e.is_unique_violation() {
        Reason::ExternalIdTaken.into()
    } else {
        e.into()
    }
}

/// The checked change of a member's grants to `proposed`, as the actor would make it.
pub(crate) async fn grant_change(
    conn: &mut Conn,
    actor: &Actor,
    row: &MemberRow,
    target: &Principal,
    facts: &TargetFacts,
    proposed: &[(GrantSpec, Role)],
) -> Result<std::result::Result<authorize::Permit<GrantSet>, Reason>> {
    let preset = actor.book.preset();
    let others =
        members::other_permanent_tops(conn, actor.org, row.member_id(), preset.top, actor.now)
            .await?;
    let other_tops = members::other_tops(conn, actor.org, row.member_id(), preset.top).await?;
    let current: Vec<outlay_core::ResolvedGrant> = target.stored_grants().cloned().collect();
    let change = GrantChange {
        target: facts.target(),
        target_archived: row.is_archived(),
        target_kind: row.kind(),
        current: &current,
        proposed,
        other_permanent_tops: others,
        other_tops,
        top_role: preset.top,
        base_role: preset.base,
    };
    Ok(invariants::change_grants(
        &actor.principal,
        actor.ctx(),
        GrantVia::Assign,
        &change,
    ))
}

/// Invite someone by email, with their grants; they accept with the token, once.
pub struct Invite {
    pub email: String,
    pub name: String,
    pub grants: Vec<GrantSpec>,
    pub manager: Option<MemberId>,
    pub kind: MemberKind,
    /// Into this team (a team-bound inviter invites into its team only).
    pub team: Option<TeamId>,
    pub external_id: Option<String>,
}

pub struct Invited {
    pub member: MemberId,
    pub expires_at: outlay_core::Timestamp,
    /// Sent to the invited address; only its hash is stored. A front end never shows it to
    /// the inviter, but in a development mode.
    pub token: String,
}

impl Change for Invite {
    type Output = Invited;

    fn action(&self) -> &'static str {
        "member.invite"
    }

    fn target(&self, _: &Actor) -> String {
        format!("invitation:{}", self.email)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<Invited>> {
        let proposed = resolve_grants(w, actor, &self.grants).await?;
        let manager = manager(w, actor, self.manager).await?;
        let team = match self.team {
            None => None,
            Some(t) => Some(team_exists(w, actor, t, "team_id").await?),
        };
        rules::check_newcomer_windows(&proposed, actor.now)?;
        let preset = actor.book.preset();
        let other_tops = members::other_tops(w, actor.org, MemberId(0), preset.top).await?;
        let newcomer = Newcomer {
            kind: self.kind,
            manager,
            team,
        };
        let permit = rules::invite(
            &actor.principal,
            actor.ctx(),
            &newcomer,
            &proposed,
            other_tops,
            preset.top,
            preset.base,
        )?;
        // An archived member is unarchived, not invited again: their history, grants and
        // reporting line stay theirs, and who brings them back is decided like archiving.
        let (person, has_password) = match outlay_store::auth::person_by_email(w, &self.email)
            .await?
        {
            Some(p) => match members::by_person(w, actor.org, p.id).await? {
                Some(m) if m.is_archived() => {
                    let member = m.member_id().0;
                    let email = self.email;
                    return Err(Reason::MemberArchived { email, member }.into());
                }
                Some(_) => return Err(Reason::AlreadyMember { email: self.email }.into()),
                None => (p.id, p.password_hash.is_some()),
            },
            None => {
                let id =
                    outlay_store::auth::create_person(w, &self.email, &self.name, None, actor.now)
                        .await?;
                (id, false)
            }
        };
        let roles: Vec<String> = permit
            .payload()
            .grants()
            .iter()
            .map(|s| s.role.clone())
            .collect();
        let (token, token_hash) = crate::tokens::issue();
        let expires_at = actor.now.plus_seconds(INVITATION_SECONDS);
        let invite = members::Invite {
            person,
            name: &self.name,
            external_id: self.external_id.as_deref(),
            token_hash: &token_hash,
            expires_at,
        };
        let id = members::invite(w, actor.org, &invite, permit)
            .await
            .map_err(external_id_taken)?;
        let company = &actor.company.name;
        super::invitations::mail(w, company, &self.email, &self.name, has_password, &token).await?;
        let detail = json!({"member_id": id.0, "email": self.email, "roles": roles});
        let invited = Invited {
            member: id,
            expires_at,
            token,
        };
        Ok(Done::new(invited, detail))
    }
}

/// Replace a member's grants with these.
pub struct ReplaceGrants {
    pub member: i64,
    pub grants: Vec<GrantSpec>,
}

impl Change for ReplaceGrants {
    type Output = MemberView;

    fn action(&self) -> &'static str {
        "role.assign"
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<MemberView>> {
        let (row, target, facts) = visible(w, actor, self.member).await?;
        let proposed = resolve_grants(w, actor, &self.grants).await?;
        invariants::check_new_windows(&target, &proposed, actor.now)?;
        let permit = grant_change(w, actor, &row, &target, &facts, &proposed).await??;
        let before: Vec<String> = target
            .stored_grants()
            .map(|g| g.grant.spec.role.clone())
            .collect();
        let after: Vec<String> = permit
            .payload()
            .after()
            .iter()
            .map(|s| s.role.clone())
            .collect();
        members::replace_grants(w, actor.org, row.member_id(), permit).await?;
        let detail = json!({"before": before, "after": after});
        Ok(Done::new(reread(w, actor, row.member_id()).await?, detail))
    }
}

/// Set (or clear) a member's manager. Access follows the reporting line at once.
pub struct SetManager {
    pub member: i64,
    pub manager: Option<MemberId>,
}

impl Change for SetManager {
    type Output = MemberView;

    fn action(&self) -> &'static str {
        "member.manage"
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<MemberView>> {
        let (row, _, facts) = visible(w, actor, self.member).await?;
        let manager = manager(w, actor, self.manager).await?;
        let line = members::manager_move(w, actor.org, row.member_id(), manager).await?;
        let permit = invariants::set_manager(&actor.principal, actor.ctx(), facts.target(), &line)?;
        members::set_manager(w, actor.org, row.member_id(), permit).await?;
        let detail = json!({"manager_id": manager.map(|m| m.0)});
        Ok(Done::new(reread(w, actor, row.member_id()).await?, detail))
    }
}

/// Change a member's name, kind or external identifier; what is `None` stays.
pub struct UpdateProfile {
    pub member: i64,
    pub name: Option<String>,
    pub kind: Option<MemberKind>,
    /// `Some(None)` clears it.
    pub external_id: Option<Option<String>>,
}

impl Change for UpdateProfile {
    type Output = MemberView;

    fn action(&self) -> &'static str {
        "member.profile"
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<MemberView>> {
        let (row, target, facts) = visible(w, actor, self.member).await?;
        let permit = invariants::manage_member(&actor.principal, actor.ctx(), facts.target())?;
        rules::change_kind(&target, self.kind)?;
        let detail = json!({"name": self.name, "kind": self.kind.map(MemberKind::as_str),
                            "external_id": self.external_id});
        let patch = members::ProfilePatch {
            name: self.name,
            kind: self.kind,
            external_id: self.external_id,
        };
        members::update_profile(w, actor.org, row.member_id(), &patch, permit)
            .await
            .map_err(external_id_taken)?;
        Ok(Done::new(reread(w, actor, row.member_id()).await?, detail))
    }
}

/// Archive a member: they no longer log in or act; their data and history stay.
pub struct Archive {
    pub member: i64,
}

impl Change for Archive {
    type Output = MemberView;

    fn action(&self) -> &'static str {
        "member.archive"
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<MemberView>> {
        let (row, target, facts) = visible(w, actor, self.member).await?;
        let top = actor.book.preset().top;
        let others =
            members::other_permanent_tops(w, actor.org, row.member_id(), top, actor.now).await?;
        let permit = invariants::archive_member(
            &actor.principal,
            actor.ctx(),
            facts.target(),
            &target,
            others,
            top,
        )?;
        members::archive(w, actor.org, row.member_id(), permit).await?;
        Ok(Done::new(
            reread(w, actor, row.member_id()).await?,
            json!({}),
        ))
    }
}

/// Unarchive a member: their access comes back with the grants they held (active again, or
/// invited when they never accepted).
pub struct Unarchive {
    pub member: i64,
}

impl Change for Unarchive {
    type Output = MemberView;

    fn action(&self) -> &'static str {
        "member.unarchive"
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<MemberView>> {
        let (row, target, facts) = visible(w, actor, self.member).await?;
        let permit =
            invariants::unarchive_member(&actor.principal, actor.ctx(), facts.target(), &target)?;
        members::unarchive(w, actor.org, row.member_id(), permit).await?;
        let view = reread(w, actor, row.member_id()).await?;
        let detail = json!({"status": view.row.status});
        Ok(Done::new(view, detail))
    }
}

/// One member, if the actor may see them.
pub struct Get {
    pub member: i64,
}

impl Question for Get {
    type Output = MemberView;

    fn action(&self) -> &'static str {
        "member.view"
    }

    fn target(&self) -> String {
        format!("member:{}", self.member)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<MemberView> {
        let (row, target, facts) = visible(conn, actor, self.member).await?;
        let teams = outlay_store::teams::teams_of(conn, actor.org, row.member_id()).await?;
        Ok(view(actor, row, &target, teams, &facts))
    }
}

/// The members the actor may see, newest first.
pub struct List {
    pub paging: Paging,
}

impl Question for List {
    type Output = Page<MemberView>;

    fn action(&self) -> &'static str {
        "member.view"
    }

    fn target(&self) -> String {
        "members".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<MemberView>> {
        let closed = matches!(
            authorize::company(&actor.principal, actor.ctx(), Action::MemberView),
            outlay_core::Decision::Denied(Reason::CompanyClosed)
        );
        let visible = actor.principal.list_scope(actor.now, Action::MemberView);
        let Some(visible) = visible.filter(|_| !closed) else {
            return Err(Reason::NoPermission {
                action: Action::MemberView,
            }
            .into());
        };
        let paging = self.paging;
        let mut rows = members::list(
            conn,
            actor.org,
            actor.id(),
            &visible,
            paging.cursor,
            paging.fetch(),
        )
        .await?;
        let next_cursor = paging.finish(&mut rows, |r| r.id);
        let targets = members::principals_of(conn, actor.org, &rows, &actor.book).await?;
        let items = rows
            .into_iter()
            .zip(targets)
            .map(|(row, target)| {
                let facts = row.target_facts();
                let teams = facts.teams.iter().map(|t| t.0).collect();
                view(actor, row, &target, teams, &facts)
            })
            .collect();
        Ok(Page { items, next_cursor })
    }
}

/// A member's effective permissions, each with the grants that give it.
pub struct Permissions {
    pub member: i64,
}

/// One permission a member holds now, and what gives it.
pub struct EffectivePermission {
    pub permission: Permission,
    pub sources: Vec<PermissionSource>,
}

/// A grant giving a permission; the company's base role is held without a grant (id 0).
pub struct PermissionSource {
    pub grant_id: i64,
    pub base: bool,
    pub role: String,
    pub team: Option<TeamId>,
    pub valid_until: Option<Timestamp>,
}

impl Question for Permissions {
    type Output = Vec<EffectivePermission>;

    fn action(&self) -> &'static str {
        "role.view"
    }

    fn target(&self) -> String {
        format!("member:{}", self.member)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<EffectivePermission>> {
        let (target, facts) = match visible(conn, actor, self.member).await {
            Ok((_, target, facts)) => (target, facts),
            // Everyone sees their own page, even with no grant left that shows members.
            Err(Error::NotFound) if self.member == actor.id().0 => {
                (actor.principal.clone(), actor.principal_target())
            }
            Err(e) => return Err(e),
        };
        rules::permissions_page(&actor.principal, actor.ctx(), facts.target())?;
        let effective = target.effective(actor.now);
        Ok(effective
            .iter()
            .map(|e| EffectivePermission {
                permission: e.permission,
                sources: e
                    .sources()
                    .map(|g| PermissionSource {
                        grant_id: g.grant.id.0,
                        base: g.base,
                        role: g.role.key.to_string(),
                        team: g.grant.spec.team,
                        valid_until: g.grant.spec.valid_until,
                    })
                    .collect(),
            })
            .collect())
    }
}

/// What a change of a member's grants would do, without making it.
pub struct PreviewGrants {
    pub member: i64,
    pub grants: Vec<GrantSpec>,
}

/// A previewed change: whether it is allowed (else the refusal), the permissions gained and
/// lost, and the people entering or leaving the member's reach (at most 100 each way).
pub struct Preview {
    pub decision: std::result::Result<(), Reason>,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
    pub people_gained: Vec<(i64, String)>,
    pub people_lost: Vec<(i64, String)>,
}

impl Question for PreviewGrants {
    type Output = Preview;

    fn action(&self) -> &'static str {
        "role.preview"
    }

    fn target(&self) -> String {
        format!("member:{}", self.member)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Preview> {
        rules::preview_grants(&actor.principal, actor.ctx())?;
        let (row, target, facts) = visible(conn, actor, self.member).await?;
        let proposed = resolve_grants(conn, actor, &self.grants).await?;
        invariants::check_new_windows(&target, &proposed, actor.now)?;
        let decision = grant_change(conn, actor, &row, &target, &facts, &proposed).await?;
        let diff = invariants::access_diff(&target, &proposed, actor.now);
        let specs: Vec<GrantSpec> = proposed.into_iter().map(|(s, _)| s).collect();
        let before = target.list_scope(actor.now, Action::ExpenseView);
        let after = members::reach_with(&row, &specs, &actor.book, actor.now, Action::ExpenseView);
        let (people_gained, people_lost) = members::reach_change(
            conn,
            actor.org,
            row.member_id(),
            before.as_ref(),
            after.as_ref(),
            100,
        )
        .await?;
        Ok(Preview {
            decision: decision.map(|_| ()),
            gained: diff.gained,
            lost: diff.lost,
            people_gained,
            people_lost,
        })
    }
}
