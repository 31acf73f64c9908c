//! Helpers for the end-to-end tests: locating (and if needed building) the real `mrc` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::{path::PathBuf, process::Command, sync::OnceLock};

/// The path of the `mrc` binary of this build profile, built on first use if it is missing.
pub fn mrc_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap_or_default();
        // target/<profile>/deps/e2e-<hash> → target/<profile>/mrc
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .map(PathBuf::from)
            .unwrap_or_default();
        let bin = profile_dir.join(format!("mrc{}", std::env::consts::EXE_SUFFIX));
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // Always ask cargo: it is a no-op when the binary is fresh, and it rebuilds a stale one.
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", "mrc-cli", "--bin", "mrc"]);
        if profile_dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.status();
        assert!(
            matches!(status, Ok(s) if s.success()),
            "building mrc failed: {status:?}"
        );
        assert!(bin.exists(), "mrc was not found at {}", bin.display());
        bin
    })
    .clone()
}

/// A `Command` for `mrc` with the given arguments.
pub fn mrc(args: &[&str]) -> Command {
    let mut command = Command::new(mrc_bin());
    command.args(args);
    command
}
