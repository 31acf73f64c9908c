//! The card landing page on loopback with a real `mrc serve` (release build): time to first byte of the tap
//! redirect, the HCP gate and the material page (p50/p95/p99 over many requests), and the bytes of the HTML
//! shell a phone downloads (page + stylesheet; the material file aside).
//!
//! Run: `cargo bench -p mrc-e2e --bench landing`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

use mrc_e2e::{http::request, mrc, Server};

const ROUNDS: usize = 2_000;

/// Sends a GET and returns the time until the first byte of the answer (the whole answer is then drained).
fn first_byte(addr: &str, path: &str, cookie: &str) -> Duration {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    let head =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n");
    let started = Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    let mut byte = [0u8; 1];
    stream.read_exact(&mut byte).unwrap();
    let elapsed = started.elapsed();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    elapsed
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.50), at(0.95), at(0.99))
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let out = mrc(&["admin", "demo-data", "--data", &data.to_string_lossy()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fixture: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let server = Server::start_with(&data, &["--tap-limit", "1000000"]);
    let addr = server.url.strip_prefix("http://").unwrap().to_owned();
    let card = fixture["cards"]["valid"].as_str().unwrap();

    let tap = request(&server.url, "GET", card, &[], b"");
    let view = tap.header("location").unwrap().to_owned();
    let gate = request(&server.url, "GET", &view, &[], b"");
    let page = request(&server.url, "GET", &view, &[("Cookie", "mrc_hcp=yes")], b"");
    let css = request(&server.url, "GET", "/assets/site.css", &[], b"");
    assert_eq!((gate.status, page.status, css.status), (200, 200, 200));
    println!(
        "HTML shell: gate page {} B, material page {} B, stylesheet {} B → {} B at most on a first visit",
        gate.body.len(),
        page.body.len(),
        css.body.len(),
        gate.body.len().max(page.body.len()) + css.body.len()
    );

    for (name, path, cookie) in [
        (
            "card tap → redirect",
            card,
            "mrc_bid=0123456789abcdef0123456789abcdef",
        ),
        ("HCP gate page", view.as_str(), ""),
        ("material page", view.as_str(), "mrc_hcp=yes"),
    ] {
        for _ in 0..50 {
            first_byte(&addr, path, cookie);
        }
        let samples: Vec<Duration> = (0..ROUNDS).map(|_| first_byte(&addr, path, cookie)).collect();
        let (p50, p95, p99) = percentiles(samples);
        println!("{name}: first byte p50 {p50:.2} ms, p95 {p95:.2} ms, p99 {p99:.2} ms ({ROUNDS} requests)");
    }
}
