//! The store answers "who is in my team scope" in SQL; the core answers it over an in-memory
//! org chart. For every pair of demo members, before and after a reporting-line change and
//! with a team-bound grant, both must agree.

use crate::harness::TestServer;
use outlay_core::{MemberId, OrgChart, OrgId, Relation, TeamId};
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

async fn assert_agree(store: &Store, org: OrgId, bound: &[(MemberId, TeamId)]) -> usize {
    let (ids, chart) = chart(store, org).await;
    let now = outlay::clock::system()();
    let mut conn = store.read().await.unwrap();
    let mut team_pairs = 0;
    for actor in &ids {
        let teams: Vec<TeamId> = bound
            .iter()
            .filter(|(m, _)| m == actor)
            .map(|(_, t)| *t)
            .collect();
        for target in &ids {
            let sql = outlay_store::scope::relation(&mut conn, org, *actor, now, *target)
                .await
                .unwrap();
            let model = chart.relation(*actor, &teams, *target);
            assert_eq!(sql, model, "actor {actor} target {target}");
            team_pairs += usize::from(sql == Relation::Team);
        }
    }
    team_pairs
}

#[tokio::test]
async fn sql_team_scope_agrees_with_the_core_org_chart() {
    let server = TestServer::start().await;
    let store = Store::open(&format!("sqlite://{}", server.db_path.display()))
        .await
        .unwrap();
    let acme = OrgId(server.acme());
    let team_pairs = assert_agree(&store, acme, &[]).await;
    // olivia reaches mark, nora and their three reports; mark two; nora one.
    assert_eq!(team_pairs, 5 + 2 + 1);

    // Move alice under nora and bind a team_manager grant of Engineering to bea.
    let (alice, nora, bea) = (
        server.member("alice"),
        server.member("nora"),
        server.member("bea"),
    );
    let engineering = server.team("Acme", "Engineering");
    let mut tx = store.write().await.unwrap();
    sqlx::query("UPDATE members SET manager_id = $1 WHERE id = $2")
        .bind(nora)
        .bind(alice)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("INSERT INTO grants (org_id, member_id, role, team_id, created_at) VALUES ($1, $2, 'team_manager', $3, 0)")
        .bind(acme.0)
        .bind(bea)
        .bind(engineering)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let bound = [(MemberId(bea), TeamId(engineering))];
    let team_pairs = assert_agree(&store, acme, &bound).await;
    // olivia 5, mark 1 (bob), nora 2 (erin, alice), bea 2 (nora, erin in Engineering).
    assert_eq!(team_pairs, 5 + 1 + 2 + 2);
}
