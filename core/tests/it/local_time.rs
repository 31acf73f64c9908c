//! Local time is the rep's: the same instants written in any UTC offset get the same findings, scores and audit
//! output; days and hours follow the rep's zone (Tokyo by default, New York for a rep configured there).

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use mrc_audit::{self as audit, export};
use mrc_core::{
    json_path,
    master::MasterData,
    validate::{Code, RuleSettings},
    visit::{Channel, ProductDiscussed, VisitFields},
    Store, VisitId,
};
use mrc_sample::fabricate::{generate_labeled, FabricateConfig};
use proptest::prelude::*;

use crate::audit_support::MASTER;

/// The offsets the same instants are rewritten in.
const OFFSETS: [i32; 5] = [0, -5 * 3600, 5 * 3600 + 45 * 60, 14 * 3600, 9 * 3600];

fn offset(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap()
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// The HCPs of the audit master data with their institutions.
const SEEN: [(&str, &str); 7] = [
    ("H1", "I1"),
    ("H2", "I2"),
    ("H3", "I3"),
    ("H4", "I4"),
    ("H5", "I1"),
    ("H6", "I1"),
    ("H7", "I5"),
];

fn form(hcp: usize, start: DateTime<FixedOffset>, minutes: u32) -> VisitFields {
    let (hcp, institution) = SEEN[hcp % SEEN.len()];
    VisitFields {
        rep_id: Some("R1".into()),
        hcp_id: Some(hcp.into()),
        institution_id: Some(institution.into()),
        channel: Some(Channel::InPerson),
        started_at: Some(start),
        duration_min: Some(minutes),
        products: vec![ProductDiscussed {
            product_id: "P1".into(),
            priority: 1,
        }],
        materials_shown: vec![],
        reaction: None,
        next_objective: None,
        notes: "佐藤先生にグルコバランスの腎機能低下例での用量を説明。次回は臨床成績の資料を持参する。"
            .into(),
        insights: Default::default(),
    }
}

fn store_with(master: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("zone.db"));
    store.import_master_json(master).unwrap();
    (dir, store)
}

/// One stored visit of a generated history: HCP, start (minutes after 2026-12-03 00:00 UTC), duration, and how
/// long after its end it was entered.
type Planned = (usize, i64, u32, i64);

fn planned() -> impl Strategy<Value = Planned> {
    (
        0usize..7,
        (0i64..(4 * 288)).prop_map(|five| five * 5),
        prop::sample::select(vec![10u32, 15, 20, 30, 45]),
        0i64..4000,
    )
}

/// Validates `subject` against `history`, every time written in the offset `seconds` east of UTC: the JSON of the
/// report.
fn judged(history: &[Planned], subject: Planned, seconds: i32) -> String {
    let (_dir, store) = store_with(MASTER);
    let base = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
    let shifted = |minutes: i64| (base + Duration::minutes(minutes)).with_timezone(&offset(seconds));
    let mut last_entry = base;
    for (n, (hcp, start, minutes, delay)) in history.iter().enumerate() {
        let id = VisitId::from_slice(&[n as u8 + 1; 16]).unwrap();
        let mut fields = form(*hcp, shifted(*start), *minutes);
        fields.notes = format!("面談メモ{n}：用量の質問に回答。");
        let entered = (shifted(start + i64::from(*minutes) + delay)).to_utc();
        last_entry = last_entry.max(entered);
        store.create_visit_with(Some(id), &fields, entered).unwrap();
    }
    let (hcp, start, minutes, delay) = subject;
    let now = (shifted(start + i64::from(minutes) + delay))
        .to_utc()
        .max(last_entry);
    let report = store
        .validate(None, &form(hcp, shifted(start), minutes), None, now)
        .unwrap();
    serde_json::to_string(&report).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn the_same_instants_in_any_offset_get_the_same_findings_score_and_reasons(
        history in prop::collection::vec(planned(), 0..6),
        subject in planned(),
        shift in prop::sample::select(OFFSETS.to_vec()),
    ) {
        prop_assert_eq!(judged(&history, subject, 9 * 3600), judged(&history, subject, shift));
    }
}

#[test]
fn an_audited_month_rewritten_in_other_offsets_gives_byte_identical_output() {
    let month = generate_labeled(&FabricateConfig {
        reps: 2,
        days: 21,
        seed: 17,
        ..FabricateConfig::default()
    });
    let master: MasterData = month.master.clone();
    let lines: Vec<_> = month.visits.iter().map(|v| v.visit.clone()).collect();
    let audited = |seconds: i32| {
        let text: String = lines
            .iter()
            .map(|v| {
                let mut v = v.clone();
                v.fields.started_at = v.fields.started_at.map(|s| s.with_timezone(&offset(seconds)));
                export::to_line(&v) + "\n"
            })
            .collect();
        let (visits, refused) = audit::parse_lines(text.as_bytes());
        assert!(refused.is_empty(), "{refused:?}");
        let dir = tempfile::tempdir().unwrap();
        let result = audit::audit(
            dir.path(),
            &master,
            &RuleSettings::default(),
            &visits,
            refused,
            50,
        )
        .unwrap();
        (text, serde_json::to_string(&result).unwrap())
    };
    let (tokyo_text, tokyo) = audited(9 * 3600);
    for seconds in OFFSETS {
        let (text, shifted) = audited(seconds);
        if seconds != 9 * 3600 {
            assert_ne!(text, tokyo_text, "the input really is written in another offset");
        }
        assert_eq!(shifted, tokyo, "offset {seconds} s");
    }
}

fn codes(store: &Store, fields: &VisitFields, now: &str) -> Vec<Code> {
    let report = store.validate(None, fields, None, at(now).to_utc()).unwrap();
    report.findings.iter().map(|f| f.code).collect()
}

#[test]
fn days_and_hours_are_tokyo_s_whatever_the_offset_written() {
    let (_dir, store) = store_with(MASTER);
    // 23:30 UTC on Thursday is 08:30 on Friday in Tokyo: a working morning, not a night visit.
    let morning = form(0, at("2026-12-03T23:30:00Z"), 20);
    let found = codes(&store, &morning, "2026-12-04T09:00:00+09:00");
    assert!(
        !found.contains(&Code::OffHours) && !found.contains(&Code::NightVisit),
        "{found:?}"
    );
    // 15:30 UTC on 31 December is 00:30 on New Year's Day in Tokyo: a holiday, at night.
    let new_year = form(0, at("2026-12-31T15:30:00Z"), 20);
    let found = codes(&store, &new_year, "2027-01-01T01:00:00+09:00");
    assert!(
        found.contains(&Code::HolidayVisit) && found.contains(&Code::NightVisit),
        "{found:?}"
    );
}

#[test]
fn today_is_the_local_day_of_the_store_s_zone() {
    let (_dir, store) = store_with(MASTER);
    let saturday_morning = store
        .create_visit(&form(0, at("2026-11-21T00:10:00+09:00"), 15))
        .unwrap();
    store
        .create_visit(&form(1, at("2026-11-20T23:50:00+09:00"), 15))
        .unwrap();
    // 00:30 local on Saturday, given as 15:30 UTC on Friday.
    let today = store
        .list_visits(&mrc_core::visit::VisitFilter::Today {
            now: at("2026-11-20T15:30:00Z").to_utc(),
        })
        .unwrap();
    assert_eq!(today.iter().map(|v| v.id).collect::<Vec<_>>(), [saturday_morning]);
}

#[test]
fn a_rep_in_new_york_is_judged_in_new_york_across_the_daylight_saving_change() {
    let master = MASTER.replace(
        r#"{"id": "R1", "name": "高橋 美咲", "products": ["P1", "P2"]}"#,
        r#"{"id": "R1", "name": "高橋 美咲", "products": ["P1", "P2"], "time_zone": "America/New_York"}"#,
    );
    assert_ne!(master, MASTER);
    let (_dir, store) = store_with(&master);
    // 12:30 UTC is 07:30 EST on Friday 6 March (before work) and 08:30 EDT on Monday 9 March (after the change).
    let friday = codes(
        &store,
        &form(0, at("2026-03-06T12:30:00Z"), 20),
        "2026-03-06T18:00:00Z",
    );
    assert!(friday.contains(&Code::OffHours), "07:30 in New York: {friday:?}");
    let monday = codes(
        &store,
        &form(0, at("2026-03-09T12:30:00Z"), 20),
        "2026-03-09T18:00:00Z",
    );
    assert!(!monday.contains(&Code::OffHours), "08:30 in New York: {monday:?}");
    // 02:00 UTC on Saturday 7 March is Friday evening, 21:00, in New York: off hours, not a weekend.
    let evening = codes(
        &store,
        &form(0, at("2026-03-07T02:00:00Z"), 20),
        "2026-03-07T03:00:00Z",
    );
    assert!(
        evening.contains(&Code::OffHours) && !evening.contains(&Code::HolidayVisit),
        "{evening:?}"
    );
    // The same instants for a Tokyo rep (R2): 21:30 and 11:00 on Saturday in Tokyo.
    let mut in_tokyo = form(0, at("2026-03-07T02:00:00Z"), 20);
    in_tokyo.rep_id = Some("R2".into());
    let tokyo = codes(&store, &in_tokyo, "2026-03-07T03:00:00Z");
    assert!(
        tokyo.contains(&Code::HolidayVisit),
        "Saturday in Tokyo: {tokyo:?}"
    );
}

#[test]
fn a_zone_that_is_not_one_is_refused_at_import_and_in_the_rules() {
    let (_dir, store) = store_with(MASTER);
    let bad = MASTER.replace(
        r#""products": ["P1", "P2"]}"#,
        r#""products": ["P1", "P2"], "time_zone": "Tokyo"}"#,
    );
    let err = store.import_master_json(&bad).unwrap_err().to_string();
    assert!(err.contains("/reps/0/time_zone"), "{err}");
    let err = RuleSettings::from_json(r#"{"time_zone": "JST"}"#).unwrap_err();
    assert_eq!(err.path, "/time_zone");
    let fine = RuleSettings::from_json(r#"{"time_zone": "America/New_York"}"#).unwrap();
    assert_eq!(fine.zone(), chrono_tz::America::New_York);
    let _: MasterData = json_path::parse(MASTER).unwrap();
}
