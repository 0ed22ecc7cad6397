//! The company's approval policy: an ordered list of rules, first match wins, each yielding
//! the steps a submitted report goes through. Versioned: each save is a new version; reports
//! submitted before keep their route until re-routed. Its `checks` say what each check of a
//! report's expenses at submit does.

mod get;
mod put;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::paths::InOrg;
use crate::http::App;
use crate::ops::policies::InForce;
use axum::extract::State;
use axum::Json;
use outlay_core::checks::{Checks, Mode};
use outlay_core::policy::{Approvers, Match, Policy, Rule, StepSpec};
use outlay_core::validate::ValidationError;
use outlay_core::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who takes a step.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The submitter's manager, `levels` up the reporting line.
    Manager,
    /// Any holder of one of `roles` whose grant reaches the submitter.
    Role,
    /// The member `member_id`.
    Member,
    /// `needed` distinct members out of `member_ids`.
    Members,
    /// Anyone who may approve the submitter's reports.
    Anyone,
}

/// One step of a rule.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepIo {
    pub kind: StepKind,
    /// For `manager`: 1 (the direct manager) to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10)]
    pub levels: Option<u8>,
    /// For `role`: role keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// For `member`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<i64>,
    /// For `members`: up to 20 distinct members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<i64>>,
    /// For `members`: how many distinct approvals complete the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 20)]
    pub needed: Option<u8>,
    /// In minor units of the company currency: a report of at most this total is approved
    /// once this step is done; above it, it goes on to the next step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub limit_minor: Option<i64>,
}

/// When a rule applies; conditions left out match anything.
#[derive(Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchIo {
    /// The report's total is strictly above this (minor units of the company currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub above_minor: Option<i64>,
    /// The report's total is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub up_to_minor: Option<i64>,
    /// One of its expenses is in one of these categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The submitter is in one of these teams.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<i64>,
    /// The submitter holds one of these roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleIo {
    /// 1 to 100 characters.
    pub name: String,
    #[serde(default)]
    pub when: MatchIo,
    /// 1 to 10 steps, in order.
    pub steps: Vec<StepIo>,
}

/// What a check does when an expense fails it: nothing, flag it for the approvers, or refuse
/// the report's submit (400 naming the expense and the check).
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckMode {
    Off,
    Flag,
    Block,
}

impl From<Mode> for CheckMode {
    fn from(m: Mode) -> CheckMode {
        match m {
            Mode::Off => CheckMode::Off,
            Mode::Flag => CheckMode::Flag,
            Mode::Block => CheckMode::Block,
        }
    }
}

impl From<CheckMode> for Mode {
    fn from(m: CheckMode) -> Mode {
        match m {
            CheckMode::Off => Mode::Off,
            CheckMode::Flag => Mode::Flag,
            CheckMode::Block => Mode::Block,
        }
    }
}

/// What each check of a report's expenses at its submit does; left out: `flag`, except
/// `weekend` (`off`).
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecksIo {
    /// Above its category's limit per expense.
    #[serde(default = "flag")]
    pub over_limit: CheckMode,
    /// Above its category's receipt threshold with no receipt.
    #[serde(default = "flag")]
    pub missing_receipt: CheckMode,
    /// The same merchant, day and amount as another expense of the same member.
    #[serde(default = "flag")]
    pub duplicate: CheckMode,
    /// Spent on a Saturday or a Sunday.
    #[serde(default = "off")]
    pub weekend: CheckMode,
}

fn flag() -> CheckMode {
    CheckMode::Flag
}

fn off() -> CheckMode {
    CheckMode::Off
}

impl From<Checks> for ChecksIo {
    fn from(c: Checks) -> ChecksIo {
        ChecksIo {
            over_limit: c.over_limit.into(),
            missing_receipt: c.missing_receipt.into(),
            duplicate: c.duplicate.into(),
            weekend: c.weekend.into(),
        }
    }
}

impl From<ChecksIo> for Checks {
    fn from(c: ChecksIo) -> Checks {
        Checks {
            over_limit: c.over_limit.into(),
            missing_receipt: c.missing_receipt.into(),
            duplicate: c.duplicate.into(),
            weekend: c.weekend.into(),
        }
    }
}

/// A policy to save: up to 200 rules, the first a report meets routes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyIn {
    pub rules: Vec<RuleIo>,
    /// Hours a step may wait before its approvers are reminded (1 to 2160; none: never).
    #[schema(minimum = 1, maximum = 2160)]
    pub reminder_hours: Option<u32>,
    /// Hours a step may wait before it moves to the next manager up (a manager step, once;
    /// 1 to 2160; none: never).
    #[schema(minimum = 1, maximum = 2160)]
    pub escalation_hours: Option<u32>,
    /// Left out: every check at its default.
    pub checks: Option<ChecksIo>,
}

#[derive(Serialize, ToSchema)]
pub struct PolicyOut {
    /// 0 while the company follows its preset's default.
    pub version: i64,
    /// `company` (saved by the company) or `preset` (its preset's default).
    pub source: String,
    pub rules: Vec<RuleIo>,
    pub reminder_hours: Option<u32>,
    pub escalation_hours: Option<u32>,
    pub checks: ChecksIo,
    pub created_by: Option<i64>,
    pub created_at: Option<String>,
}

pub(crate) fn step_io(s: &StepSpec) -> StepIo {
    let mut io = StepIo {
        kind: StepKind::Anyone,
        levels: None,
        roles: None,
        member_id: None,
        member_ids: None,
        needed: None,
        limit_minor: s.limit_minor,
    };
    match &s.approvers {
        Approvers::Manager { levels } => (io.kind, io.levels) = (StepKind::Manager, Some(*levels)),
        Approvers::Role { roles } => (io.kind, io.roles) = (StepKind::Role, Some(roles.clone())),
        Approvers::Member { member_id } => {
            (io.kind, io.member_id) = (StepKind::Member, Some(*member_id))
        }
        Approvers::Members { member_ids, needed } => {
            io.kind = StepKind::Members;
            (io.member_ids, io.needed) = (Some(member_ids.clone()), Some(*needed));
        }
        Approvers::Anyone => {}
    }
    io
}

/// The policy as the API shows it.
pub(crate) fn out(f: InForce) -> PolicyOut {
    let rules = f.policy.rules.iter().map(|r| RuleIo {
        name: r.name.clone(),
        when: MatchIo {
            above_minor: r.when.above_minor,
            up_to_minor: r.when.up_to_minor,
            categories: r.when.categories.clone(),
            teams: r.when.teams.clone(),
            roles: r.when.roles.clone(),
        },
        steps: r.steps.iter().map(step_io).collect(),
    });
    PolicyOut {
        version: f.version,
        source: if f.saved.is_some() {
            "company"
        } else {
            "preset"
        }
        .into(),
        rules: rules.collect(),
        reminder_hours: f.policy.reminder_hours,
        escalation_hours: f.policy.escalation_hours,
        checks: f.policy.checks.into(),
        created_by: f.saved.map(|s| s.0),
        created_at: f.saved.map(|s| rfc3339(Timestamp(s.1))),
    }
}

/// A step as sent: the fields its kind needs, and none of another kind's.
fn step_spec(at: &str, s: StepIo) -> Result<StepSpec, ValidationError> {
    let field = |f: &str| format!("{at}.{f}");
    let need = |f: &str| ValidationError::new(field(f), "is required for this kind");
    let given = [
        (
            "levels",
            s.levels.is_some(),
            matches!(s.kind, StepKind::Manager),
        ),
        ("roles", s.roles.is_some(), matches!(s.kind, StepKind::Role)),
        (
            "member_id",
            s.member_id.is_some(),
            matches!(s.kind, StepKind::Member),
        ),
        (
            "member_ids",
            s.member_ids.is_some(),
            matches!(s.kind, StepKind::Members),
        ),
        (
            "needed",
            s.needed.is_some(),
            matches!(s.kind, StepKind::Members),
        ),
    ];
    if let Some((f, ..)) = given.iter().find(|(_, sent, wanted)| *sent && !*wanted) {
        return Err(ValidationError::new(
            field(f),
            "does not belong to this kind of step",
        ));
    }
    let approvers = match s.kind {
        StepKind::Manager => Approvers::Manager {
            levels: s.levels.ok_or_else(|| need("levels"))?,
        },
        StepKind::Role => Approvers::Role {
            roles: s.roles.ok_or_else(|| need("roles"))?,
        },
        StepKind::Member => Approvers::Member {
            member_id: s.member_id.ok_or_else(|| need("member_id"))?,
        },
        StepKind::Members => Approvers::Members {
            member_ids: s.member_ids.ok_or_else(|| need("member_ids"))?,
            needed: s.needed.ok_or_else(|| need("needed"))?,
        },
        StepKind::Anyone => Approvers::Anyone,
    };
    Ok(StepSpec {
        approvers,
        limit_minor: s.limit_minor,
    })
}

/// The policy as sent, in the core's terms, its shape checked.
pub(crate) fn policy(mut p: PolicyIn) -> Result<Policy, ValidationError> {
    let mut rules = Vec::with_capacity(p.rules.len());
    for (i, r) in std::mem::take(&mut p.rules).into_iter().enumerate() {
        let mut steps = Vec::with_capacity(r.steps.len());
        for (j, s) in r.steps.into_iter().enumerate() {
            steps.push(step_spec(&format!("rules[{i}].steps[{j}]"), s)?);
        }
        let w = r.when;
        rules.push(Rule {
            name: r.name,
            when: Match {
                above_minor: w.above_minor,
                up_to_minor: w.up_to_minor,
                categories: w.categories,
                teams: w.teams,
                roles: w.roles,
            },
            steps,
        });
    }
    let policy = Policy {
        rules,
        reminder_hours: p.reminder_hours,
        escalation_hours: p.escalation_hours,
        checks: p.checks.map(Checks::from).unwrap_or_default(),
    };
    policy.validate()?;
    Ok(policy)
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(get::get, put::put))
}
