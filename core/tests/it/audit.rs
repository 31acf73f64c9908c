//! The audit as a whole: ids kept as given, refused lines, the summary, determinism, and the same verdicts in
//! one store as in several.

use mrc_audit::{self as audit, export};
use mrc_core::validate::RuleSettings;
use mrc_sample::fabricate::{generate_labeled, FabricateConfig};
use serde_json::json;

use crate::audit_support::{at, run, run_text, verdict, visit};

#[test]
fn ids_are_kept_exactly_as_given() {
    let ids = [
        "0191F2B4-6A1E-7C3D-9A51-3F0C2D4E5A6B",
        "0191f2b46a1e7c3d9a513f0c2d4e5a6c",
        "{0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6d}",
    ];
    let lines: Vec<_> = (ids.iter().enumerate())
        .map(|(k, id)| visit(k as u32, "R1", "H1", "I1", &at(16, 60 * k as u32), 20).set("id", json!(id)))
        .collect();
    let r = run(&lines);
    let scores = r.scores();
    let keys: Vec<&str> = scores.keys().copied().collect();
    let mut expected = ids.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert!(r.refused.is_empty());
}

#[test]
fn malformed_lines_are_refused_with_their_number_and_the_rest_is_audited() {
    let good = visit(1, "R1", "H1", "I1", &at(16, 30), 20);
    let text = [
        good.line(),
        "{\"rep_id\": \"R1\"}".into(),
        "これはJSONではない".into(),
        String::new(),
        visit(2, "R1", "H1", "I1", &at(16, 90), 20)
            .set("duration_min", json!("十五分"))
            .line(),
        good.line(),
        visit(3, "R1", "H1", "I1", &at(16, 150), 20)
            .set("entered_at", json!("昨日"))
            .line(),
        visit(4, "R1", "H1", "I1", &at(16, 210), 20)
            .set("taps", json!([42.5]))
            .line(),
    ]
    .join("\n");
    let r = run_text(&text, &RuleSettings::default());
    assert_eq!(r.visits.len(), 1);
    let lines: Vec<usize> = r.refused.iter().map(|x| x.line).collect();
    assert_eq!(lines, vec![2, 3, 5, 6, 7, 8]);
    assert!(r.refused[0].reason.contains("/id"));
    assert!(r.refused[2].reason.starts_with("/duration_min"));
    assert!(r.refused[3].reason.contains("duplicate") && r.refused[3].reason.contains("line 1"));
    assert!(r.refused[4].reason.contains("/entered_at"));
    assert!(r.refused[5].reason.contains("/taps/0"));
}

#[test]
fn records_without_an_entry_time_are_judged_without_entry_signals() {
    let mut a = visit(1, "R1", "H1", "I1", &at(2, 60), 20);
    a.value.as_object_mut().unwrap().remove("entered_at");
    let r = run(&[a.clone()]);
    assert_eq!(
        verdict(&r, &a.id),
        (69, vec![]),
        "no sign at all (and no tap): 69"
    );
}

#[test]
fn the_summary_counts_per_rep_and_team() {
    let lines = [
        visit(1, "R1", "H1", "I1", &at(16, 30), 20),
        visit(2, "R1", "H1", "I1", "2026-11-23T10:00:00+09:00", 20),
        visit(3, "R2", "H4", "I4", &at(16, 30), 20),
    ];
    let s = run(&lines).summary;
    assert_eq!((s.team.visits, s.team.flagged), (3, 1));
    let reps: Vec<_> = s
        .reps
        .iter()
        .map(|g| (g.rep_id.as_deref(), g.visits, g.flagged))
        .collect();
    assert_eq!(reps, vec![(Some("R1"), 2, 1), (Some("R2"), 1, 0)]);
    assert_eq!(s.team.top_codes[0].code, "holiday_visit");
    assert_eq!(s.team.distribution.iter().map(|b| b.visits).sum::<usize>(), 3);
    assert_eq!(s.team.distribution[6].visits, 2, "two clean visits at 69");
}

#[test]
fn the_same_input_gives_the_same_output_in_one_store_or_several() {
    let config = FabricateConfig {
        reps: 3,
        days: 8,
        ..FabricateConfig::default()
    };
    let month = generate_labeled(&config);
    let text = month.lines();
    let rules = RuleSettings::default();
    let (visits, refused) = audit::parse_lines(text.as_bytes());
    assert!(refused.is_empty() && visits.len() == month.visits.len());
    let run = || {
        let dir = tempfile::tempdir().unwrap();
        let r = audit::audit(dir.path(), &month.master, &rules, &visits, Vec::new(), 50).unwrap();
        serde_json::to_string(&(r.scores(), &r.summary)).unwrap()
    };
    let first = run();
    assert_eq!(first, run(), "byte-identical");
    // One store on one thread gives the same verdicts as one store per core.
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("one.db"));
    store.import_master(&month.master).unwrap();
    let single = audit::audit_in(&store, &visits, Vec::new(), 50).unwrap();
    assert_eq!(
        first,
        serde_json::to_string(&(single.scores(), &single.summary)).unwrap()
    );
    // Lines written back from the parsed visits read the same.
    let again: String = visits.iter().map(|v| export::to_line(v) + "\n").collect();
    assert_eq!(audit::parse_lines(again.as_bytes()).0, visits);
}

#[test]
fn each_rep_audited_on_its_own_gets_the_verdicts_of_the_whole_team() {
    let config = FabricateConfig {
        reps: 4,
        days: 20,
        ..FabricateConfig::default()
    };
    let month = generate_labeled(&config);
    let rules = RuleSettings::default();
    let (mut visits, _) = audit::parse_lines(month.lines().as_bytes());
    // One rep never taps while the others do: the one verdict that spans reps.
    let first_rep = visits[0].fields.rep_id.clone();
    for v in visits.iter_mut().filter(|v| v.fields.rep_id == first_rep) {
        v.taps.clear();
    }
    let dir = tempfile::tempdir().unwrap();
    let whole = audit::audit(dir.path(), &month.master, &rules, &visits, Vec::new(), 50).unwrap();
    let mut reps: Vec<String> = visits.iter().filter_map(|v| v.fields.rep_id.clone()).collect();
    reps.sort();
    reps.dedup();
    let replayed: Vec<(Vec<&audit::AuditVisit>, audit::RepAudit, tempfile::TempDir)> = (reps.iter())
        .map(|rep| {
            let own: Vec<&audit::AuditVisit> = (visits.iter())
                .filter(|v| v.fields.rep_id.as_ref() == Some(rep))
                .collect();
            let dir = tempfile::tempdir().unwrap();
            let cloned = own.iter().map(|v| (*v).clone()).collect();
            let audit = audit::RepAudit::replay(dir.path(), &month.master, &rules, rep, cloned).unwrap();
            (own, audit, dir)
        })
        .collect();
    let records: Vec<audit::TapRecord> = replayed.iter().map(|(_, a, _)| a.tap_record()).collect();
    let team = audit::team_miss_rate(&records, &rules);
    let mut judged = 0;
    for (own, audit, _) in &replayed {
        for (v, alone) in own.iter().zip(audit.judge(team).unwrap()) {
            let together = whole.visits.iter().find(|w| w.id == v.id_text).unwrap();
            assert_eq!(&alone, together, "{}", v.id_text);
            judged += 1;
        }
    }
    assert_eq!(judged, visits.len());
    assert!(
        whole.visits.iter().any(|v| v.score < 50),
        "the month has flagged visits"
    );
    let short = (whole.visits.iter()).filter(|v| v.codes.contains(&mrc_core::validate::Code::TapShortfall));
    assert!(short.count() > 0, "a rep falls short of the team's taps");
}

#[test]
fn odd_visits_are_scored_not_refused_and_nothing_panics() {
    let text = [
        r#"{"id":"00000000-0000-4000-8000-000000000001"}"#,
        r#"{"id":"00000000-0000-4000-8000-000000000002","rep_id":"R1","started_at":"0001-01-01T00:00:00+14:00","duration_min":4294967295,"entered_at":"9999-12-31T23:59:59-12:00"}"#,
        r#"{"id":"00000000-0000-4000-8000-000000000003","rep_id":"R9","hcp_id":"H9","institution_id":"I9","channel":"in_person","started_at":"2026-11-20T10:00:00+09:00","duration_min":0,"taps":[0, "2026-11-20T10:00:00Z", {"at": 1}]}"#,
        r#"{"id":"00000000-0000-4000-8000-000000000004","rep_id":"R1","hcp_id":"H1","institution_id":"I1","channel":"email","started_at":"2026-11-20T10:00:00-11:00","duration_min":240,"notes":"😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊😊"}"#,
    ]
    .join("\n");
    let r = run_text(&text, &RuleSettings::default());
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert_eq!(r.visits.len(), 4);
    assert!(r.visits.iter().all(|v| v.score <= 100));
    assert!(verdict(&r, "00000000-0000-4000-8000-000000000001")
        .1
        .contains(&"required"));
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn reading_arbitrary_lines_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = mrc_audit::parse_lines(&bytes);
        }

        #[test]
        fn reading_arbitrary_json_never_panics(text in "\\{\"id\":\"0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b\"(,\"[a-z_]{1,12}\":(\"\\PC{0,12}\"|[0-9]{1,14}|\\[\\]|null))*\\}") {
            let _ = mrc_audit::parse_lines(text.as_bytes());
        }
    }
}
