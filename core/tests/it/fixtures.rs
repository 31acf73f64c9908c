//! Shared fixtures: a temporary store with a small master-data set and a visit form.

use chrono::{DateTime, Utc};
use mrc_core::{
    clock::FixedClock,
    visit::{Channel, MaterialShown, ProductDiscussed, Reaction, VisitFields},
    Store,
};

pub const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}, {"id": "P2", "name": "カルディオン錠"}],
  "reps": [{"id": "R1", "name": "高橋 美咲", "products": ["P1", "P2"]}],
  "institutions": [
    {"id": "I1", "name": "横浜港北総合病院", "address": "神奈川県横浜市港北区新横浜2-5-3", "lat": 35.5075, "lon": 139.6177}
  ],
  "hcps": [{"id": "H1", "name": "佐藤 健一", "kana": "さとう けんいち", "specialty": "糖尿病内科", "institution_id": "I1"}],
  "materials": [
    {"id": "M1", "version": 2, "title": "グルコバランス 製品情報概要", "product_id": "P1", "approval_code": "MRC-2026-0142",
     "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
     "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 1048576}
  ]
}"#;

/// The time the tests run at: 2026-11-20 11:00 JST, an hour after [`form`]'s visit started. No test here reads
/// the wall clock.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T11:00:00+09:00")
        .unwrap()
        .to_utc()
}

/// Opens the store at `path` with a clock standing at [`now`].
pub fn open(path: impl AsRef<std::path::Path>) -> Store {
    Store::open_with_clock(path, FixedClock::new(now())).unwrap()
}

/// A store in a fresh temporary directory, with [`MASTER`] imported.
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path().join("mrc.db"));
    store.import_master_json(MASTER).unwrap();
    (dir, store)
}

/// A complete visit form.
pub fn form() -> VisitFields {
    VisitFields {
        rep_id: Some("R1".into()),
        hcp_id: Some("H1".into()),
        institution_id: Some("I1".into()),
        channel: Some(Channel::InPerson),
        started_at: Some(DateTime::parse_from_rfc3339("2026-11-20T10:00:00+09:00").unwrap()),
        duration_min: Some(15),
        products: vec![ProductDiscussed {
            product_id: "P1".into(),
            priority: 1,
        }],
        materials_shown: vec![MaterialShown {
            material_id: "M1".into(),
            version: 2,
        }],
        reaction: Some(Reaction::Positive),
        next_objective: Some("次回は腎機能低下例の用量を説明".into()),
        notes: "先生はHbA1cの新しいデータに関心。".into(),
        insights: Default::default(),
    }
}
