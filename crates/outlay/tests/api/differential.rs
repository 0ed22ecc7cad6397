//! The store answers "where is this member in my reporting line, and in which teams" in SQL;
//! the core answers it over an in-memory org chart. For every pair of demo members of every
//! demo company, before and after a reporting-line change, both must agree; and the store's
//! list scoping lists exactly the members the core's list scope reaches.

use crate::harness::TestServer;
use outlay_core::{Action, Line, MemberId, OrgChart, OrgId, TeamId};
use outlay_store::Store;

async fn chart(store: &Store, org: OrgId) -> (Vec<MemberId>, OrgChart) {
    let mut conn = store.read().await.unwrap();
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, manager_id FROM members WHERE org_id = $1")
            .bind(org.0)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    let teams = outlay_store::teams::memberships(&mut conn, org)
        .await
        .unwrap();
    let ids: Vec<MemberId> = rows.iter().map(|r| MemberId(r.0)).collect();
    let chart = OrgChart::new(
        rows.iter()
            .map(|(id, manager)| {
                let t = teams
                    .iter()
                    .filter(|(_, m)| m == id)
                    .map(|(t, _)| TeamId(*t))
                    .collect();
                (MemberId(*id), manager.map(MemberId), t)
            })
            .collect(),
    );
    (ids, chart)
}

/// Checks every pair; returns how many pairs are in a reporting line (direct or indirect).
async fn assert_agree(store: &Store, org: OrgId) -> usize {
    let (ids, chart) = chart(store, org).await;
    let now = outlay::clock::system()();
    let mut conn = store.read().await.unwrap();
    let mut in_line = 0;
    for actor in &ids {
        for target in &ids {
            let sql = outlay_store::scope::target(&mut conn, org, *actor, *target)
                .await
                .unwrap();
            let model = chart.target(*actor, *target);
            assert_eq!(sql.target(), model, "actor {actor} target {target}");
            in_line += usize::from(matches!(sql.line, Line::Direct | Line::Indirect));
        }
        // The members the store lists for the actor are exactly those the core reaches.
        let row = outlay_store::members::get(&mut conn, org, *actor)
            .await
            .unwrap()
            .unwrap();
        let principal = outlay_store::members::principal(&mut conn, org, &row)
            .await
            .unwrap();
        if let Some(scope) = principal.list_scope(now, Action::MemberView) {
            let listed: Vec<MemberId> =
                outlay_store::members::list(&mut conn, org, *actor, &scope, None, 1000)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.member_id())
                    .collect();
            let mut expected: Vec<MemberId> = ids
                .iter()
                .copied()
                .filter(|t| scope.reaches(&chart.target(*actor, *t)))
                .collect();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            assert_eq!(listed, expected, "members listed for {actor}");
        }
    }
    in_line
}

#[tokio::test]
async fn sql_reach_agrees_with_the_core_org_chart() {
    let server = TestServer::start().await;
    let store = Store::open(&server.database_url).await.unwrap();
    for company in &server.seeded.companies {
        assert_agree(&store, company.org).await;
    }
    let acme = OrgId(server.acme());
    let in_line = assert_agree(&store, acme).await;
    // olivia reaches mark, nora and their three reports; mark two; nora one.
    assert_eq!(in_line, 5 + 2 + 1);

    // Move alice under nora and bind a team_manager grant of Engineering to bea.
    let (alice, nora, bea) = (
        server.member("alice"),
        server.member("nora"),
        server.member("bea"),
    );
    let engineering = server.team("Acme", "Engineering");
    let mut tx = store.write(outlay_core::Timestamp(0)).await.unwrap();
    outlay_store::seed::move_under(&mut tx, acme, MemberId(alice), Some(MemberId(nora)))
        .await
        .unwrap();
    let spec = outlay_core::GrantSpec {
        team: Some(outlay_core::TeamId(engineering)),
        ..outlay_core::GrantSpec::role("team_manager")
    };
    outlay_store::seed::grant(&mut tx, acme, MemberId(bea), &spec)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let in_line = assert_agree(&store, acme).await;
    // olivia 5, mark 1 (bob), nora 2 (erin, alice).
    assert_eq!(in_line, 5 + 1 + 2);
    let _ = TeamId(engineering);
}
