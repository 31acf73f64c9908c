//! Server-side throughput: genuine sync bodies built before the clock starts, then replayed by a bounded load
//! generator (one thread per device, one request in flight each), so the figure measures the server rather than
//! the devices' own SQLite and automerge work.
//!
//! Every body is a real device sync the server must apply: each device (its own rep and token) edits its visits
//! (one automerge change per visit, on the heads the server acknowledged for the previous body) and adds tap events
//! with fresh ids; the bodies of a device are sent in order, and every reply is checked to be `Merged`.

use std::time::{Duration, Instant};

use automerge::ActorId;
use chrono::{TimeZone, Utc};
use mrc_cli::http::HttpTransport;
use mrc_core::{
    sync::{
        wire::{self, DocPush, DocStatus, Hash, SyncRequest, SyncResponse, WireEvent, PROTOCOL_VERSION},
        Transport,
    },
    visit::{VisitDoc, VisitFields},
    VisitId,
};

/// The shape of one replayed sync.
#[derive(Clone, Copy)]
pub struct Shape {
    pub devices: usize,
    pub syncs_per_device: usize,
    pub visits_per_sync: usize,
    pub events_per_sync: usize,
}

/// What a replay measured.
pub struct Figures {
    pub syncs: usize,
    pub elapsed: Duration,
    /// Sorted.
    pub latencies: Vec<Duration>,
    pub bytes_per_sync: usize,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.syncs as f64 / self.elapsed.as_secs_f64()
    }

    pub fn pct(&self, p: f64) -> Duration {
        self.latencies[((self.latencies.len() as f64 - 1.0) * p) as usize]
    }
}

struct Script {
    token: String,
    /// Creates the device's visits on the server; sent before the clock starts.
    warm_up: Vec<u8>,
    bodies: Vec<Vec<u8>>,
    visits: usize,
}

fn heads(hashes: &[[u8; 32]]) -> Vec<Hash> {
    hashes.iter().map(|h| Hash::new(*h)).collect()
}

fn request(docs: Vec<DocPush>, events: Vec<WireEvent>) -> Vec<u8> {
    wire::encode(&SyncRequest {
        v: PROTOCOL_VERSION,
        cursor: 0,
        master_version: 0,
        rules_version: 0,
        docs,
        events,
        server: None,
    })
}

fn script(rep: &str, token: String, device: usize, shape: Shape) -> Script {
    let entered = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
    let mut actor = [0u8; 16];
    actor[..8].copy_from_slice(&(device as u64 + 1).to_be_bytes());
    let mut docs: Vec<(VisitId, VisitDoc, Vec<[u8; 32]>)> = (0..shape.visits_per_sync)
        .map(|v| {
            let id = VisitId::new_v7();
            let fields = VisitFields {
                rep_id: Some(rep.into()),
                hcp_id: Some(format!("HCP-{v:04}")),
                notes: format!("負荷試験の端末{device}、訪問{v}。"),
                ..VisitFields::default()
            };
            let doc = VisitDoc::create(ActorId::from(actor.as_slice()), id, &fields, entered).unwrap();
            (id, doc, Vec::new())
        })
        .collect();
    let push_all = |docs: &mut Vec<(VisitId, VisitDoc, Vec<[u8; 32]>)>| -> Vec<DocPush> {
        docs.iter_mut()
            .map(|(id, doc, have)| {
                let now = doc.head_hashes();
                let push = DocPush {
                    id: *id.as_bytes(),
                    have: heads(have),
                    heads: heads(&now),
                    changes: doc.save_after(have),
                    sync: None,
                };
                *have = now;
                push
            })
            .collect()
    };
    let warm_up = request(push_all(&mut docs), Vec::new());
    let mut bodies = Vec::with_capacity(shape.syncs_per_device);
    for s in 0..shape.syncs_per_device {
        for (_, doc, _) in docs.iter_mut() {
            let at = doc.notes().unwrap().chars().count();
            let sentence = format!("追記{s}：腎機能低下例での用量について質問があり、次回資料を持参する。");
            doc.splice_notes(at, 0, &sentence).unwrap();
            doc.commit(entered + chrono::Duration::minutes(s as i64 + 1));
        }
        let events = (0..shape.events_per_sync)
            .map(|e| WireEvent {
                id: *VisitId::new_v7().as_bytes(),
                kind: "nfc_tap".into(),
                occurred_at_ms: 1_790_000_000_000 + (s * 1000 + e) as i64,
                card_id: Some("CARD-0001".into()),
                material_id: Some("MAT-0101".into()),
                material_version: Some(2),
                verification: "verified".into(),
                visit_id: None,
            })
            .collect();
        bodies.push(request(push_all(&mut docs), events));
    }
    Script {
        token,
        warm_up,
        bodies,
        visits: shape.visits_per_sync,
    }
}

fn send(t: &HttpTransport, body: &[u8], visits: usize) {
    let answer = t.post("/v1/sync", body).unwrap();
    let response: SyncResponse = wire::decode(&answer).unwrap();
    assert_eq!(response.docs.len(), visits);
    assert!(response.docs.iter().all(|d| d.status == DocStatus::Merged));
}

/// Builds every device's bodies, creates their visits on the server, then replays all bodies concurrently.
pub fn run(url: &str, token_for: impl Fn(&str) -> String, tag: &str, shape: Shape) -> Figures {
    let scripts: Vec<Script> = (0..shape.devices)
        .map(|d| {
            let rep = format!("LOAD-{tag}-{d:03}");
            let token = token_for(&rep);
            script(&rep, token, d, shape)
        })
        .collect();
    let bytes_per_sync = scripts
        .iter()
        .flat_map(|s| &s.bodies)
        .map(Vec::len)
        .sum::<usize>()
        / (shape.devices * shape.syncs_per_device).max(1);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(shape.devices + 1));
    let handles: Vec<_> = scripts
        .into_iter()
        .map(|script| {
            let url = url.to_owned();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let t = HttpTransport::new(&url, &script.token);
                send(&t, &script.warm_up, script.visits);
                barrier.wait();
                let mut latencies = Vec::with_capacity(script.bodies.len());
                for body in &script.bodies {
                    let t0 = Instant::now();
                    send(&t, body, script.visits);
                    latencies.push(t0.elapsed());
                }
                latencies
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let mut latencies: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();
    latencies.sort();
    Figures {
        syncs: latencies.len(),
        elapsed,
        latencies,
        bytes_per_sync,
    }
}
