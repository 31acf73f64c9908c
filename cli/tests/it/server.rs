//! `mrc serve` and `mrc admin` as an operator runs them: real server processes on loopback ports, SQLite and
//! (when `MRC_TEST_POSTGRES_URL` is set) two processes sharing one PostgreSQL database.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpStream},
    process::{Child, Command, Stdio},
};

use mrc_core::{
    sync::wire::{
        decode, encode, DocPush, DocStatus, Hash, PullRequest, PullResponse, SyncRequest, SyncResponse, Want,
    },
    visit::{VisitDoc, VisitFields},
    VisitId,
};

use crate::support::{run, stderr, stdout, Scratch, MASTER};

/// A running `mrc serve`, killed (by its pid) when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(storage: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mrc"))
            .env("MRC_NOW", crate::support::NOW)
            .arg("serve")
            .args(storage)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Server { child, addr }
    }

    fn post(&self, path: &str, token: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
        http(self.addr, "POST", path, token, body)
    }

    fn sync(&self, token: &str, request: &SyncRequest) -> SyncResponse {
        let (status, body) = self.post("/v1/sync", Some(token), &encode(request));
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        decode(&body).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/cbor\r\n\
         Content-Length: {}\r\n{auth}\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&raw[..split])
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    (status, raw[split + 4..].to_vec())
}

fn request(docs: Vec<DocPush>) -> SyncRequest {
    SyncRequest {
        v: 1,
        cursor: 0,
        master_version: 0,
        rules_version: 0,
        docs,
        events: vec![],
        server: None,
    }
}

fn wire(heads: &[[u8; 32]]) -> Vec<Hash> {
    heads.iter().map(|h| Hash::new(*h)).collect()
}

fn unwire(heads: &[Hash]) -> Vec<[u8; 32]> {
    let mut out: Vec<[u8; 32]> = heads.iter().map(|h| h.into_array()).collect();
    out.sort();
    out
}

fn actor() -> automerge::ActorId {
    automerge::ActorId::from(uuid_like().as_slice())
}

fn uuid_like() -> [u8; 16] {
    *VisitId::new_v7().as_bytes()
}

/// A device's copy of one visit and the heads it last agreed on with the server.
struct Device {
    id: VisitId,
    doc: VisitDoc,
    have: Vec<[u8; 32]>,
}

impl Device {
    fn new(rep: &str) -> Device {
        let id = VisitId::new_v7();
        let fields = VisitFields {
            rep_id: Some(rep.into()),
            notes: "初回".into(),
            ..VisitFields::default()
        };
        Device {
            id,
            doc: VisitDoc::create(actor(), id, &fields, crate::support::at_now()).unwrap(),
            have: vec![],
        }
    }

    fn fork(&mut self) -> Device {
        Device {
            id: self.id,
            doc: VisitDoc::load(&self.doc.save(), actor()).unwrap(),
            have: self.have.clone(),
        }
    }

    fn edit(&mut self, notes: &str) {
        self.doc.set_notes(notes).unwrap();
        self.doc.commit(crate::support::at_now());
    }

    fn push(&mut self) -> DocPush {
        DocPush {
            id: *self.id.as_bytes(),
            have: wire(&self.have),
            heads: wire(&self.doc.head_hashes()),
            changes: self.doc.save_after(&self.have),
            sync: None,
        }
    }

    fn sync(&mut self, server: &Server, token: &str) -> SyncResponse {
        let response = server.sync(token, &request(vec![self.push()]));
        assert_eq!(response.docs[0].status, DocStatus::Merged);
        self.doc.apply_changes(&response.docs[0].changes).unwrap();
        self.have = unwire(&response.docs[0].server_heads);
        response
    }
}

fn token(storage: &[&str], rep: &str) -> String {
    let mut args = vec!["admin", "token"];
    args.extend_from_slice(storage);
    args.extend_from_slice(&["--rep", rep]);
    let output = run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let token = stdout(&output).trim().to_owned();
    assert_eq!(token.len(), 64, "{token}");
    token
}

#[test]
fn an_operator_serves_sqlite_and_administers_it() {
    let scratch = Scratch::new();
    let data = scratch.path("server").to_string_lossy().into_owned();
    let storage = ["--data", data.as_str()];
    let r1 = token(&storage, "R1");

    let master = scratch.file("master.json", MASTER);
    let imported = run(&["admin", "import", "--data", &data, &master]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("version 1"));
    let bad = scratch.file("bad.json", r#"{"reps":[{"id":"R1"}]}"#);
    let refused = run(&["admin", "import", "--data", &data, &bad]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("/reps/0"), "{}", stderr(&refused));
    let rules = scratch.file("rules.json", r#"{"backdate_days": 3}"#);
    let set = run(&["--json", "admin", "rules", "--data", &data, &rules]);
    assert!(set.status.success(), "{}", stderr(&set));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&set.stdout).unwrap()["version"],
        1
    );

    let server = Server::start(&storage);
    assert_eq!(http(server.addr, "GET", "/v1/health", None, b"").0, 200);
    assert_eq!(server.post("/v1/sync", None, &encode(&request(vec![]))).0, 401);
    let first = server.sync(&r1, &request(vec![]));
    assert_eq!(first.master.as_ref().map(|m| m.version), Some(1));
    assert_eq!(first.rules.as_ref().map(|r| r.version), Some(1));

    let mut device = Device::new("R1");
    device.sync(&server, &r1);
    drop(server);

    // A restarted server still has the visit, the token and the master data.
    let server = Server::start(&storage);
    let again = server.sync(&r1, &request(vec![]));
    assert_eq!(again.feed.len(), 1);
    assert_eq!(unwire(&again.feed[0].heads), device.have);
    assert_eq!(again.master.map(|m| m.version), Some(1));
}

#[test]
fn admin_usage_errors() {
    assert_eq!(run(&["admin", "token", "--rep", "R1"]).status.code(), Some(2));
    let both = run(&[
        "admin",
        "token",
        "--data",
        "x",
        "--postgres",
        "postgresql://h/db",
        "--rep",
        "R1",
    ]);
    assert_eq!(both.status.code(), Some(2));
    let scratch = Scratch::new();
    let data = scratch.path("server").to_string_lossy().into_owned();
    let two = run(&["admin", "token", "--data", &data, "--rep", "R1", "--rep", "R2"]);
    assert_eq!(two.status.code(), Some(2), "{}", stderr(&two));
    let manager = run(&[
        "--json",
        "admin",
        "token",
        "--data",
        &data,
        "--manager",
        "--rep",
        "R2",
        "--rep",
        "R1",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&manager.stdout).unwrap();
    assert_eq!(value["role"], "manager");
    assert_eq!(value["reps"], serde_json::json!(["R1", "R2"]));
    assert_eq!(run(&["serve", "--listen", "127.0.0.1:0"]).status.code(), Some(2));
}

/// The PostgreSQL URL for these tests; None skips them unless CI requires PostgreSQL.
fn postgres_url() -> Option<String> {
    match std::env::var("MRC_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("MRC_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("MRC_REQUIRE_POSTGRES=1 but MRC_TEST_POSTGRES_URL is not set (run scripts/postgres.sh)")
        }
        _ => None,
    }
}

#[test]
fn two_server_processes_share_one_postgres() {
    let Some(url) = postgres_url() else { return };
    let storage = ["--postgres", url.as_str()];
    // A rep id of its own, so runs sharing the database do not see each other's visits.
    let rep = format!("R-{}", VisitId::new_v7());
    let rep_token = token(&storage, &rep);
    let (one, two) = (Server::start(&storage), Server::start(&storage));

    let mut tablet = Device::new(&rep);
    tablet.sync(&one, &rep_token);
    let mut phone = tablet.fork();
    phone.edit("初回。phone");
    tablet.edit("初回。tablet");
    phone.sync(&two, &rep_token);
    let response = tablet.sync(&one, &rep_token);
    assert!(
        !response.docs[0].changes.is_empty(),
        "server one had server two's write"
    );
    phone.sync(&two, &rep_token);
    assert_eq!(tablet.doc.head_hashes(), phone.doc.head_hashes());
    let notes = phone.doc.notes().unwrap();
    assert!(notes.contains("phone") && notes.contains("tablet"), "{notes}");

    // Server two's feed and pull serve what server one stored.
    let feed = two.sync(&rep_token, &request(vec![]));
    assert_eq!(feed.feed.len(), 1);
    assert_eq!(unwire(&feed.feed[0].heads), tablet.have);
    let pull = PullRequest {
        v: 1,
        want: vec![Want {
            id: *tablet.id.as_bytes(),
            have: vec![],
        }],
    };
    let (status, body) = two.post("/v1/pull", Some(&rep_token), &encode(&pull));
    assert_eq!(status, 200);
    let page: PullResponse = decode(&body).unwrap();
    let mut fetched = VisitDoc::load(&page.docs[0].changes, actor()).unwrap();
    assert_eq!(fetched.head_hashes(), tablet.have);

    // Another rep's token is refused on either server.
    let other = token(&storage, &format!("R-{}", VisitId::new_v7()));
    assert_eq!(one.post("/v1/pull", Some(&other), &encode(&pull)).0, 403);
}

#[test]
fn a_generated_company_lands_in_the_store_with_every_visit_audited() {
    let scratch = Scratch::new();
    let data = scratch.path("company").to_string_lossy().into_owned();
    let out = run(&[
        "--json",
        "admin",
        "company",
        "--data",
        &data,
        "--reps",
        "4",
        "--days",
        "10",
        "--team-size",
        "2",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["reps"], 4);
    let visits = summary["visits"].as_i64().unwrap();
    assert!(visits > 40, "{summary}");
    let conn = rusqlite::Connection::open(scratch.path("company").join("server.db")).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM docs"), visits);
    assert_eq!(
        count("SELECT count(*) FROM verdicts"),
        visits,
        "every visit has its verdict"
    );
    assert_eq!(
        count("SELECT count(*) FROM verdict_queue"),
        0,
        "nothing left to audit"
    );
    // Two teams, renamed apart: four reps, each with its own visits.
    assert_eq!(count("SELECT count(DISTINCT owner) FROM docs"), 4);
    assert!(count("SELECT count(*) FROM docs WHERE owner LIKE 'T001-%'") > 0);
    assert!(
        count("SELECT count(*) FROM events WHERE rep_id = 'web'") > 0,
        "the landing page's taps and opens"
    );
    // The history's chain covers every generated visit (a sync after it extends the chain from its head), and the
    // insights an MR accepting the proposals records are kept for head office.
    assert_eq!(
        count("SELECT max(seq) FROM feed_chain"),
        count("SELECT max(seq) FROM docs"),
        "the chain ends at the last generated visit"
    );
    assert!(count("SELECT count(*) FROM insight_facts WHERE kind = 'stage'") > 0);
}
