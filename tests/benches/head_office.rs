//! The head-office view at company scale, with a real `mrc serve` (release build) over SQLite or PostgreSQL: a
//! company written by `mrc admin company` (about 350 visits per rep, 115 days: data we generate ourselves), then
//! the page's first request after a server start, the page computed again, a visit synced by a real device and
//! how long until the page shows it, the visits CSV export's rows per second, and the server's peak RSS.
//!
//! Run: `MRC_BENCH_VISITS=20000 MRC_BENCH_STORE=sqlite cargo bench -p mrc-e2e --bench head_office`
//! (`MRC_BENCH_STORE=postgres` drops and creates the database `mrc_bench` through `scripts/postgres.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::BufRead,
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use mrc_e2e::{http::request, mrc};

/// Visits per rep in the 115 days the company covers.
const VISITS_PER_REP: u64 = 350;
const DAYS: &str = "115";

struct Serving {
    child: std::process::Child,
    url: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serving {
    fn start(storage: &[String], cards: &Path) -> Serving {
        let mut args: Vec<&str> = vec!["serve", "--listen", "127.0.0.1:0", "--cards"];
        let cards = cards.to_string_lossy();
        args.push(&cards);
        args.extend(storage.iter().map(String::as_str));
        let mut child = mrc(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().strip_prefix("listening on ").unwrap().to_owned();
        Serving { child, url }
    }

    /// The server's peak resident memory so far, MB.
    fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        kb / 1024.0
    }

    fn get(&self, path: &str, token: &str) -> (Duration, Vec<u8>) {
        let auth = format!("Bearer {token}");
        let started = Instant::now();
        let answer = request(&self.url, "GET", path, &[("Authorization", &auth)], &[]);
        let took = started.elapsed();
        assert_eq!(
            answer.status,
            200,
            "{path}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        (took, answer.body)
    }
}

fn report_of(server: &Serving, token: &str) -> serde_json::Value {
    serde_json::from_slice(&server.get("/admin/report.json", token).1).unwrap()
}

fn ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The storage arguments of a fresh store.
fn fresh_store(kind: &str, dir: &Path) -> Vec<String> {
    if kind == "postgres" {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let _ = Command::new("runuser")
            .args([
                "-u",
                "postgres",
                "--",
                "psql",
                "-qc",
                "DROP DATABASE IF EXISTS mrc_bench",
            ])
            .status();
        let url = ok(Command::new("bash")
            .arg(root.join("scripts/postgres.sh"))
            .env("MRC_PG_DB", "mrc_bench")
            .stderr(Stdio::null()));
        vec!["--postgres".into(), url]
    } else {
        vec!["--data".into(), dir.join("server").to_string_lossy().into_owned()]
    }
}

fn main() {
    let visits: u64 = std::env::var("MRC_BENCH_VISITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let kind = std::env::var("MRC_BENCH_STORE").unwrap_or_else(|_| "sqlite".into());
    let reps = (visits / VISITS_PER_REP).max(1).to_string();
    let dir = tempfile::tempdir().unwrap();
    let storage = fresh_store(&kind, dir.path());
    // Built (if stale) before anything is timed.
    let _ = mrc_e2e::mrc_bin();
    let mut args = vec!["--json", "admin", "company", "--reps", &reps, "--days", DAYS];
    args.extend(storage.iter().map(String::as_str));
    let started = Instant::now();
    let generated: serde_json::Value = serde_json::from_str(&ok(&mut mrc(&args))).unwrap();
    let load = started.elapsed();
    println!(
        "company: {generated} (loaded and audited in {:.1} s)",
        load.as_secs_f64()
    );

    let mut token_args = vec!["admin", "token", "--head-office"];
    token_args.extend(storage.iter().map(String::as_str));
    let token = ok(&mut mrc(&token_args));
    let mut rep_args = vec!["admin", "token", "--rep", "T000-REP-001"];
    rep_args.extend(storage.iter().map(String::as_str));
    let rep_token = ok(&mut mrc(&rep_args));

    let server = Serving::start(&storage, &dir.path().join("cards.db"));
    let (first, page) = server.get("/admin", &token);
    assert!(String::from_utf8_lossy(&page).contains("kpi-visits"));
    let first_computed = report_of(&server, &token)["compute_ms"].as_u64().unwrap();
    std::thread::sleep(mrc_server::web::dashboard::FRESH_FOR);
    let (stale, _) = server.get("/admin", &token);
    std::thread::sleep(Duration::from_secs(3));
    let again = report_of(&server, &token)["compute_ms"].as_u64().unwrap();
    let (cached, _) = server.get("/admin", &token);
    // The insights page (this quarter): its first request computes it from the kept insight rows; once older than
    // FRESH_FOR it is served at once while computed again.
    let insights_page = || {
        let (took, page) = server.get("/admin/insights", &token);
        assert!(String::from_utf8_lossy(&page).contains("kpi-needs"));
        took
    };
    let insights_first = insights_page();
    std::thread::sleep(mrc_server::web::dashboard::FRESH_FOR);
    let insights_stale = insights_page();

    // One visit entered on a rep's device and synced; then the page until it counts it.
    let device = dir.path().join("device.db").to_string_lossy().into_owned();
    let sync = |device: &str| {
        ok(mrc(&["--db", device, "--json", "sync", "--server", &server.url]).env("MRC_TOKEN", &rep_token));
    };
    sync(&device);
    let report = |server: &Serving| report_of(server, &token);
    let before = report(&server)["summary"]["team"]["visits"].as_u64().unwrap();
    let visit = dir.path().join("visit.json");
    std::fs::write(
        &visit,
        r#"{"rep_id":"T000-REP-001","channel":"in_person","started_at":"2026-11-20T10:00:00+09:00",
            "duration_min":20,"notes":"新しい臨床データについて説明した。次回は用量を確認する。"}"#,
    )
    .unwrap();
    ok(&mut mrc(&[
        "--db",
        &device,
        "--json",
        "visit",
        "add",
        &visit.to_string_lossy(),
    ]));
    let synced = Instant::now();
    sync(&device);
    // The page right after the sync: served at once (the last report, while the next is computed).
    let (after_sync, _) = server.get("/admin", &token);
    let (visible, computed_ms) = loop {
        let r = report(&server);
        if r["summary"]["team"]["visits"].as_u64().unwrap() > before {
            break (synced.elapsed(), r["compute_ms"].as_u64().unwrap());
        }
        assert!(
            synced.elapsed() < Duration::from_secs(120),
            "the synced visit never showed"
        );
        std::thread::sleep(Duration::from_millis(100));
    };

    let window = "from=2026-01-01&to=2026-12-31";
    let started = Instant::now();
    let (_, csv) = server.get(&format!("/admin/export/visits.csv?{window}"), &token);
    let csv_time = started.elapsed();
    let rows = csv.iter().filter(|b| **b == b'\n').count() - 1;
    println!(
        "{kind} {} visits: page first request {:.0} ms (computed in {first_computed} ms), stale {:.1} ms \
         while computed again in {again} ms, cached {:.1} ms, after one synced visit {:.0} ms (computed in {computed_ms} ms); the visit visible after {:.2} s; visits.csv {rows} rows in {:.2} s \
         ({:.0} rows/s); insights page first {:.0} ms, stale {:.1} ms; server peak RSS {:.0} MB",
        generated["visits"],
        first.as_secs_f64() * 1e3,
        stale.as_secs_f64() * 1e3,
        cached.as_secs_f64() * 1e3,
        after_sync.as_secs_f64() * 1e3,
        visible.as_secs_f64(),
        csv_time.as_secs_f64(),
        rows as f64 / csv_time.as_secs_f64(),
        insights_first.as_secs_f64() * 1e3,
        insights_stale.as_secs_f64() * 1e3,
        server.peak_rss_mb(),
    );
}
