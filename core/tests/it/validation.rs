//! The validator: every code, positive and negative, against a real store; messages; never a panic.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use mrc_core::{
    validate::{context::SERVER_TIME_KEY, Code, Report},
    visit::{Channel, MaterialShown, ProductDiscussed, VisitError, VisitFields},
    Store, StoreError,
};

const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}, {"id": "P2", "name": "カルディオン錠"}, {"id": "P3", "name": "ガストロケア錠"}],
  "reps": [{"id": "R1", "name": "高橋 美咲", "products": ["P1", "P2"]}],
  "institutions": [
    {"id": "I1", "name": "横浜港北総合病院", "address": "神奈川県横浜市港北区新横浜2-5-3", "lat": 35.5075, "lon": 139.6177},
    {"id": "I2", "name": "小田原みなと病院", "address": "神奈川県小田原市城山1-1-1", "lat": 35.2560, "lon": 139.1550},
    {"id": "I3", "name": "新横浜さくら内科クリニック", "address": "神奈川県横浜市港北区新横浜2-5-3 2階", "lat": 35.5077, "lon": 139.6179}
  ],
  "hcps": [
    {"id": "H1", "name": "佐藤 健一", "kana": "さとう けんいち", "specialty": "糖尿病内科", "institution_id": "I1"},
    {"id": "H2", "name": "鈴木 美和", "kana": "すずき みわ", "specialty": "循環器内科", "institution_id": "I2"},
    {"id": "H3", "name": "田中 亮", "kana": "たなか りょう", "specialty": "内科", "institution_id": "I3"}
  ],
  "materials": [
    {"id": "M1", "version": 1, "title": "製品情報概要 第1版", "product_id": "P1", "approval_code": "MRC-2025-0101",
     "valid_from": "2025-04-01", "valid_until": "2027-03-31", "status": "withdrawn",
     "sha256": "1111111111111111111111111111111111111111111111111111111111111111", "size": 1000},
    {"id": "M1", "version": 2, "title": "製品情報概要 第2版", "product_id": "P1", "approval_code": "MRC-2026-0142",
     "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
     "sha256": "2222222222222222222222222222222222222222222222222222222222222222", "size": 1000},
    {"id": "M2", "version": 1, "title": "適正使用ガイド", "product_id": "P2", "approval_code": "MRC-2025-0200",
     "valid_from": "2025-04-01", "valid_until": "2026-10-31", "status": "approved",
     "sha256": "3333333333333333333333333333333333333333333333333333333333333333", "size": 1000}
  ]
}"#;

const NOTE: &str = "佐藤先生にグルコバランスの腎機能低下例での用量を説明。高齢患者への使用に関心を示され、次回は臨床成績の資料を持参する。";

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("v.db"));
    store.import_master_json(MASTER).unwrap();
    (dir, store)
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// Friday 2026-11-20, noon in Japan.
fn now() -> DateTime<Utc> {
    at("2026-11-20T12:00:00+09:00").to_utc()
}

/// A clean in-person visit at 10:00 that morning.
fn form() -> VisitFields {
    VisitFields {
        rep_id: Some("R1".into()),
        hcp_id: Some("H1".into()),
        institution_id: Some("I1".into()),
        channel: Some(Channel::InPerson),
        started_at: Some(at("2026-11-20T10:00:00+09:00")),
        duration_min: Some(17),
        products: vec![ProductDiscussed {
            product_id: "P1".into(),
            priority: 1,
        }],
        materials_shown: vec![],
        reaction: Some(mrc_core::visit::Reaction::Positive),
        next_objective: Some("臨床成績の説明".into()),
        notes: NOTE.into(),
        insights: Default::default(),
    }
}

fn report(store: &Store, form: &VisitFields) -> Report {
    store.validate(None, form, None, now()).unwrap()
}

fn codes(store: &Store, form: &VisitFields) -> Vec<(Code, String)> {
    report(store, form)
        .findings
        .into_iter()
        .map(|f| (f.code, f.field))
        .collect()
}

fn has(store: &Store, form: &VisitFields, code: Code) -> bool {
    codes(store, form).iter().any(|(c, _)| *c == code)
}

/// Stores another visit of the rep (entered right after it happened).
fn stored(store: &Store, edit: impl FnOnce(&mut VisitFields)) {
    let mut other = form();
    other.notes = String::new();
    edit(&mut other);
    let entered = other.started_at.unwrap().to_utc() + Duration::hours(1);
    store.create_visit_with(None, &other, entered).unwrap();
}

#[test]
fn a_clean_visit_has_no_findings_and_scores_69_without_a_tap() {
    let (_d, store) = store();
    let r = report(&store, &form());
    assert!(r.ok && r.findings.is_empty(), "{:?}", r.findings);
    // No evidence either way: the calibration's prior odds, 10^1.9 to one for "genuine"; a verified tap makes it 92.
    assert_eq!(r.score, 69);
}

#[test]
fn required_fields_and_a_product_for_discussing_channels() {
    let (_d, store) = store();
    let empty = VisitFields {
        channel: Some(Channel::InPerson),
        ..Default::default()
    };
    let found = codes(&store, &empty);
    for field in [
        "/rep_id",
        "/hcp_id",
        "/institution_id",
        "/started_at",
        "/duration_min",
        "/products",
    ] {
        assert!(
            found.contains(&(Code::Required, field.into())),
            "{field} in {found:?}"
        );
    }
    let email = VisitFields {
        channel: Some(Channel::Email),
        products: vec![],
        ..form()
    };
    assert!(!has(&store, &email, Code::Required), "e-mail needs no product");
    assert!(!report(&store, &empty).ok);
}

#[test]
fn unknown_references() {
    let (_d, store) = store();
    let bad = VisitFields {
        hcp_id: Some("H9".into()),
        products: vec![ProductDiscussed {
            product_id: "P9".into(),
            priority: 1,
        }],
        materials_shown: vec![MaterialShown {
            material_id: "M9".into(),
            version: 1,
        }],
        ..form()
    };
    let found = codes(&store, &bad);
    for field in [
        "/hcp_id",
        "/products/0/product_id",
        "/materials_shown/0/material_id",
    ] {
        assert!(
            found.contains(&(Code::UnknownReference, field.into())),
            "{field} in {found:?}"
        );
    }
    assert!(!has(&store, &form(), Code::UnknownReference));
}

#[test]
fn hcp_must_belong_to_the_institution() {
    let (_d, store) = store();
    assert!(has(
        &store,
        &VisitFields {
            institution_id: Some("I2".into()),
            ..form()
        },
        Code::HcpNotAtInstitution
    ));
    assert!(!has(&store, &form(), Code::HcpNotAtInstitution));
}

#[test]
fn duration_range() {
    let (_d, store) = store();
    for (minutes, expected) in [(0, true), (1, false), (240, false), (241, true)] {
        let f = VisitFields {
            duration_min: Some(minutes),
            ..form()
        };
        assert_eq!(has(&store, &f, Code::DurationRange), expected, "{minutes} min");
    }
}

#[test]
fn future_start_allows_five_minutes_of_skew() {
    let (_d, store) = store();
    let f = |t: &str| VisitFields {
        started_at: Some(at(t)),
        duration_min: Some(5),
        ..form()
    };
    assert!(has(&store, &f("2026-11-20T12:10:00+09:00"), Code::FutureStart));
    assert!(!has(&store, &f("2026-11-20T12:04:00+09:00"), Code::FutureStart));
}

#[test]
fn backdate_limit_is_seven_days_by_default_and_follows_the_settings() {
    let (_d, store) = store();
    let f = |t: &str| VisitFields {
        started_at: Some(at(t)),
        ..form()
    };
    assert!(has(&store, &f("2026-11-12T10:00:00+09:00"), Code::BackdateLimit));
    assert!(!has(&store, &f("2026-11-16T10:00:00+09:00"), Code::BackdateLimit));
    let rules = mrc_core::validate::RuleSettings {
        backdate_days: 3,
        ..Default::default()
    };
    store.set_rules(&rules).unwrap();
    assert!(has(&store, &f("2026-11-16T10:00:00+09:00"), Code::BackdateLimit));
}

#[test]
fn overlap_with_another_visit_of_the_rep_but_not_back_to_back() {
    let (_d, store) = store();
    stored(&store, |v| v.started_at = Some(at("2026-11-20T10:10:00+09:00")));
    assert!(has(&store, &form(), Code::Overlap));
    let back_to_back = VisitFields {
        started_at: Some(at("2026-11-20T09:53:00+09:00")),
        duration_min: Some(17),
        ..form()
    };
    assert!(!has(&store, &back_to_back, Code::Overlap));
}

#[test]
fn product_not_in_portfolio() {
    let (_d, store) = store();
    let f = VisitFields {
        products: vec![ProductDiscussed {
            product_id: "P3".into(),
            priority: 1,
        }],
        ..form()
    };
    assert!(has(&store, &f, Code::ProductNotInPortfolio));
    assert!(!has(&store, &form(), Code::ProductNotInPortfolio));
}

#[test]
fn material_not_approved_withdrawn_expired_or_unknown_version() {
    let (_d, store) = store();
    let shown = |id: &str, version| VisitFields {
        materials_shown: vec![MaterialShown {
            material_id: id.into(),
            version,
        }],
        ..form()
    };
    assert!(
        has(&store, &shown("M1", 1), Code::MaterialNotApproved),
        "withdrawn"
    );
    assert!(
        has(&store, &shown("M2", 1), Code::MaterialNotApproved),
        "expired on 2026-10-31"
    );
    assert!(
        has(&store, &shown("M1", 9), Code::MaterialNotApproved),
        "no such version"
    );
    assert!(!has(&store, &shown("M1", 2), Code::MaterialNotApproved));
    let f = report(&store, &shown("M1", 1))
        .findings
        .into_iter()
        .find(|f| f.code == Code::MaterialNotApproved)
        .unwrap();
    assert_eq!(f.field, "/materials_shown/0/version");
    assert!(f.message_ja.contains("使用中止"), "{}", f.message_ja);
}

#[test]
fn clock_rollback_against_the_last_server_time() {
    let (_d, store) = store();
    let set = |t: DateTime<Utc>| {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                    (SERVER_TIME_KEY, t.timestamp_millis().to_string()),
                )?;
                Ok::<_, StoreError>(())
            })
            .unwrap()
    };
    set(now() - Duration::hours(1));
    assert!(!has(&store, &form(), Code::ClockRollback));
    set(now() + Duration::hours(1));
    assert!(has(&store, &form(), Code::ClockRollback));
}

#[test]
fn a_submitted_visit_is_locked_and_changes_only_with_a_reason() {
    let (_d, store) = store();
    let id = store.create_visit_with(None, &form(), now()).unwrap();
    let submitted = store.submit_visit(id, now()).unwrap();
    assert!(submitted.ok);
    let first = store.get_visit(id).unwrap().first_submitted_at.unwrap();
    let changed = VisitFields {
        duration_min: Some(25),
        ..form()
    };
    let r = store.validate(Some(id), &changed, None, now()).unwrap();
    assert!(r.findings.iter().any(|f| f.code == Code::EditAfterSubmit));
    let r = store
        .validate(Some(id), &changed, Some("時間の入力誤り"), now())
        .unwrap();
    assert!(!r.findings.iter().any(|f| f.code == Code::EditAfterSubmit));
    assert!(matches!(
        store.update_visit(id, &changed),
        Err(VisitError::Locked(_))
    ));
    assert!(matches!(
        store.set_notes(id, "改ざん"),
        Err(VisitError::Locked(_))
    ));
    assert!(matches!(
        store.amend_visit(id, &changed, " ", now()),
        Err(VisitError::ReasonRequired)
    ));
    store
        .amend_visit(id, &changed, "時間の入力誤り", now() + Duration::hours(2))
        .unwrap();
    let visit = store.get_visit(id).unwrap();
    assert_eq!(visit.status, mrc_core::visit::VisitStatus::Amended);
    assert_eq!(visit.fields.duration_min, Some(25));
    assert_eq!(visit.amendment_count, 1);
    assert_eq!(visit.first_submitted_at, Some(first), "set once, never changed");
    store.submit_visit(id, now() + Duration::hours(3)).unwrap();
    assert_eq!(store.get_visit(id).unwrap().first_submitted_at, Some(first));
}

#[test]
fn a_visit_with_errors_cannot_be_submitted() {
    let (_d, store) = store();
    let id = store
        .create_visit_with(
            None,
            &VisitFields {
                hcp_id: None,
                ..form()
            },
            now(),
        )
        .unwrap();
    match store.submit_visit(id, now()) {
        Err(VisitError::Rejected(report)) => {
            assert!(report.findings.iter().any(|f| f.code == Code::Required))
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(
        store.get_visit(id).unwrap().status,
        mrc_core::visit::VisitStatus::Draft
    );
}

#[test]
fn duplicate_notes_survive_punctuation_edits_but_short_or_different_notes_do_not() {
    let (_d, store) = store();
    stored(&store, |v| {
        v.started_at = Some(at("2026-11-19T10:00:00+09:00"));
        v.notes = NOTE.into();
    });
    let copy = VisitFields {
        notes: NOTE.replace('。', "．").replace('、', "，"),
        ..form()
    };
    assert!(has(&store, &copy, Code::DuplicateNotes));
    let different = VisitFields {
        notes: "鈴木先生とWeb面談。カルディオンの薬価と併用薬について質問があり、後日回答することになった。"
            .into(),
        ..form()
    };
    assert!(!has(&store, &different, Code::DuplicateNotes));
    stored(&store, |v| {
        v.started_at = Some(at("2026-11-18T10:00:00+09:00"));
        v.notes = "特になし".into();
    });
    assert!(
        !has(
            &store,
            &VisitFields {
                notes: "特になし".into(),
                ..form()
            },
            Code::DuplicateNotes
        ),
        "too short to judge"
    );
}

#[test]
fn too_many_visits_in_a_day() {
    let (_d, store) = store();
    for i in 0..11 {
        stored(&store, |v| {
            v.channel = Some(Channel::Phone);
            v.started_at = Some(at("2026-11-20T08:00:00+09:00") + Duration::minutes(10 * i));
            v.duration_min = Some(5);
        });
    }
    let later = VisitFields {
        started_at: Some(at("2026-11-20T11:00:00+09:00")),
        ..form()
    };
    assert!(!has(&store, &later, Code::TooManyVisits), "12 is the maximum");
    stored(&store, |v| {
        v.channel = Some(Channel::Phone);
        v.started_at = Some(at("2026-11-20T09:55:00+09:00"));
        v.duration_min = Some(3);
    });
    assert!(has(&store, &later, Code::TooManyVisits));
}

#[test]
fn off_hours_weekends_holidays_and_evenings() {
    let (_d, store) = store();
    let f = |t: &str| VisitFields {
        started_at: Some(at(t)),
        ..form()
    };
    let check = |t: &str, now: &str| {
        store
            .validate(None, &f(t), None, at(now).to_utc())
            .unwrap()
            .findings
            .iter()
            .any(|x| x.code == Code::OffHours)
    };
    assert!(
        check("2026-11-21T10:00:00+09:00", "2026-11-21T12:00:00+09:00"),
        "Saturday"
    );
    assert!(
        check("2026-11-23T10:00:00+09:00", "2026-11-23T12:00:00+09:00"),
        "勤労感謝の日"
    );
    assert!(
        check("2026-11-19T20:30:00+09:00", "2026-11-20T12:00:00+09:00"),
        "evening"
    );
    assert!(!check("2026-11-20T10:00:00+09:00", "2026-11-20T12:00:00+09:00"));
}

#[test]
fn travel_infeasible_but_not_between_clinics_in_one_building() {
    let (_d, store) = store();
    // 09:30–09:50 in Odawara, about 50 km away, then 10:00 in Shin-Yokohama: impossible.
    stored(&store, |v| {
        v.hcp_id = Some("H2".into());
        v.institution_id = Some("I2".into());
        v.started_at = Some(at("2026-11-20T09:30:00+09:00"));
        v.duration_min = Some(20);
    });
    let r = report(&store, &form());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::TravelInfeasible)
        .expect("travel_infeasible");
    assert!(f.message_en.contains("km"), "{}", f.message_en);
    let (_d2, store) = self::store();
    // 09:40–09:55 in the clinic upstairs, then 10:00 in the hospital: the same building.
    stored(&store, |v| {
        v.hcp_id = Some("H3".into());
        v.institution_id = Some("I3".into());
        v.started_at = Some(at("2026-11-20T09:40:00+09:00"));
        v.duration_min = Some(15);
    });
    assert!(!has(&store, &form(), Code::TravelInfeasible));
}

#[test]
fn material_without_evidence_unless_tapped_and_a_verified_tap_raises_the_score() {
    let (_d, store) = store();
    let shown = VisitFields {
        materials_shown: vec![MaterialShown {
            material_id: "M1".into(),
            version: 2,
        }],
        ..form()
    };
    let r = report(&store, &shown);
    assert!(r.findings.iter().any(|f| f.code == Code::MaterialWithoutEvidence));
    assert_eq!(
        r.score, 59,
        "10 dB of evidence: ten times lower odds than a clean visit"
    );
    let phone = VisitFields {
        channel: Some(Channel::Phone),
        ..shown.clone()
    };
    assert!(
        !has(&store, &phone, Code::MaterialWithoutEvidence),
        "nothing to tap on a phone call"
    );
    let tap_at = at("2026-11-20T10:05:00+09:00").timestamp_millis();
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO events (id, kind, occurred_at, card_id, material_id, material_version, verification)
                 VALUES (?1, 'tap', ?2, 'CARD-1', 'M1', 2, 'verified')",
                (uuid::Uuid::now_v7().as_bytes().as_slice(), tap_at),
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let r = report(&store, &shown);
    assert!(!r.findings.iter().any(|f| f.code == Code::MaterialWithoutEvidence));
    assert!(r.reasons.iter().any(|x| x.code == "verified_tap" && x.points > 0));
    assert_eq!(r.score, 92, "23 dB towards genuine");
}

#[test]
fn round_duration_pattern_over_the_recent_window() {
    let (_d, store) = store();
    for day in 0..19 {
        stored(&store, |v| {
            v.started_at = Some(at("2026-10-01T10:00:00+09:00") + Duration::days(day));
            v.duration_min = Some(30);
        });
    }
    let thirty = VisitFields {
        duration_min: Some(30),
        ..form()
    };
    assert!(has(&store, &thirty, Code::RoundDurationPattern));
    assert!(!has(
        &store,
        &VisitFields {
            duration_min: Some(17),
            ..form()
        },
        Code::RoundDurationPattern
    ));
    let (_d2, store) = self::store();
    for day in 0..19 {
        stored(&store, |v| {
            v.started_at = Some(at("2026-10-01T10:00:00+09:00") + Duration::days(day));
            v.duration_min = Some(7 + (day as u32 * 7) % 23);
        });
    }
    assert!(
        !has(&store, &thirty, Code::RoundDurationPattern),
        "varied durations are genuine"
    );
}

#[test]
fn entry_time_signals_on_the_device() {
    let (_d, store) = store();
    // Three visits typed in at 23:50 seconds apart; the form is the fourth, ten seconds later.
    for (i, second) in [0, 9, 20].into_iter().enumerate() {
        let mut other = form();
        other.notes = String::new();
        other.hcp_id = Some(["H1", "H1", "H1"][i].into());
        other.started_at = Some(at("2026-11-20T09:00:00+09:00") + Duration::minutes(40 * i as i64));
        let entered = at(&format!("2026-11-20T23:50:{second:02}+09:00")).to_utc();
        store.create_visit_with(None, &other, entered).unwrap();
    }
    let late_night = at("2026-11-20T23:50:30+09:00").to_utc();
    let found: Vec<Code> = store
        .validate(None, &form(), None, late_night)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(
        found.contains(&Code::EntryBurst) && found.contains(&Code::NightEntry),
        "{found:?}"
    );
    // The same visit entered the Wednesday after next is late (and past the backdating limit).
    let later = at("2026-12-02T12:00:00+09:00").to_utc();
    let r = store.validate(None, &form(), None, later).unwrap();
    assert!(r.findings.iter().any(|f| f.code == Code::LateEntry));
    // Entered that afternoon it is none of these.
    let r = store.validate(None, &form(), None, now()).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn holiday_and_night_visits_weigh_more_than_an_evening_one() {
    let (_d, store) = store();
    let f = |t: &str| VisitFields {
        started_at: Some(at(t)),
        ..form()
    };
    let holiday = store
        .validate(
            None,
            &f("2026-11-23T10:00:00+09:00"),
            None,
            at("2026-11-23T12:00:00+09:00").to_utc(),
        )
        .unwrap();
    assert!(holiday.findings.iter().any(|x| x.code == Code::HolidayVisit) && holiday.score < 50);
    let night = store
        .validate(None, &f("2026-11-19T22:30:00+09:00"), None, now())
        .unwrap();
    assert!(night.findings.iter().any(|x| x.code == Code::NightVisit) && night.score < 50);
    let evening = store
        .validate(None, &f("2026-11-19T20:30:00+09:00"), None, now())
        .unwrap();
    assert!(
        (51..69).contains(&evening.score),
        "an evening visit is a habit, capped: not flagged alone ({})",
        evening.score
    );
}

#[test]
fn the_stored_score_and_codes_follow_the_visit() {
    let (_d, store) = store();
    let shown = VisitFields {
        materials_shown: vec![MaterialShown {
            material_id: "M1".into(),
            version: 2,
        }],
        ..form()
    };
    let id = store.create_visit_with(None, &shown, now()).unwrap();
    let visit = store.get_visit(id).unwrap();
    assert_eq!(visit.score, Some(59));
    assert_eq!(visit.finding_codes, vec!["material_without_evidence".to_owned()]);
}

#[test]
fn every_code_has_both_messages_snapshot() {
    use mrc_core::validate::{Detail, Finding};
    let details = [
        (
            Code::Required,
            Detail::Field {
                ja: "医師",
                en: "The HCP",
            },
        ),
        (
            Code::UnknownReference,
            Detail::Reference {
                ja: "医師",
                en: "HCP",
                id: "H9".into(),
            },
        ),
        (Code::HcpNotAtInstitution, Detail::None),
        (Code::DurationRange, Detail::Range { min: 1, max: 240 }),
        (Code::FutureStart, Detail::Limit(5)),
        (Code::BackdateLimit, Detail::Limit(7)),
        (Code::Overlap, Detail::None),
        (
            Code::ProductNotInPortfolio,
            Detail::Reference {
                ja: "製品",
                en: "product",
                id: "P3".into(),
            },
        ),
        (
            Code::MaterialNotApproved,
            Detail::Material {
                id: "M1".into(),
                version: 1,
                why_ja: "使用中止",
                why_en: "withdrawn",
            },
        ),
        (Code::ClockRollback, Detail::None),
        (Code::EditAfterSubmit, Detail::None),
        (
            Code::DuplicateNotes,
            Detail::Similar {
                percent: 92,
                other: "x".into(),
            },
        ),
        (Code::TooManyVisits, Detail::Count { count: 13, max: 12 }),
        (
            Code::OffHours,
            Detail::When {
                ja: "週末",
                en: "on a weekend",
            },
        ),
        (
            Code::TravelInfeasible,
            Detail::Travel {
                km: 48.3,
                need_min: 102,
                gap_min: 10,
            },
        ),
        (
            Code::MaterialWithoutEvidence,
            Detail::Material {
                id: "M1".into(),
                version: 2,
                why_ja: "",
                why_en: "",
            },
        ),
        (
            Code::RoundDurationPattern,
            Detail::Pattern {
                minutes: 30,
                percent: 85,
            },
        ),
        (
            Code::DurationRun,
            Detail::Run {
                minutes: 30,
                count: 5,
            },
        ),
        (
            Code::HolidayVisit,
            Detail::When {
                ja: "祝日",
                en: "on a public holiday",
            },
        ),
        (Code::NightVisit, Detail::Clock("23:10".into())),
        (Code::LateEntry, Detail::Late { days: 16, allowed: 2 }),
        (Code::EntryBurst, Detail::Burst { count: 7, gap_s: 12 }),
        (Code::NightEntry, Detail::Clock("01:40".into())),
        (
            Code::HcpFrequency,
            Detail::Frequency {
                count: 11,
                days: 28,
                max: 6,
            },
        ),
        (
            Code::TapShortfall,
            Detail::Shortfall {
                missed: 14,
                shown: 40,
                usual_percent: 15,
            },
        ),
        (
            Code::UnknownInsightCode,
            Detail::Reference {
                ja: "採用段階",
                en: "adoption stage",
                id: "試用中".into(),
            },
        ),
        (
            Code::InsightProductNotDiscussed,
            Detail::Reference {
                ja: "製品",
                en: "product",
                id: "P2".into(),
            },
        ),
        (Code::OffLabelAnswered, Detail::None),
    ];
    assert_eq!(details.len(), Code::ALL.len(), "a message example for every code");
    let rendered: Vec<Finding> = details
        .iter()
        .map(|(code, d)| Finding::new(*code, "/field", d))
        .collect();
    for f in &rendered {
        assert!(!f.message_ja.is_empty() && !f.message_en.is_empty());
        assert!(
            f.message_ja
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{} is Japanese",
            f.message_ja
        );
    }
    insta::assert_yaml_snapshot!("finding_messages", rendered);
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    fn arbitrary_fields() -> impl Strategy<Value = VisitFields> {
        let text = "[a-zA-Z0-9ぁ-んァ-ン一-龠😊。、 ]{0,40}";
        (
            (
                proptest::option::of(text),
                proptest::option::of(text),
                proptest::option::of("[HI][0-9]"),
            ),
            proptest::option::of(prop_oneof![
                Just(Channel::InPerson),
                Just(Channel::Phone),
                Just(Channel::Email)
            ]),
            proptest::option::of(-4_000_000_000i64..4_000_000_000i64),
            proptest::option::of(-14i32..=14),
            proptest::option::of(any::<u32>()),
            prop::collection::vec(("[A-Z][0-9]", any::<u32>()), 0..4),
            prop::collection::vec(("[A-Z][0-9]", any::<u32>()), 0..4),
            text,
        )
            .prop_map(
                |((rep, hcp, inst), channel, secs, offset_h, duration, products, materials, notes)| {
                    let started_at = secs.zip(offset_h).and_then(|(s, h)| {
                        let offset = FixedOffset::east_opt(h * 3600)?;
                        DateTime::from_timestamp(s, 0).map(|t| t.with_timezone(&offset))
                    });
                    VisitFields {
                        rep_id: rep,
                        hcp_id: hcp,
                        institution_id: inst,
                        channel,
                        started_at,
                        duration_min: duration,
                        products: products
                            .into_iter()
                            .map(|(product_id, priority)| ProductDiscussed { product_id, priority })
                            .collect(),
                        materials_shown: materials
                            .into_iter()
                            .map(|(material_id, version)| MaterialShown { material_id, version })
                            .collect(),
                        reaction: None,
                        next_objective: None,
                        notes,
                        insights: Default::default(),
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn validate_never_panics(fields in arbitrary_fields(), now_secs in -4_000_000_000i64..4_000_000_000i64) {
            let (_d, store) = store();
            stored(&store, |_| {});
            let now = DateTime::from_timestamp(now_secs, 0).unwrap();
            let r = store.validate(None, &fields, None, now).unwrap();
            prop_assert!(r.score <= 100);
            prop_assert_eq!(r.ok, r.findings.iter().all(|f| f.severity == mrc_core::validate::Severity::Warning));
        }

        #[test]
        fn parsing_arbitrary_visit_json_never_panics(text in "\\PC{0,200}") {
            let _ = mrc_core::visit::parse_visit_input(&text);
        }
    }
}

/// Tells `store` it last synced at `at` (the server time a sync stores).
fn synced_at(store: &Store, at: chrono::DateTime<chrono::Utc>) {
    store
        .write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                (
                    mrc_core::validate::context::SERVER_TIME_KEY,
                    at.timestamp_millis().to_string(),
                ),
            )
            .map_err(mrc_core::StoreError::from)
        })
        .unwrap();
}

#[test]
fn the_stored_judgement_checks_the_clock_against_the_server_time_known_at_entry() {
    let (_da, tablet) = crate::fixtures::store();
    let (_db, new_tablet) = crate::fixtures::store();
    let later = crate::fixtures::now() + chrono::Duration::hours(2);
    let id = tablet.create_visit(&crate::fixtures::form()).unwrap();
    // A new device that synced two hours after the visit was entered pulls it: nobody's clock was rolled back.
    synced_at(&new_tablet, later);
    new_tablet.merge_visit(&tablet.export_visit(id).unwrap()).unwrap();
    let pulled = new_tablet.get_visit(id).unwrap();
    assert!(
        !pulled.finding_codes.contains(&"clock_rollback".to_owned()),
        "{:?}",
        pulled.finding_codes
    );
    // The tablet syncs later, then edits its draft: still judged against what it knew at entry.
    synced_at(&tablet, later);
    let mut edited = crate::fixtures::form();
    edited.duration_min = Some(20);
    tablet.update_visit(id, &edited).unwrap();
    let own = tablet.get_visit(id).unwrap();
    assert!(
        !own.finding_codes.contains(&"clock_rollback".to_owned()),
        "{:?}",
        own.finding_codes
    );
    // A visit entered now, with the clock two hours behind the server time known, is still flagged.
    let mut another = crate::fixtures::form();
    another.started_at = Some(chrono::DateTime::parse_from_rfc3339("2026-11-20T08:30:00+09:00").unwrap());
    another.notes = "先生は用量の資料を希望された。".into();
    let rolled_back = tablet.create_visit(&another).unwrap();
    let flagged = tablet.get_visit(rolled_back).unwrap();
    assert!(
        flagged.finding_codes.contains(&"clock_rollback".to_owned()),
        "{:?}",
        flagged.finding_codes
    );
}

#[test]
fn the_visit_being_entered_is_the_later_one_whatever_the_stored_entry_stamps_say() {
    let (_d, store) = store();
    // Stored with an entry stamp after the `now` of the check (entered the next morning, or on a clock ahead).
    let mut earlier = form();
    earlier.notes = String::new();
    earlier.started_at = Some(at("2026-11-20T09:00:00+09:00"));
    earlier.duration_min = Some(20);
    store
        .create_visit_with(None, &earlier, at("2026-11-21T09:00:00+09:00").to_utc())
        .unwrap();
    // Being entered now: Odawara at 09:40, twenty minutes after leaving Shin-Yokohama, about 50 km away.
    let mut slipped_in = form();
    slipped_in.hcp_id = Some("H2".into());
    slipped_in.institution_id = Some("I2".into());
    slipped_in.started_at = Some(at("2026-11-20T09:40:00+09:00"));
    assert!(has(&store, &slipped_in, Code::TravelInfeasible));
}

#[test]
fn times_at_the_edge_of_the_calendar_are_judged_without_a_panic() {
    let (_d, store) = store();
    for edge in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let mut f = form();
        f.started_at = Some(edge.fixed_offset());
        store.validate(None, &f, None, edge).unwrap();
        store.validate(None, &form(), None, edge).unwrap();
        // A document arriving with such an entry time is stored and judged (the sync path), not a panic.
        store.create_visit_with(None, &form(), edge).unwrap();
    }
}
