//! Approval policies: read the one in force (the company's newest version, or its preset's
//! default), save a new version, route a report at submit, show a report's route and
//! re-route a submitted one by the policy now in force. Which step a member may take is
//! the core's ([`outlay_core::policy::refusal`], read by `decide`).

use super::owned;
use super::{Actor, Change, Done, Question, Result};
use outlay_core::authorize::{self, Request, ResourceRef};
use outlay_core::catalog::Resource;
use outlay_core::policy::{self, Approvers, Policy, RoutedStep, StepSpec, Submission};
use outlay_core::report::ReportStatus;
use outlay_core::validate::ValidationError;
use outlay_core::{Action, MemberId, Reason, TeamId};
use outlay_store::report_steps::{self, Route, StepRow};
use outlay_store::reports::ReportRow;
use outlay_store::{Conn, Write};
use serde_json::json;

/// The policy in force: its version (0 for the preset's default) and rules.
#[derive(Clone, Debug)]
pub struct InForce {
    pub version: i64,
    pub policy: Policy,
    /// Who saved it and when; `None` for the preset's default.
    pub saved: Option<(i64, i64)>,
}

pub(super) async fn in_force(conn: &mut Conn, actor: &Actor) -> Result<InForce> {
    Ok(
        match outlay_store::policies::current(conn, actor.org).await? {
            Some(s) => InForce {
                version: s.version,
                policy: s.policy,
                saved: Some((s.created_by, s.created_at)),
            },
            None => InForce {
                version: 0,
                policy: policy::preset_default(actor.company.preset().key),
                saved: None,
            },
        },
    )
}

/// The company's approval policy in force.
pub struct Current;

impl Question for Current {
    type Output = InForce;

    fn action(&self) -> &'static str {
        "policy.view"
    }

    fn target(&self) -> String {
        "approval_policy".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<InForce> {
        authorize::company(&actor.principal, actor.ctx(), Action::PolicyView).into_result()?;
        in_force(conn, actor).await
    }
}

/// Save a new version of the company's approval policy. Reports submitted before keep
/// their route until re-routed.
pub struct Save {
    pub policy: Policy,
}

impl Change for Save {
    type Output = InForce;

    fn action(&self) -> &'static str {
        "policy.save"
    }

    fn target(&self, _: &Actor) -> String {
        "approval_policy".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<InForce>> {
        let permit =
            authorize::company_permit(&actor.principal, actor.ctx(), Action::PolicyManage)?;
        self.policy.validate()?;
        check_names(w, actor, &self.policy).await?;
        let version = outlay_store::policies::save(w, actor.org, &self.policy, permit).await?;
        let detail = json!({"version": version, "rules": self.policy.rules.len()});
        let saved = Some((actor.id().0, actor.now.0));
        let view = InForce {
            version,
            policy: self.policy,
            saved,
        };
        Ok(Done::new(view, detail))
    }
}

/// Every role, member, category and team the policy names exists in the company (members:
/// active).
async fn check_names(conn: &mut Conn, actor: &Actor, policy: &Policy) -> Result<()> {
    let book = outlay_store::roles::book(conn, actor.org).await?;
    for (field, role) in policy.roles() {
        if book.get(role).is_none() {
            let why = format!("names role `{role}`, which this company does not have");
            return Err(ValidationError::new(field, why).into());
        }
    }
    for (field, id) in policy.members() {
        let member = outlay_store::members::get(conn, actor.org, MemberId(id)).await?;
        if member.is_none_or(|m| m.archived_at.is_some()) {
            let why = format!("names member {id}, who is not an active member of this company");
            return Err(ValidationError::new(field, why).into());
        }
    }
    for (field, name) in policy.categories() {
        if outlay_store::categories::by_name(conn, actor.org, name)
            .await?
            .is_none()
        {
            let why = format!("names category `{name}`, which this company does not have");
            return Err(ValidationError::new(field, why).into());
        }
    }
    for (field, id) in policy.teams() {
        if outlay_store::teams::get(conn, actor.org, TeamId(id))
            .await?
            .is_none()
        {
            let why = format!("names team {id}, which this company does not have");
            return Err(ValidationError::new(field, why).into());
        }
    }
    Ok(())
}

/// The route report `row` takes by the policy in force: the first rule it meets, its steps
/// resolved for the report's owner; with no rule met, one step anyone who may approve the
/// owner's reports takes.
pub(super) async fn route(conn: &mut Conn, actor: &Actor, row: &ReportRow) -> Result<Route> {
    let force = in_force(conn, actor).await?;
    let owner = MemberId(row.who.owner_id);
    let f = report_steps::facts(conn, actor.org, row.id, owner, actor.now).await?;
    let submission = Submission {
        total_minor: row.total_minor,
        categories: &f.categories,
        teams: &f.teams,
        roles: &f.roles,
    };
    let resolve = |s: &StepSpec| RoutedStep::resolve(s, &f.line);
    let hours = |h: Option<u32>| h.map(|h| i64::from(h) * 3600);
    let anyone = StepSpec {
        approvers: Approvers::Anyone,
        limit_minor: None,
    };
    let (rule, steps) = match force.policy.route(&submission) {
        Some((_, rule)) => (rule.name.clone(), rule.steps.iter().map(resolve).collect()),
        None => (
            "no rule matched: anyone who may approve the submitter's reports".into(),
            vec![resolve(&anyone)],
        ),
    };
    Ok(Route {
        version: force.version,
        rule,
        steps,
        remind_after: hours(force.policy.reminder_hours),
        escalate_after: hours(force.policy.escalation_hours),
    })
}

/// A report's route as the API shows it.
#[derive(Clone, Debug)]
pub struct RouteView {
    pub policy_version: Option<i64>,
    pub rule: Option<String>,
    pub current_step: Option<i64>,
    pub steps: Vec<StepRow>,
}

/// Report `id`'s approval route, step by step, for whoever may see the report.
pub struct Steps {
    pub id: i64,
}

impl Question for Steps {
    type Output = RouteView;

    fn action(&self) -> &'static str {
        "report.view"
    }

    fn target(&self) -> String {
        owned::target::<ReportRow>(self.id)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<RouteView> {
        let row: ReportRow = owned::visible(conn, actor, self.id).await?;
        let steps = report_steps::steps(conn, actor.org, self.id).await?;
        let submitted = row.status() == ReportStatus::Submitted;
        Ok(RouteView {
            policy_version: row.policy_version,
            rule: row.route_rule,
            current_step: row.step_idx.filter(|_| submitted),
            steps,
        })
    }
}

/// Re-route submitted report `id` by the policy now in force (whoever manages policies):
/// approvals given on its old route no longer count.
pub struct Reroute {
    pub id: i64,
}

impl Change for Reroute {
    type Output = RouteView;

    fn action(&self) -> &'static str {
        "report.reroute"
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<ReportRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<RouteView>> {
        let row: ReportRow = owned::visible(w, actor, self.id).await?;
        let request = Request {
            principal: &actor.principal,
            action: Action::PolicyManage,
            resource: ResourceRef {
                kind: Some(Resource::Report),
                id: Some(self.id),
                ..ResourceRef::default()
            },
            context: actor.ctx(),
        };
        let (permit, _) = authorize::permit(&request)?;
        if row.status() != ReportStatus::Submitted {
            return Err(Reason::WrongStatus {
                noun: "a report",
                status: row.status().as_str(),
                action: "re-route",
            }
            .into());
        }
        let route = route(w, actor, &row).await?;
        let detail = json!({
            "from": {"policy_version": row.policy_version, "rule": row.route_rule, "step": row.step_idx},
            "to": {"policy_version": route.version, "rule": route.rule, "steps": route.steps.len()},
        });
        report_steps::reroute(w, actor.org, self.id, row.route_no, &route, permit).await?;
        let steps = report_steps::steps(w, actor.org, self.id).await?;
        let view = RouteView {
            policy_version: Some(route.version),
            rule: Some(route.rule),
            current_step: Some(0),
            steps,
        };
        Ok(Done::new(view, detail))
    }
}
