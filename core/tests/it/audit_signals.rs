//! Every audit signal, positive and negative, with the genuine habits that look like fabrication.

use serde_json::json;

use crate::audit_support::{at, flagged, has, run, verdict, visit, NOTE};

#[test]
fn a_copied_note_marks_the_copy_but_not_the_original_nor_a_follow_up() {
    let original = visit(1, "R1", "H1", "I1", &at(16, 30), 20).notes(NOTE);
    let copy =
        visit(2, "R1", "H4", "I4", &at(17, 30), 20).notes(&NOTE.replace('。', "．").replace('、', "，"));
    let follow_up = visit(3, "R1", "H1", "I1", &at(18, 30), 20).notes(&format!(
        "{NOTE}今回は腎機能別の用量早見表をお渡しし、来月の院内勉強会の日程を相談した。"
    ));
    let r = run(&[original.clone(), copy.clone(), follow_up.clone()]);
    // Stock phrases are a genuine habit too: a copy alone is marked (a habit at its cap), a second sign flags it.
    let (score, codes) = verdict(&r, &copy.id);
    assert_eq!(codes, vec!["duplicate_notes"]);
    assert!((51..69).contains(&score), "marked, not flagged: {score}");
    assert!(
        !has(&r, &original, "duplicate_notes") && !flagged(&r, &original),
        "the original is not the copy"
    );
    assert!(
        !has(&r, &follow_up, "duplicate_notes"),
        "{:?}",
        verdict(&r, &follow_up.id)
    );
}

#[test]
fn a_late_night_burst_flags_every_member_but_an_evening_paste_session_does_not() {
    let mut fake = Vec::new();
    let mut pasted = Vec::new();
    for (k, second) in [0, 12, 25, 31, 44].into_iter().enumerate() {
        let k = k as u32;
        let (hcp, inst) = if k % 2 == 0 { ("H1", "I1") } else { ("H4", "I4") };
        fake.push(
            visit(10 + k, "R1", hcp, inst, &at(18, 40 + 80 * k), 17 + k)
                .entered(&format!("2026-11-18T23:40:{second:02}+09:00")),
        );
        let minutes = 5 + 2 * k;
        pasted.push(
            visit(20 + k, "R2", hcp, inst, &at(18, 40 + 80 * k), 17 + k)
                .entered(&format!("2026-11-18T19:{minutes:02}:{:02}+09:00", (k * 17) % 60)),
        );
    }
    let r = run(&[fake.clone(), pasted.clone()].concat());
    for v in &fake {
        assert!(
            has(&r, v, "entry_burst") && flagged(&r, v),
            "{:?}",
            verdict(&r, &v.id)
        );
    }
    assert!(
        has(&r, &fake[0], "night_entry"),
        "the first member counts once the burst is known"
    );
    for v in &pasted {
        assert_eq!(verdict(&r, &v.id), (69, vec![]), "a memo-app session is genuine");
    }
}

#[test]
fn weeks_late_is_flagged_but_a_friday_visit_entered_monday_is_not() {
    let late = visit(1, "R1", "H1", "I1", &at(2, 60), 20).entered("2026-11-20T20:00:00+09:00");
    let weekend = visit(2, "R1", "H4", "I4", &at(13, 60), 20).entered("2026-11-16T21:00:00+09:00");
    let r = run(&[late.clone(), weekend.clone()]);
    assert!(has(&r, &late, "late_entry") && has(&r, &late, "backdate_limit") && flagged(&r, &late));
    assert_eq!(verdict(&r, &weekend.id), (69, vec![]));
}

#[test]
fn an_impossible_trip_blames_the_visit_slipped_in_not_its_neighbours() {
    let before = visit(1, "R1", "H1", "I1", &at(17, 30), 20).entered("2026-11-17T10:20:00+09:00");
    // Odawara, 50 km away, between two visits in Shin-Yokohama; entered before the visit after it.
    let odawara = visit(2, "R1", "H2", "I2", &at(17, 60), 15).entered("2026-11-17T10:30:00+09:00");
    let after = visit(3, "R1", "H5", "I1", &at(17, 85), 20).entered("2026-11-17T11:15:00+09:00");
    // Two clinics in the building, minutes apart (one geocoded 700 m off, same address but the floor).
    let hospital = visit(4, "R1", "H6", "I1", &at(17, 300), 20);
    let upstairs = visit(5, "R1", "H3", "I3", &at(17, 323), 15);
    let third_floor = visit(6, "R1", "H7", "I5", &at(17, 341), 15);
    let r = run(&[
        before.clone(),
        odawara.clone(),
        after.clone(),
        hospital,
        upstairs.clone(),
        third_floor.clone(),
    ]);
    assert!(has(&r, &odawara, "travel_infeasible") && flagged(&r, &odawara));
    for v in [&before, &after, &upstairs, &third_floor] {
        assert!(
            !has(&r, v, "travel_infeasible"),
            "{} {:?}",
            v.id,
            verdict(&r, &v.id)
        );
    }
}

#[test]
fn an_isolated_impossible_pair_blames_the_visit_entered_later() {
    let first = visit(1, "R1", "H1", "I1", &at(19, 30), 20);
    let second = visit(2, "R1", "H2", "I2", &at(19, 60), 20);
    let r = run(&[first.clone(), second.clone()]);
    assert!(!has(&r, &first, "travel_infeasible"));
    assert!(has(&r, &second, "travel_infeasible"));
}

/// A day of visits in the Shin-Yokohama building, `minutes` long each, 5 minutes apart.
fn day(rep: &str, first: u32, date: u32, minutes: &[u32]) -> Vec<crate::audit_support::V> {
    let doctors = [
        ("H1", "I1"),
        ("H5", "I1"),
        ("H3", "I3"),
        ("H6", "I1"),
        ("H7", "I5"),
    ];
    let mut clock = 30;
    (minutes.iter().enumerate())
        .map(|(k, m)| {
            let (hcp, inst) = doctors[k % doctors.len()];
            let v = visit(first + k as u32, rep, hcp, inst, &at(date, clock), *m);
            clock += m + 5;
            v
        })
        .collect()
}

#[test]
fn a_run_of_equal_round_durations_is_marked_unless_the_rep_always_rounds() {
    let mut lines = Vec::new();
    lines.extend(day("R1", 100, 10, &[17, 23, 8, 26]));
    lines.extend(day("R1", 110, 11, &[12, 19, 33, 9]));
    lines.extend(day("R1", 120, 12, &[21, 14, 27, 11]));
    let typed = day("R1", 130, 16, &[30, 30, 30, 30, 30]);
    lines.extend(typed.clone());
    lines.extend(day("R2", 200, 10, &[15, 15, 20, 15]));
    lines.extend(day("R2", 210, 11, &[15, 10, 15, 15]));
    lines.extend(day("R2", 220, 12, &[15, 15, 15, 20]));
    let habit = day("R2", 230, 16, &[15, 15, 15, 15]);
    lines.extend(habit.clone());
    let r = run(&lines);
    for v in &typed {
        assert!(
            has(&r, v, "duration_run") && verdict(&r, &v.id).0 < 69,
            "{:?}",
            verdict(&r, &v.id)
        );
    }
    for v in &habit {
        assert!(!has(&r, v, "duration_run"), "{:?}", verdict(&r, &v.id));
    }
}

#[test]
fn holidays_and_night_are_flagged_an_evening_visit_is_not() {
    let holiday = visit(1, "R1", "H1", "I1", "2026-11-23T10:00:00+09:00", 20);
    let night = visit(2, "R1", "H4", "I4", "2026-11-19T23:00:00+09:00", 20);
    let evening = visit(3, "R1", "H1", "I1", "2026-11-18T19:45:00+09:00", 20);
    let r = run(&[holiday.clone(), night.clone(), evening.clone()]);
    assert!(has(&r, &holiday, "holiday_visit") && flagged(&r, &holiday));
    assert!(has(&r, &night, "night_visit") && flagged(&r, &night));
    let (score, codes) = verdict(&r, &evening.id);
    assert_eq!(codes, vec!["off_hours"]);
    assert!((51..69).contains(&score), "a habit alone is not flagged: {score}");
}

#[test]
fn a_declined_tap_is_not_punished_a_rep_without_taps_is() {
    let mut lines = Vec::new();
    let mut careful = Vec::new();
    let mut careless = Vec::new();
    for k in 0..12u32 {
        let date = 9 + k / 4;
        let (hcp, inst) = [("H1", "I1"), ("H5", "I1"), ("H6", "I1"), ("H3", "I3")][(k % 4) as usize];
        let start = at(date, 30 + 40 * (k % 4));
        let tap = (chrono::DateTime::parse_from_rfc3339(&start).unwrap() + chrono::Duration::minutes(5))
            .to_rfc3339();
        let tapped = [tap.as_str()];
        let none: [&str; 0] = [];
        let declined = k == 5;
        let v = visit(300 + k, "R1", hcp, inst, &start, 20).shown(if declined { &none } else { &tapped });
        careful.push(v.clone());
        let untapped = k % 3 != 0;
        let w = visit(400 + k, "R2", hcp, inst, &start, 20).shown(if untapped { &none } else { &tapped });
        careless.push(w.clone());
        lines.extend([v, w]);
    }
    let presence =
        visit(500, "R1", "H4", "I4", &at(20, 60), 20).set("taps", json!(["2026-11-20T10:05:00+09:00"]));
    lines.push(presence.clone());
    let r = run(&lines);
    let (score, codes) = verdict(&r, &careful[5].id);
    assert_eq!(codes, vec!["material_without_evidence"]);
    assert!(
        (51..69).contains(&score),
        "a tap fails, a doctor declines: marked, not flagged ({score})"
    );
    assert_eq!(
        verdict(&r, &careful[0].id).0,
        92,
        "a verified tap: 23 dB towards genuine"
    );
    assert!(has(&r, &careless[1], "tap_shortfall") && flagged(&r, &careless[1]));
    assert!(
        !has(&r, &careless[0], "tap_shortfall"),
        "a tapped visit is not a missing tap"
    );
    let tapped = r.visits.iter().find(|v| v.id == presence.id).unwrap();
    assert!(
        tapped.reasons.iter().any(|x| x.code == "verified_tap"),
        "a tap naming no material still counts"
    );
}

#[test]
fn one_doctor_far_too_often_is_marked_a_weekly_key_doctor_is_not() {
    let often: Vec<_> = [2u32, 4, 5, 6, 9, 10, 12, 13, 16]
        .iter()
        .enumerate()
        .map(|(k, d)| visit(600 + k as u32, "R1", "H1", "I1", &at(*d, 60), 20))
        .collect();
    let weekly: Vec<_> = [2u32, 9, 16, 20]
        .iter()
        .enumerate()
        .map(|(k, d)| visit(700 + k as u32, "R2", "H5", "I1", &at(*d, 120), 20))
        .collect();
    let r = run(&[often.clone(), weekly.clone()].concat());
    for v in &often {
        assert!(
            has(&r, v, "hcp_frequency") && verdict(&r, &v.id).0 < 69,
            "{:?}",
            verdict(&r, &v.id)
        );
    }
    for v in &weekly {
        assert_eq!(verdict(&r, &v.id), (69, vec![]));
    }
}

#[test]
fn a_small_territory_seen_often_is_the_reps_cadence_one_doctor_far_beyond_it_is_not() {
    // R2 covers five doctors: four seen seven times in the month (their cadence), one twelve times.
    let days = [2u32, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20];
    let mut doctors: Vec<(&str, &str)> = Vec::new();
    for round in 0..12 {
        if round < 7 {
            doctors.extend([("H1", "I1"), ("H3", "I3"), ("H4", "I4"), ("H5", "I1")]);
        }
        doctors.push(("H6", "I1"));
    }
    let lines: Vec<_> = doctors
        .iter()
        .enumerate()
        .map(|(k, (hcp, inst))| {
            let (day, slot) = (days[k / 3], (k % 3) as u32);
            visit(800 + k as u32, "R2", hcp, inst, &at(day, slot * 150), 20)
        })
        .collect();
    let r = run(&lines);
    for (v, (hcp, _)) in lines.iter().zip(&doctors) {
        let often = has(&r, v, "hcp_frequency");
        assert_eq!(often, *hcp == "H6", "{hcp}: {:?}", verdict(&r, &v.id));
    }
}
