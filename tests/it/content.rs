//! Material content end to end: `mrc admin content add` on the server, `mrc sync` fetches the file into the
//! device's content directory and a tap opens it; a download cut midway (by a proxy) resumes with a Range request.

use std::{
    io::{Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::Output,
    sync::{Arc, Mutex},
};

use mrc_e2e::{mrc, Server};
use sha2::{Digest, Sha256};

/// A leaflet of 2.5 MB (three ranged requests of 1 MiB), Japanese text.
fn leaflet() -> Vec<u8> {
    let mut text = "グルコバランス錠 製品情報概要 — 効能・効果、用法・用量、重要な基本的注意。\n"
        .repeat(25_000)
        .into_bytes();
    text.truncate(2_500_000);
    text
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn master(file: &[u8]) -> String {
    format!(
        r#"{{"products":[{{"id":"P1","name":"グルコバランス錠"}}],
            "reps":[{{"id":"R1","name":"高橋 美咲","products":["P1"]}}],
            "materials":[{{"id":"M1","version":1,"title":"グルコバランス錠 製品情報概要","product_id":"P1",
              "approval_code":"GB-2026-001","valid_from":"2020-01-01","valid_until":"2099-12-31",
              "status":"approved","sha256":"{}","size":{}}}]}}"#,
        sha256_hex(file),
        file.len()
    )
}

fn admin(args: &[&str]) -> Output {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    mrc(&all).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A loopback HTTP proxy in front of the server, one request per connection, that records each request line
/// with its `Range` header and can cut the body of a chosen content answer halfway.
struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    /// Content answers to let through before cutting one (None: never cut).
    cut_after: Arc<Mutex<Option<usize>>>,
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let cut_after = Arc::new(Mutex::new(None));
        let (seen2, cut2) = (seen.clone(), cut_after.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                relay(client, &upstream, &seen2, &cut2);
            }
        });
        Proxy { url, seen, cut_after }
    }

    fn content_requests(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("GET /v1/content/"))
            .cloned()
            .collect()
    }
}

/// Reads one request, forwards it with `Connection: close`, and answers with the upstream's answer (cut short
/// when asked to).
fn relay(mut client: TcpStream, upstream: &str, seen: &Mutex<Vec<String>>, cut_after: &Mutex<Option<usize>>) {
    let (head, body) = read_message(&mut client);
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<&str> = lines
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let range = headers
        .iter()
        .find(|l| l.to_ascii_lowercase().starts_with("range:"))
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    seen.lock()
        .unwrap()
        .push(format!("{request_line} {range}").trim().to_owned());
    let mut server = TcpStream::connect(upstream).unwrap();
    let forwarded = format!(
        "{request_line}\r\n{}\r\nConnection: close\r\n\r\n",
        headers.join("\r\n")
    );
    server.write_all(forwarded.as_bytes()).unwrap();
    server.write_all(&body).unwrap();
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer);
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let answer_head: String = String::from_utf8_lossy(&answer[..split - 4])
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    let mut keep = answer.len() - split;
    if request_line.starts_with("GET /v1/content/") {
        let mut cut = cut_after.lock().unwrap();
        if let Some(n) = cut.as_mut() {
            if *n == 0 {
                keep /= 2;
                *cut = None;
            } else {
                *n -= 1;
            }
        }
    }
    let _ = client.write_all(format!("{answer_head}connection: close\r\n\r\n").as_bytes());
    let _ = client.write_all(&answer[split..split + keep]);
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Both);
}

/// One HTTP/1.1 message head and its body (by Content-Length).
fn read_message(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).unwrap_or(0) == 0 {
            break;
        }
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).trim_end().to_owned();
    let length = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    (head, body)
}

struct Device {
    db: PathBuf,
    token: String,
}

impl Device {
    fn run(&self, args: &[&str]) -> Output {
        let mut all = vec!["--json", "--db", self.db.to_str().unwrap()];
        all.extend_from_slice(args);
        mrc(&all).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args);
        assert!(out.status.success(), "mrc {args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn sync(&self, url: &str) -> Output {
        self.run(&["sync", "--server", url, "--token", &self.token])
    }

    /// Issues a signed card for material M1 version 1 on this device and returns its NDEF bytes (hex).
    fn card(&self, dir: &Path) -> String {
        let key = self.ok(&["card", "keygen", "--key-id", "1"]);
        let secret = dir.join("card-secret.hex");
        std::fs::write(&secret, key["secret_key"].as_str().unwrap()).unwrap();
        let card = self.ok(&[
            "card",
            "issue",
            "--secret-key-file",
            secret.to_str().unwrap(),
            "--key-id",
            "1",
            "--card-id",
            "7",
            "--material",
            "M1",
            "--version",
            "1",
            "--expires",
            "2099-12-31",
        ]);
        card["ndef_hex"].as_str().unwrap().to_owned()
    }
}

#[test]
fn content_added_on_the_server_reaches_the_device_and_a_cut_download_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let data_arg = data.to_str().unwrap();
    let file = leaflet();
    let sha = sha256_hex(&file);
    let master_file = dir.path().join("master.json");
    std::fs::write(&master_file, master(&file)).unwrap();
    let content_file = dir.path().join("製品情報概要.pdf");
    std::fs::write(&content_file, &file).unwrap();
    let content_arg = content_file.to_str().unwrap();

    // Before the master data, and for a version or a file the master data does not vouch for: refused.
    let early = admin(&[
        "content",
        "add",
        "--data",
        data_arg,
        content_arg,
        "--material",
        "M1",
        "--version",
        "1",
    ]);
    assert_eq!(early.status.code(), Some(1));
    assert!(
        stderr(&early).contains("マスターデータが未登録です"),
        "{}",
        stderr(&early)
    );
    let out = admin(&["import", "--data", data_arg, master_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let unknown = admin(&[
        "content",
        "add",
        "--data",
        data_arg,
        content_arg,
        "--material",
        "M1",
        "--version",
        "2",
    ]);
    assert!(
        stderr(&unknown).contains("教材 M1 版 2 はマスターデータにありません"),
        "{}",
        stderr(&unknown)
    );
    let other = dir.path().join("other.pdf");
    std::fs::write(&other, "別の資料").unwrap();
    let wrong = admin(&[
        "content",
        "add",
        "--data",
        data_arg,
        other.to_str().unwrap(),
        "--material",
        "M1",
        "--version",
        "1",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr(&wrong).contains("SHA-256 がマスターデータと一致しません"),
        "{}",
        stderr(&wrong)
    );

    let added = admin(&[
        "--json",
        "content",
        "add",
        "--data",
        data_arg,
        content_arg,
        "--material",
        "M1",
        "--version",
        "1",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let added: serde_json::Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(
        (added["sha256"].as_str(), added["new"].as_bool()),
        (Some(sha.as_str()), Some(true))
    );

    let server = Server::start(&data);
    let proxy = Proxy::start(&server.url);
    let device = Device {
        db: dir.path().join("tablet.db"),
        token: server.token("R1"),
    };
    let ndef = device.card(dir.path());
    let content_dir = dir.path().join("tablet.db.content");
    let done = content_dir.join(&sha);
    let part = content_dir.join(format!("{sha}.part"));

    // The second 1 MiB answer is cut halfway: the sync reports it, the first MiB waits in the .part file.
    *proxy.cut_after.lock().unwrap() = Some(1);
    let cut = device.sync(&proxy.url);
    assert_eq!(cut.status.code(), Some(3), "offline mid-download");
    assert!(stderr(&cut).contains("続きから再開します"), "{}", stderr(&cut));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 1 << 20);
    assert!(!done.exists());
    let tap = device.ok(&["tap", &ndef]);
    assert_eq!(tap["outcome"], "not_cached", "{tap}");

    // The next sync asks only for the rest.
    let before = proxy.content_requests().len();
    let out = device.sync(&proxy.url);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let content = &summary["content"];
    assert_eq!(
        (
            content["downloaded"].as_u64(),
            content["resumed"].as_u64(),
            content["bytes"].as_u64()
        ),
        (Some(1), Some(1), Some(file.len() as u64 - (1 << 20)))
    );
    let resumed = proxy.content_requests()[before..].to_vec();
    assert_eq!(
        resumed
            .first()
            .map(|l| l.to_ascii_lowercase().ends_with("range: bytes=1048576-2097151")),
        Some(true),
        "{resumed:?}"
    );
    assert_eq!(std::fs::read(&done).unwrap(), file);
    assert!(!part.exists());

    // A tap opens the material from the device, with no signal needed.
    let tap = device.ok(&["tap", &ndef]);
    assert_eq!(tap["outcome"], "open", "{tap}");
    assert_eq!(tap["local_path"].as_str(), done.to_str());

    // Once everything is here, a sync downloads nothing.
    let idle = device.sync(&server.url);
    assert!(idle.status.success(), "{}", stderr(&idle));
    let idle: serde_json::Value = serde_json::from_slice(&idle.stdout).unwrap();
    assert_eq!(
        (
            idle["content"]["present"].as_u64(),
            idle["content"]["bytes"].as_u64()
        ),
        (Some(1), Some(0))
    );

    // The file is still referenced by an approved, unexpired material: pruning the server keeps it.
    let pruned = admin(&["--json", "content", "prune", "--data", data_arg]);
    assert!(pruned.status.success(), "{}", stderr(&pruned));
    let pruned: serde_json::Value = serde_json::from_slice(&pruned.stdout).unwrap();
    assert_eq!(
        (pruned["removed"].as_u64(), pruned["kept"].as_u64()),
        (Some(0), Some(1))
    );
}
