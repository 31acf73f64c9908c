//! The shared store: PostgreSQL, for several stateless server processes over one database.
//!
//! Each pooled connection owns a current-thread tokio runtime that the calling thread drives while it waits for a
//! query (4× less latency per statement than handing work to another runtime's worker), so the [`ServerStore`]
//! trait stays synchronous: the HTTP layer calls it from `spawn_blocking`, admin commands and tests call it
//! directly. Each connection keeps its prepared statements.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use tokio::runtime::{Builder, Runtime};
use tokio_postgres::{Client, Config, IsolationLevel, NoTls, Statement};

use super::{postgres_tx::PgTx, Access, ServerStore, StoreError, Tx};
use crate::ServerError;

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`; released entries never change.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/postgres_0001.sql"),
    include_str!("sql/postgres_0002_content.sql"),
    include_str!("sql/postgres_0003_token_lifecycle.sql"),
    include_str!("sql/postgres_0004_token_rotation.sql"),
    include_str!("sql/postgres_0005_verdicts.sql"),
    include_str!("sql/postgres_0006_audit_model_graded.sql"),
    include_str!("sql/postgres_0007_server_history.sql"),
    include_str!("sql/postgres_0008_insights.sql"),
];
/// The advisory lock that serialises schema migrations of concurrently starting servers.
const MIGRATION_LOCK: i64 = 0x6d72_635f_7372_7631; // "mrc_srv1"
/// How many idle connections are kept.
const MAX_IDLE: usize = 16;
/// How often a transaction is tried when PostgreSQL asks for a retry.
const MAX_ATTEMPTS: u32 = 8;

/// The PostgreSQL server store.
pub struct PostgresStore {
    config: Config,
    pool: Mutex<Vec<Conn>>,
}

/// One connection, the runtime that drives it, and its prepared statements.
pub(super) struct Conn {
    runtime: Option<Runtime>,
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl Conn {
    fn open(config: &Config) -> Result<Conn, StoreError> {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| StoreError::Io {
                path: "tokio runtime".into(),
                source,
            })?;
        let (client, connection) = runtime.block_on(config.connect(NoTls))?;
        // Polled whenever this thread waits for a query on this runtime.
        runtime.spawn(async move {
            if let Err(err) = connection.await {
                tracing::error!(error = %err, "a PostgreSQL connection failed");
            }
        });
        Ok(Conn {
            runtime: Some(runtime),
            client,
            statements: HashMap::new(),
        })
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Allowed anywhere, also inside an async context (a plain drop of a runtime is not).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgresql://user:password@host:port/db`) and brings the schema up to date.
    /// Must not be called from inside an async context.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let config: Config = url.parse()?;
        let store = PostgresStore {
            config,
            pool: Mutex::new(Vec::new()),
        };
        let mut conn = Conn::open(&store.config)?;
        migrate(&mut conn)?;
        store.give_back(conn);
        Ok(store)
    }

    fn take(&self) -> Result<Conn, StoreError> {
        let pooled = self.pool.lock().map_err(|_| StoreError::Poisoned)?.pop();
        match pooled {
            Some(conn) if !conn.client.is_closed() => Ok(conn),
            _ => Conn::open(&self.config),
        }
    }

    fn give_back(&self, conn: Conn) {
        if conn.client.is_closed() {
            return;
        }
        if let Ok(mut pool) = self.pool.lock() {
            if pool.len() < MAX_IDLE {
                pool.push(conn);
            }
        }
    }

    fn attempt(
        &self,
        conn: &mut Conn,
        access: Access,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>,
    ) -> Result<(), ServerError> {
        let Conn {
            runtime,
            client,
            statements,
        } = conn;
        let runtime = runtime
            .as_ref()
            .ok_or_else(|| ServerError::Internal("a closed connection".into()))?;
        let builder = client.build_transaction();
        let builder = match access {
            // One snapshot for the whole read.
            Access::Read | Access::Merge => builder
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true),
            // READ COMMITTED: documents are locked with SELECT … FOR UPDATE, the sequence counter by its UPDATE.
            Access::Write => builder.isolation_level(IsolationLevel::ReadCommitted),
        };
        let tx = runtime.block_on(builder.start())?;
        let mut tx = PgTx::new(tx, runtime, statements);
        f(&mut tx)?;
        tx.commit()?;
        Ok(())
    }
}

impl ServerStore for PostgresStore {
    fn run(
        &self,
        access: Access,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>,
    ) -> Result<(), ServerError> {
        let mut attempt = 1;
        loop {
            let mut conn = self.take()?;
            let result = self.attempt(&mut conn, access, f);
            self.give_back(conn);
            match result {
                Err(ServerError::Store(err)) if err.is_retryable() && attempt < MAX_ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(u64::from(attempt) * 5));
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn kind(&self) -> &'static str {
        "postgres"
    }
}

fn migrate(conn: &mut Conn) -> Result<(), StoreError> {
    let Conn { runtime, client, .. } = conn;
    let runtime = runtime
        .as_ref()
        .ok_or_else(|| StoreError::Inconsistent("a closed connection".into()))?;
    runtime.block_on(async {
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS mrc_schema (version INTEGER NOT NULL)")
            .await?;
        let found: Option<i32> = tx
            .query_one("SELECT max(version) FROM mrc_schema", &[])
            .await?
            .try_get(0)?;
        let found = i64::from(found.unwrap_or(0));
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StoreError::TooNew { found, supported });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            tx.batch_execute(sql).await?;
            let version = i32::try_from(index + 1).unwrap_or(i32::MAX);
            tx.execute("INSERT INTO mrc_schema (version) VALUES ($1)", &[&version])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    })
}
