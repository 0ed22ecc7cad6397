//! Approval policies: which people approve a submitted report, in which order. A company's
//! policy is an ordered list of rules; the first rule whose conditions the report meets
//! (amount in the company currency, category, the submitter's team and role) yields its
//! steps. At submit each step is resolved for that report (the submitter's manager n levels
//! up becomes a person) and kept with it: a later policy change leaves it alone until an
//! admin re-routes it. A step with a limit ends the approval when the report's total is
//! within it; above, the report goes on to the next step. Nobody acts on two steps of one
//! report, and the usual four-eyes rule (never one's own, nor one one had a hand in) binds
//! every step. [`refusal`] is read by `decide` for `report.approve`.

use crate::decision::Reason;
use crate::ids::{MemberId, TeamId};
use crate::org::Target;
use crate::principal::Principal;
use crate::validate::{self, ValidationError};
use crate::{Action, Timestamp};
use serde::{Deserialize, Serialize};

/// Who may take one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Approvers {
    /// The submitter's manager, `levels` up the reporting line (1: their direct manager).
    Manager { levels: u8 },
    /// Any holder of one of these roles whose grant reaches the submitter.
    Role { roles: Vec<String> },
    /// This one member.
    Member { member_id: i64 },
    /// `needed` distinct members out of these.
    Members { member_ids: Vec<i64>, needed: u8 },
    /// Anyone who may approve the submitter's reports (`report.approve` within reach).
    Anyone,
}

/// One step of a rule: who approves, and up to which total their approval is the last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepSpec {
    #[serde(flatten)]
    pub approvers: Approvers,
    /// In minor units of the company currency: a report of at most this total is approved
    /// once this step is done; above it, it goes on to the next step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_minor: Option<i64>,
}

/// When a rule applies; every condition left empty matches anything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    /// The total is strictly above this (minor units of the company currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above_minor: Option<i64>,
    /// The total is at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to_minor: Option<i64>,
    /// One of the report's expenses is in one of these categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The submitter is in one of these teams.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<i64>,
    /// The submitter holds one of these roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    #[serde(default)]
    pub when: Match,
    pub steps: Vec<StepSpec>,
}

/// A company's approval policy: its rules, first match wins; how long a step may wait
/// before its approvers are reminded, and before it moves to the next manager up; and what
/// each check of a report's expenses at submit does ([`crate::checks`]; a policy saved
/// before checks existed reads with their defaults).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub rules: Vec<Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_hours: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_hours: Option<u32>,
    #[serde(default)]
    pub checks: crate::checks::Checks,
}

/// The longest wait a policy may set before a reminder or an escalation: 90 days.
pub const MAX_WAIT_HOURS: u32 = 24 * 90;

/// What routing needs to know about a submitted report.
#[derive(Clone, Copy, Debug)]
pub struct Submission<'a> {
    /// In minor units of the company currency; `None` when an expense is in another
    /// currency, which then meets every amount condition's upper side (more approval, not
    /// less).
    pub total_minor: Option<i64>,
    pub categories: &'a [String],
    pub teams: &'a [TeamId],
    pub roles: &'a [String],
}

pub const MAX_RULES: usize = 200;
pub const MAX_STEPS: usize = 10;
pub const MAX_MEMBERS: usize = 20;
pub const MAX_LEVELS: u8 = 10;

impl Match {
    pub fn matches(&self, s: &Submission<'_>) -> bool {
        let total = s.total_minor.unwrap_or(i64::MAX);
        self.above_minor.is_none_or(|a| total > a)
            && self
                .up_to_minor
                .is_none_or(|u| s.total_minor.is_some() && total <= u)
            && (self.categories.is_empty()
                || self.categories.iter().any(|c| s.categories.contains(c)))
            && (self.teams.is_empty() || self.teams.iter().any(|t| s.teams.contains(&TeamId(*t))))
            && (self.roles.is_empty() || self.roles.iter().any(|r| s.roles.contains(r)))
    }
}

impl Policy {
    /// The first rule the report meets, with its place in the list.
    pub fn route(&self, s: &Submission<'_>) -> Option<(usize, &Rule)> {
        self.rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.when.matches(s))
    }

    /// Checks the shape of every rule: names, amounts, step counts. Which roles and
    /// members exist is the company's to check ([`Policy::roles`], [`Policy::members`]).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.rules.len() > MAX_RULES {
            let why = format!("must hold at most {MAX_RULES} rules");
            return Err(ValidationError::new("rules", why));
        }
        for (f, v) in [
            ("reminder_hours", self.reminder_hours),
            ("escalation_hours", self.escalation_hours),
        ] {
            if v.is_some_and(|h| !(1..=MAX_WAIT_HOURS).contains(&h)) {
                return Err(ValidationError::new(
                    f,
                    format!("must be 1 to {MAX_WAIT_HOURS}"),
                ));
            }
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let at = |f: &str| format!("rules[{i}].{f}");
            validate::text(&at("name"), &rule.name, 100)?;
            let w = &rule.when;
            for (f, v) in [
                ("above_minor", w.above_minor),
                ("up_to_minor", w.up_to_minor),
            ] {
                if v.is_some_and(|v| v < 0) {
                    return Err(ValidationError::new(
                        at(&format!("when.{f}")),
                        "must not be negative",
                    ));
                }
            }
            if let (Some(a), Some(u)) = (w.above_minor, w.up_to_minor) {
                if u <= a {
                    let why = "must be above `above_minor`: no total would match";
                    return Err(ValidationError::new(at("when.up_to_minor"), why));
                }
            }
            if rule.steps.is_empty() || rule.steps.len() > MAX_STEPS {
                let why = format!("must hold 1 to {MAX_STEPS} steps");
                return Err(ValidationError::new(at("steps"), why));
            }
            for (j, step) in rule.steps.iter().enumerate() {
                let at = |f: &str| format!("rules[{i}].steps[{j}].{f}");
                if step.limit_minor.is_some_and(|l| l < 0) {
                    return Err(ValidationError::new(
                        at("limit_minor"),
                        "must not be negative",
                    ));
                }
                match &step.approvers {
                    Approvers::Manager { levels } if !(1..=MAX_LEVELS).contains(levels) => {
                        let why = format!("must be 1 to {MAX_LEVELS}");
                        return Err(ValidationError::new(at("levels"), why));
                    }
                    Approvers::Role { roles } if roles.is_empty() || roles.len() > MAX_MEMBERS => {
                        let why = format!("must name 1 to {MAX_MEMBERS} roles");
                        return Err(ValidationError::new(at("roles"), why));
                    }
                    Approvers::Members { member_ids, needed } => {
                        let mut distinct = member_ids.clone();
                        distinct.sort_unstable();
                        distinct.dedup();
                        if distinct.len() != member_ids.len() || member_ids.len() > MAX_MEMBERS {
                            let why = format!("must name at most {MAX_MEMBERS} distinct members");
                            return Err(ValidationError::new(at("member_ids"), why));
                        }
                        if *needed == 0 || usize::from(*needed) > member_ids.len() {
                            let why = "must be at least 1 and at most the number of members";
                            return Err(ValidationError::new(at("needed"), why));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Every role key the policy names, with where, for the company to check they exist.
    pub fn roles(&self) -> impl Iterator<Item = (String, &str)> + '_ {
        self.rules.iter().enumerate().flat_map(|(i, rule)| {
            let when = rule
                .when
                .roles
                .iter()
                .map(move |r| (format!("rules[{i}].when.roles"), r.as_str()));
            let steps = rule
                .steps
                .iter()
                .enumerate()
                .flat_map(move |(j, s)| match &s.approvers {
                    Approvers::Role { roles } => roles
                        .iter()
                        .map(|r| (format!("rules[{i}].steps[{j}].roles"), r.as_str()))
                        .collect::<Vec<_>>(),
                    _ => Vec::new(),
                });
            when.chain(steps)
        })
    }

    /// Every member the policy names, with where.
    pub fn members(&self) -> impl Iterator<Item = (String, i64)> + '_ {
        self.rules.iter().enumerate().flat_map(|(i, rule)| {
            rule.steps
                .iter()
                .enumerate()
                .flat_map(move |(j, s)| match &s.approvers {
                    Approvers::Member { member_id } => {
                        vec![(format!("rules[{i}].steps[{j}].member_id"), *member_id)]
                    }
                    Approvers::Members { member_ids, .. } => member_ids
                        .iter()
                        .map(|m| (format!("rules[{i}].steps[{j}].member_ids"), *m))
                        .collect(),
                    _ => Vec::new(),
                })
        })
    }

    /// Every category the policy names, with where, for the company to check they exist.
    pub fn categories(&self) -> impl Iterator<Item = (String, &str)> + '_ {
        let at = |i: usize| format!("rules[{i}].when.categories");
        self.rules.iter().enumerate().flat_map(move |(i, rule)| {
            rule.when
                .categories
                .iter()
                .map(move |c| (at(i), c.as_str()))
        })
    }

    /// Every team the policy names, with where.
    pub fn teams(&self) -> impl Iterator<Item = (String, i64)> + '_ {
        let at = |i: usize| format!("rules[{i}].when.teams");
        self.rules
            .iter()
            .enumerate()
            .flat_map(move |(i, rule)| rule.when.teams.iter().map(move |t| (at(i), *t)))
    }
}

/// The policy a company follows before it writes its own: its preset's. Outlay's own: up to
/// 500.00 the submitter's manager; above, the manager then finance; above 5,000.00 also an
/// admin (or an owner). Qonto's: amount thresholds by role, the advanced manager up to
/// 1,000.00, above that also an admin. The other presets: anyone who may approve the
/// submitter's reports, as their seeds describe.
pub fn preset_default(preset: &str) -> Policy {
    let role = |roles: &[&str], limit_minor| StepSpec {
        approvers: Approvers::Role {
            roles: roles.iter().map(|r| r.to_string()).collect(),
        },
        limit_minor,
    };
    // Reminded after two days, moved up after five: what a person waiting would expect.
    let rule = |name: &str, steps| Policy {
        rules: vec![Rule {
            name: name.into(),
            when: Match::default(),
            steps,
        }],
        reminder_hours: Some(48),
        escalation_hours: Some(120),
        checks: crate::checks::Checks::default(),
    };
    match preset {
        "outlay" => rule(
            "Outlay's default: manager; above 500.00 finance; above 5,000.00 an admin",
            vec![
                StepSpec {
                    approvers: Approvers::Manager { levels: 1 },
                    limit_minor: Some(50_000),
                },
                role(&["finance"], Some(500_000)),
                role(&["admin", "owner"], None),
            ],
        ),
        "qonto" => rule(
            "Qonto's default: an advanced manager; above 1,000.00 also an admin",
            vec![
                role(
                    &["manager_advanced", "admin", "account_holder"],
                    Some(100_000),
                ),
                role(&["admin", "account_holder"], None),
            ],
        ),
        _ => rule(
            "Anyone who may approve the submitter's reports",
            vec![StepSpec {
                approvers: Approvers::Anyone,
                limit_minor: None,
            }],
        ),
    }
}

/// One step as resolved for one report at submit: the people it waits on, when they are
/// known then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutedStep {
    /// As the rule wrote it.
    pub approvers: Approvers,
    /// Who may take it: the manager found, the named members; empty for roles and anyone.
    pub member_ids: Vec<i64>,
    /// How many distinct approvals complete it.
    pub needed: u32,
    pub limit_minor: Option<i64>,
    /// Set when the rule's manager did not exist at submit (the line is shorter): anyone
    /// who may approve the submitter's reports takes the step instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_manager: bool,
    /// The members it waited on before it waited too long and moved to the next manager up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalated_from: Vec<i64>,
}

impl RoutedStep {
    /// Resolves `spec` for a submitter whose managers, nearest first, are `line`.
    pub fn resolve(spec: &StepSpec, line: &[MemberId]) -> RoutedStep {
        let limit_minor = spec.limit_minor;
        let (member_ids, needed, no_manager) = match &spec.approvers {
            Approvers::Manager { levels } => match line.get(usize::from(*levels).saturating_sub(1))
            {
                Some(m) => (vec![m.0], 1, false),
                None => (Vec::new(), 1, true),
            },
            Approvers::Member { member_id } => (vec![*member_id], 1, false),
            Approvers::Members { member_ids, needed } => {
                (member_ids.clone(), u32::from(*needed), false)
            }
            Approvers::Role { .. } | Approvers::Anyone => (Vec::new(), 1, false),
        };
        RoutedStep {
            approvers: spec.approvers.clone(),
            member_ids,
            needed,
            limit_minor,
            no_manager,
            escalated_from: Vec::new(),
        }
    }

    /// Whether `member` is among those this step waits on (roles are read from grants).
    fn names(&self, member: MemberId) -> bool {
        match &self.approvers {
            Approvers::Role { .. } | Approvers::Anyone => true,
            Approvers::Manager { .. } if self.no_manager => true,
            _ => self.member_ids.contains(&member.0),
        }
    }

    /// Whom an escalation moves a manager step to, given the waiting manager's own manager:
    /// `None` when the step is not a resolved manager's, or has moved up once already.
    pub fn escalated(&self, above: Option<MemberId>) -> Option<RoutedStep> {
        let resolved = matches!(self.approvers, Approvers::Manager { .. }) && !self.no_manager;
        if !resolved || !self.escalated_from.is_empty() {
            return None;
        }
        let up = above?;
        Some(RoutedStep {
            member_ids: vec![up.0],
            escalated_from: self.member_ids.clone(),
            ..self.clone()
        })
    }

    /// Whether a report of `total` is approved once this step is done (else it goes on,
    /// when there is a next step).
    pub fn ends_at(&self, total: Option<i64>) -> bool {
        matches!((self.limit_minor, total), (Some(l), Some(t)) if t <= l)
    }

    /// Who it waits on, in words.
    pub fn describe(&self) -> String {
        match &self.approvers {
            Approvers::Manager { levels } if self.no_manager => format!(
                "anyone who may approve the submitter's reports (the reporting line has no manager {levels} up)"
            ),
            Approvers::Manager { .. } if !self.escalated_from.is_empty() => format!(
                "member {} (escalated: the step waited too long)",
                self.member_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ),
            Approvers::Manager { levels: 1 } => "the submitter's manager".into(),
            Approvers::Manager { levels } => format!("the submitter's manager {levels} levels up"),
            Approvers::Role { roles } => format!("a holder of role {} reaching the submitter", roles.join(" or ")),
            Approvers::Member { member_id } => format!("member {member_id}"),
            Approvers::Members { member_ids, needed } => format!(
                "{needed} of members {}",
                member_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ),
            Approvers::Anyone => "anyone who may approve the submitter's reports".into(),
        }
    }
}

/// The step a submitted report waits on, as `decide` reads it for `report.approve`.
#[derive(Clone, Copy, Debug)]
pub struct StepFacts<'a> {
    /// Its place in the report's route, from 0.
    pub index: u32,
    pub step: &'a RoutedStep,
    /// Everyone who approved a step of this report's route, and whom they acted for.
    pub acted: &'a [MemberId],
}

/// Why `source` (the actor, or the delegator they act for) may not take the report's
/// current step; `None` when they may. `acting` are the actor and whom they act for.
pub fn refusal(
    facts: &StepFacts<'_>,
    source: &Principal,
    owner: Option<&Target<'_>>,
    now: Timestamp,
    acting: [Option<MemberId>; 2],
) -> Option<Reason> {
    let step = facts.index + 1;
    if acting.iter().flatten().any(|m| facts.acted.contains(m)) {
        return Some(Reason::OneStepEach { step });
    }
    let eligible = match &facts.step.approvers {
        Approvers::Role { roles } => source.active_grants(now).any(|g| {
            roles.iter().any(|r| **r == *g.role.key)
                && g.permissions
                    .reach(Action::ReportApprove)
                    .is_some_and(|reach| g.reaches(Action::ReportApprove, reach, owner, None))
        }),
        _ => facts.step.names(source.member()),
    };
    (!eligible).then(|| Reason::NotYourStep {
        step,
        waiting_on: facts.step.describe(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(total: Option<i64>) -> (Option<i64>, Vec<String>) {
        (total, vec!["travel".to_string()])
    }

    #[test]
    fn the_first_matching_rule_routes() {
        let policy = Policy {
            rules: vec![
                Rule {
                    name: "travel".into(),
                    when: Match {
                        categories: vec!["travel".into()],
                        ..Match::default()
                    },
                    steps: vec![StepSpec {
                        approvers: Approvers::Member { member_id: 9 },
                        limit_minor: None,
                    }],
                },
                Rule {
                    name: "big".into(),
                    when: Match {
                        above_minor: Some(100_000),
                        ..Match::default()
                    },
                    steps: vec![StepSpec {
                        approvers: Approvers::Anyone,
                        limit_minor: None,
                    }],
                },
            ],
            ..Policy::default()
        };
        let (total, cats) = submission(Some(500));
        let s = Submission {
            total_minor: total,
            categories: &cats,
            teams: &[],
            roles: &[],
        };
        assert_eq!(policy.route(&s).map(|r| r.0), Some(0));
        let none: Vec<String> = Vec::new();
        let s = Submission {
            categories: &none,
            ..s
        };
        assert_eq!(policy.route(&s).map(|r| r.0), None);
        let s = Submission {
            total_minor: Some(100_001),
            ..s
        };
        assert_eq!(policy.route(&s).map(|r| r.0), Some(1));
        // A total that cannot be summed in the company currency meets "above", never "up to".
        let s = Submission {
            total_minor: None,
            ..s
        };
        assert_eq!(policy.route(&s).map(|r| r.0), Some(1));
        let up_to = Match {
            up_to_minor: Some(10),
            ..Match::default()
        };
        assert!(!up_to.matches(&s));
    }

    #[test]
    fn outlays_default_tiers_by_limit() {
        let policy = preset_default("outlay");
        let steps: Vec<RoutedStep> = policy.rules[0]
            .steps
            .iter()
            .map(|s| RoutedStep::resolve(s, &[MemberId(2)]))
            .collect();
        assert_eq!(steps[0].member_ids, vec![2]);
        // 300.00 ends at the manager; 2,000.00 at finance; 10,000.00 goes to an admin.
        assert!(steps[0].ends_at(Some(30_000)));
        assert!(!steps[0].ends_at(Some(200_000)));
        assert!(steps[1].ends_at(Some(200_000)));
        assert!(!steps[1].ends_at(Some(1_000_000)));
        assert!(!steps[1].ends_at(None));
        assert!(policy.validate().is_ok());
        assert!(preset_default("qonto").validate().is_ok());
        assert!(preset_default("pleo").validate().is_ok());
    }

    #[test]
    fn a_missing_manager_falls_back_to_anyone_who_may_approve() {
        let spec = StepSpec {
            approvers: Approvers::Manager { levels: 2 },
            limit_minor: None,
        };
        let s = RoutedStep::resolve(&spec, &[MemberId(5)]);
        assert!(s.no_manager);
        assert!(s.names(MemberId(77)));
        let s = RoutedStep::resolve(&spec, &[MemberId(5), MemberId(6)]);
        assert_eq!(s.member_ids, vec![6]);
        assert!(!s.names(MemberId(5)));
    }

    #[test]
    fn a_manager_step_moves_up_once() {
        let spec = StepSpec {
            approvers: Approvers::Manager { levels: 1 },
            limit_minor: None,
        };
        let s = RoutedStep::resolve(&spec, &[MemberId(5)]);
        let up = s.escalated(Some(MemberId(9))).unwrap();
        assert_eq!(
            (up.member_ids.clone(), up.escalated_from.clone()),
            (vec![9], vec![5])
        );
        assert!(up.names(MemberId(9)) && !up.names(MemberId(5)));
        assert_eq!(up.escalated(Some(MemberId(11))), None);
        assert_eq!(s.escalated(None), None);
        let role = StepSpec {
            approvers: Approvers::Role {
                roles: vec!["finance".into()],
            },
            limit_minor: None,
        };
        assert_eq!(
            RoutedStep::resolve(&role, &[]).escalated(Some(MemberId(9))),
            None
        );
    }

    #[test]
    fn shapes_are_checked_with_their_field() {
        let mut policy = preset_default("outlay");
        policy.rules[0].steps[0].approvers = Approvers::Members {
            member_ids: vec![1, 1],
            needed: 1,
        };
        let e = policy.validate().map_err(|e| e.field);
        assert_eq!(e, Err("rules[0].steps[0].member_ids".to_string()));
        policy.rules[0].steps[0].approvers = Approvers::Members {
            member_ids: vec![1, 2],
            needed: 3,
        };
        let e = policy.validate().map_err(|e| e.field);
        assert_eq!(e, Err("rules[0].steps[0].needed".to_string()));
        policy.rules[0].steps.clear();
        let e = policy.validate().map_err(|e| e.field);
        assert_eq!(e, Err("rules[0].steps".to_string()));
    }
}
