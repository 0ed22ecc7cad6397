//! A property over random histories in Acme: people submit reports of 300.00, 2,000.00 and
//! 10,000.00, anyone tries to approve, reject or ask for changes, owners resubmit, Adam
//! switches the policy between Outlay's default and "two of Mark, Fiona, Adam" and re-routes
//! reports, Fiona pays. Whatever happened: no 5xx; no report is approved or paid unless every
//! step it went through was done by enough members the step named (or holders of its roles),
//! distinct across the report, none of them its owner; and nothing paid ever changes.

use crate::harness::{Session, TestServer};
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

const PEOPLE: [&str; 8] = [
    "alice", "bob", "erin", "mark", "nora", "fiona", "adam", "olivia",
];
const AMOUNTS: [i64; 3] = [30_000, 200_000, 1_000_000];

#[derive(Clone, Debug)]
enum Op {
    Submit { owner: usize, amount: usize },
    Approve { by: usize, report: usize },
    Reject { by: usize, report: usize },
    RequestChanges { by: usize, report: usize },
    Resubmit { report: usize },
    SwitchPolicy,
    Reroute { report: usize },
    Pay { report: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..PEOPLE.len();
    // Mostly those who approve anything at all, so histories reach approval often.
    let approver = prop_oneof![3 => 3..PEOPLE.len(), 1 => 0..3usize];
    let report = 0..6usize;
    prop_oneof![
        3 => (0..5usize, 0..AMOUNTS.len()).prop_map(|(owner, amount)| Op::Submit { owner, amount }),
        10 => (approver, report.clone()).prop_map(|(by, report)| Op::Approve { by, report }),
        1 => (who.clone(), report.clone()).prop_map(|(by, report)| Op::Reject { by, report }),
        1 => (who, report.clone()).prop_map(|(by, report)| Op::RequestChanges { by, report }),
        1 => report.clone().prop_map(|report| Op::Resubmit { report }),
        1 => Just(Op::SwitchPolicy),
        1 => report.clone().prop_map(|report| Op::Reroute { report }),
        1 => report.prop_map(|report| Op::Pay { report }),
    ]
}

/// The roles each Acme person holds, for steps that name roles.
fn roles(who: &str) -> &'static [&'static str] {
    match who {
        "olivia" => &["owner"],
        "adam" => &["admin"],
        "fiona" => &["finance"],
        "mark" | "nora" => &["manager"],
        _ => &["employee"],
    }
}

fn no_server_error(status: StatusCode, body: &Value) {
    assert!(!status.is_server_error(), "{status}: {body}");
}

async fn run(ops: Vec<Op>) {
    let server = TestServer::start().await;
    let org = server.acme();
    let mut s: HashMap<&str, Session> = HashMap::new();
    for p in PEOPLE {
        s.insert(p, server.login(p).await);
    }
    let by_id: HashMap<i64, &str> = PEOPLE.iter().map(|p| (server.member(p), *p)).collect();
    let base = format!("/api/v1/orgs/{org}/reports");
    // (id, owner) of each report made, in order.
    let mut reports: Vec<(i64, &str)> = Vec::new();
    let mut paid: HashMap<i64, Value> = HashMap::new();
    let mut two_of_three = false;
    for op in ops {
        // Among the latest few reports: those still moving.
        let pick = |i: usize| {
            reports
                .iter()
                .rev()
                .nth(i % reports.len().clamp(1, 3))
                .copied()
        };
        let (status, body) = match op {
            Op::Submit { owner, amount } => {
                let who = PEOPLE[owner];
                let e = json!({"amount_minor": AMOUNTS[amount], "currency": "EUR", "merchant": "M", "spent_on": "2026-11-20"});
                let (st, e) = s[who]
                    .post(&format!("/api/v1/orgs/{org}/expenses"), e)
                    .await;
                no_server_error(st, &e);
                let (_, r) = s[who].post(&base, json!({"title": "T"})).await;
                let path = format!("{base}/{}", r["id"]);
                s[who].patch(&path, json!({"add": [e["id"]]})).await;
                reports.push((r["id"].as_i64().unwrap(), who));
                s[who].post(&format!("{path}/submit"), json!({})).await
            }
            Op::Approve { by, report }
            | Op::Reject { by, report }
            | Op::RequestChanges { by, report } => {
                let Some((id, _)) = pick(report) else {
                    continue;
                };
                let (verb, body) = match op {
                    Op::Approve { .. } => ("approve", json!({})),
                    Op::Reject { .. } => ("reject", json!({"note": "no"})),
                    _ => ("request-changes", json!({"note": "fix"})),
                };
                s[PEOPLE[by]]
                    .post(&format!("{base}/{id}/{verb}"), body)
                    .await
            }
            Op::Resubmit { report } => {
                let Some((id, owner)) = pick(report) else {
                    continue;
                };
                s[owner]
                    .post(&format!("{base}/{id}/submit"), json!({}))
                    .await
            }
            Op::SwitchPolicy => {
                two_of_three = !two_of_three;
                let ids = [
                    server.member("mark"),
                    server.member("fiona"),
                    server.member("adam"),
                ];
                let policy = if two_of_three {
                    json!({"rules": [{"name": "two of three", "steps": [{"kind": "members", "member_ids": ids, "needed": 2}]}]})
                } else {
                    json!({"rules": [
                        {"name": "manager", "steps": [{"kind": "manager", "levels": 1, "limit_minor": 50_000},
                            {"kind": "role", "roles": ["finance"], "limit_minor": 500_000},
                            {"kind": "role", "roles": ["admin", "owner"]}]}]})
                };
                s["adam"]
                    .put(&format!("/api/v1/orgs/{org}/approval-policy"), policy)
                    .await
            }
            Op::Reroute { report } => {
                let Some((id, _)) = pick(report) else {
                    continue;
                };
                s["adam"]
                    .post(&format!("{base}/{id}/reroute"), json!({}))
                    .await
            }
            Op::Pay { report } => {
                let Some((id, _)) = pick(report) else {
                    continue;
                };
                s["fiona"]
                    .post(&format!("{base}/{id}/pay"), json!({"reference": "P"}))
                    .await
            }
        };
        no_server_error(status, &body);
        // Nothing paid changes, whatever was tried.
        for (id, before) in &paid {
            let (_, now) = s["adam"].get(&format!("{base}/{id}")).await;
            assert_eq!(&now, before, "paid report {id} changed");
        }
        for (id, _) in &reports {
            if paid.contains_key(id) {
                continue;
            }
            let (_, r) = s["adam"].get(&format!("{base}/{id}")).await;
            if r["status"] == "paid" {
                paid.insert(*id, r);
            }
        }
    }
    // Every approved or paid report went through its steps as the steps said.
    for (id, owner) in &reports {
        let (_, r) = s["adam"].get(&format!("{base}/{id}")).await;
        if r["status"] != "approved" && r["status"] != "paid" {
            continue;
        }
        let (_, route) = s["adam"].get(&format!("{base}/{id}/route")).await;
        let steps = route["steps"].as_array().unwrap();
        let mut seen: Vec<i64> = Vec::new();
        let mut open = true;
        for step in steps {
            match step["state"].as_str().unwrap() {
                "done" => assert!(open, "a done step after a skipped one: {route}"),
                "skipped" => open = false,
                other => panic!(
                    "report {id} is {} with a step {other}: {route}",
                    r["status"]
                ),
            }
            if step["state"] != "done" {
                continue;
            }
            let approvals = step["approvals"].as_array().unwrap();
            assert!(
                approvals.len() as u64 >= step["needed"].as_u64().unwrap(),
                "{route}"
            );
            for a in approvals {
                let m = a["member_id"].as_i64().unwrap();
                let who = by_id[&m];
                assert_ne!(who, *owner, "the owner approved their own report: {route}");
                assert!(!seen.contains(&m), "one member on two steps: {route}");
                seen.push(m);
                let rs = &step["rule_step"];
                let named = step["member_ids"].as_array().unwrap();
                let eligible = match rs["kind"].as_str().unwrap() {
                    "role" => rs["roles"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|x| roles(who).contains(&x.as_str().unwrap())),
                    "anyone" => true,
                    _ if named.is_empty() => true,
                    _ => named.iter().any(|n| n.as_i64() == Some(m)),
                };
                assert!(eligible, "{who} was not eligible for a step: {route}");
            }
        }
        assert!(!seen.is_empty(), "approved with no approval: {route}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_report_is_approved_without_its_steps_done_by_eligible_distinct_members(ops in prop::collection::vec(op(), 20..60)) {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        rt.block_on(run(ops));
    }
}
