//! Statements that make one change together: the first inserts a row and returns its id, the
//! others use that id. On SQLite they run one after another in one transaction (the single
//! writer makes that cheap). On PostgreSQL each statement is a round trip to the server, so
//! they are sent as one statement, a `WITH` of data-modifying statements: as atomic, and one
//! round trip instead of one for each, plus two for BEGIN and COMMIT (a complaint's filing went
//! from eight to one).
//!
//! Each statement is written once, as a `Step`, and a function that makes it alone on a
//! transaction (`Step::execute`) uses the same `Step`.

use super::db::{Backend, Db};
use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments};

/// Where a step needs the id its change's first statement returns.
pub const ID: &str = "{id}";

/// A value bound to a step's placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(Some(v))
    }
}

impl From<Option<i64>> for Param {
    fn from(v: Option<i64>) -> Self {
        Param::Int(v)
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(Some(v.to_string()))
    }
}

impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(Some(v))
    }
}

impl From<Option<&str>> for Param {
    fn from(v: Option<&str>) -> Self {
        Param::Text(v.map(str::to_string))
    }
}

impl From<Option<String>> for Param {
    fn from(v: Option<String>) -> Self {
        Param::Text(v)
    }
}

/// One statement: SQL whose placeholders are numbered from `$1` in the order of `params` (or,
/// on SQLite only, `?`), with `ID` where it needs the change's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    sql: String,
    params: Vec<Param>,
}

impl Step {
    pub fn new(sql: impl Into<String>) -> Self {
        Self { sql: sql.into(), params: Vec::new() }
    }

    pub fn bind(mut self, value: impl Into<Param>) -> Self {
        self.params.push(value.into());
        self
    }

    /// The SQL and arguments to run it alone, `id` standing for `ID` (bound after its own).
    pub fn alone(&self, id: Option<i64>) -> (String, AnyArguments<'static>) {
        let mut params = self.params.clone();
        let sql = match id {
            Some(id) if self.sql.contains(ID) => {
                params.push(Param::Int(Some(id)));
                self.sql.replace(ID, &format!("${}", params.len()))
            }
            _ => self.sql.clone(),
        };
        (sql, arguments(params))
    }

    /// Runs it alone on the caller's transaction.
    pub async fn execute(&self, conn: &mut AnyConnection, id: Option<i64>) -> Result<(), sqlx::Error> {
        let (sql, args) = self.alone(id);
        sqlx::query_with(&sql, args).execute(conn).await?;
        Ok(())
    }
}

fn arguments(params: Vec<Param>) -> AnyArguments<'static> {
    let mut args = AnyArguments::default();
    for param in params {
        // Encoding an i64 or a String into Any's buffer cannot fail.
        let added = match param {
            Param::Int(v) => args.add(v),
            Param::Text(v) => args.add(v),
        };
        added.expect("an integer or text argument");
    }
    args
}

/// `sql` with each `$n` placeholder renumbered `$(n + by)`.
fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        match digits.parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&digits),
        }
    }
    out
}

/// The one PostgreSQL statement that makes `first` and `rest` together and returns `first`'s id.
fn one_statement(first: &Step, rest: &[Step]) -> (String, Vec<Param>) {
    let mut sql = format!("WITH made AS ({})", first.sql);
    let mut params = first.params.clone();
    for (i, step) in rest.iter().enumerate() {
        let body = renumber(&step.sql, params.len()).replace(ID, "(SELECT id FROM made)");
        sql.push_str(&format!(", step{i} AS ({body})"));
        params.extend(step.params.iter().cloned());
    }
    sql.push_str(" SELECT id FROM made");
    (sql, params)
}

impl Db {
    /// Makes `first` (an INSERT ... RETURNING id) and `rest` together, all or none, and
    /// returns the new id. On PostgreSQL `rest` must not touch a row `first` or another step
    /// changes (the statements of one `WITH` see the same snapshot).
    pub async fn together(&self, first: &Step, rest: &[Step]) -> Result<i64, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut tx = self.begin().await?;
                let (sql, args) = first.alone(None);
                let id: i64 = sqlx::query_scalar_with(&sql, args).fetch_one(&mut *tx).await?;
                for step in rest {
                    step.execute(&mut tx, Some(id)).await?;
                }
                tx.commit().await?;
                Ok(id)
            }
            Backend::Postgres => {
                let (sql, params) = one_statement(first, rest);
                sqlx::query_scalar_with(&sql, arguments(params)).fetch_one(self.write()).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Param, Step, one_statement, renumber};

    #[test]
    fn placeholders_are_renumbered_past_those_before() {
        assert_eq!(renumber("VALUES ($1, $2, $10) -- $", 3), "VALUES ($4, $5, $13) -- $");
    }

    #[test]
    fn the_steps_become_one_statement_on_the_first_ones_id() {
        let first = Step::new("INSERT INTO a (x) VALUES ($1) RETURNING id").bind(7);
        let rest = [
            Step::new("INSERT INTO b (a_id, y, z) VALUES ({id}, $1, $2)").bind("y").bind(None::<i64>),
            Step::new("UPDATE c SET a_id = {id} WHERE k = $1").bind("k"),
        ];
        let (sql, params) = one_statement(&first, &rest);
        assert_eq!(
            sql,
            "WITH made AS (INSERT INTO a (x) VALUES ($1) RETURNING id), \
             step0 AS (INSERT INTO b (a_id, y, z) VALUES ((SELECT id FROM made), $2, $3)), \
             step1 AS (UPDATE c SET a_id = (SELECT id FROM made) WHERE k = $4) SELECT id FROM made"
        );
        assert_eq!(params, vec![Param::Int(Some(7)), "y".into(), Param::Int(None), "k".into()]);
    }

    #[test]
    fn alone_the_id_is_the_last_placeholder() {
        let step = Step::new("UPDATE c SET a_id = {id} WHERE k = $1").bind("k");
        assert_eq!(step.alone(Some(9)).0, "UPDATE c SET a_id = $2 WHERE k = $1");
        assert_eq!(Step::new("DELETE FROM c WHERE k = $1").bind("k").alone(Some(9)).0, "DELETE FROM c WHERE k = $1");
    }
}
