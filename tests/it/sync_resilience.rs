//! Sync under bad networks, through the core API and real HTTP: a response lost after the server applied the
//! request, and a request replayed later. Neither loses nor duplicates anything.

use std::{cell::RefCell, path::Path};

use mrc_cli::http::HttpTransport;
use mrc_core::{
    sync::{Transport, TransportError},
    visit::{Channel, ProductDiscussed, VisitFields},
    Store, VisitId,
};
use mrc_e2e::{mrc, Server};

const MASTER: &str = r#"{"products":[{"id":"P1","name":"グルコバランス錠"}],
  "reps":[{"id":"R1","name":"高橋 美咲","products":["P1"]}],
  "institutions":[{"id":"I1","name":"横浜港北総合病院","address":"神奈川県横浜市港北区新横浜2-5-3","lat":35.5075,"lon":139.6177}],
  "hcps":[{"id":"H1","name":"佐藤 健一","kana":"さとう けんいち","specialty":"糖尿病内科","institution_id":"I1"}]}"#;

/// Forwards requests, but loses the response of the next `drop` calls (the server did the work).
struct Flaky {
    inner: HttpTransport,
    drop: RefCell<u32>,
    sent: RefCell<Vec<(String, Vec<u8>)>>,
}

impl Transport for Flaky {
    fn post(&self, path: &str, body: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent.borrow_mut().push((path.to_owned(), body.to_vec()));
        let answer = self.inner.post(path, body)?;
        let mut drop = self.drop.borrow_mut();
        if *drop > 0 {
            *drop -= 1;
            return Err(TransportError::Network("connection reset (simulated)".into()));
        }
        Ok(answer)
    }
}

fn server(dir: &Path) -> Server {
    let data = dir.join("server");
    std::fs::create_dir_all(&data).unwrap();
    let master = dir.join("master.json");
    std::fs::write(&master, MASTER).unwrap();
    assert!(mrc(&[
        "admin",
        "import",
        "--data",
        &data.to_string_lossy(),
        &master.to_string_lossy()
    ])
    .status()
    .unwrap()
    .success());
    Server::start(&data)
}

fn form(notes: &str) -> VisitFields {
    VisitFields {
        rep_id: Some("R1".into()),
        hcp_id: Some("H1".into()),
        institution_id: Some("I1".into()),
        channel: Some(Channel::InPerson),
        started_at: Some(chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00+09:00").unwrap()),
        duration_min: Some(15),
        products: vec![ProductDiscussed {
            product_id: "P1".into(),
            priority: 1,
        }],
        notes: notes.into(),
        ..Default::default()
    }
}

fn sync(
    store: &Store,
    transport: &dyn Transport,
) -> Result<mrc_core::sync::SyncReport, mrc_core::sync::SyncError> {
    store.sync(transport, &mut |_| {})
}

#[test]
fn a_lost_response_and_a_replayed_request_change_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path());
    let token = server.token("R1");
    let tablet = Store::open(dir.path().join("tablet.db")).unwrap();
    let flaky = Flaky {
        inner: HttpTransport::new(&server.url, &token),
        drop: RefCell::new(0),
        sent: RefCell::new(Vec::new()),
    };
    sync(&tablet, &flaky).unwrap();

    let id: VisitId = tablet.create_visit(&form("佐藤先生は新データに関心。")).unwrap();
    tablet.splice_notes(id, 0, 0, "【初回】").unwrap();
    // The server applies the push, but the answer never arrives.
    *flaky.drop.borrow_mut() = 1;
    assert!(sync(&tablet, &flaky).is_err());
    let lost_request = flaky.sent.borrow().last().cloned().unwrap();
    // The next sync completes; the server already had the changes, so nothing is duplicated.
    let report = sync(&tablet, &flaky).unwrap();
    assert_eq!(report.pushed, 1);

    // Replaying the old request, byte for byte, changes nothing for anyone.
    flaky.inner.post(&lost_request.0, &lost_request.1).unwrap();
    let again = sync(&tablet, &flaky).unwrap();
    assert_eq!((again.pushed, again.pulled, again.round_trips), (0, 0, 1));

    let phone = Store::open(dir.path().join("phone.db")).unwrap();
    let pulled = sync(&phone, &HttpTransport::new(&server.url, &server.token("R1"))).unwrap();
    assert_eq!(pulled.pulled, 1);
    let (a, b) = (tablet.get_visit(id).unwrap(), phone.get_visit(id).unwrap());
    assert_eq!(a.fields, b.fields);
    assert_eq!(b.fields.notes, "【初回】佐藤先生は新データに関心。");
}

#[test]
fn three_devices_converge_after_concurrent_offline_edits() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path());
    let devices: Vec<(Store, HttpTransport)> = ["tablet", "phone", "laptop"]
        .iter()
        .map(|name| {
            let store = Store::open(dir.path().join(format!("{name}.db"))).unwrap();
            (store, HttpTransport::new(&server.url, &server.token("R1")))
        })
        .collect();
    let id = devices[0]
        .0
        .create_visit(&form("面談メモ：HbA1cの推移を確認。"))
        .unwrap();
    for (store, t) in &devices {
        sync(store, t).unwrap();
    }
    // Each device edits offline: a different place of the same note, and one a field.
    devices[0].0.splice_notes(id, 0, 0, "🏥").unwrap();
    devices[1].0.splice_notes(id, 5, 0, "（外来）").unwrap();
    let mut longer = devices[2].0.get_visit(id).unwrap().fields;
    longer.duration_min = Some(25);
    devices[2].0.update_visit(id, &longer).unwrap();
    for _ in 0..2 {
        for (store, t) in &devices {
            sync(store, t).unwrap();
        }
    }
    let first = devices[0].0.get_visit(id).unwrap().fields;
    for (store, _) in &devices[1..] {
        assert_eq!(store.get_visit(id).unwrap().fields, first);
    }
    assert!(
        first.notes.starts_with("🏥") && first.notes.contains("（外来）"),
        "{}",
        first.notes
    );
    assert_eq!(first.duration_min, Some(25));
}
