//! A migrated database's schema, read from its own catalog (SQLite's `sqlite_master` and
//! pragmas, PostgreSQL's `pg_catalog`) into one vocabulary both backends share, so that the
//! two can be compared fact by fact: each column's type, nullability, default and whether
//! the database hands out its values; each table's primary key, CHECK constraints, indexes
//! (columns, uniqueness, partial predicate) and foreign keys (columns -> table(columns), on
//! delete, on update). Names of constraints and indexes are left out: the backends name
//! implicit ones differently.

use outlay_store::Store;
use std::collections::{BTreeMap, BTreeSet};

/// One foreign key: the child table and columns, and the parent table and columns they
/// point at, column for column, with what deleting or updating a parent row does.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub table: String,
    pub columns: Vec<String>,
    pub parent: String,
    pub parent_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
}

/// A schema as facts, one line each (`expenses.amount_minor int64 NOT NULL`,
/// `expenses CHECK amount_minor > 0`, ...), counted: a duplicated index shows as a count of 2.
#[derive(Debug, Default)]
pub struct Schema {
    pub facts: BTreeMap<String, usize>,
    pub foreign_keys: BTreeSet<ForeignKey>,
}

impl Schema {
    fn add(&mut self, fact: String) {
        *self.facts.entry(fact).or_default() += 1;
    }

    fn add_foreign_key(&mut self, key: ForeignKey) {
        self.add(format!(
            "{} FOREIGN KEY ({}) -> {}({}) ON DELETE {} ON UPDATE {}",
            key.table,
            key.columns.join(", "),
            key.parent,
            key.parent_columns.join(", "),
            key.on_delete,
            key.on_update
        ));
        self.foreign_keys.insert(key);
    }

    /// The facts one schema has and the other has not (or not as often), as lines.
    pub fn missing_from(&self, other: &Schema) -> Vec<String> {
        self.facts
            .iter()
            .filter(|(fact, n)| other.facts.get(*fact) != Some(n))
            .map(|(fact, n)| match other.facts.get(fact) {
                None => fact.clone(),
                Some(m) => format!("{fact} ({n} times here, {m} there)"),
            })
            .collect()
    }

    pub fn has(&self, fact: &str) -> bool {
        self.facts.contains_key(fact)
    }
}

/// Tables of the schema proper, not sqlx's bookkeeping nor SQLite's own.
fn ours(table: &str) -> bool {
    !table.starts_with("_sqlx") && !table.starts_with("sqlite_")
}

/// A declared SQLite type, in the shared vocabulary (SQLite's integers are all 64-bit).
fn sqlite_type(declared: &str) -> String {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" | "BIGINT" | "INT" => "int64".into(),
        "TEXT" => "text".into(),
        "BOOLEAN" => "bool".into(),
        "REAL" | "DOUBLE" => "float64".into(),
        "BLOB" => "bytes".into(),
        other => format!("sqlite {other}"),
    }
}

/// A PostgreSQL type (`format_type`), in the shared vocabulary: a 32-bit integer has no
/// SQLite twin, so it never matches one.
fn postgres_type(name: &str) -> String {
    match name {
        "bigint" => "int64".into(),
        "integer" => "int32".into(),
        "smallint" => "int16".into(),
        "text" => "text".into(),
        "boolean" => "bool".into(),
        "double precision" => "float64".into(),
        "bytea" => "bytes".into(),
        other => format!("postgres {other}"),
    }
}

/// An expression (CHECK, index predicate, default) as both backends print it: PostgreSQL's
/// casts (`'draft'::text`) dropped, its `x = ANY (ARRAY[a, b])` read as `x IN (a, b)`, and
/// parentheses and runs of whitespace dropped, since each backend adds its own. None of the
/// schema's string literals holds a parenthesis or a bracket.
pub fn normalise(expr: &str) -> String {
    let mut s = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(at) = rest.find("::") {
        s.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    s.push_str(rest);
    let s = s.replace("= ANY (ARRAY[", "IN (");
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']'))
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each `CHECK (...)` of a CREATE TABLE statement, column-level or table-level: the text
/// between its parentheses. String literals and quoted names are skipped over.
pub fn sqlite_checks(create: &str) -> Vec<String> {
    let chars: Vec<char> = create.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += 1;
            }
            i += 1;
            continue;
        }
        let word_start = i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_');
        let is_check = word_start
            && chars.len() >= i + 5
            && chars[i..i + 5]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("check");
        if !is_check {
            i += 1;
            continue;
        }
        let mut j = i + 5;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j >= chars.len() || chars[j] != '(' {
            i += 5;
            continue;
        }
        let (mut depth, start) = (0, j + 1);
        let mut quote = None;
        while j < chars.len() {
            match (quote, chars[j]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, c @ ('\'' | '"')) => quote = Some(c),
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        out.push(chars[start..j.min(chars.len())].iter().collect());
        i = j + 1;
    }
    out
}

/// The predicate of a partial index's CREATE INDEX statement, if it has one.
fn sqlite_predicate(create: &str) -> Option<String> {
    let upper = create.to_ascii_uppercase();
    upper
        .rfind(" WHERE ")
        .map(|at| create[at + " WHERE ".len()..].trim().to_string())
}

pub async fn sqlite(store: &Store) -> Schema {
    let mut conn = store.read().await.unwrap();
    let mut schema = Schema::default();

    let tables: Vec<(String, String)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    let tables: Vec<_> = tables.into_iter().filter(|(t, _)| ours(t)).collect();
    for (table, create) in &tables {
        for check in sqlite_checks(create) {
            schema.add(format!("{table} CHECK {}", normalise(&check)));
        }
        let columns: Vec<(String, String, i64, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = columns
            .iter()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.clone()))
            .collect();
        key.sort();
        for (name, declared, notnull, default, pk) in &columns {
            // INTEGER PRIMARY KEY is the rowid: never NULL, handed out by the database
            // (AUTOINCREMENT: never one used before, as an identity column).
            let rowid = *pk == 1 && key.len() == 1 && declared.eq_ignore_ascii_case("INTEGER");
            let mut fact = format!("{table}.{name} {}", sqlite_type(declared));
            if *notnull == 1 || rowid {
                fact.push_str(" NOT NULL");
            }
            if let Some(d) = default {
                fact.push_str(&format!(" DEFAULT {}", normalise(d)));
            }
            if rowid && create.to_ascii_uppercase().contains("AUTOINCREMENT") {
                fact.push_str(" IDENTITY");
            }
            schema.add(fact);
        }
        let key: Vec<String> = key.into_iter().map(|(_, c)| c).collect();
        if !key.is_empty() {
            schema.add(format!("{table} PRIMARY KEY ({})", key.join(", ")));
        }

        // Indexes, the primary key's own left out (read above).
        let rows: Vec<(String, i64, String, i64, String, Option<String>)> = sqlx::query_as(
            "SELECT l.name, l.\"unique\", l.origin, i.seqno, i.name, s.sql \
             FROM pragma_index_list($1) l JOIN pragma_index_info(l.name) i \
             LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = l.name \
             WHERE l.origin <> 'pk' ORDER BY l.name, i.seqno",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let mut indexes = BTreeMap::<String, (bool, Vec<String>, Option<String>)>::new();
        for (index, unique, _origin, _, column, create) in rows {
            let entry = indexes.entry(index).or_insert((
                unique == 1,
                Vec::new(),
                create.as_deref().and_then(sqlite_predicate),
            ));
            entry.1.push(column);
        }
        for (unique, columns, predicate) in indexes.into_values() {
            schema.add(index_fact(table, unique, &columns, predicate.as_deref()));
        }

        let keys: Vec<(i64, i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_delete, on_update \
             FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let mut by_id = BTreeMap::<i64, ForeignKey>::new();
        for (id, _, parent, from, to, on_delete, on_update) in keys {
            let key = by_id.entry(id).or_insert(ForeignKey {
                table: table.clone(),
                columns: Vec::new(),
                parent,
                parent_columns: Vec::new(),
                on_delete,
                on_update,
            });
            key.columns.push(from);
            key.parent_columns.push(to);
        }
        for key in by_id.into_values() {
            schema.add_foreign_key(key);
        }
    }
    schema
}

fn index_fact(table: &str, unique: bool, columns: &[String], predicate: Option<&str>) -> String {
    let mut fact = format!(
        "{table} {}INDEX ({})",
        if unique { "UNIQUE " } else { "" },
        columns.join(", ")
    );
    if let Some(p) = predicate {
        fact.push_str(&format!(" WHERE {}", normalise(p)));
    }
    fact
}

/// `pg_constraint`'s one-letter referential actions, in SQLite's words.
fn postgres_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .to_string()
}

pub async fn postgres(store: &Store) -> Schema {
    let mut conn = store.read().await.unwrap();
    let mut schema = Schema::default();
    const TABLES: &str = "JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relkind = 'r' AND t.relname NOT LIKE '\\_sqlx%'";

    let columns: Vec<(String, String, String, bool, Option<String>, bool)> =
        sqlx::query_as(&format!(
            "SELECT CAST(t.relname AS TEXT), CAST(a.attname AS TEXT), \
                format_type(a.atttypid, a.atttypmod), a.attnotnull, \
                pg_get_expr(d.adbin, d.adrelid), a.attidentity IN ('a', 'd') \
         FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         {TABLES} AND a.attnum > 0 AND NOT a.attisdropped"
        ))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    for (table, name, ty, notnull, default, identity) in columns {
        let mut fact = format!("{table}.{name} {}", postgres_type(&ty));
        if notnull {
            fact.push_str(" NOT NULL");
        }
        if let Some(d) = default {
            fact.push_str(&format!(" DEFAULT {}", normalise(&d)));
        }
        if identity {
            fact.push_str(" IDENTITY");
        }
        schema.add(fact);
    }

    let checks: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT CAST(t.relname AS TEXT), pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         {TABLES} AND c.contype = 'c'"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for (table, def) in checks {
        let expr = def.strip_prefix("CHECK ").unwrap_or(&def);
        schema.add(format!("{table} CHECK {}", normalise(expr)));
    }

    // Every index with its columns in order; the primary key's is the primary key.
    type IndexColumn = (String, String, bool, bool, Option<String>, i64, String);
    let indexes: Vec<IndexColumn> = sqlx::query_as(&format!(
        "SELECT CAST(t.relname AS TEXT), CAST(i.relname AS TEXT), x.indisunique, \
                x.indisprimary, pg_get_expr(x.indpred, x.indrelid), k.pos, \
                CAST(a.attname AS TEXT) \
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_class i ON i.oid = x.indexrelid \
         CROSS JOIN LATERAL unnest(CAST(x.indkey AS int2[])) WITH ORDINALITY AS k(col, pos) \
         JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.col \
         {TABLES} ORDER BY t.relname, i.relname, k.pos"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut grouped =
        BTreeMap::<(String, String), (bool, bool, Option<String>, Vec<String>)>::new();
    for (table, index, unique, primary, predicate, _, column) in indexes {
        grouped
            .entry((table, index))
            .or_insert((unique, primary, predicate, Vec::new()))
            .3
            .push(column);
    }
    for ((table, _), (unique, primary, predicate, columns)) in grouped {
        if primary {
            schema.add(format!("{table} PRIMARY KEY ({})", columns.join(", ")));
        } else {
            schema.add(index_fact(&table, unique, &columns, predicate.as_deref()));
        }
    }

    // conkey and confkey pair the columns by position.
    let keys: Vec<(String, String, String, String, String, String, String)> =
        sqlx::query_as(&format!(
            "SELECT CAST(c.conname AS TEXT), CAST(t.relname AS TEXT), CAST(a.attname AS TEXT), \
                CAST(p.relname AS TEXT), CAST(pa.attname AS TEXT), \
                CAST(c.confdeltype AS TEXT), CAST(c.confupdtype AS TEXT) \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class p ON p.oid = c.confrelid \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, pcol, pos) \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol \
         {TABLES} AND c.contype = 'f' \
         ORDER BY t.relname, c.conname, k.pos"
        ))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let mut by_name = BTreeMap::<(String, String), ForeignKey>::new();
    for (name, table, column, parent, parent_column, on_delete, on_update) in keys {
        let key = by_name.entry((table.clone(), name)).or_insert(ForeignKey {
            table,
            columns: Vec::new(),
            parent,
            parent_columns: Vec::new(),
            on_delete: postgres_action(&on_delete),
            on_update: postgres_action(&on_update),
        });
        key.columns.push(column);
        key.parent_columns.push(parent_column);
    }
    for key in by_name.into_values() {
        schema.add_foreign_key(key);
    }
    schema
}
