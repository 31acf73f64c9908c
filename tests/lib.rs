//! Helpers for the end-to-end tests: locating (and if needed building) the real `mrc` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::{path::PathBuf, process::Command, sync::OnceLock};

pub mod http;

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

/// The clock of the devices and servers these tests run (`MRC_NOW`): 2026-11-20 12:00 JST, two hours after the
/// visits they enter started. A server started with it advances from there.
pub const NOW: &str = "2026-11-20T12:00:00+09:00";

/// A `Command` for `mrc` with the given arguments, at [`NOW`].
pub fn mrc(args: &[&str]) -> Command {
    let mut command = Command::new(mrc_bin());
    command.env("MRC_NOW", NOW).args(args);
    command
}

/// A `Command` for `mrc` on the system clock (for tests about the clock, such as per-minute limits).
pub fn mrc_live(args: &[&str]) -> Command {
    let mut command = Command::new(mrc_bin());
    command.env_remove("MRC_NOW").args(args);
    command
}

/// A real `mrc serve` process on a free loopback port, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub url: String,
    pub data: PathBuf,
}

impl Server {
    /// Starts `mrc serve --data <data> --listen 127.0.0.1:0` and waits for its `listening on` line.
    pub fn start(data: &std::path::Path) -> Server {
        Server::start_with(data, &[])
    }

    /// [`Server::start`] with more arguments.
    pub fn start_with(data: &std::path::Path, more: &[&str]) -> Server {
        Server::spawn(data, more, mrc)
    }

    /// [`Server::start_with`] on the system clock (see [`mrc_live`]).
    pub fn start_live(data: &std::path::Path, more: &[&str]) -> Server {
        Server::spawn(data, more, mrc_live)
    }

    fn spawn(data: &std::path::Path, more: &[&str], command: fn(&[&str]) -> Command) -> Server {
        use std::io::BufRead;
        let data_text = data.to_string_lossy();
        let mut args = vec!["serve", "--data", &data_text, "--listen", "127.0.0.1:0"];
        args.extend_from_slice(more);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(Server::log_path(data))
            .unwrap();
        let mut child = command(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server {
            child,
            url,
            data: data.to_path_buf(),
        }
    }

    /// Where the server's stderr (its log) goes: beside its data folder, appended across restarts.
    pub fn log_path(data: &std::path::Path) -> PathBuf {
        data.with_extension("log")
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(Server::log_path(&self.data)).unwrap_or_default()
    }

    /// Kills the server with SIGKILL.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Mints a device token for `rep`.
    pub fn token(&self, rep: &str) -> String {
        admin_token(&self.data, rep)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Mints a device token for `rep` in the server data folder.
pub fn admin_token(data: &std::path::Path, rep: &str) -> String {
    admin_token_args(data, &["--rep", rep])
}

/// Mints a token with `mrc admin token --data <data> <args>` (e.g. `--manager --rep R1 --rep R2`).
pub fn admin_token_args(data: &std::path::Path, args: &[&str]) -> String {
    let data = data.to_string_lossy();
    let mut all = vec!["admin", "token", "--data", &data];
    all.extend_from_slice(args);
    let out = mrc(&all).output().unwrap();
    assert!(
        out.status.success(),
        "admin token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
