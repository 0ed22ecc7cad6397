//! The kit for rows a member owns (expenses now; reports, advances, trips, cards next): a
//! resource declares its table once ([`Owned`]) and gets the scoped list and the read that
//! every such resource needs, written once here.
//!
//! Lists push the caller's reach into SQL and carry each row's owner as the caller sees them
//! (place in the reporting line, teams: [`OwnerSeen`]), so the core can say which actions
//! each row allows without another query. A row can also be read for other members besides
//! the viewer (the delegators of the delegations in force to them, whose reach decides what
//! the viewer may do for them): each adds the owner's place in that member's reporting line
//! (one probe per row) to the same statement, so a page costs the same number of statements
//! whatever its size.
//!
//! A transition is a conditional update that applies only from the state the decision saw
//! ([`changed`]), and takes a permit for exactly that row, step and destination ([`take`]).

use crate::{scope, Backend, Conn, Result, Write};
use outlay_core::lifecycle::{After, Lifecycle};
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::{Line, ListScope, MemberId, OrgId};
use sqlx::any::AnyRow;
use sqlx::FromRow;

/// A resource whose rows a member owns, declared once: its table (aliased `e` in every
/// statement, the owner's member row `m`), the columns a row reads, and its lifecycle.
pub trait Owned: for<'r> FromRow<'r, AnyRow> + Send + Unpin {
    /// The states its rows live through (the `status` column).
    type Status: Lifecycle;
    /// The table; it has `org_id`, `id`, `owner_id` and `status` columns.
    const TABLE: &'static str;
    /// The row's own columns, of `e` and `m` (e.g. `e.id, e.amount_minor, m.name AS owner_name`).
    const COLUMNS: &'static str;
    /// Where its hands are kept, if it has any: the members besides the owner who created,
    /// edited or submitted a row, whom four-eyes binds as it binds the owner. A table with
    /// `org_id`, this column naming the row, `member_id`, `hand` and `first_at`.
    const HANDS: Option<(&'static str, &'static str)> = None;
    /// Rows joined to each row (`LEFT JOIN ...`, on the row `e`), whose columns
    /// [`Owned::COLUMNS`] may name: one probe each, in the same statement.
    const JOINS: &'static str = "";
    /// More columns, with their leading comma, that depend on the backend (aggregates):
    /// by default its hands, comma-separated, as `hands` ([`Hands`]).
    fn more_columns(backend: Backend) -> String {
        hands_column::<Self>(backend)
    }
    fn id(&self) -> i64;
    /// Its owner as the viewer (and the members it was also read for) see them.
    fn seen(&self) -> &OwnerSeen;
    fn seen_mut(&mut self) -> &mut OwnerSeen;
}

/// The owner of a row as its reader sees them: read with the row by the kit (`#[sqlx(flatten)]`).
#[derive(Clone, Debug, FromRow)]
pub struct OwnerSeen {
    pub owner_id: i64,
    pub owner_name: String,
    /// The owner's place in the viewer's reporting line.
    pub line: String,
    /// The owner's teams, comma-separated.
    pub owner_teams: Option<String>,
    /// The owner's place in the reporting line of each member the row was also read for
    /// ([`list`], [`get`]), in the order asked; empty when read for the viewer only.
    #[sqlx(default, try_from = "Option<String>")]
    pub seen_as: SeenAs,
}

impl OwnerSeen {
    /// The owner as the viewer sees them.
    pub fn owner(&self) -> scope::TargetFacts {
        self.facts(Line::parse(&self.line))
    }

    /// The owner as the `i`th member the row was also read for sees them; `None` when it was
    /// not read for them.
    pub fn seen_by(&self, i: usize) -> Option<scope::TargetFacts> {
        Some(self.facts((*self.seen_as.0.get(i)?)?))
    }

    fn facts(&self, line: Line) -> scope::TargetFacts {
        scope::TargetFacts {
            member: MemberId(self.owner_id),
            line,
            teams: scope::parse_teams(self.owner_teams.as_deref()),
        }
    }
}

/// The owner's place in the reporting lines of the members a row was also read for, read
/// from a comma-separated column; `None` for a member the row could not be read for (it
/// changed between the statements of a read for more than [`SEEN_AS_PER_STATEMENT`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenAs(pub Vec<Option<Line>>);

impl From<Option<String>> for SeenAs {
    fn from(s: Option<String>) -> SeenAs {
        match s {
            None => SeenAs::default(),
            Some(s) => SeenAs(s.split(',').map(|l| Some(Line::parse(l.trim()))).collect()),
        }
    }
}

/// The column `hands` of `R`'s rows (with its leading comma), when it keeps hands.
pub fn hands_column<R: Owned>(backend: Backend) -> String {
    let Some((table, row)) = R::HANDS else {
        return String::new();
    };
    let list = list_of(backend, "h.member_id");
    format!(
        ", (SELECT {list} FROM {table} h WHERE h.org_id = e.org_id AND h.{row} = e.id) AS hands"
    )
}

/// The SQL aggregate listing an integer column, comma-separated ([`Ids`] reads it).
pub fn list_of(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("group_concat({column})"),
        Backend::Postgres => format!("string_agg({column}::text, ',' ORDER BY {column})"),
    }
}

/// Ids read from a comma-separated column ([`list_of`]), in ascending order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ids(pub Vec<i64>);

impl From<Option<String>> for Ids {
    fn from(s: Option<String>) -> Ids {
        let mut ids: Vec<i64> = s
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|m| m.trim().parse().ok())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ids(ids)
    }
}

/// The members besides the owner who had a hand in a row ([`Owned::HANDS`]), read from a
/// comma-separated column. A set of hands rather than `created_by`/`submitted_by` columns: a
/// row is edited and resubmitted by several people over its life (a delegate drafts it, the
/// owner resubmits it after a rejection), and each of them stays bound; the owner's own hand
/// is implied and never stored, so a row its owner handles alone costs no row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hands(pub Vec<MemberId>);

impl From<Option<String>> for Hands {
    fn from(s: Option<String>) -> Hands {
        Hands(Ids::from(s).0.into_iter().map(MemberId).collect())
    }
}

/// Records that `member` had a `kind` of hand (`create`, `edit`, `submit`) in row `id` of
/// `R`, unless they own it: the owner's hand is implied. Only after a permitted write of
/// that row in the same transaction (the store's own resource files).
pub(crate) async fn hand<R: Owned>(
    w: &mut Write,
    org: OrgId,
    id: i64,
    member: MemberId,
    kind: &str,
) -> Result<()> {
    let Some((hands, row)) = R::HANDS else {
        return Ok(());
    };
    let now = w.now();
    let sql = format!(
        "INSERT INTO {hands} (org_id, {row}, member_id, hand, first_at) \
         SELECT $1, $2, $3, $4, $5 FROM {table} WHERE org_id = $1 AND id = $2 AND owner_id <> $3 \
         ON CONFLICT DO NOTHING",
        table = R::TABLE
    );
    let q = sqlx::query(&sql).bind(org.0).bind(id).bind(member.0);
    q.bind(kind).bind(now.0).execute(w.conn()).await?;
    Ok(())
}

/// What a list asks for besides the reach: a state, one owner, a page.
#[derive(Clone, Debug)]
pub struct Filter<S> {
    pub status: Option<S>,
    pub owner: Option<MemberId>,
    pub cursor: Option<i64>,
    pub limit: i64,
    /// Oldest first (a queue worked down, such as an inbox) instead of newest first; the
    /// cursor then is the last id seen, and the page goes on above it.
    pub oldest_first: bool,
}

impl<S> Default for Filter<S> {
    fn default() -> Self {
        Filter {
            status: None,
            owner: None,
            cursor: None,
            limit: 0,
            oldest_first: false,
        }
    }
}

/// Up to this many members besides the viewer a row is read for in one statement: the
/// distinct delegators of the delegations in force to the viewer, a handful at most in
/// practice. Each is one bound parameter and one primary-key probe per row; the statement's
/// text depends on how many there are (up to this many), never on who or on the page's
/// size, so it stays one kept statement per count. More members take one more statement per
/// this many.
pub const SEEN_AS_PER_STATEMENT: usize = 16;

/// How a list page finds its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Everything in the company: its index, newest first, no scope condition.
    All,
    /// Nobody is reached.
    Nothing,
    /// One owner asked for: their index range, their place in the reach checked by a probe.
    Owner,
    /// A small reach: each owner's index range, merged newest first.
    Owners,
    /// A large reach: the company's index newest first, each row's owner checked against
    /// the reach, which the planner may build once (PostgreSQL hashes it).
    Scan,
    /// A very large reach: the company's index newest first, each row's owner checked by a
    /// probe of its own (no reach built).
    Probe,
}

/// The shape of the page `viewer` asks for: by the size of the reach, counted up to a few
/// thousand index entries at most ([`scope::owners_first_max`], [`scope::PROBE_FROM`]), so
/// it costs little whatever the reach.
pub async fn shape<S>(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    visible: &ListScope,
    filter: &Filter<S>,
) -> Result<Shape> {
    if filter.owner.is_some() {
        return Ok(Shape::Owner);
    }
    if visible.all {
        return Ok(Shape::All);
    }
    // SQLite probes per row whatever the query says: counting beyond the owner-first limit
    // would decide nothing there.
    let backend = Backend::of(conn);
    let owners_first = scope::owners_first_max(backend, filter.status.is_some());
    let cap = match backend {
        Backend::Sqlite => owners_first + 1,
        Backend::Postgres => scope::PROBE_FROM + 1,
    };
    let reach = scope::reach_size(conn, org, viewer, visible, cap).await?;
    Ok(match reach {
        0 => Shape::Nothing,
        n if n <= owners_first => Shape::Owners,
        n if n <= scope::PROBE_FROM && backend == Backend::Postgres => Shape::Scan,
        _ => Shape::Probe,
    })
}

/// The rows `viewer` may see (`visible`, from the core), newest first, in a given shape
/// (every shape lists the same rows), each also read for the members in `seen_as` (their
/// lines in [`OwnerSeen::seen_as`], in that order): one statement for up to
/// [`SEEN_AS_PER_STATEMENT`] of them, whatever the page's size.
#[allow(clippy::too_many_arguments)]
pub async fn list<R: Owned>(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    visible: &ListScope,
    filter: &Filter<R::Status>,
    shape: Shape,
) -> Result<Vec<R>> {
    let mut chunks = seen_as.chunks(SEEN_AS_PER_STATEMENT);
    let first = chunks.next().unwrap_or(&[]);
    let mut rows = page(conn, org, viewer, first, visible, filter, shape).await?;
    for more in chunks {
        let again = page(conn, org, viewer, more, visible, filter, shape).await?;
        merge_seen_as(&mut rows, again, more.len());
    }
    Ok(rows)
}

/// Row `id` of the company with its owner as `viewer` sees them, also read for the members
/// in `seen_as`: one statement for up to [`SEEN_AS_PER_STATEMENT`] of them. Whether the
/// viewer may see it is the core's decision.
pub async fn get<R: Owned>(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    id: i64,
) -> Result<Option<R>> {
    let mut chunks = seen_as.chunks(SEEN_AS_PER_STATEMENT);
    let first = chunks.next().unwrap_or(&[]);
    let Some(row) = get_one(conn, org, viewer, first, id).await? else {
        return Ok(None);
    };
    let mut rows = [row];
    for more in chunks {
        let again = get_one(conn, org, viewer, more, id).await?;
        merge_seen_as(&mut rows, again.into_iter().collect(), more.len());
    }
    let [row] = rows;
    Ok(Some(row))
}

/// The columns of a row of `from` (which names the table `e`) with its owner as `$2` sees
/// them, and as the members in `seen` (SQL placeholders) see them.
fn select<R: Owned>(backend: Backend, seen: &[String], from: &str) -> String {
    let seen_as = if seen.is_empty() {
        String::new()
    } else {
        let lines: Vec<String> = seen
            .iter()
            .map(|v| format!("({})", scope::line_column_of("e.owner_id", v)))
            .collect();
        format!(", {} AS seen_as", lines.join(" || ',' || "))
    };
    format!(
        "SELECT {cols}, m.name AS owner_name, e.owner_id, {line} AS line, {teams} AS owner_teams{more}{seen_as} \
         FROM {from} JOIN members m ON m.id = e.owner_id AND m.org_id = e.org_id {joins}",
        joins = R::JOINS,
        cols = R::COLUMNS,
        line = scope::line_column("e.owner_id"),
        teams = scope::teams_column(backend, "e.owner_id"),
        more = R::more_columns(backend),
    )
}

/// Appends the lines of a further read for `n` more members to each row's `seen_as`, by id;
/// a row that read no longer returns is marked unread for them.
fn merge_seen_as<R: Owned>(rows: &mut [R], again: Vec<R>, n: usize) {
    let mut by_id: std::collections::HashMap<i64, SeenAs> = again
        .into_iter()
        .map(|mut r| (r.id(), std::mem::take(&mut r.seen_mut().seen_as)))
        .collect();
    for r in rows {
        let id = r.id();
        let seen = &mut r.seen_mut().seen_as.0;
        match by_id.remove(&id) {
            Some(more) => seen.extend(more.0),
            None => seen.extend((0..n).map(|_| None)),
        }
    }
}

/// A bind parameter of a list query.
enum Arg {
    Int(i64),
    Text(&'static str),
}

/// One statement of [`list`]: the ids of the page (newest first), then the full rows of
/// those ids only, so the per-row lookups run for the page's rows only.
async fn page<R: Owned>(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    visible: &ListScope,
    filter: &Filter<R::Status>,
    shape: Shape,
) -> Result<Vec<R>> {
    let backend = Backend::of(conn);
    let table = R::TABLE;
    let mut args: Vec<Arg> = vec![Arg::Int(org.0), Arg::Int(viewer.0)];
    let param = |args: &mut Vec<Arg>, arg: Arg| {
        args.push(arg);
        format!("${}", args.len())
    };
    let mut conds = vec!["e.org_id = $1".to_string()];
    if let Some(status) = filter.status {
        conds.push(format!(
            "e.status = {}",
            param(&mut args, Arg::Text(status.name()))
        ));
    }
    let (dir, past) = if filter.oldest_first {
        ("ASC", ">")
    } else {
        ("DESC", "<")
    };
    if let Some(cursor) = filter.cursor {
        conds.push(format!(
            "e.id {past} {}",
            param(&mut args, Arg::Int(cursor))
        ));
    }
    let owner = filter.owner.map(|o| param(&mut args, Arg::Int(o.0)));
    let limit = param(&mut args, Arg::Int(filter.limit));
    let page = match shape {
        Shape::Nothing => return Ok(Vec::new()),
        Shape::All => {
            format!(
                "SELECT e.id FROM {table} e WHERE {} ORDER BY e.id {dir} LIMIT {limit}",
                conds.join(" AND ")
            )
        }
        Shape::Owner | Shape::Scan | Shape::Probe => {
            if let (Shape::Owner, Some(owner)) = (shape, &owner) {
                conds.push(format!("e.owner_id = {owner}"));
            }
            conds.push(match shape {
                Shape::Scan => scope::member_in(visible, "e.owner_id"),
                _ => scope::member_in_per_row(backend, visible, "e.owner_id"),
            });
            format!(
                "SELECT e.id FROM {table} e WHERE {} ORDER BY e.id {dir} LIMIT {limit}",
                conds.join(" AND ")
            )
        }
        Shape::Owners => {
            let Some(reach) = scope::reach_ids(visible) else {
                return Ok(Vec::new());
            };
            conds.push("e.owner_id = r.id".to_string());
            let conds = conds.join(" AND ");
            match backend {
                // CROSS JOIN fixes the join order in SQLite: owners outside, their index inside.
                Backend::Sqlite => format!(
                    "SELECT e.id FROM ({reach}) r CROSS JOIN {table} e WHERE {conds} ORDER BY e.id {dir} LIMIT {limit}"
                ),
                // LATERAL reads at most a page from each owner's index.
                Backend::Postgres => format!(
                    "SELECT x.id FROM ({reach}) r CROSS JOIN LATERAL \
                     (SELECT e.id FROM {table} e WHERE {conds} ORDER BY e.id {dir} LIMIT {limit}) x \
                     ORDER BY x.id {dir} LIMIT {limit}"
                ),
            }
        }
    };
    let seen: Vec<String> = seen_as
        .iter()
        .map(|m| param(&mut args, Arg::Int(m.0)))
        .collect();
    // The page's ids first (CROSS JOIN keeps that order in SQLite), then each full row.
    let from = format!("({page}) pick CROSS JOIN {table} e");
    let sql = select::<R>(backend, &seen, &from)
        + &format!(" WHERE e.id = pick.id AND e.org_id = $1 ORDER BY e.id {dir}");
    let mut q = sqlx::query_as(&sql);
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
        };
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// One statement of [`get`].
async fn get_one<R: Owned>(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    id: i64,
) -> Result<Option<R>> {
    // The members' placeholders follow the id's.
    let seen: Vec<String> = (0..seen_as.len()).map(|i| format!("${}", i + 4)).collect();
    let from = format!("{} e", R::TABLE);
    let sql = select::<R>(Backend::of(conn), &seen, &from) + " WHERE e.org_id = $1 AND e.id = $3";
    let mut q = sqlx::query_as(&sql).bind(org.0).bind(viewer.0).bind(id);
    for m in seen_as {
        q = q.bind(m.0);
    }
    Ok(q.fetch_optional(&mut *conn).await?)
}

/// What a step writes into one column besides the status.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Set<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    /// The write's time.
    Now,
    /// The member who acts.
    Actor,
    /// The member they act for under a delegation, if any.
    OnBehalfOf,
}

/// Moves row `id` of `R` one step with the permit for exactly that (row, step, and `to` when
/// the caller says where): to the state the lifecycle gives, or out of the table when the
/// step deletes it, writing `sets` beside the status. Applies only from the state the
/// decision saw; a row that moved meanwhile is [`crate::StoreError::Stale`]. Who wrote.
/// Only the store's own resource files call it, each with its columns written in the code;
/// the row's identity, company, owner and status are never among them.
pub(crate) async fn step<'v, R: Owned>(
    w: &mut Write,
    org: OrgId,
    id: i64,
    permit: Permit<Transition<R::Status>>,
    (step, to): (<R::Status as Lifecycle>::Step, Option<R::Status>),
    sets: &[(&str, Set<'v>)],
) -> Result<crate::Author> {
    let reserved = ["id", "org_id", "owner_id", "status"];
    if let Some((c, _)) = sets.iter().find(|(c, _)| reserved.iter().any(|r| r == c)) {
        return Err(crate::StoreError::WrongPermit {
            permit: format!("a step of {}", R::TABLE),
            write: format!("column {c}, which no step writes"),
        });
    }
    let (by, t) = take(w, permit, org, id, step, to)?;
    if t.to() == After::Deleted && !sets.is_empty() {
        return Err(crate::StoreError::WrongPermit {
            permit: format!("a deletion from {}", R::TABLE),
            write: "columns of a deleted row".into(),
        });
    }
    let now = w.now();
    let table = R::TABLE;
    let sql = match t.to() {
        After::Deleted => {
            format!("DELETE FROM {table} WHERE org_id = $1 AND id = $2 AND status = $3")
        }
        After::Status(_) => {
            let cols: Vec<String> = std::iter::once("status".to_string())
                .chain(sets.iter().map(|(c, _)| c.to_string()))
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 4))
                .collect();
            format!(
                "UPDATE {table} SET {} WHERE org_id = $1 AND id = $2 AND status = $3",
                cols.join(", ")
            )
        }
    };
    let mut q = sqlx::query(&sql).bind(org.0).bind(id).bind(t.from().name());
    if let After::Status(to) = t.to() {
        q = q.bind(to.name());
        for (_, v) in sets {
            q = match *v {
                Set::Int(v) => q.bind(v),
                Set::Text(v) => q.bind(v),
                Set::Now => q.bind(now.0),
                Set::Actor => q.bind(by.actor.0),
                Set::OnBehalfOf => q.bind(by.on_behalf_of.map(|m| m.0)),
            };
        }
    }
    changed(q.execute(w.conn()).await?.rows_affected())?;
    Ok(by)
}

/// Takes the permit for `step` on row `id` of `R` without moving the row yet: locks it as
/// the decision saw it (its status, and each of `cond`'s columns equal to its value), for a
/// step whose writes the caller makes next in the same transaction (an approval of one step
/// of several, which may or may not end in the permit's destination). A row that moved
/// meanwhile is [`crate::StoreError::Stale`]. Who wrote, and the transition permitted.
pub(crate) async fn hold<R: Owned>(
    w: &mut Write,
    org: OrgId,
    id: i64,
    permit: Permit<Transition<R::Status>>,
    step: <R::Status as Lifecycle>::Step,
    cond: &[(&str, i64)],
) -> Result<(crate::Author, Transition<R::Status>)> {
    let (by, t) = take(w, permit, org, id, step, None)?;
    let now = w.now();
    let mut sql = format!(
        "UPDATE {} SET updated_at = $4 WHERE org_id = $1 AND id = $2 AND status = $3",
        R::TABLE
    );
    for (i, (c, _)) in cond.iter().enumerate() {
        sql.push_str(&format!(" AND {c} = ${}", i + 5));
    }
    let mut q = sqlx::query(&sql)
        .bind(org.0)
        .bind(id)
        .bind(t.from().name())
        .bind(now.0);
    for (_, v) in cond {
        q = q.bind(*v);
    }
    changed(q.execute(w.conn()).await?.rows_affected())?;
    Ok((by, t))
}

/// A status change is a conditional update: it applies only from the status the decision saw,
/// so a concurrent change can never be overwritten.
pub fn changed(rows: u64) -> Result<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(crate::StoreError::Stale)
    }
}

/// Takes a transition permit for the write of `step` on row `id` of `L`'s resource (to `to`,
/// when the write says where): a permit for another row, another step or another destination
/// is refused before any SQL runs. The write applies only from the permit's `from`.
fn take<L: Lifecycle>(
    w: &mut Write,
    permit: Permit<Transition<L>>,
    org: OrgId,
    id: i64,
    step: L::Step,
    to: Option<L>,
) -> Result<(crate::Author, Transition<L>)> {
    let t = *permit.payload();
    let fits = t.row() == id && t.step() == step && to.is_none_or(|s| t.to() == After::Status(s));
    if !fits {
        let name = |a: After<L>| match a {
            After::Status(s) => s.name(),
            After::Deleted => "deleted",
        };
        let noun = L::NOUN.rsplit(' ').next().unwrap_or(L::NOUN);
        return Err(crate::StoreError::WrongPermit {
            permit: format!(
                "{} of {noun} {} from {} to {}",
                L::step_name(t.step()),
                t.row(),
                t.from().name(),
                name(t.to())
            ),
            write: format!(
                "{} of {noun} {id}{}",
                L::step_name(step),
                to.map(|s| format!(" to {}", s.name())).unwrap_or_default()
            ),
        });
    }
    let row: Subject = Subject::Row(L::RESOURCE, id);
    w.take(permit, org, &[L::permission(step)], row)
}
