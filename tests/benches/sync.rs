//! Sync figures on loopback with a real `mrc serve` (release build):
//! (a) nothing changed; (b) a week offline: 40 visits edited + 200 events; (c) a new device pulling a 1-year
//! territory; (d) server throughput with concurrent devices and latency percentiles, measured twice: end to end
//! (16 devices through the core's sync client, sharing the cores with the server) and server side (genuine
//! pre-built sync bodies replayed by a bounded generator, `replay`).
//!
//! Run: `cargo bench -p mrc-e2e --bench sync`

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "sync/replay.rs"]
mod replay;

use std::time::{Duration, Instant};

use mrc_cli::http::HttpTransport;
use mrc_core::{sync::SyncReport, visit::VisitFilter, Store, StoreError};
use mrc_e2e::Server;
use mrc_sample::SeedConfig;

fn sync(store: &Store, t: &HttpTransport) -> SyncReport {
    store.sync(t, &mut |_| {}).unwrap()
}

/// The CPU time (user + system) process `pid` has used, from `/proc` (Linux; 0 elsewhere).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 11 and 12 after the name; the kernel counts 100 per second.
    (ticks(11) + ticks(12)) / 100.0
}

fn add_events(store: &Store, n: usize, at_ms: i64) {
    store
        .write(|tx| {
            let mut stmt = tx.prepare(
                "INSERT INTO events (id, kind, occurred_at, card_id, material_id, material_version, verification)
                 VALUES (?1, 'nfc_tap', ?2, 'CARD-0001', 'MAT-0101', 2, 'verified')",
            )?;
            for i in 0..n {
                stmt.execute((uuid::Uuid::now_v7().as_bytes().as_slice(), at_ms + i as i64))?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    std::fs::create_dir_all(&data).unwrap();
    let server = Server::start(&data);
    // `MRC_SYNC_BENCH=replay` runs only the server-side replays (for profiling the server); `first` only the
    // upload and (c), five new devices.
    let mode = std::env::var("MRC_SYNC_BENCH").unwrap_or_default();
    if mode != "replay" {
        device_figures(dir.path(), &server, mode == "first");
    }
    if mode != "first" {
        server_figures(&server);
    }
}

/// (a), (b), (c) and the end-to-end (d): real device stores syncing through `transport`.
fn device_figures(dir: &std::path::Path, server: &Server, first_only: bool) {
    let token = server.token("REP-001");
    let transport = HttpTransport::new(&server.url, &token);
    let tablet = Store::open(dir.join("tablet.db")).unwrap();
    let config = SeedConfig::default();
    let summary = mrc_sample::seed(&tablet, &config).unwrap();
    let upload = Instant::now();
    let first = sync(&tablet, &transport);
    println!(
        "initial upload of {} visits: {:?}, {} requests, {} KB up",
        summary.visits,
        upload.elapsed(),
        first.round_trips,
        first.bytes_up / 1024
    );

    // (c) A new device pulls the whole territory (five of them with `first`, and their median).
    let mut times = Vec::new();
    let mut phone = None;
    for n in 0..if first_only { 5 } else { 1 } {
        let device = Store::open(dir.join(format!("phone{n}.db"))).unwrap();
        let server_cpu = cpu_seconds(server.child.id());
        let started = Instant::now();
        let pulled = sync(&device, &transport);
        let took = started.elapsed().as_secs_f64();
        let server_cpu = cpu_seconds(server.child.id()) - server_cpu;
        times.push(took);
        println!(
            "(c) new device pulls {} visits: {:.2} s, {} requests, {} KB down; server CPU {:.2} s",
            pulled.pulled,
            took,
            pulled.round_trips,
            pulled.bytes_down / 1024,
            server_cpu
        );
        phone = Some(device);
    }
    times.sort_by(f64::total_cmp);
    println!("(c) median {:.2} s", times[times.len() / 2]);
    if first_only {
        return;
    }
    let Some(phone) = phone else { return };

    // (a) Nothing changed.
    let idle = sync(&phone, &transport);
    println!(
        "(a) nothing changed: {} request(s), {} B up, {} B down",
        idle.round_trips, idle.bytes_up, idle.bytes_down
    );

    // (b) A week offline on the tablet: 40 visits get a sentence more, 200 tap events.
    let now = chrono::DateTime::parse_from_rfc3339(&format!("{}T12:00:00+09:00", config.end)).unwrap();
    let week = VisitFilter::Dates {
        from: config.end - chrono::Days::new(30),
        to: config.end,
    };
    let visits = tablet.list_visits(&week).unwrap();
    let mut changed_text = 0;
    for (i, v) in visits.iter().take(40).enumerate() {
        let sentence =
            format!("追記{i}：先生から腎機能低下例での用量について追加の質問があり、次回資料を持参する。");
        changed_text += sentence.len();
        let at = v.fields.notes.chars().count();
        tablet
            .splice_notes(v.id, at, 0, &sentence)
            .unwrap_or_else(|_| tablet.set_notes(v.id, &sentence).unwrap());
    }
    add_events(&tablet, 200, now.timestamp_millis());
    let week_sync = sync(&tablet, &transport);
    let total = week_sync.bytes_up + week_sync.bytes_down;
    println!(
        "(b) week offline, 40 visits edited ({} B of new text) + 200 events: {} request(s), {} B up + {} B down = {:.1}x the changed text",
        changed_text,
        week_sync.round_trips,
        week_sync.bytes_up,
        week_sync.bytes_down,
        total as f64 / changed_text as f64
    );

    // (d) Throughput: concurrent devices, each editing one visit and syncing, for a fixed time.
    let devices = 16;
    let duration = Duration::from_secs(10);
    let mut handles = Vec::new();
    for d in 0..devices {
        let url = server.url.clone();
        let token = server.token("REP-001");
        let path = dir.join(format!("load-{d}.db"));
        handles.push(std::thread::spawn(move || {
            let store = Store::open(&path).unwrap();
            let t = HttpTransport::new(&url, &token);
            let id = store
                .create_visit(&mrc_core::visit::VisitFields {
                    rep_id: Some("REP-001".into()),
                    notes: format!("負荷試験の端末{d}"),
                    ..Default::default()
                })
                .unwrap();
            store.sync(&t, &mut |_| {}).unwrap();
            let mut latencies = Vec::new();
            let end = Instant::now() + duration;
            let mut i = 0;
            while Instant::now() < end {
                store.splice_notes(id, 0, 0, &format!("{i}、")).unwrap();
                add_events(&store, 5, 1_700_000_000_000 + i);
                let t0 = Instant::now();
                store.sync(&t, &mut |_| {}).unwrap();
                latencies.push(t0.elapsed());
                i += 1;
            }
            latencies
        }));
    }
    let mut all: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 - 1.0) * p) as usize];
    println!(
        "(d) end to end, {} devices of one rep for {:?}: {} syncs, {:.0} syncs/s; latency p50 {:?}, p95 {:?}, p99 {:?} (each: 1 edited visit + 5 events + a pull of the others' visits; server and devices share the cores)",
        devices,
        duration,
        all.len(),
        all.len() as f64 / duration.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99)
    );
}

/// (d) on the server alone: pre-built bodies replayed.
fn server_figures(server: &Server) {
    // (d) server side: pre-built genuine syncs, 16 devices (one rep each), one request in flight per device.
    let shapes = [
        (
            "d",
            replay::Shape {
                devices: 16,
                syncs_per_device: 150,
                visits_per_sync: 1,
                events_per_sync: 5,
            },
        ),
        (
            "b",
            replay::Shape {
                devices: 16,
                syncs_per_device: 20,
                visits_per_sync: 40,
                events_per_sync: 200,
            },
        ),
    ];
    // Three rounds of each shape (new devices and visits each time): this shared machine's speed moves between
    // runs, so the median is the figure to quote.
    for (tag, shape) in shapes {
        let mut rates: Vec<f64> = (1..=3)
            .map(|round| {
                let figures = replay::run(&server.url, |rep| server.token(rep), &format!("{tag}{round}"), shape);
                println!(
                    "(d) server side, {} devices x {} syncs of {} visit(s) + {} events ({} B per body), round {round}: {:.0} syncs/s; latency p50 {:?}, p95 {:?}, p99 {:?}",
                    shape.devices,
                    shape.syncs_per_device,
                    shape.visits_per_sync,
                    shape.events_per_sync,
                    figures.bytes_per_sync,
                    figures.per_second(),
                    figures.pct(0.50),
                    figures.pct(0.95),
                    figures.pct(0.99)
                );
                figures.per_second()
            })
            .collect();
        rates.sort_by(f64::total_cmp);
        println!(
            "(d) server side, {} visit(s) + {} events: median of 3 rounds {:.0} syncs/s",
            shape.visits_per_sync, shape.events_per_sync, rates[1]
        );
    }
}
