//! The contract suite on PostgreSQL: each test in its own schema of the database `MRC_TEST_POSTGRES_URL` names.
//! Without the variable the cases are ignored (reported as such), and `MRC_REQUIRE_POSTGRES=1` (CI) stops the build.

use std::sync::{
    atomic::{AtomicU32, Ordering},
    Arc,
};

use mrc_server::store::PostgresStore;

use crate::support::Fresh;

/// The database URL, or None to skip; panics when PostgreSQL is required but not configured.
pub fn url() -> Option<String> {
    match std::env::var("MRC_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("MRC_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("MRC_REQUIRE_POSTGRES=1 but MRC_TEST_POSTGRES_URL is not set (run scripts/postgres.sh)")
        }
        _ => None,
    }
}

/// A schema that is dropped when this guard is.
pub struct Schema {
    pub base: String,
    pub name: String,
}

impl Schema {
    pub fn create(base: &str) -> Schema {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "mrc_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            chrono::Utc::now().timestamp_micros() % 1_000_000
        );
        admin_sql(base, &format!("CREATE SCHEMA {name}"));
        Schema {
            base: base.to_owned(),
            name,
        }
    }

    /// The URL of a connection whose tables live in this schema.
    pub fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-c%20search_path%3D{}", self.base, self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        admin_sql(
            &self.base,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

fn admin_sql(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
        drop(client);
        let _ = driver.await;
    });
}

/// `pg_dump` of the schema into `file` (custom format), as an operator backs up a company's database.
fn pg_dump(base: &str, schema: &str, file: &std::path::Path) {
    let status = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--schema", schema, "--file"])
        .arg(file)
        .arg(base)
        .status()
        .expect("pg_dump (installed with PostgreSQL by scripts/postgres.sh)");
    assert!(status.success());
}

/// The schema dropped and restored from `file` with `pg_restore` (which keeps whatever identity it stored), then
/// a store connected to it.
fn pg_restore(
    base: &str,
    schema: &str,
    url: &str,
    file: &std::path::Path,
) -> Arc<dyn mrc_server::ServerStore> {
    admin_sql(base, &format!("DROP SCHEMA {schema} CASCADE"));
    let status = std::process::Command::new("pg_restore")
        .args(["--exit-on-error", "--dbname", base])
        .arg(file)
        .status()
        .expect("pg_restore (installed with PostgreSQL by scripts/postgres.sh)");
    assert!(status.success());
    Arc::new(PostgresStore::connect(url).unwrap())
}

fn fresh() -> Option<Fresh> {
    let schema = Schema::create(&url()?);
    let url = schema.url();
    let store = Arc::new(PostgresStore::connect(&url).unwrap());
    let (base, name) = (schema.base.clone(), schema.name.clone());
    let (dump_from, restore_to) = ((base.clone(), name.clone()), (base, name, url.clone()));
    Some(Fresh {
        store,
        second: Box::new(move || Arc::new(PostgresStore::connect(&url).unwrap())),
        backup: Box::new(move |file| pg_dump(&dump_from.0, &dump_from.1, file)),
        restore: Box::new(move |file| pg_restore(&restore_to.0, &restore_to.1, &restore_to.2, file)),
        _guard: Box::new(schema),
    })
}

contract_suite!(fresh, #[cfg_attr(not(mrc_postgres_tests), ignore = "MRC_TEST_POSTGRES_URL is not set")]);

#[test]
fn postgres_is_there_when_required() {
    if std::env::var("MRC_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        assert!(url().is_some());
    }
}

#[test]
#[cfg_attr(not(mrc_postgres_tests), ignore = "MRC_TEST_POSTGRES_URL is not set")]
fn servers_starting_together_migrate_once() {
    let Some(base) = url() else { return };
    let schema = Schema::create(&base);
    let url = schema.url();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| PostgresStore::connect(&url).unwrap());
        }
    });
}
