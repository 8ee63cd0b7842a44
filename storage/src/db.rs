//! Transactions and queries in plain Rust, one SQL text for both engines.
//!
//! A write is a transaction you can see:
//!
//! ```ignore
//! let mut tx = self.begin().await?;
//! query("DELETE FROM session WHERE id = $1").bind(id).execute(&mut tx).await?;
//! append_audit(&mut tx, audit).await?;
//! tx.commit().await?;
//! ```
//!
//! Nothing is kept until `commit`: a `?` or a `return` before it rolls the
//! transaction back. A read takes a connection with [`Store::reader`]. Values
//! are bound as [`Arg`]s and bound again per engine when the query runs, so
//! query code never names an engine; rows decode with sqlx's `FromRow` for
//! both (see [`Row`]).

use crate::engine::{Engine, EngineKind, SqliteWriter};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::NaiveDate;
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Executor, PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};
use std::borrow::Cow;
use std::marker::PhantomData;
use tokio::sync::OwnedMutexGuard;

/// A write transaction: the SQLite writer connection or a PostgreSQL one.
#[must_use = "a transaction keeps nothing until it is committed"]
pub(crate) struct Tx {
    // `None` only once committed or rolled back.
    inner: Option<TxInner>,
}

enum TxInner {
    Sqlite(OwnedMutexGuard<SqliteWriter>),
    Postgres(Transaction<'static, Postgres>),
}

/// A read connection from the pool.
pub(crate) enum Reader {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// One engine's connection, borrowed for one query.
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Something queries run on: a transaction or a read connection.
pub(crate) trait Db: Send {
    fn conn(&mut self) -> Conn<'_>;

    fn kind(&self) -> EngineKind;

    /// `FOR UPDATE`, where the engine has it (SQLite's writer already
    /// excludes every other writer).
    fn for_update(&self) -> &'static str {
        match self.kind() {
            EngineKind::Sqlite => "",
            EngineKind::Postgres => "FOR UPDATE",
        }
    }

    /// `FOR UPDATE SKIP LOCKED`, where the engine has it.
    fn skip_locked(&self) -> &'static str {
        match self.kind() {
            EngineKind::Sqlite => "",
            EngineKind::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }
}

impl Db for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match self.inner.as_mut().expect("a transaction is used only until it ends") {
            TxInner::Sqlite(writer) => Conn::Sqlite(&mut writer.connection),
            TxInner::Postgres(tx) => Conn::Postgres(&mut *tx),
        }
    }

    fn kind(&self) -> EngineKind {
        match self.inner {
            Some(TxInner::Sqlite(_)) => EngineKind::Sqlite,
            _ => EngineKind::Postgres,
        }
    }
}

impl Db for Reader {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Reader::Sqlite(connection) => Conn::Sqlite(&mut *connection),
            Reader::Postgres(connection) => Conn::Postgres(&mut *connection),
        }
    }

    fn kind(&self) -> EngineKind {
        match self {
            Reader::Sqlite(_) => EngineKind::Sqlite,
            Reader::Postgres(_) => EngineKind::Postgres,
        }
    }
}

impl Store {
    /// Starts a write transaction. On SQLite it waits its turn for the one
    /// writer connection (at most the store's writer wait).
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        let inner = match self.engine() {
            Engine::Sqlite(sqlite) => {
                let mut writer = sqlite.writer().await.inspect_err(|e| tracing::warn!(what = %e, "database busy"))?;
                writer.begin_immediate().await?;
                TxInner::Sqlite(writer)
            }
            Engine::Postgres(pool) => TxInner::Postgres(pool.begin().await.map_err(|e| failed("BEGIN", e))?),
        };
        Ok(Tx { inner: Some(inner) })
    }

    /// A connection for reading.
    pub(crate) async fn reader(&self) -> StoreResult<Reader> {
        Ok(match self.engine() {
            Engine::Sqlite(sqlite) => {
                Reader::Sqlite(sqlite.reader().await.map_err(|e| failed("(a read connection)", e))?)
            }
            Engine::Postgres(pool) => {
                Reader::Postgres(pool.acquire().await.map_err(|e| failed("(a read connection)", e))?)
            }
        })
    }
}

impl Tx {
    /// Keeps everything the transaction wrote.
    pub(crate) async fn commit(mut self) -> StoreResult<()> {
        match self.inner.take().expect("a transaction ends once") {
            TxInner::Sqlite(mut writer) => writer.finish("COMMIT").await,
            TxInner::Postgres(tx) => tx.commit().await.map_err(|e| failed("COMMIT", e)),
        }
    }

    /// Takes the lock named `key` until the transaction ends: an advisory
    /// lock on PostgreSQL, so that two servers' transactions on the same
    /// thing run one after the other. On SQLite the one writer already does.
    pub(crate) async fn lock(&mut self, key: impl Into<String>) -> StoreResult<()> {
        if self.kind() == EngineKind::Postgres {
            query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key.into()).execute(self).await?;
        }
        Ok(())
    }

    /// Wakes every server's event hub once this transaction commits
    /// (PostgreSQL; on SQLite the store's bell does it in-process).
    pub(crate) async fn notify_events(&mut self) -> StoreResult<()> {
        if self.kind() == EngineKind::Postgres {
            query("SELECT pg_notify('gp_online_events', '')").execute(self).await?;
        }
        Ok(())
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        // PostgreSQL's transaction rolls itself back when dropped. The SQLite
        // writer is rolled back here, holding the writer until it is done, or
        // else by the next transaction to begin.
        if let Some(TxInner::Sqlite(mut writer)) = self.inner.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Err(error) = writer.finish("ROLLBACK").await {
                        tracing::warn!(%error, "rolling back an abandoned SQLite transaction failed");
                    }
                });
            }
        }
    }
}

impl SqliteWriter {
    async fn begin_immediate(&mut self) -> StoreResult<()> {
        if self.in_transaction {
            self.finish("ROLLBACK").await?;
        }
        self.connection.execute("BEGIN IMMEDIATE").await.map_err(|e| failed("BEGIN IMMEDIATE", e))?;
        self.in_transaction = true;
        Ok(())
    }

    async fn finish(&mut self, statement: &'static str) -> StoreResult<()> {
        self.connection.execute(statement).await.map_err(|e| failed(statement, e))?;
        self.in_transaction = false;
        Ok(())
    }
}

/// A value bound to a query, typed so that PostgreSQL knows a `NULL`'s type.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i32>),
    BigInt(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Time(Option<Timestamp>),
    Date(Option<NaiveDate>),
    Bytes(Option<Vec<u8>>),
}

/// What `.bind()` accepts.
pub(crate) trait IntoArg {
    fn into_arg(self) -> Arg;
}

macro_rules! into_arg {
    ($variant:ident: $($owned:ty),+) => {$(
        impl IntoArg for $owned {
            fn into_arg(self) -> Arg {
                Arg::$variant(Some(self.into()))
            }
        }
        impl IntoArg for &$owned {
            fn into_arg(self) -> Arg {
                Arg::$variant(Some(self.clone().into()))
            }
        }
        impl IntoArg for Option<$owned> {
            fn into_arg(self) -> Arg {
                Arg::$variant(self.map(Into::into))
            }
        }
        impl IntoArg for &Option<$owned> {
            fn into_arg(self) -> Arg {
                Arg::$variant(self.clone().map(Into::into))
            }
        }
        impl IntoArg for Option<&$owned> {
            fn into_arg(self) -> Arg {
                Arg::$variant(self.cloned().map(Into::into))
            }
        }
    )+};
}

into_arg!(Int: i32);
into_arg!(BigInt: i64);
into_arg!(Float: f64);
into_arg!(Bool: bool);
into_arg!(Text: String);
into_arg!(Time: Timestamp);
into_arg!(Date: NaiveDate);
into_arg!(Bytes: Vec<u8>);

impl IntoArg for &str {
    fn into_arg(self) -> Arg {
        Arg::Text(Some(self.to_owned()))
    }
}

impl IntoArg for &&str {
    fn into_arg(self) -> Arg {
        Arg::Text(Some((*self).to_owned()))
    }
}

impl IntoArg for Option<&str> {
    fn into_arg(self) -> Arg {
        Arg::Text(self.map(str::to_owned))
    }
}

impl IntoArg for &[u8] {
    fn into_arg(self) -> Arg {
        Arg::Bytes(Some(self.to_vec()))
    }
}

/// A row type that decodes on both engines (a `#[derive(sqlx::FromRow)]`
/// struct whose fields both engines can decode, or a tuple of such values).
pub(crate) trait Row:
    for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Row for T where T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin {}

/// A statement with its values.
#[must_use = "a query does nothing until it is executed or fetched"]
pub(crate) struct Query<'q> {
    sql: Cow<'q, str>,
    args: Vec<Arg>,
}

/// A query whose rows decode as `R`.
#[must_use = "a query does nothing until it is fetched"]
pub(crate) struct QueryAs<'q, R> {
    query: Query<'q>,
    row: PhantomData<fn() -> R>,
}

/// A query whose rows are one value of type `T`.
#[must_use = "a query does nothing until it is fetched"]
pub(crate) struct QueryScalar<'q, T> {
    query: Query<'q>,
    value: PhantomData<fn() -> T>,
}

pub(crate) fn query<'q>(sql: impl Into<Cow<'q, str>>) -> Query<'q> {
    Query { sql: sql.into(), args: Vec::new() }
}

pub(crate) fn query_as<'q, R: Row>(sql: impl Into<Cow<'q, str>>) -> QueryAs<'q, R> {
    QueryAs { query: query(sql), row: PhantomData }
}

pub(crate) fn query_scalar<'q, T>(sql: impl Into<Cow<'q, str>>) -> QueryScalar<'q, T>
where
    (T,): Row,
{
    QueryScalar { query: query(sql), value: PhantomData }
}

/// A query's failure as a [`StoreError`]. The one place storage failures
/// are logged: here, where the statement is known, inside the span of the
/// store operation that ran it (its name and ids).
fn failed(sql: &str, error: sqlx::Error) -> StoreError {
    let error = StoreError::from(error);
    match &error {
        StoreError::Database(cause) => {
            let statement: String = sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
            tracing::error!(error = %cause, %statement, "a query failed");
        }
        StoreError::Busy(what) => tracing::warn!(%what, "database busy"),
        // Usually answered by the caller ("that name is taken"); said here
        // too, in case one is not and becomes a 500.
        StoreError::Conflict { constraint } => tracing::info!(%constraint, "a uniqueness rule refused the write"),
        StoreError::Refused(why) => tracing::warn!(%why, "the database refused a value"),
        _ => {}
    }
    error
}

/// What a statement did.
pub(crate) struct Done {
    rows_affected: u64,
}

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows_affected
    }

    /// Exactly one row changed; [`StoreError::NotFound`] when none did (the
    /// id is not the practice's, say).
    pub(crate) fn one(&self) -> StoreResult<()> {
        match self.rows_affected {
            1 => Ok(()),
            _ => Err(StoreError::NotFound),
        }
    }
}

// Binds every value of `$args` to the sqlx query `$query` (either engine).
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut bound = $query;
        for arg in $args {
            bound = match arg {
                Arg::Int(value) => bound.bind(value),
                Arg::BigInt(value) => bound.bind(value),
                Arg::Float(value) => bound.bind(value),
                Arg::Bool(value) => bound.bind(value),
                Arg::Text(value) => bound.bind(value),
                Arg::Time(value) => bound.bind(value),
                Arg::Date(value) => bound.bind(value),
                Arg::Bytes(value) => bound.bind(value),
            };
        }
        bound
    }};
}

impl<'q> Query<'q> {
    pub(crate) fn bind(mut self, value: impl IntoArg) -> Self {
        self.args.push(value.into_arg());
        self
    }

    pub(crate) async fn execute(self, db: &mut impl Db) -> StoreResult<Done> {
        let Query { sql, args } = self;
        let rows_affected = match db.conn() {
            Conn::Sqlite(c) => bind_all!(sqlx::query::<Sqlite>(&sql), args)
                .execute(c)
                .await
                .map_err(|e| failed(&sql, e))?
                .rows_affected(),
            Conn::Postgres(c) => bind_all!(sqlx::query::<Postgres>(&sql), args)
                .execute(c)
                .await
                .map_err(|e| failed(&sql, e))?
                .rows_affected(),
        };
        Ok(Done { rows_affected })
    }
}

impl<'q, R: Row> QueryAs<'q, R> {
    pub(crate) fn bind(mut self, value: impl IntoArg) -> Self {
        self.query = self.query.bind(value);
        self
    }

    pub(crate) async fn fetch_all(self, db: &mut impl Db) -> StoreResult<Vec<R>> {
        let Query { sql, args } = self.query;
        Ok(match db.conn() {
            Conn::Sqlite(c) => {
                bind_all!(sqlx::query_as::<Sqlite, R>(&sql), args).fetch_all(c).await.map_err(|e| failed(&sql, e))?
            }
            Conn::Postgres(c) => {
                bind_all!(sqlx::query_as::<Postgres, R>(&sql), args).fetch_all(c).await.map_err(|e| failed(&sql, e))?
            }
        })
    }

    pub(crate) async fn fetch_optional(self, db: &mut impl Db) -> StoreResult<Option<R>> {
        let Query { sql, args } = self.query;
        Ok(match db.conn() {
            Conn::Sqlite(c) => bind_all!(sqlx::query_as::<Sqlite, R>(&sql), args)
                .fetch_optional(c)
                .await
                .map_err(|e| failed(&sql, e))?,
            Conn::Postgres(c) => bind_all!(sqlx::query_as::<Postgres, R>(&sql), args)
                .fetch_optional(c)
                .await
                .map_err(|e| failed(&sql, e))?,
        })
    }

    /// The first row; [`StoreError::NotFound`] when there is none.
    pub(crate) async fn fetch_one(self, db: &mut impl Db) -> StoreResult<R> {
        self.fetch_optional(db).await?.ok_or(StoreError::NotFound)
    }
}

impl<'q, T> QueryScalar<'q, T>
where
    (T,): Row,
{
    pub(crate) fn bind(mut self, value: impl IntoArg) -> Self {
        self.query = self.query.bind(value);
        self
    }

    fn rows(self) -> QueryAs<'q, (T,)> {
        QueryAs { query: self.query, row: PhantomData }
    }

    pub(crate) async fn fetch_all(self, db: &mut impl Db) -> StoreResult<Vec<T>> {
        Ok(self.rows().fetch_all(db).await?.into_iter().map(|(value,)| value).collect())
    }

    pub(crate) async fn fetch_optional(self, db: &mut impl Db) -> StoreResult<Option<T>> {
        Ok(self.rows().fetch_optional(db).await?.map(|(value,)| value))
    }

    pub(crate) async fn fetch_one(self, db: &mut impl Db) -> StoreResult<T> {
        Ok(self.rows().fetch_one(db).await?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("tx.db").display());
        (dir, Store::open(&url).await.unwrap())
    }

    async fn practices(store: &Store) -> i64 {
        query_scalar("SELECT COUNT(*) FROM practice").fetch_one(&mut store.reader().await.unwrap()).await.unwrap()
    }

    async fn add_practice(tx: &mut Tx, ods: &str) -> StoreResult<()> {
        query("INSERT INTO practice (ods_code, name, online_services_enabled, is_demo, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(ods)
            .bind("Test practice")
            .bind(true)
            .bind(false)
            .bind(Timestamp(chrono::Utc::now()))
            .execute(tx)
            .await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_transaction_keeps_nothing_until_it_is_committed() {
        let (_dir, store) = sqlite_store().await;
        let mut tx = store.begin().await.unwrap();
        add_practice(&mut tx, "A11111").await.unwrap();
        drop(tx);
        // The next transaction waits for the rollback, then starts clean.
        let mut tx = store.begin().await.unwrap();
        add_practice(&mut tx, "B22222").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(practices(&store).await, 1, "only the committed practice is kept");
    }

    #[tokio::test]
    async fn an_error_part_way_rolls_back_what_came_before_it() {
        let (_dir, store) = sqlite_store().await;
        async fn two_with_one_code(store: &Store) -> StoreResult<()> {
            let mut tx = store.begin().await?;
            add_practice(&mut tx, "C33333").await?;
            add_practice(&mut tx, "C33333").await?; // A conflict: `?` leaves before the commit.
            tx.commit().await
        }
        let error = two_with_one_code(&store).await.unwrap_err();
        assert!(error.is_conflict_on("practice", "ods_code"), "{error:?}");
        assert_eq!(practices(&store).await, 0);
    }
}
