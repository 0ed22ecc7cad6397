//! Role-change requests: a member asks for a role (for a team, for a while) with a reason;
//! whoever may assign that role to that member approves (the grant is created, under every
//! rule of changing grants) or declines. Nobody decides their own request.

use super::{Actor, Change, Done, Error, Page, Paging, Question, Result};
use outlay_core::authorize::Permit;
use outlay_core::invariants;
use outlay_core::member as rules;
use outlay_core::{Action, GrantSpec, MemberId, Reason, TeamId, Timestamp};
use outlay_store::role_requests::{self, NewRoleRequest, RoleRequestRow};
use outlay_store::{members, scope, Conn, Write};
use serde_json::json;

/// A request with whether the actor may decide it now.
pub struct RequestView {
    pub row: RoleRequestRow,
    pub may_decide: bool,
}

/// Whether the actor may decide this request: they may assign its role to its member, as
/// they see the member (read with the request).
fn decider(actor: &Actor, r: &RoleRequestRow) -> std::result::Result<Permit, Reason> {
    let Some(role) = actor.book.get(&r.role) else {
        return Err(Reason::NotAssignable {
            role: r.role.clone(),
        });
    };
    if actor.company.is_closed() {
        return Err(Reason::CompanyClosed);
    }
    let member = r.member();
    invariants::decide_role_request(
        &actor.principal,
        actor.ctx(),
        MemberId(r.member_id),
        role,
        r.team_id.map(TeamId),
        member.target(),
    )
}

/// An open request the actor may decide. The requester learns why not; anyone else who may
/// not decide it does not learn it exists.
async fn decidable(conn: &mut Conn, actor: &Actor, id: i64) -> Result<(RoleRequestRow, Permit)> {
    let row = role_requests::get(conn, actor.org, actor.id(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let permit = match decider(actor, &row) {
        Ok(p) => p,
        Err(r) if row.member_id == actor.id().0 => return Err(r.into()),
        Err(Reason::CompanyClosed) => return Err(Reason::CompanyClosed.into()),
        Err(_) => return Err(Error::NotFound),
    };
    rules::decide_open_request(&row.status)?;
    Ok((row, permit))
}

async fn reread(conn: &mut Conn, actor: &Actor, id: i64) -> Result<RequestView> {
    let row = role_requests::get(conn, actor.org, actor.id(), id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(RequestView {
        row,
        may_decide: false,
    })
}

/// The request after this actor's decision wrote (`decided`) or found it decided by someone
/// else since it was read: then the refusal says how it was decided.
async fn decided_now(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    decided: bool,
) -> Result<RequestView> {
    let now = reread(conn, actor, id).await?;
    if !decided {
        rules::decide_open_request(&now.row.status)?;
        return Err(Reason::ChangedMeanwhile.into());
    }
    Ok(now)
}

/// Ask for a role (its spec names the role, team and window), saying why.
pub struct Create {
    pub spec: GrantSpec,
    pub reason: String,
}

impl Change for Create {
    type Output = RequestView;

    fn action(&self) -> &'static str {
        "role_request.create"
    }

    fn target(&self, actor: &Actor) -> String {
        format!("member:{}", actor.id().0)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<RequestView>> {
        let resolved = invariants::resolve_grants(&actor.book, std::slice::from_ref(&self.spec))
            .map_err(|e| Error::invalid(e.field.trim_start_matches("grants[0]."), e.reason))?;
        let (spec, role) = resolved.into_iter().next().ok_or(Error::NotFound)?;
        if spec.valid_until.is_some_and(|u| u <= actor.now) {
            return Err(Error::invalid("valid_until", "is already past"));
        }
        if let Some(t) = spec.team {
            super::members::team_exists(w, actor, t, "team_id").await?;
        }
        let ask = rules::request_role(
            &actor.principal,
            actor.ctx(),
            &role,
            actor.book.preset().base,
        )?;
        let new = NewRoleRequest {
            role: &spec.role,
            team: spec.team,
            reason: &self.reason,
            valid_from: spec.valid_from,
            valid_until: spec.valid_until,
        };
        let id = role_requests::create(w, &new, ask).await?;
        let detail =
            json!({"request_id": id, "role": spec.role, "team_id": spec.team.map(|t| t.0)});
        Ok(Done::new(reread(w, actor, id).await?, detail))
    }
}

/// Approve a request: its grant joins the member's others.
pub struct Approve {
    pub id: i64,
}

impl Change for Approve {
    type Output = RequestView;

    fn action(&self) -> &'static str {
        "role_request.approve"
    }

    fn target(&self, _: &Actor) -> String {
        format!("role_request:{}", self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<RequestView>> {
        let (row, permit) = decidable(w, actor, self.id).await?;
        let member = members::get(w, actor.org, MemberId(row.member_id))
            .await?
            .ok_or(Error::NotFound)?;
        let current = members::principal_in(w, actor.org, &member, &actor.book).await?;
        let spec = GrantSpec {
            team: row.team_id.map(TeamId),
            valid_from: row.valid_from.map(Timestamp),
            valid_until: row.valid_until.map(Timestamp),
            ..GrantSpec::role(&row.role)
        };
        // The request's grant joins the member's others, checked like any grant change.
        let mut specs: Vec<GrantSpec> = current
            .stored_grants()
            .map(|g| g.grant.spec.clone())
            .collect();
        specs.push(spec.clone());
        let proposed = invariants::resolve_grants(&actor.book, &specs)?;
        let facts = scope::target(w, actor.org, actor.id(), member.member_id()).await?;
        let grant_permit =
            super::members::grant_change(w, actor, &member, &current, &facts, &proposed).await??;
        members::add_grant(w, actor.org, member.member_id(), grant_permit).await?;
        let decided = role_requests::decide(
            w,
            actor.org,
            self.id,
            member.member_id(),
            true,
            None,
            permit,
        )
        .await?;
        let after = decided_now(w, actor, self.id, decided).await?;
        let detail = json!({"member_id": row.member_id, "role": row.role, "team_id": row.team_id,
                            "valid_from": row.valid_from, "valid_until": row.valid_until});
        Ok(Done::new(after, detail))
    }
}

/// Decline a request, with a reason for the requester.
pub struct Decline {
    pub id: i64,
    pub reason: String,
}

impl Change for Decline {
    type Output = RequestView;

    fn action(&self) -> &'static str {
        "role_request.decline"
    }

    fn target(&self, _: &Actor) -> String {
        format!("role_request:{}", self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<RequestView>> {
        let (row, permit) = decidable(w, actor, self.id).await?;
        let decided = role_requests::decide(
            w,
            actor.org,
            self.id,
            MemberId(row.member_id),
            false,
            Some(&self.reason),
            permit,
        )
        .await?;
        let after = decided_now(w, actor, self.id, decided).await?;
        Ok(Done::new(after, json!({"decline_reason": self.reason})))
    }
}

/// The actor's own requests and those they may decide, newest first.
pub struct List {
    /// `open`, `approved` or `declined`; `None` for any.
    pub status: Option<&'static str>,
    pub paging: Paging,
}

impl Question for List {
    type Output = Page<RequestView>;

    fn action(&self) -> &'static str {
        "role_request.view"
    }

    fn target(&self) -> String {
        "role_requests".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<RequestView>> {
        // The actor's own requests and those of members their `role.assign` reaches, in
        // one statement per page; whether each may be decided is the core's, in memory. A
        // request in reach that they still may not decide (a role they cannot assign) is
        // left out, and the page is filled from further on.
        let reach = actor.principal.list_scope(actor.now, Action::RoleAssign);
        let mut items: Vec<RequestView> = Vec::new();
        let mut cursor = self.paging.cursor;
        let fetch = self.paging.fetch();
        loop {
            let (me, org) = (actor.id(), actor.org);
            let rows =
                role_requests::list(conn, org, me, reach.as_ref(), self.status, cursor, fetch)
                    .await?;
            let full = i64::try_from(rows.len()).unwrap_or(0) == fetch;
            cursor = rows.last().map(|r| r.id);
            for row in rows {
                let may_decide = decider(actor, &row).is_ok();
                if row.member_id == me.0 || may_decide {
                    items.push(RequestView { row, may_decide });
                }
            }
            if !full || items.len() > usize::try_from(self.paging.limit).unwrap_or(0) {
                break;
            }
        }
        let next_cursor = self.paging.finish(&mut items, |v| v.row.id);
        Ok(Page { items, next_cursor })
    }
}
