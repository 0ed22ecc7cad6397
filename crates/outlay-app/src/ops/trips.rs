//! Trips: request one, have it decided by whoever approves one's spending (never one's own),
//! or withdraw it undecided. Reading, listing, allowed actions and delegations are the
//! owned-rows kit's ([`super::owned`]).

use super::owned::{self, Governed, View};
use super::{Actor, Change, Done, Error, Result};
use outlay_core::authorize::ResourceRef;
use outlay_core::lifecycle::Lifecycle;
use outlay_core::trip::{TripInput, TripStatus, TripStep};
use outlay_core::validate::ValidationError;
use outlay_core::{Action, MemberId};
use outlay_store::scope::TargetFacts;
use outlay_store::trips::{self, TripRow};
use outlay_store::{Conn, Write};
use serde_json::json;

/// A trip as the actor sees it, with what they may do with it now.
pub type TripView = View<TripRow>;

impl Governed for TripRow {
    fn resource<'a>(&'a self, owner: &'a TargetFacts, _base_currency: &str) -> ResourceRef<'a> {
        self.facts(owner).resource()
    }
}

/// Checks that `trip`, when given, is a trip of `owner`: an expense links only to its
/// owner's trips.
pub(super) async fn check_link(
    conn: &mut Conn,
    actor: &Actor,
    owner: MemberId,
    trip: Option<i64>,
) -> Result<()> {
    let Some(trip) = trip else { return Ok(()) };
    if trips::owner_of(conn, actor.org, trip).await? == Some(owner) {
        return Ok(());
    }
    Err(ValidationError::new("trip_id", "is not a trip of the expense's owner").into())
}

/// Request a trip of one's own.
pub struct Request {
    pub input: TripInput,
}

impl Change for Request {
    type Output = TripView;

    fn action(&self) -> &'static str {
        "trip.request"
    }

    fn target(&self, _: &Actor) -> String {
        "trips".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<TripView>> {
        let action = Action::TripCreate;
        let (permit, _) = owned::permit::<TripRow>(w, actor, action, None, None).await?;
        let id = trips::request(w, actor.org, &self.input, permit).await?;
        let row = trips::get(w, actor.org, actor.id(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let t = &self.input;
        let detail = json!({"trip_id": id, "destination": t.destination, "starts_on": t.starts_on,
                            "ends_on": t.ends_on, "estimated_cost_minor": t.estimated_cost_minor});
        Ok(Done::new(owned::view(actor, row), detail))
    }
}

/// One step in a trip's life.
pub enum Step {
    Cancel,
    /// With an optional note for the owner.
    Approve(Option<String>),
    /// With the reason.
    Reject(String),
}

impl Step {
    fn step(&self) -> TripStep {
        match self {
            Step::Cancel => TripStep::Cancel,
            Step::Approve(_) => TripStep::Approve,
            Step::Reject(_) => TripStep::Reject,
        }
    }
}

/// Take `step` on trip `id`. The trip afterwards, or `None` once cancelled.
pub struct Act {
    pub id: i64,
    pub step: Step,
}

impl Change for Act {
    type Output = Option<TripView>;

    fn action(&self) -> &'static str {
        match self.step.step() {
            TripStep::View => "trip.view",
            TripStep::Cancel => "trip.cancel",
            TripStep::Approve => "trip.approve",
            TripStep::Reject => "trip.reject",
        }
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<TripRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<Option<TripView>>> {
        let (id, org) = (self.id, actor.org);
        let row: TripRow = owned::visible(w, actor, id).await?;
        let step = self.step.step();
        let action = TripStatus::permission(step);
        let (permit, granted) = owned::permit(w, actor, action, Some(&row), None).await?;
        let permit = permit.into_transition::<TripStatus>(step)?;
        let note = match self.step {
            Step::Cancel => None,
            Step::Approve(note) => note,
            Step::Reject(reason) => Some(reason),
        };
        trips::step(w, org, id, note.as_deref(), permit).await?;
        let detail = json!({"note": note, "destination": row.destination,
                            "expenses_unlinked": (step == TripStep::Cancel).then_some(row.expense_count),
                            "reason": granted.to_string()});
        let after = owned::read(w, actor, id)
            .await?
            .map(|row| owned::view(actor, row));
        Ok(Done::new(after, detail))
    }
}
