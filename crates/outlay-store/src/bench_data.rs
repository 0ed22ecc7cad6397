//! A deterministic, realistic company for benchmarks (`outlay bench-data`): a reporting tree
//! 6-8 deep with spans of 5-15, department and project teams, grants of the `outlay` preset's
//! roles (an owner, admins, finance, auditors, accountants, reviewers, a manager grant for
//! everyone with reports, an employee grant for everyone), and three years of expenses in
//! every status. The same seed gives the same company on either backend.
//!
//! This is seeding, not a request: it needs no permit. It writes a fresh company into an
//! existing, migrated database with multi-row INSERTs in large transactions, computes the
//! reporting-lines closure in memory and bulk-inserts it, and refreshes the planner's
//! statistics at the end.

use crate::{Backend, Conn, Result, Store, StoreError};
use outlay_core::{MemberId, OrgId};
use std::time::Instant;

/// The end of the generated history, 2026-11-25T00:00:00Z: expenses span the three years
/// before it, so the same seed gives the same rows whenever it runs.
pub const END: i64 = 1_795_564_800;
const DAY: i64 = 86_400;
const YEAR: i64 = 365 * DAY;
/// Members were hired over the eight years before [`END`].
const HISTORY: i64 = 8 * YEAR;
/// Expenses cover the last three years.
const SPENDING: i64 = 3 * YEAR;
/// Expense rows per transaction.
const EXPENSES_PER_TX: usize = 250_000;
/// The deepest level of the reporting tree (the top is 0).
const MAX_DEPTH: u32 = 7;

/// What to generate.
pub struct Spec<'a> {
    pub members: usize,
    pub expenses: usize,
    pub seed: u64,
    /// The company's name.
    pub name: &'a str,
    /// One password hash shared by every generated person (the demo password).
    pub password_hash: &'a str,
}

/// One benchmark viewer: who they are and what they reach.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// `employee`, `manager`, `director`, `executive`, `owner`, `finance` or `team_manager`.
    pub label: &'static str,
    pub member: MemberId,
    pub email: String,
    /// Direct reports.
    pub reports: usize,
    /// Everyone below them in the reporting line.
    pub below: usize,
    /// Their stored grants, e.g. `manager, employee`.
    pub roles: String,
}

/// What was loaded.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub org: OrgId,
    pub members: usize,
    pub expenses: usize,
    pub teams: usize,
    pub team_members: usize,
    pub grants: usize,
    pub reporting_lines: usize,
    /// Levels of the reporting tree (the owner alone is 1).
    pub levels: u32,
    pub viewers: Vec<Viewer>,
}

/// Progress of one stage: `done` of `total` rows.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    pub stage: &'a str,
    pub done: usize,
    pub total: usize,
    pub elapsed: std::time::Duration,
}

/// SplitMix64: small, fast, and stable forever (a dependency's generator may change its
/// stream between versions; this one never does).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }
}

/// The reporting tree, nodes numbered in creation order (0 is the top).
struct Tree {
    manager: Vec<Option<usize>>,
    depth: Vec<u32>,
    reports: Vec<Vec<usize>>,
    /// Everyone below each node.
    below: Vec<usize>,
}

impl Tree {
    /// `n` members in at most [`MAX_DEPTH`]` + 1` levels: each manager has 5-15 direct
    /// reports (fewer in the smallest teams), splitting the people below them unevenly among
    /// those reports; some reports are individual contributors. The first report of the top
    /// leads a fifth of the company and their first report a fiftieth (at 100,000 members:
    /// an executive with about 20,000 below and a director with about 2,000).
    fn generate(n: usize, rng: &mut Rng) -> Tree {
        let mut t = Tree {
            manager: vec![None],
            depth: vec![0],
            reports: vec![Vec::new()],
            below: vec![0],
        };
        // The most people a node at `depth` can have below it within the depth limit.
        let room = |depth: u32| -> usize {
            (1..=MAX_DEPTH.saturating_sub(depth))
                .map(|k| 15usize.saturating_pow(k))
                .fold(0usize, usize::saturating_add)
        };
        // (node, people below it, the share of its first report if planted)
        let mut todo = vec![(0usize, n.saturating_sub(1), Some(n / 5))];
        while let Some((node, budget, planted)) = todo.pop() {
            if budget == 0 {
                continue;
            }
            let depth = t.depth[node];
            if budget <= 15 {
                for _ in 0..budget {
                    t.add(node);
                }
                continue;
            }
            let child_room = room(depth + 1);
            let least = budget.div_ceil(child_room + 1);
            let span = (rng.range(5, 15) as usize).max(least).min(15).min(budget);
            let rest = budget - span;
            // Some reports are individual contributors (weight 0), the others lead
            // departments of uneven sizes.
            let mut weights: Vec<u64> = (0..span)
                .map(|_| if rng.chance(150) { 0 } else { rng.range(1, 4) })
                .collect();
            let mut shares = vec![0usize; span];
            let mut rest_left = rest;
            let mut from = 0;
            if let Some(want) = planted {
                shares[0] = want.saturating_sub(1).min(rest).min(child_room);
                rest_left -= shares[0];
                weights[0] = 0;
                from = 1;
            }
            if weights[from..].iter().all(|w| *w == 0) {
                if let Some(w) = weights.get_mut(from) {
                    *w = 1;
                }
            }
            let total: u64 = weights[from..].iter().sum::<u64>().max(1);
            for i in from..span {
                shares[i] = (rest_left as u64 * weights[i] / total) as usize;
            }
            // Whatever rounding or the depth limit leaves over goes to those with room.
            for s in shares.iter_mut() {
                *s = (*s).min(child_room);
            }
            let mut left = rest - shares.iter().sum::<usize>();
            while left > 0 {
                let before = left;
                for i in from..span {
                    if left > 0 && (weights[i] > 0 || before == left) && shares[i] < child_room {
                        let add = (left / span).max(1).min(child_room - shares[i]);
                        shares[i] += add;
                        left -= add;
                    }
                }
                if before == left {
                    break;
                }
            }
            // No team of one to four: fold them into the next department with room.
            for i in from..span {
                if (1..5).contains(&shares[i]) {
                    if let Some(j) = (i + 1..span)
                        .find(|&j| shares[j] > 0 && shares[j] + shares[i] <= child_room)
                    {
                        shares[j] += shares[i];
                        shares[i] = 0;
                    }
                }
            }
            for (i, share) in shares.into_iter().enumerate() {
                let child = t.add(node);
                let plant = (planted.is_some() && i == 0 && node == 0).then_some(n / 50);
                todo.push((child, share, plant));
            }
        }
        // Sizes bottom-up: children are always created after their manager.
        for i in (1..t.manager.len()).rev() {
            if let Some(m) = t.manager[i] {
                t.below[m] += t.below[i] + 1;
            }
        }
        t
    }

    fn add(&mut self, manager: usize) -> usize {
        let i = self.manager.len();
        self.manager.push(Some(manager));
        self.depth.push(self.depth[manager] + 1);
        self.reports.push(Vec::new());
        self.below.push(0);
        self.reports[manager].push(i);
        i
    }

    fn len(&self) -> usize {
        self.manager.len()
    }

    /// The node (other than the top) whose `size` is closest to `target`, ties to the
    /// earliest; `None` in a company of one.
    fn closest(&self, target: usize, size: impl Fn(usize) -> Option<usize>) -> Option<usize> {
        (1..self.len())
            .filter_map(|i| size(i).map(|s| (s.abs_diff(target), i)))
            .min()
            .map(|(_, i)| i)
    }
}

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira",
    "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wen", "Xavier", "Yara", "Zoe", "Anton", "Bianca", "Carlos", "Dana", "Emil", "Freya",
];
const LAST: &[&str] = &[
    "Andersen",
    "Baker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Meyer",
    "Nielsen",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Berg",
    "Moreau",
    "Novak",
    "Silva",
    "Horvat",
    "Lindqvist",
];
const FUNCTIONS: &[&str] = &[
    "Sales",
    "Engineering",
    "Marketing",
    "Operations",
    "Support",
    "Finance",
    "People",
    "Legal",
    "Product",
    "Design",
    "Logistics",
    "Research",
];
const PROJECTS: &[&str] = &[
    "Atlas", "Beacon", "Comet", "Delta", "Ember", "Falcon", "Glacier", "Harbor", "Iris", "Juniper",
    "Kestrel", "Lumen", "Meridian", "Nova", "Orbit", "Pioneer",
];
/// (merchant, category, typical amount in cents).
const MERCHANTS: &[(&str, &str, u64)] = &[
    ("Lufthansa", "travel", 32_000),
    ("Deutsche Bahn", "travel", 8_900),
    ("SNCF", "travel", 7_500),
    ("Uber", "travel", 2_400),
    ("Bolt", "travel", 1_600),
    ("Hilton", "lodging", 21_000),
    ("Marriott", "lodging", 24_000),
    ("Airbnb", "lodging", 15_000),
    ("Starbucks", "meals", 900),
    ("Pret A Manger", "meals", 1_300),
    ("Vapiano", "meals", 3_800),
    ("Local Bistro", "meals", 6_500),
    ("Amazon", "supplies", 4_500),
    ("Staples", "supplies", 2_900),
    ("IKEA", "supplies", 12_000),
    ("Apple", "equipment", 89_000),
    ("Dell", "equipment", 120_000),
    ("GitHub", "software", 2_100),
    ("Figma", "software", 4_500),
    ("Slack", "software", 800),
    ("Zoom", "software", 1_500),
    ("Coursera", "training", 4_900),
    ("O'Reilly", "training", 3_900),
    ("Shell", "fuel", 7_000),
    ("Aral", "fuel", 6_500),
    ("Vodafone", "phone", 3_500),
    ("DHL", "shipping", 2_200),
    ("WeWork", "office", 35_000),
];
const NOTES: &[&str] = &[
    "client visit",
    "team offsite",
    "conference",
    "quarterly planning",
    "customer dinner",
    "replacement for broken equipment",
    "training course",
    "on-call weekend",
];
const REJECT_REASONS: &[&str] = &[
    "missing receipt",
    "not a business expense",
    "duplicate of an earlier expense",
    "over the policy limit",
    "wrong category",
];

/// One value of a multi-row INSERT.
enum V {
    I(i64),
    N(Option<i64>),
    T(&'static str),
    S(String),
    O(Option<String>),
}

/// Rows gathered into multi-row INSERTs, as many rows per statement as the backend's bind
/// parameter limit allows (SQLite 32766, PostgreSQL 65535).
struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    per_statement: usize,
    values: Vec<V>,
    rows: usize,
    full_sql: Option<String>,
    inserted: usize,
    positional: bool,
}

impl Batch {
    fn new(backend: Backend, table: &'static str, columns: &'static [&'static str]) -> Batch {
        let max_params = match backend {
            Backend::Sqlite => 32_766,
            Backend::Postgres => 65_535,
        };
        let per_statement = (max_params / columns.len()).clamp(1, 4_000);
        Batch {
            table,
            columns,
            per_statement,
            values: Vec::with_capacity(per_statement * columns.len()),
            rows: 0,
            full_sql: None,
            inserted: 0,
            positional: backend == Backend::Sqlite,
        }
    }

    fn sql(&self, rows: usize) -> String {
        let cols = self.columns.len();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.table,
            self.columns.join(", ")
        );
        for r in 0..rows {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..cols {
                if c > 0 {
                    sql.push(',');
                }
                // SQLite looks a named parameter up by a linear scan, so thousands of `$N`
                // cost quadratic time there; plain `?` binds by position.
                if self.positional {
                    sql.push('?');
                } else {
                    sql.push('$');
                    sql.push_str(&(r * cols + c + 1).to_string());
                }
            }
            sql.push(')');
        }
        sql
    }

    async fn push(&mut self, conn: &mut Conn, row: impl IntoIterator<Item = V>) -> Result<()> {
        let before = self.values.len();
        self.values.extend(row);
        if self.values.len() - before != self.columns.len() {
            return Err(StoreError::Corrupt(format!(
                "a row of {} has the wrong number of values",
                self.table
            )));
        }
        self.rows += 1;
        if self.rows == self.per_statement {
            self.flush(conn).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, conn: &mut Conn) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let sql = if self.rows == self.per_statement {
            if self.full_sql.is_none() {
                self.full_sql = Some(self.sql(self.rows));
            }
            self.full_sql.clone().unwrap_or_default()
        } else {
            self.sql(self.rows)
        };
        let mut q = sqlx::query(&sql);
        for v in self.values.drain(..) {
            q = match v {
                V::I(x) => q.bind(x),
                V::N(x) => q.bind(x),
                V::T(x) => q.bind(x),
                V::S(x) => q.bind(x),
                V::O(x) => q.bind(x),
            };
        }
        q.execute(&mut *conn).await?;
        self.inserted += self.rows;
        self.rows = 0;
        Ok(())
    }
}

/// A write transaction; on SQLite it holds the write lock from the start, so ids reserved
/// inside it stay free, and a large page cache keeps the random parts of the indexes in
/// memory while loading ([`commit`] sets it back).
async fn begin(store: &Store, backend: Backend) -> Result<Conn> {
    let mut tx = store.transaction().await?;
    if backend == Backend::Sqlite {
        sqlx::query("PRAGMA cache_size = -1048576")
            .execute(&mut tx)
            .await?;
    }
    Ok(tx)
}

/// Commits a transaction of [`begin`].
async fn commit(mut tx: Conn, backend: Backend) -> Result<()> {
    if backend == Backend::Sqlite {
        sqlx::query("PRAGMA cache_size = -2000")
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await
}

/// `n` fresh ids of `table` that no other writer will use.
async fn reserve_ids(conn: &mut Conn, table: &str, n: usize) -> Result<Vec<i64>> {
    match Backend::of(conn) {
        // The write transaction holds SQLite's only write lock: nobody inserts meanwhile.
        Backend::Sqlite => {
            let top: i64 = sqlx::query_scalar(&format!(
                "SELECT MAX(n) FROM (SELECT COALESCE(MAX(id), 0) AS n FROM {table} \
                 UNION ALL SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = '{table}')"
            ))
            .fetch_one(&mut *conn)
            .await?;
            Ok((1..=n as i64).map(|i| top + i).collect())
        }
        // Values drawn from the identity's sequence are never handed out again.
        Backend::Postgres => Ok(sqlx::query_scalar(&format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        ))
        .bind(n as i64)
        .fetch_all(&mut *conn)
        .await?),
    }
}

/// `YYYY-MM-DD` of a Unix time (proleptic Gregorian, UTC).
fn date(t: i64) -> String {
    let days = t.div_euclid(DAY);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Who holds what in the generated company, by tree node.
struct People {
    /// Node -> member id.
    id: Vec<i64>,
    /// Node -> hire time.
    hired: Vec<i64>,
    /// Node -> the roles of their stored unbound grants.
    roles: Vec<Vec<&'static str>>,
    /// Node -> how much they spend, relatively.
    activity: Vec<u64>,
    emails: Vec<String>,
    names: Vec<String>,
}

/// How many companies of the database bench-data did not make (its own carry an
/// `org.create` audit entry with reason `bench-data`). A database not migrated yet has none.
pub async fn companies_not_loaded(conn: &mut Conn) -> Result<i64> {
    let orgs: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orgs o WHERE NOT EXISTS (SELECT 1 FROM audit_events a \
         WHERE a.org_id = o.id AND a.action = 'org.create' AND a.reason = 'bench-data')",
    )
    .fetch_one(&mut *conn)
    .await;
    match orgs {
        Ok(n) => Ok(n),
        // No `orgs` table: an empty database, not one that serves anyone.
        Err(sqlx::Error::Database(e)) if e.message().contains("orgs") => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// Loads a benchmark company into `store` (migrated already), reporting progress.
pub async fn load(
    store: &Store,
    spec: &Spec<'_>,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Loaded> {
    if spec.members < 2 {
        return Err(StoreError::Corrupt(
            "a benchmark company needs at least 2 members".into(),
        ));
    }
    let started = Instant::now();
    let mut report = |stage: &str, done: usize, total: usize| {
        progress(Progress {
            stage,
            done,
            total,
            elapsed: started.elapsed(),
        });
    };
    let mut rng = Rng::new(spec.seed);
    let backend = store.backend();
    let tree = Tree::generate(spec.members, &mut rng);
    let n = tree.len();
    let founded = END - HISTORY;

    let mut conn = store.pooled().await?;
    let mut tx = begin(store, backend).await?;
    let org = crate::orgs::create(
        &mut tx,
        spec.name,
        "outlay",
        "EUR",
        outlay_core::Timestamp(founded),
    )
    .await?;

    // Member ids: the top first (the founder), everyone else in a random hiring order.
    let mut member_ids = reserve_ids(&mut tx, "members", n).await?;
    member_ids.sort_unstable();
    let person_ids = reserve_ids(&mut tx, "persons", n).await?;
    let mut order: Vec<usize> = (1..n).collect();
    for i in (1..order.len()).rev() {
        let j = rng.index(i + 1);
        order.swap(i, j);
    }
    order.insert(0, 0);
    // order[k] is the node hired k-th, who gets the k-th smallest id.
    let mut rank = vec![0usize; n];
    for (k, node) in order.iter().enumerate() {
        rank[*node] = k;
    }
    let hire_span = HISTORY - 30 * DAY;
    let mut people = People {
        id: (0..n).map(|i| member_ids[rank[i]]).collect(),
        hired: (0..n)
            .map(|i| founded + (rank[i] as i64) * hire_span / n as i64)
            .collect(),
        roles: vec![Vec::new(); n],
        activity: (0..n)
            .map(|_| match rng.below(100) {
                0..=49 => 1,
                50..=79 => 2,
                80..=94 => 4,
                _ => 10,
            })
            .collect(),
        emails: Vec::with_capacity(n),
        names: Vec::with_capacity(n),
    };

    // Roles: the founder owns; a few admins, finance, auditors, accountants and reviewers
    // among those without reports; a manager grant for everyone with reports; everyone
    // else is an employee.
    let leaves: Vec<usize> = (1..n).filter(|i| tree.reports[*i].is_empty()).collect();
    let special = |role: &'static str, count: usize, rng: &mut Rng, people: &mut People| {
        let mut picked = Vec::new();
        let mut tries = 0;
        while picked.len() < count && tries < count * 50 {
            tries += 1;
            let node = *rng.pick(&leaves);
            if people.roles[node].is_empty() {
                people.roles[node].push(role);
                picked.push(node);
            }
        }
        picked
    };
    people.roles[0].push("owner");
    special("admin", (n / 20_000).clamp(1, 5), &mut rng, &mut people);
    let finance = special("finance", (n / 5_000).clamp(1, 20), &mut rng, &mut people);
    special("auditor", (n / 50_000).clamp(1, 3), &mut rng, &mut people);
    special(
        "accountant",
        (n / 25_000).clamp(1, 4),
        &mut rng,
        &mut people,
    );
    special(
        "expense_reviewer",
        (n / 25_000).clamp(1, 4),
        &mut rng,
        &mut people,
    );
    for i in 1..n {
        if !tree.reports[i].is_empty() {
            people.roles[i].push("manager");
        }
        if people.roles[i].is_empty() || people.roles[i] == ["manager"] {
            people.roles[i].push("employee");
        }
    }

    // The viewers the scale benchmark acts as.
    let first_line = |i: usize| {
        let r = &tree.reports[i];
        (!r.is_empty() && r.iter().all(|c| tree.reports[*c].is_empty())).then_some(r.len())
    };
    let manager = tree.closest(12, first_line).unwrap_or(1);
    let employee = tree.reports[manager]
        .iter()
        .copied()
        .filter(|c| people.roles[*c] == ["employee"])
        .min_by_key(|c| rank[*c])
        .unwrap_or(manager);
    let director = tree
        .closest(n / 50, |i| Some(tree.below[i]).filter(|b| *b > 0))
        .unwrap_or(0);
    let executive = tree
        .closest(n / 5, |i| Some(tree.below[i]).filter(|b| *b > 0))
        .unwrap_or(0);
    let finance_viewer = finance.first().copied().unwrap_or(0);

    // Teams: each department (everyone under a node three levels below the top) and
    // project teams drawn across the company, led by a team-bound team manager.
    let mut team_names: Vec<String> = Vec::new();
    let mut team_of_member: Vec<(usize, usize)> = Vec::new(); // (team, node)
    let mut dept_team = vec![None; n];
    for (i, dept) in dept_team.iter_mut().enumerate() {
        if tree.depth[i] == 3 && tree.below[i] > 0 {
            let t = team_names.len();
            team_names.push(format!(
                "{} {}",
                FUNCTIONS[t % FUNCTIONS.len()],
                t / FUNCTIONS.len() + 1
            ));
            *dept = Some(t);
        }
    }
    for i in 0..n {
        // A member's department is that of their ancestor at depth 3 (or their own node).
        let mut a = i;
        while tree.depth[a] > 3 {
            a = tree.manager[a].unwrap_or(0);
        }
        if let Some(t) = dept_team[a] {
            team_of_member.push((t, i));
        }
    }
    let projects = (n / 1_000).max(1);
    let mut bound: Vec<(usize, usize)> = Vec::new(); // (node, team) team_manager grants
    for p in 0..projects {
        let t = team_names.len();
        team_names.push(format!(
            "Project {} {}",
            PROJECTS[p % PROJECTS.len()],
            p / PROJECTS.len() + 1
        ));
        let size = rng.range(20, 60).min(n as u64 - 1) as usize;
        let mut chosen: Vec<usize> = Vec::with_capacity(size);
        while chosen.len() < size {
            let node = 1 + rng.index(n - 1);
            if !chosen.contains(&node) {
                chosen.push(node);
            }
        }
        bound.push((chosen[0], t));
        team_of_member.extend(chosen.into_iter().map(|node| (t, node)));
    }
    // The team manager viewer leads the department closest to 300 people.
    let team_viewer_team = (0..n)
        .filter_map(|i| dept_team[i].map(|t| (tree.below[i].abs_diff(300), t, i)))
        .min()
        .map(|(_, t, i)| (t, i));
    let team_viewer = team_viewer_team.and_then(|(_, head)| {
        tree.reports[head]
            .iter()
            .copied()
            .filter(|c| tree.reports[*c].is_empty() && people.roles[*c] == ["employee"])
            .min_by_key(|c| rank[*c])
    });
    if let (Some((team, _)), Some(node)) = (team_viewer_team, team_viewer) {
        bound.push((node, team));
    }

    let mut viewers: Vec<(&'static str, usize)> = vec![
        ("employee", employee),
        ("manager", manager),
        ("director", director),
        ("executive", executive),
        ("owner", 0),
        ("finance", finance_viewer),
    ];
    if let Some(node) = team_viewer {
        viewers.push(("team_manager", node));
    }
    let slug = format!("bench{}.example", org.0);
    for r in &rank {
        let first = FIRST[rng.index(FIRST.len())];
        let last = LAST[rng.index(LAST.len())];
        people.names.push(format!("{first} {last}"));
        people.emails.push(format!(
            "{}.{}.{}@{slug}",
            first.to_lowercase(),
            last.to_lowercase(),
            r + 1
        ));
    }
    for (label, node) in &viewers {
        people.emails[*node] = format!("{label}@{slug}");
    }

    // Persons and members, managers before their reports (the foreign key on manager_id).
    let mut persons = Batch::new(
        backend,
        "persons",
        &["id", "email", "name", "password_hash", "created_at"],
    );
    let mut members = Batch::new(
        backend,
        "members",
        &[
            "id",
            "org_id",
            "person_id",
            "name",
            "status",
            "manager_id",
            "created_at",
            "kind",
            "external_id",
        ],
    );
    for k in 0..n {
        let i = order[k];
        persons
            .push(
                &mut tx,
                [
                    V::I(person_ids[k]),
                    V::S(people.emails[i].clone()),
                    V::S(people.names[i].clone()),
                    V::S(spec.password_hash.to_string()),
                    V::I(people.hired[i]),
                ],
            )
            .await?;
        if k % 20_000 == 0 {
            report("persons", k, n);
        }
    }
    persons.flush(&mut tx).await?;
    report("persons", n, n);
    // Breadth first: node numbers are in creation order, managers first.
    for i in 0..n {
        members
            .push(
                &mut tx,
                [
                    V::I(people.id[i]),
                    V::I(org.0),
                    V::I(person_ids[rank[i]]),
                    V::S(people.names[i].clone()),
                    V::T("active"),
                    V::N(tree.manager[i].map(|m| people.id[m])),
                    V::I(people.hired[i]),
                    V::T("internal"),
                    V::S(format!("E{:06}", rank[i] + 1)),
                ],
            )
            .await?;
        if i % 20_000 == 0 {
            report("members", i, n);
        }
    }
    members.flush(&mut tx).await?;
    report("members", n, n);

    // The reporting-lines closure: every (ancestor, member, depth), self at depth 0.
    let total_lines: usize = tree.depth.iter().map(|d| *d as usize + 1).sum();
    let mut lines = Batch::new(
        backend,
        "reporting_lines",
        &["org_id", "ancestor_id", "member_id", "depth"],
    );
    for (k, &i) in order.iter().enumerate() {
        let mut a = Some(i);
        let mut depth = 0;
        while let Some(x) = a {
            lines
                .push(
                    &mut tx,
                    [
                        V::I(org.0),
                        V::I(people.id[x]),
                        V::I(people.id[i]),
                        V::I(depth),
                    ],
                )
                .await?;
            depth += 1;
            a = tree.manager[x];
        }
        if k % 20_000 == 0 {
            report("reporting lines", lines.inserted, total_lines);
        }
    }
    lines.flush(&mut tx).await?;
    report("reporting lines", lines.inserted, total_lines);

    // Teams and who belongs to them.
    let team_ids = reserve_ids(&mut tx, "teams", team_names.len()).await?;
    let mut teams = Batch::new(backend, "teams", &["id", "org_id", "name", "created_at"]);
    for (t, name) in team_names.iter().enumerate() {
        teams
            .push(
                &mut tx,
                [
                    V::I(team_ids[t]),
                    V::I(org.0),
                    V::S(name.clone()),
                    V::I(founded),
                ],
            )
            .await?;
    }
    teams.flush(&mut tx).await?;
    let mut team_members = Batch::new(backend, "team_members", &["org_id", "team_id", "member_id"]);
    team_of_member.sort_unstable_by_key(|(t, i)| (*t, people.id[*i]));
    team_of_member.dedup();
    for (t, i) in &team_of_member {
        team_members
            .push(
                &mut tx,
                [V::I(org.0), V::I(team_ids[*t]), V::I(people.id[*i])],
            )
            .await?;
    }
    team_members.flush(&mut tx).await?;
    report("teams", team_of_member.len(), team_of_member.len());

    // Grants.
    let mut grants = Batch::new(
        backend,
        "grants",
        &["org_id", "member_id", "role", "team_id", "created_at"],
    );
    for &i in &order {
        for role in &people.roles[i] {
            grants
                .push(
                    &mut tx,
                    [
                        V::I(org.0),
                        V::I(people.id[i]),
                        V::T(role),
                        V::N(None),
                        V::I(people.hired[i]),
                    ],
                )
                .await?;
        }
    }
    for (node, team) in &bound {
        grants
            .push(
                &mut tx,
                [
                    V::I(org.0),
                    V::I(people.id[*node]),
                    V::T("team_manager"),
                    V::N(Some(team_ids[*team])),
                    V::I(people.hired[*node]),
                ],
            )
            .await?;
    }
    grants.flush(&mut tx).await?;
    report("grants", grants.inserted, grants.inserted);
    crate::audit::record(
        &mut tx,
        store.audit_key(),
        crate::audit::NewEvent {
            org,
            at: outlay_core::Timestamp(founded),
            actor_member: None,
            actor_person: None,
            action: "org.create",
            target: &format!("org:{}", org.0),
            outcome: crate::audit::Outcome::Allowed,
            reason: "bench-data",
            detail: serde_json::json!({"name": spec.name, "preset": "outlay", "members": n, "seed": spec.seed}),
        },
    )
    .await?;
    commit(tx, backend).await?;

    // Expenses: three years, oldest first, so ids follow time. Only members hired by then
    // spend; busy members spend more.
    let by_hire: Vec<usize> = order.clone();
    let mut cumulative: Vec<u64> = Vec::with_capacity(n + 1);
    cumulative.push(0);
    for node in &by_hire {
        let last = cumulative[cumulative.len() - 1];
        cumulative.push(last + people.activity[*node]);
    }
    let approver_of = |node: usize, rng: &mut Rng| -> i64 {
        match tree.manager[node] {
            Some(m) => people.id[m],
            None => people.id[*rng.pick(&finance)],
        }
    };
    let start = END - SPENDING;
    let m = spec.expenses;
    let mut expenses = Batch::new(
        backend,
        "expenses",
        &[
            "org_id",
            "owner_id",
            "amount_minor",
            "currency",
            "merchant",
            "spent_on",
            "category",
            "note",
            "status",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "reject_reason",
        ],
    );
    let mut tx = begin(store, backend).await?;
    for e in 0..m {
        if e > 0 && e % EXPENSES_PER_TX == 0 {
            expenses.flush(&mut tx).await?;
            commit(tx, backend).await?;
            tx = begin(store, backend).await?;
        }
        let step = SPENDING / m.max(1) as i64;
        let created =
            (start + (e as i64) * SPENDING / m as i64 + rng.below(step.max(1) as u64) as i64)
                .min(END - 60);
        // Members hired by `created`: a prefix of the hiring order.
        let hired = (((created - founded) as i128 * n as i128) / hire_span as i128 + 1)
            .clamp(1, n as i128) as usize;
        let r = rng.below(cumulative[hired]);
        let k = cumulative.partition_point(|c| *c <= r) - 1;
        let owner = by_hire[k.min(hired - 1)];
        let (merchant, category, typical) = *rng.pick(MERCHANTS);
        let amount = (typical / 4 + rng.below(typical * 3 / 2)).max(100) as i64;
        let currency = match rng.below(100) {
            0..=89 => "EUR",
            90..=94 => "USD",
            _ => "GBP",
        };
        let age = END - created;
        let roll = rng.below(100);
        let status = if age < 14 * DAY {
            match roll {
                0..=29 => "draft",
                30..=79 => "submitted",
                80..=94 => "approved",
                _ => "rejected",
            }
        } else if age < 60 * DAY {
            match roll {
                0..=4 => "draft",
                5..=24 => "submitted",
                25..=92 => "approved",
                _ => "rejected",
            }
        } else {
            match roll {
                0 => "draft",
                1 => "submitted",
                2..=91 => "approved",
                _ => "rejected",
            }
        };
        let spent = created - rng.below(14) as i64 * DAY;
        let note = rng.chance(300).then(|| rng.pick(NOTES).to_string());
        let submitted =
            (status != "draft").then(|| (created + rng.below(3 * DAY as u64) as i64).min(END - 30));
        let decided = match (status, submitted) {
            ("approved" | "rejected", Some(s)) => {
                Some((s + 3_600 + rng.below(5 * DAY as u64) as i64).min(END - 1))
            }
            _ => None,
        };
        let decided_by = decided.map(|_| approver_of(owner, &mut rng));
        let reason = (status == "rejected").then(|| rng.pick(REJECT_REASONS).to_string());
        let updated = decided.or(submitted).unwrap_or(created);
        expenses
            .push(
                &mut tx,
                [
                    V::I(org.0),
                    V::I(people.id[owner]),
                    V::I(amount),
                    V::T(currency),
                    V::T(merchant),
                    V::S(date(spent)),
                    V::T(category),
                    V::O(note),
                    V::T(status),
                    V::I(created),
                    V::I(updated),
                    V::N(submitted),
                    V::N(decided_by),
                    V::N(decided),
                    V::O(reason),
                ],
            )
            .await?;
        if e % 50_000 == 0 {
            report("expenses", e, m);
        }
    }
    expenses.flush(&mut tx).await?;
    commit(tx, backend).await?;
    report("expenses", m, m);

    // Fresh planner statistics for the new data.
    report("statistics", 0, 1);
    match backend {
        Backend::Sqlite => {
            sqlx::raw_sql("ANALYZE").execute(&mut *conn).await?;
        }
        Backend::Postgres => {
            sqlx::raw_sql(
                "VACUUM (ANALYZE) persons, members, reporting_lines, teams, team_members, grants, expenses",
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    report("statistics", 1, 1);

    let roles_of = |node: usize| {
        let mut r: Vec<String> = people.roles[node].iter().map(|r| r.to_string()).collect();
        for (b, team) in &bound {
            if *b == node {
                r.push(format!("team_manager@{}", team_names[*team]));
            }
        }
        r.join(", ")
    };
    let viewers = viewers
        .into_iter()
        .map(|(label, node)| Viewer {
            label,
            member: MemberId(people.id[node]),
            email: people.emails[node].clone(),
            reports: tree.reports[node].len(),
            below: tree.below[node],
            roles: roles_of(node),
        })
        .collect();
    Ok(Loaded {
        org,
        members: n,
        expenses: m,
        teams: team_names.len(),
        team_members: team_of_member.len(),
        grants: grants.inserted,
        reporting_lines: total_lines,
        levels: tree.depth.iter().max().copied().unwrap_or(0) + 1,
        viewers,
    })
}

/// The benchmark viewers of a company loaded by [`load`], found by their emails.
pub async fn viewers(conn: &mut Conn, org: OrgId) -> Result<Vec<Viewer>> {
    const LABELS: [&str; 7] = [
        "employee",
        "manager",
        "director",
        "executive",
        "owner",
        "finance",
        "team_manager",
    ];
    let mut out = Vec::new();
    for label in LABELS {
        let email = format!("{label}@bench{}.example", org.0);
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT m.id, \
                    (SELECT COUNT(*) FROM members r WHERE r.org_id = m.org_id AND r.manager_id = m.id), \
                    (SELECT COUNT(*) FROM reporting_lines l WHERE l.org_id = m.org_id AND l.ancestor_id = m.id AND l.depth > 0) \
             FROM members m JOIN persons p ON p.id = m.person_id WHERE m.org_id = $1 AND p.email = $2",
        )
        .bind(org.0)
        .bind(&email)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((id, reports, below)) = row else {
            continue;
        };
        let roles: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT g.role, t.name FROM grants g LEFT JOIN teams t ON t.id = g.team_id \
             WHERE g.org_id = $1 AND g.member_id = $2 ORDER BY g.id",
        )
        .bind(org.0)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(Viewer {
            label,
            member: MemberId(id),
            email,
            reports: usize::try_from(reports).unwrap_or(0),
            below: usize::try_from(below).unwrap_or(0),
            roles: roles
                .into_iter()
                .map(|(r, t)| match t {
                    Some(t) => format!("{r}@{t}"),
                    None => r,
                })
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(out)
}

/// The newest company loaded by `bench-data`, if any.
pub async fn latest(conn: &mut Conn) -> Result<Option<OrgId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(org_id) FROM audit_events WHERE action = 'org.create' AND reason = 'bench-data'",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(id.map(OrgId))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(END), "2026-11-25");
        assert_eq!(date(951_782_400), "2000-02-29");
    }

    #[test]
    fn the_tree_has_realistic_depth_and_spans() {
        let t = Tree::generate(100_000, &mut Rng::new(1));
        assert_eq!(t.len(), 100_000);
        let levels = t.depth.iter().max().copied().unwrap_or(0) + 1;
        assert!((6..=8).contains(&levels), "levels {levels}");
        let managers: Vec<usize> = (0..t.len()).filter(|i| !t.reports[*i].is_empty()).collect();
        let spans: Vec<usize> = managers.iter().map(|i| t.reports[*i].len()).collect();
        assert!(
            spans.iter().all(|s| *s <= 15),
            "max span {:?}",
            spans.iter().max()
        );
        let in_range = spans.iter().filter(|s| (5..=15).contains(*s)).count();
        assert!(
            in_range * 10 >= spans.len() * 8,
            "{in_range} of {}",
            spans.len()
        );
        assert_eq!(t.below[0], 99_999);
        let closest = |target: usize| {
            t.closest(target, |i| Some(t.below[i]).filter(|b| *b > 0))
                .map(|i| t.below[i])
                .unwrap_or(0)
        };
        let (director, executive) = (closest(2_000), closest(20_000));
        assert!(director.abs_diff(2_000) < 10, "director {director}");
        assert!(executive.abs_diff(20_000) < 10, "executive {executive}");
    }

    #[test]
    fn the_same_seed_gives_the_same_tree() {
        let a = Tree::generate(5_000, &mut Rng::new(7));
        let b = Tree::generate(5_000, &mut Rng::new(7));
        assert_eq!(a.manager, b.manager);
    }
}
