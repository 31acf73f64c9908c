//! Tells the contract tests whether PostgreSQL is configured (`MRC_TEST_POSTGRES_URL`): without it their
//! PostgreSQL half is reported as ignored, not as passed. `MRC_REQUIRE_POSTGRES=1` (CI) without a URL stops the build.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(mrc_postgres_tests)");
    println!("cargo::rerun-if-env-changed=MRC_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=MRC_REQUIRE_POSTGRES");
    let configured = std::env::var("MRC_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty());
    if configured {
        println!("cargo::rustc-cfg=mrc_postgres_tests");
    } else if std::env::var("MRC_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        println!("cargo::error=MRC_REQUIRE_POSTGRES=1 but MRC_TEST_POSTGRES_URL is not set (run scripts/postgres.sh)");
    }
}
