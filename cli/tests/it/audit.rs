//! `mrc fabricate`, `mrc audit`, `mrc evaluate`: files, exit codes, JSON, determinism.

use crate::support::{json, run, stderr, stdout, Scratch};

/// A small labeled month (one rep, ten days) written into the scratch folder.
fn month(s: &Scratch) {
    let labels = s.path("labels.json").to_string_lossy().into_owned();
    let out = run(&[
        "--json",
        "fabricate",
        "--share",
        "0.2",
        "--labels",
        &labels,
        "--reps",
        "2",
        "--days",
        "10",
        "--seed",
        "5",
    ]);
    let report = json(&out);
    assert!(report["fabricated"].as_u64().unwrap() > 0);
    for name in ["labels.json", "visits.jsonl", "master.json"] {
        assert!(s.path(name).exists(), "{name}");
    }
}

#[test]
fn audit_writes_scores_and_a_summary_and_is_deterministic() {
    let s = Scratch::new();
    month(&s);
    let (master, visits) = (s.path("master.json"), s.path("visits.jsonl"));
    let (master, visits) = (master.to_str().unwrap(), visits.to_str().unwrap());
    let scores = s.path("scores.json").to_string_lossy().into_owned();
    let text = run(&["audit", "--master", master, visits, "--out", &scores]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    assert!(stdout(&text).contains("チーム Team"), "{}", stdout(&text));
    let written = std::fs::read(&scores).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&written).unwrap();
    let first = parsed.as_object().unwrap().values().next().unwrap();
    assert!(first["score"].as_u64().unwrap() <= 100 && first["codes"].is_array());
    let summary = json(&run(&[
        "--json", "audit", "--master", master, visits, "--out", &scores,
    ]));
    assert_eq!(summary["summary"]["reps"].as_array().unwrap().len(), 2);
    assert_eq!(
        std::fs::read(&scores).unwrap(),
        written,
        "same input, byte-identical scores"
    );
    let again = run(&["audit", "--master", master, visits]);
    assert_eq!(stdout(&again), stdout(&text), "same input, same summary");

    let labels = s.path("labels.json").to_string_lossy().into_owned();
    let e = run(&[
        "evaluate", "--labels", &labels, "--scores", &scores, "--visits", visits,
    ]);
    assert_eq!(e.status.code(), Some(0), "{}", stderr(&e));
    for expected in ["recall", "AUC", "copied_notes", "REP-001", "subtle"] {
        assert!(stdout(&e).contains(expected), "{expected} in {}", stdout(&e));
    }
}

#[test]
fn refused_lines_exit_1_and_unusable_arguments_exit_2() {
    let s = Scratch::new();
    month(&s);
    let master = s.path("master.json").to_string_lossy().into_owned();
    let good = std::fs::read_to_string(s.path("visits.jsonl")).unwrap();
    let first = good.lines().next().unwrap().to_owned();
    let broken = s.file(
        "broken.jsonl",
        &format!("{first}\n{{\"id\": \"訪問\"}}\n{first}\n"),
    );
    let out = run(&["--json", "audit", "--master", &master, &broken]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("line 2") && err.contains("line 3") && err.contains("duplicate"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["visits"], 1);
    assert_eq!(report["refused"][0]["line"], 2);

    let missing = run(&[
        "audit",
        "--master",
        &master,
        &s.path("nothing.jsonl").to_string_lossy(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_master = s.file("bad_master.json", r#"{"reps": "高橋"}"#);
    let out = run(&["audit", "--master", &bad_master, &broken]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("/reps"), "{}", stderr(&out));
    let bad_rules = s.file("rules.json", r#"{"burst_gap_s": "速い"}"#);
    let out = run(&["audit", "--master", &master, &broken, "--rules", &bad_rules]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["audit", "--master", &master, &broken, "--threshold", "101"]);
    assert_eq!(out.status.code(), Some(2));
    let labels = s.path("偽の月.json").to_string_lossy().into_owned();
    let out = run(&["fabricate", "--share", "0.95", "--labels", &labels]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--share") && !s.path("偽の月.json").exists());
    let out = run(&["seed", "--fabricate", "0.2", "--labels", &labels]);
    assert_eq!(out.status.code(), Some(2), "seed no longer writes labeled files");
}

/// Every time of a JSON Lines visit rewritten as the same instant at `offset` (e.g. "Z" via UTC, or -05:00).
fn rewritten(text: &str, offset: chrono::FixedOffset) -> String {
    let shift = |v: &mut serde_json::Value| {
        if let Some(t) = v
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            *v = if offset.local_minus_utc() == 0 {
                serde_json::json!(t.to_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            } else {
                serde_json::json!(t.with_timezone(&offset).to_rfc3339())
            };
        }
    };
    text.lines()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            shift(&mut v["started_at"]);
            shift(&mut v["entered_at"]);
            if let Some(taps) = v.get_mut("taps").and_then(|t| t.as_array_mut()) {
                for tap in taps {
                    if tap.is_object() {
                        shift(&mut tap["at"]);
                    } else {
                        shift(tap);
                    }
                }
            }
            v.to_string() + "\n"
        })
        .collect()
}

#[test]
fn the_same_month_written_in_utc_or_new_york_time_audits_byte_identically() {
    let s = Scratch::new();
    month(&s);
    let master = s.path("master.json").to_string_lossy().into_owned();
    let given = std::fs::read_to_string(s.path("visits.jsonl")).unwrap();
    let audited = |name: &str, text: &str| {
        let visits = s.file(name, text);
        let scores = s
            .path(&format!("{name}.scores.json"))
            .to_string_lossy()
            .into_owned();
        let out = run(&["--json", "audit", "--master", &master, &visits, "--out", &scores]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        (stdout(&out), std::fs::read(&scores).unwrap())
    };
    let tokyo = audited("tokyo.jsonl", &given);
    for (name, seconds) in [("utc.jsonl", 0), ("new_york.jsonl", -5 * 3600)] {
        let text = rewritten(&given, chrono::FixedOffset::east_opt(seconds).unwrap());
        assert_ne!(text, given);
        assert_eq!(audited(name, &text), tokyo, "{name}");
    }
}

#[test]
fn a_time_without_an_offset_is_refused_with_an_example() {
    let s = Scratch::new();
    s.mrc(&["import", &s.file("master.json", crate::support::MASTER)]);
    let visit = crate::support::VISIT.replace("2026-11-20T10:00:00+09:00", "2026-11-20T10:00:00");
    let out = s.mrc(&["visit", "add", &s.file("visit.json", &visit)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("/started_at") && err.contains("no UTC offset") && err.contains("+09:00"),
        "{err}"
    );
    let now = run(&["--now", "2026-11-20 12:00", "visit", "list"]);
    assert_eq!(now.status.code(), Some(2));
    assert!(stderr(&now).contains("no UTC offset"), "{}", stderr(&now));
}
