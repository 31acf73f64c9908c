//! Unit tests of the content step over a fake ranged transport: resume, truncation, wrong bytes, GC.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{cell::RefCell, collections::HashMap, path::Path};

use chrono::NaiveDate;

use super::*;
use crate::{store::Store, sync::TransportError};

/// How the fake server misbehaves.
#[derive(Default, Clone, Copy)]
struct Faults {
    /// Answer this many requests, then fail every request with a network error.
    fail_after: Option<usize>,
    /// Send only the first half of every range asked for (a client that cannot tell it was cut).
    half_bodies: bool,
    /// Ignore `Range` and answer 200 with the whole file (allowed by HTTP).
    ignore_range: bool,
}

/// Serves files by hash, with ranges, and records the ranges asked for.
struct FakeServer {
    files: HashMap<String, Vec<u8>>,
    faults: Faults,
    asked: RefCell<Vec<(String, u64, u64)>>,
}

impl FakeServer {
    fn new(files: &[&[u8]], faults: Faults) -> FakeServer {
        FakeServer {
            files: files
                .iter()
                .map(|f| (content_path(&sha(f)), f.to_vec()))
                .collect(),
            faults,
            asked: RefCell::new(Vec::new()),
        }
    }

    /// Serves `bytes` under the hash of `claimed` (a server with the wrong file).
    fn with_wrong_file(claimed: &[u8], bytes: &[u8]) -> FakeServer {
        let mut server = FakeServer::new(&[], Faults::default());
        server.files.insert(content_path(&sha(claimed)), bytes.to_vec());
        server
    }

    fn starts(&self) -> Vec<u64> {
        self.asked.borrow().iter().map(|(_, start, _)| *start).collect()
    }
}

impl ContentTransport for FakeServer {
    fn get_range(&self, path: &str, start: u64, end: u64) -> Result<RangeReply, TransportError> {
        let mut asked = self.asked.borrow_mut();
        if self.faults.fail_after.is_some_and(|n| asked.len() >= n) {
            return Err(TransportError::Network("connection reset".into()));
        }
        asked.push((path.to_owned(), start, end));
        let Some(file) = self.files.get(path) else {
            return Err(TransportError::Status {
                status: 404,
                message: "no content with this SHA-256 is stored".into(),
            });
        };
        let size = file.len() as u64;
        if self.faults.ignore_range {
            return Ok(RangeReply {
                status: 200,
                content_range: None,
                body: file.clone(),
            });
        }
        if start >= size {
            return Err(TransportError::Status {
                status: 416,
                message: String::new(),
            });
        }
        let end = end.min(size - 1);
        let mut body = file[start as usize..=end as usize].to_vec();
        if self.faults.half_bodies {
            body.truncate(body.len().div_ceil(2));
        }
        Ok(RangeReply {
            status: 206,
            content_range: Some(format!("bytes {start}-{end}/{size}")),
            body,
        })
    }
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::nfc::text_codec::hex(&sha2::Sha256::digest(bytes))
}

/// A leaflet of about `n` bytes with Japanese text, distinct per `tag`.
fn leaflet(tag: &str, n: usize) -> Vec<u8> {
    let mut text = format!("{tag} 製品情報概要 グルコバランス錠 用法・用量\n")
        .repeat(n / 40 + 1)
        .into_bytes();
    text.truncate(n);
    text
}

fn material(id: &str, version: u32, status: &str, from: &str, until: &str, file: &[u8]) -> String {
    format!(
        r#"{{"id":"{id}","version":{version},"title":"製品情報概要 第{version}版","product_id":"P1",
            "approval_code":"GB-{version}","valid_from":"{from}","valid_until":"{until}","status":"{status}",
            "sha256":"{}","size":{}}}"#,
        sha(file),
        file.len()
    )
}

fn import(store: &Store, materials: &[String]) {
    let json = format!(
        r#"{{"products":[{{"id":"P1","name":"グルコバランス錠"}}],"materials":[{}]}}"#,
        materials.join(",")
    );
    store.import_master_json(&json).unwrap();
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn local_path(store: &Store, id: &str, version: u32) -> Option<String> {
    store
        .read(|conn| {
            conn.query_row(
                "SELECT local_path FROM materials WHERE id = ?1 AND version = ?2",
                rusqlite::params![id, version],
                |row| row.get::<_, Option<String>>(0),
            )
            .map_err(crate::store::StoreError::from)
        })
        .unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    content: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("device.db")).unwrap();
    let content = dir.path().join("device.db.content");
    Fixture {
        _dir: dir,
        store,
        content,
    }
}

fn options(dir: &Path, today: &str, chunk: u64) -> FetchOptions {
    FetchOptions {
        dir: dir.to_path_buf(),
        today: day(today),
        chunk_bytes: chunk,
    }
}

#[test]
fn fetches_current_and_upcoming_versions_verified_and_links_them() {
    let f = fixture();
    let (v1, v2, gone) = (leaflet("v1", 2500), leaflet("v2", 1800), leaflet("撤回", 900));
    import(
        &f.store,
        &[
            material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1),
            material("M1", 2, "approved", "2027-01-01", "2028-12-31", &v2),
            material("M2", 1, "withdrawn", "2026-01-01", "2027-12-31", &gone),
        ],
    );
    let server = FakeServer::new(&[&v1, &v2, &gone], Faults::default());
    let mut seen = Vec::new();
    let report = f
        .store
        .fetch_content(&server, &options(&f.content, "2026-11-25", 1000), &mut |p| {
            seen.push(p)
        })
        .unwrap();
    assert_eq!((report.wanted, report.downloaded, report.present), (2, 2, 0));
    assert_eq!(report.bytes, 4300);
    assert!(report.failed.is_empty());
    assert_eq!(
        seen.first().map(|p| (p.done_bytes, p.total_bytes)),
        Some((0, 4300))
    );
    assert_eq!(
        seen.last().map(|p| (p.done_bytes, p.total_bytes)),
        Some((4300, 4300))
    );
    assert_eq!(std::fs::read(f.content.join(sha(&v1))).unwrap(), v1);
    assert_eq!(std::fs::read(f.content.join(sha(&v2))).unwrap(), v2);
    assert!(
        !f.content.join(sha(&gone)).exists(),
        "a withdrawn version is not fetched"
    );
    let expected = f.content.join(sha(&v1)).to_str().unwrap().to_owned();
    assert_eq!(local_path(&f.store, "M1", 1), Some(expected));
    assert!(local_path(&f.store, "M1", 2).is_some());
    assert_eq!(local_path(&f.store, "M2", 1), None);
    let mut starts = server.starts();
    starts.sort_unstable();
    assert_eq!(starts, [0, 0, 1000, 1000, 2000], "ranges of 1000 bytes");

    // Nothing missing: no request at all.
    let again = FakeServer::new(&[], Faults::default());
    let report = f
        .store
        .fetch_content(&again, &options(&f.content, "2026-11-25", 1000), &mut |_| {})
        .unwrap();
    assert_eq!((report.present, report.downloaded), (2, 0));
    assert!(again.asked.borrow().is_empty());
}

#[test]
fn a_cut_download_resumes_from_the_partial_file_with_a_range() {
    let f = fixture();
    let v1 = leaflet("v1", 1000);
    import(
        &f.store,
        &[material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1)],
    );
    let cut = FakeServer::new(
        &[&v1],
        Faults {
            fail_after: Some(3),
            ..Faults::default()
        },
    );
    let err = f
        .store
        .fetch_content(&cut, &options(&f.content, "2026-11-25", 100), &mut |_| {})
        .unwrap_err();
    assert!(
        matches!(err, ContentError::Transport(TransportError::Network(_))),
        "{err}"
    );
    let part = f.content.join(format!("{}.part", sha(&v1)));
    assert_eq!(std::fs::read(&part).unwrap(), v1[..300]);
    assert!(!f.content.join(sha(&v1)).exists(), "a partial file is never used");
    assert_eq!(local_path(&f.store, "M1", 1), None);

    let server = FakeServer::new(&[&v1], Faults::default());
    let mut first = None;
    let report = f
        .store
        .fetch_content(&server, &options(&f.content, "2026-11-25", 100), &mut |p| {
            first.get_or_insert(p);
        })
        .unwrap();
    assert_eq!(first.map(|p| (p.done_bytes, p.total_bytes)), Some((300, 1000)));
    assert_eq!(
        server.starts().first(),
        Some(&300),
        "resumed from the .part length"
    );
    assert_eq!((report.downloaded, report.resumed, report.bytes), (1, 1, 700));
    assert_eq!(std::fs::read(f.content.join(sha(&v1))).unwrap(), v1);
    assert!(!part.exists());
    assert!(local_path(&f.store, "M1", 1).is_some());
}

#[test]
fn truncated_answers_are_continued_and_never_used_short() {
    let f = fixture();
    let v1 = leaflet("v1", 1000);
    import(
        &f.store,
        &[material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1)],
    );
    // Every answer carries only half of its range: the rest is asked for again, the file ends right.
    let halves = FakeServer::new(
        &[&v1],
        Faults {
            half_bodies: true,
            ..Faults::default()
        },
    );
    let report = f
        .store
        .fetch_content(&halves, &options(&f.content, "2026-11-25", 400), &mut |_| {})
        .unwrap();
    assert_eq!(report.downloaded, 1);
    assert_eq!(halves.starts()[..3], [0, 200, 400]);
    assert_eq!(std::fs::read(f.content.join(sha(&v1))).unwrap(), v1);

    // Half an answer, then the network is gone: a prefix waits in .part, nothing is linked.
    let g = fixture();
    import(
        &g.store,
        &[material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1)],
    );
    let short = FakeServer::new(
        &[&v1],
        Faults {
            fail_after: Some(1),
            half_bodies: true,
            ..Faults::default()
        },
    );
    assert!(g
        .store
        .fetch_content(&short, &options(&g.content, "2026-11-25", 1000), &mut |_| {})
        .is_err());
    assert_eq!(
        std::fs::read(g.content.join(format!("{}.part", sha(&v1)))).unwrap(),
        v1[..500]
    );
    assert!(!g.content.join(sha(&v1)).exists());
    assert_eq!(local_path(&g.store, "M1", 1), None);
}

#[test]
fn wrong_bytes_are_discarded_and_never_replace_a_good_file() {
    let f = fixture();
    let (v1, v2) = (leaflet("v1", 1000), leaflet("v2", 1000));
    let mut forged = v1.clone();
    forged[10] ^= 0x20;
    import(
        &f.store,
        &[
            material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1),
            material("M2", 1, "approved", "2026-01-01", "2027-12-31", &v2),
        ],
    );
    // M2's file is already here and good; the server would hand out forged bytes for M1.
    std::fs::create_dir_all(&f.content).unwrap();
    std::fs::write(f.content.join(sha(&v2)), &v2).unwrap();
    let mut server = FakeServer::with_wrong_file(&v1, &forged);
    server
        .files
        .insert(content_path(&sha(&v2)), b"forged too".to_vec());
    let report = f
        .store
        .fetch_content(&server, &options(&f.content, "2026-11-25", 300), &mut |_| {})
        .unwrap();
    assert_eq!((report.downloaded, report.present), (0, 1));
    assert_eq!(
        report.failed,
        vec![ContentFailure {
            sha256: sha(&v1),
            reason: FailureReason::HashMismatch { actual: sha(&forged) },
        }]
    );
    assert!(!f.content.join(sha(&v1)).exists());
    assert!(
        !f.content.join(format!("{}.part", sha(&v1))).exists(),
        "wrong bytes are deleted"
    );
    assert_eq!(local_path(&f.store, "M1", 1), None);
    assert_eq!(
        std::fs::read(f.content.join(sha(&v2))).unwrap(),
        v2,
        "the good file is untouched"
    );
    assert!(local_path(&f.store, "M2", 1).is_some());

    // A server whose file has another size than the catalog's is refused before anything is kept.
    let g = fixture();
    import(
        &g.store,
        &[material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1)],
    );
    let longer = FakeServer::with_wrong_file(&v1, &[v1.as_slice(), b"+"].concat());
    let report = g
        .store
        .fetch_content(&longer, &options(&g.content, "2026-11-25", 300), &mut |_| {})
        .unwrap();
    assert_eq!(
        report.failed[0].reason,
        FailureReason::SizeMismatch {
            expected: 1000,
            server: 1001
        }
    );
    assert!(!g.content.join(format!("{}.part", sha(&v1))).exists());

    // Not on the server yet: reported, the run goes on.
    let none = FakeServer::new(&[], Faults::default());
    let report = g
        .store
        .fetch_content(&none, &options(&g.content, "2026-11-25", 300), &mut |_| {})
        .unwrap();
    assert_eq!(report.failed[0].reason, FailureReason::NotOnServer);
}

#[test]
fn superseded_and_withdrawn_files_are_removed_once_nothing_references_them() {
    let f = fixture();
    let (v1, v2, m2) = (leaflet("v1", 700), leaflet("v2", 800), leaflet("M2", 600));
    let catalog = |m2_status: &str| {
        vec![
            material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1),
            material("M1", 2, "approved", "2027-01-01", "2028-12-31", &v2),
            material("M2", 1, m2_status, "2026-01-01", "2027-12-31", &m2),
        ]
    };
    import(&f.store, &catalog("approved"));
    let server = FakeServer::new(&[&v1, &v2, &m2], Faults::default());
    let report = f
        .store
        .fetch_content(&server, &options(&f.content, "2026-11-25", 1 << 20), &mut |_| {})
        .unwrap();
    assert_eq!(report.downloaded, 3);
    std::fs::write(f.content.join("メモ.txt"), "not ours").unwrap();
    let stale_part = f.content.join(format!("{}.part", sha(b"an old version")));
    std::fs::write(&stale_part, b"an old").unwrap();

    // M2 is withdrawn; in February 2027 M1 v2 supersedes v1.
    import(&f.store, &catalog("withdrawn"));
    let report = f
        .store
        .fetch_content(&server, &options(&f.content, "2027-02-01", 1 << 20), &mut |_| {})
        .unwrap();
    assert_eq!((report.wanted, report.present, report.removed), (1, 1, 3));
    assert!(!f.content.join(sha(&v1)).exists());
    assert!(!f.content.join(sha(&m2)).exists());
    assert!(!stale_part.exists());
    assert!(f.content.join(sha(&v2)).exists());
    assert!(f.content.join("メモ.txt").exists(), "other files are left alone");
    assert_eq!(local_path(&f.store, "M1", 1), None);
    assert_eq!(local_path(&f.store, "M2", 1), None);
    assert!(local_path(&f.store, "M1", 2).is_some());
}

#[test]
fn a_server_ignoring_range_or_a_partial_file_too_long_still_ends_with_the_right_file() {
    let f = fixture();
    let v1 = leaflet("v1", 1000);
    import(
        &f.store,
        &[material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1)],
    );
    std::fs::create_dir_all(&f.content).unwrap();
    let part = f.content.join(format!("{}.part", sha(&v1)));
    // A resumable prefix, but the server answers 200 with the whole file: the prefix is replaced, not appended to.
    std::fs::write(&part, &v1[..300]).unwrap();
    let whole = FakeServer::new(
        &[&v1],
        Faults {
            ignore_range: true,
            ..Faults::default()
        },
    );
    let report = f
        .store
        .fetch_content(&whole, &options(&f.content, "2026-11-25", 100), &mut |_| {})
        .unwrap();
    assert_eq!((report.downloaded, report.resumed), (1, 1));
    assert_eq!(whole.starts(), [300], "one request: the 200 carried everything");
    assert_eq!(std::fs::read(f.content.join(sha(&v1))).unwrap(), v1);

    // A .part longer than the file (left by something else) is started over.
    let g = fixture();
    import(
        &g.store,
        &[material("M1", 1, "approved", "2026-01-01", "2027-12-31", &v1)],
    );
    std::fs::create_dir_all(&g.content).unwrap();
    std::fs::write(g.content.join(format!("{}.part", sha(&v1))), vec![b'x'; 1500]).unwrap();
    let server = FakeServer::new(&[&v1], Faults::default());
    let report = g
        .store
        .fetch_content(&server, &options(&g.content, "2026-11-25", 1 << 20), &mut |_| {})
        .unwrap();
    assert_eq!((report.downloaded, report.resumed), (1, 0));
    assert_eq!(server.starts(), [0]);
    assert_eq!(std::fs::read(g.content.join(sha(&v1))).unwrap(), v1);
}
