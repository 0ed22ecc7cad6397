//! Delegations: a member lets another act for them for a while, approving (`approve`) or
//! creating and submitting expenses (`submit`). The delegator, or whoever holds
//! `delegation.manage` reaching them, sets one up or ends it early. A delegation lends the
//! delegator's reach, never a verb: the delegate must hold what it covers themself, when it
//! is given and at each use.

use super::{Actor, Change, Done, Error, Page, Paging, Question, Result};
use crate::clock::rfc3339;
use outlay_core::authorize::{self, Permit};
use outlay_core::member as rules;
use outlay_core::{Action, DelegationKind, MemberId, Reason, Timestamp};
use outlay_store::delegations::{self, DelegationRow, NewDelegation};
use outlay_store::{members, scope, Conn, Write};
use serde_json::json;

/// The right to set up or end a delegation of `delegator`: `delegation.manage` reaching them
/// (one's own, or a report's, or anyone's).
async fn manage_right(conn: &mut Conn, actor: &Actor, delegator: MemberId) -> Result<Permit> {
    let facts = scope::target(conn, actor.org, actor.id(), delegator).await?;
    let (permit, _) = authorize::permit(&authorize::Request {
        principal: &actor.principal,
        action: Action::DelegationManage,
        resource: authorize::ResourceRef::of_member(facts.target()),
        context: actor.ctx(),
    })?;
    Ok(permit)
}

/// A delegation, with whether it lets the delegate act now.
pub struct DelegationView {
    pub row: DelegationRow,
    pub active: bool,
}

fn view(actor: &Actor, row: DelegationRow) -> DelegationView {
    DelegationView {
        active: row.active_at(actor.now),
        row,
    }
}

/// Let `delegate` act for `delegator` (default: the actor) from `from` (default: now) until
/// `until`.
pub struct Create {
    pub delegator: Option<MemberId>,
    pub delegate: MemberId,
    pub kind: DelegationKind,
    pub from: Option<Timestamp>,
    pub until: Timestamp,
}

impl Change for Create {
    type Output = DelegationView;

    fn action(&self) -> &'static str {
        "delegation.create"
    }

    fn target(&self, actor: &Actor) -> String {
        format!("member:{}", self.delegator.unwrap_or(actor.id()).0)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<DelegationView>> {
        let from = self.from.unwrap_or(actor.now);
        rules::check_delegation_window(from, self.until, actor.now)?;
        let delegator = self.delegator.unwrap_or(actor.id());
        members::get(w, actor.org, delegator)
            .await?
            .ok_or(Error::NotFound)?;
        if delegator != actor.id()
            && super::members::seen_as(w, actor, delegator)
                .await?
                .is_none()
        {
            return Err(Error::NotFound);
        }
        let permit = manage_right(w, actor, delegator).await?;
        let delegate = members::get(w, actor.org, self.delegate).await?;
        let found = delegate.as_ref().map(|d| d.status == "active");
        rules::check_delegate(delegator, self.delegate, found)?;
        // A delegation lends reach, never a verb: the delegate holds what it covers themself.
        if let Some(row) = &delegate {
            let principal = members::principal(w, actor.org, row).await?;
            rules::check_delegate_holds(&principal, self.kind, actor.now)?;
        }
        let new = NewDelegation {
            delegator,
            delegate: self.delegate,
            kind: self.kind,
            valid_from: from,
            valid_until: self.until,
        };
        let id = delegations::create(w, actor.org, &new, permit).await?;
        let row = delegations::get(w, actor.org, id)
            .await?
            .ok_or(Error::NotFound)?;
        let detail = json!({"delegation_id": id, "delegate_id": self.delegate.0,
                            "kind": self.kind.as_str(), "from": rfc3339(from), "until": rfc3339(self.until)});
        Ok(Done::new(view(actor, row), detail))
    }
}

/// End a delegation now.
pub struct End {
    pub id: i64,
}

impl Change for End {
    type Output = ();

    fn action(&self) -> &'static str {
        "delegation.end"
    }

    fn target(&self, _: &Actor) -> String {
        format!("delegation:{}", self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<()>> {
        let row = delegations::get(w, actor.org, self.id)
            .await?
            .ok_or(Error::NotFound)?;
        let involved = row.delegator_id == actor.id().0 || row.delegate_id == actor.id().0;
        let permit = match manage_right(w, actor, MemberId(row.delegator_id)).await {
            Ok(p) => p,
            // Those it does not concern and who may not manage it do not learn it exists.
            Err(_) if !involved => return Err(Error::NotFound),
            Err(e) => return Err(e),
        };
        if !delegations::end(w, actor.org, self.id, MemberId(row.delegator_id), permit).await? {
            return Err(Reason::DelegationEnded.into());
        }
        Ok(Done::new((), json!({"delegation_id": self.id})))
    }
}

/// The delegations the actor is part of; all of them for who manages everyone's.
pub struct List {
    pub paging: Paging,
}

impl Question for List {
    type Output = Page<DelegationView>;

    fn action(&self) -> &'static str {
        "delegation.view"
    }

    fn target(&self) -> String {
        "delegations".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<DelegationView>> {
        let paging = self.paging;
        let all = actor
            .principal
            .list_scope(actor.now, Action::DelegationManage)
            .is_some_and(|s| s.all);
        let mut rows = if all {
            delegations::all(conn, actor.org, paging.cursor, paging.fetch()).await?
        } else {
            delegations::involving(conn, actor.org, actor.id(), paging.cursor, paging.fetch())
                .await?
        };
        let next_cursor = paging.finish(&mut rows, |d| d.id);
        Ok(Page {
            items: rows.into_iter().map(|r| view(actor, r)).collect(),
            next_cursor,
        })
    }
}
