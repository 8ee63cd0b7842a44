use thiserror::Error;

pub type StoreResult<T> = Result<T, StoreError>;

/// What can go wrong in storage. The app turns these into its one error type.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write. `constraint` names it as the engine
    /// reported it (PostgreSQL gives the constraint name, SQLite the columns).
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The database refused a value (a check or foreign key constraint).
    #[error("refused by the database: {0}")]
    Refused(String),
    #[error("not found")]
    NotFound,
    /// A rule checked inside the transaction refused the change; the message
    /// is worded for the person who asked.
    #[error("{0}")]
    Rule(&'static str),
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Setup(String),
    /// The database did not take the work in time (the SQLite writer, or a
    /// PostgreSQL connection); says what was waited for.
    #[error("database busy: {0}")]
    Busy(String),
}

impl StoreError {
    /// True when a uniqueness rule on `table`'s `column` refused the write, on
    /// either engine.
    pub fn is_conflict_on(&self, table: &str, column: &str) -> bool {
        matches!(self, StoreError::Conflict { constraint } if constraint.contains(table) && constraint.contains(column))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
                constraint: db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned()),
            },
            sqlx::Error::Database(db) if db.is_check_violation() || db.is_foreign_key_violation() => {
                StoreError::Refused(db.message().to_owned())
            }
            sqlx::Error::PoolTimedOut => StoreError::Busy("waited for a database connection".to_owned()),
            _ => StoreError::Database(error),
        }
    }
}
