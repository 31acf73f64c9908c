//! Contract cases of the stored verdicts: kept incrementally as visits, amendments, taps and rule settings
//! arrive, they equal a full replay of every stored visit through the audit.

use std::{collections::BTreeMap, sync::Arc};

use chrono::Duration;
use mrc_audit::{self as audit, AuditVisit};
use mrc_core::{
    sync::wire::{DocPush, WireEvent},
    visit::{Amendment, VisitDoc},
};
use mrc_sample::fabricate::{generate_labeled, FabricateConfig};
use mrc_server::{
    admin,
    store::{transact, Access, VerdictFilter},
    verdicts,
    web::dashboard::{report, window::Window},
    Principal, ServerStore,
};

use crate::support::*;

/// Every stored verdict: visit id → (score, codes, status).
fn stored(store: &dyn ServerStore) -> BTreeMap<String, (u8, Vec<String>, String)> {
    let all = transact(store, Access::Read, |tx| {
        Ok(tx.verdicts(&VerdictFilter::default(), 0, u64::MAX >> 2)?)
    })
    .unwrap();
    (all.into_iter())
        .map(|v| {
            let id = mrc_core::VisitId::from_slice(&v.doc_id).unwrap().to_string();
            (id, (v.score, v.codes, v.status))
        })
        .collect()
}

/// The verdicts of a full replay of every stored visit (what the head-office report computed on each request).
fn replayed(store: &dyn ServerStore) -> BTreeMap<String, (u8, Vec<String>, String)> {
    (verdicts::replay_all(store).unwrap().into_iter())
        .map(|v| {
            let id = mrc_core::VisitId::from_slice(&v.doc_id).unwrap().to_string();
            (id, (v.score, v.codes, v.status))
        })
        .collect()
}

fn push_all(
    store: &dyn ServerStore,
    rep: &str,
    devices: &mut [(&AuditVisit, VisitDoc)],
    events: Vec<WireEvent>,
) {
    let pushes: Vec<DocPush> = (devices.iter_mut())
        .map(|(v, doc)| DocPush {
            id: *v.id.as_bytes(),
            have: Vec::new(),
            heads: wire(&doc.head_hashes()),
            changes: doc.save(),
            sync: None,
        })
        .collect();
    let response =
        mrc_server::exchange::sync(store, &Principal::rep(rep), &request(pushes, events, 0), 1).unwrap();
    assert!(response
        .docs
        .iter()
        .all(|d| d.status == mrc_core::sync::wire::DocStatus::Merged));
}

/// Each visit as a document on its rep's device, by rep.
fn devices_by_rep(visits: &[AuditVisit]) -> BTreeMap<String, Vec<(&AuditVisit, VisitDoc)>> {
    let mut by_rep: BTreeMap<String, Vec<(&AuditVisit, VisitDoc)>> = BTreeMap::new();
    for v in visits {
        let doc = VisitDoc::create(actor(), v.id, &v.fields, audit::entry_time(v)).unwrap();
        by_rep
            .entry(v.fields.rep_id.clone().unwrap())
            .or_default()
            .push((v, doc));
    }
    by_rep
}

fn taps_of(v: &AuditVisit) -> Vec<WireEvent> {
    (v.taps.iter().enumerate())
        .map(|(i, tap)| WireEvent {
            id: {
                let mut id = *v.id.as_bytes();
                id[15] ^= i as u8 + 1;
                id
            },
            kind: "nfc_tap".into(),
            occurred_at_ms: tap.at.timestamp_millis(),
            card_id: Some("C-1".into()),
            material_id: tap.material.as_ref().map(|(m, _)| m.clone()),
            material_version: tap.material.as_ref().and_then(|(_, v)| *v),
            verification: "verified".into(),
            visit_id: Some(v.id.as_bytes().to_vec()),
        })
        .collect()
}

fn assert_same(store: &dyn ServerStore, when: &str) {
    let clock = server_clock();
    verdicts::catch_up(store, &clock).unwrap();
    let (kept, full) = (stored(store), replayed(store));
    assert_eq!(kept.len(), full.len(), "{when}: one verdict per stored visit");
    for (id, verdict) in &full {
        assert_eq!(kept.get(id), Some(verdict), "{when}: visit {id}");
    }
}

pub fn stored_verdicts_equal_a_full_replay(store: &dyn ServerStore) {
    let month = generate_labeled(&FabricateConfig {
        reps: 4,
        days: 12,
        ..FabricateConfig::default()
    });
    admin::import_master(store, &serde_json::to_string(&month.master).unwrap()).unwrap();
    let (mut visits, _) = audit::parse_lines(month.lines().as_bytes());
    // One rep never taps: the verdict that spans reps (tap_shortfall) is in play.
    let quiet = visits[0].fields.rep_id.clone();
    for v in visits.iter_mut().filter(|v| v.fields.rep_id == quiet) {
        v.taps.clear();
    }
    let mut by_rep = devices_by_rep(&visits);
    // Every other visit first; taps with them.
    for (rep, devices) in &mut by_rep {
        let mut first: Vec<(&AuditVisit, VisitDoc)> = Vec::new();
        let mut rest = Vec::new();
        for (i, d) in std::mem::take(devices).into_iter().enumerate() {
            if i % 2 == 0 {
                first.push(d)
            } else {
                rest.push(d)
            }
        }
        let events = first.iter().flat_map(|(v, _)| taps_of(v)).collect();
        push_all(store, rep, &mut first, events);
        *devices = first.into_iter().chain(rest).collect();
    }
    assert_same(store, "half the visits");
    let flagged = stored(store).values().filter(|v| v.0 < 50).count();
    assert!(flagged > 0, "the month has flagged visits");

    // The rest arrive late (their neighbours' hindsight changes), with their taps.
    for (rep, devices) in &mut by_rep {
        let half = devices.len().div_ceil(2);
        let events = devices[half..].iter().flat_map(|(v, _)| taps_of(v)).collect();
        push_all(store, rep, &mut devices[half..], events);
    }
    assert_same(store, "every visit");
    let kept = stored(store);
    assert!(
        kept.values().any(|v| v.1.iter().any(|c| c == "tap_shortfall")),
        "a rep falls short of the team's taps"
    );

    // Amendments: a later start and a shorter duration, submitted and amended with a reason.
    for (rep, devices) in &mut by_rep {
        let mut amended = Vec::new();
        for (v, doc) in devices.iter_mut().step_by(5) {
            let mut fields = doc.state().unwrap().fields;
            fields.started_at = fields.started_at.map(|t| t + Duration::minutes(40));
            fields.duration_min = Some(7);
            doc.submit(now()).unwrap();
            doc.apply_fields(&fields).unwrap();
            doc.add_amendment(&Amendment {
                at: now(),
                by: rep.clone(),
                reason: "開始時刻の訂正".into(),
            })
            .unwrap();
            doc.commit(now());
            amended.push((*v, VisitDoc::load(&doc.save(), actor()).unwrap()));
        }
        push_all(store, rep, &mut amended, Vec::new());
    }
    assert_same(store, "after amendments");
    assert!(stored(store).values().any(|v| v.2 == "amended"));

    // New rule settings: every rep is judged again.
    let rules = mrc_core::validate::RuleSettings {
        hcp_frequency_max: 2,
        ..Default::default()
    };
    admin::import_rules(store, &serde_json::to_string(&rules).unwrap()).unwrap();
    assert_same(store, "new rule settings");
    the_report_counts_what_is_stored(store, &visits);
}

/// The head-office report's aggregates (counted in SQL) agree with the stored verdicts listed one by one, and
/// the export's pages list each visit once.
fn the_report_counts_what_is_stored(store: &dyn ServerStore, visits: &[AuditVisit]) {
    let zone = chrono_tz::Asia::Tokyo;
    let days: Vec<_> = (visits.iter())
        .filter_map(|v| v.fields.started_at)
        .map(|t| mrc_core::local_time::local_day(&t, zone))
        .collect();
    let window = Window {
        from: *days.iter().min().unwrap(),
        to: *days.iter().max().unwrap(),
    };
    let all = transact(store, Access::Read, |tx| {
        Ok(tx.verdicts(&VerdictFilter::default(), 0, 1 << 40)?)
    })
    .unwrap();
    let report = report::compute(store, window, zone, now()).unwrap();
    let team = &report.summary.team;
    assert_eq!(team.visits, all.len());
    assert_eq!(team.flagged, all.iter().filter(|v| v.score < 50).count());
    assert_eq!(report.summary.reps.len(), 4);
    for code in &team.top_codes {
        let carrying = all.iter().filter(|v| v.codes.contains(&code.code)).count();
        assert_eq!(code.visits, carrying, "{}", code.code);
    }
    let look_at = all
        .iter()
        .filter(|v| v.score < 50 || v.needs_review || v.amendments > 0)
        .count();
    assert_eq!(report.to_look_at_total as usize, look_at);
    assert!(report.to_look_at.windows(2).all(|w| w[0].score <= w[1].score));
    assert_eq!(
        report.amended as usize,
        all.iter().filter(|v| v.amendments > 0).count()
    );
    let taps: usize = visits.iter().map(|v| v.taps.len()).sum();
    assert_eq!(report.taps_total as usize, taps);
    assert_eq!(report.taps_verified as usize, taps);
    assert_eq!(
        report.weeks.iter().map(|w| w.verified).sum::<u64>() as usize,
        taps
    );
    // The export's pages, 7 at a time.
    let (from_ms, until_ms) = window.bounds_ms(zone);
    let mut after = None;
    let mut listed = std::collections::BTreeSet::new();
    loop {
        let page = transact(store, Access::Read, |tx| {
            Ok(tx.verdicts_after(from_ms, until_ms, after, 7)?)
        })
        .unwrap();
        let Some(last) = page.last() else { break };
        after = Some((last.started_at_ms.unwrap(), last.doc_id));
        for v in page {
            assert!(listed.insert(v.doc_id), "listed once");
        }
    }
    assert_eq!(listed.len(), all.len());
    // A window that covers none of the visits counts none.
    let before = Window {
        from: window.from - Duration::days(30),
        to: window.from - Duration::days(1),
    };
    let empty = report::compute(store, before, zone, now()).unwrap();
    assert_eq!(
        (
            empty.summary.team.visits,
            empty.taps_total,
            empty.to_look_at_total
        ),
        (0, 0, 0)
    );
}

/// Two server processes over one database: their workers share the queue (leases), and together they leave the
/// same verdicts as a full replay.
pub fn two_servers_share_the_verdict_queue(first: Arc<dyn ServerStore>, second: Arc<dyn ServerStore>) {
    let month = generate_labeled(&FabricateConfig {
        reps: 6,
        days: 6,
        seed: 7,
        ..FabricateConfig::default()
    });
    admin::import_master(&*first, &serde_json::to_string(&month.master).unwrap()).unwrap();
    let (visits, _) = audit::parse_lines(month.lines().as_bytes());
    let mut by_rep = devices_by_rep(&visits);
    for (rep, devices) in &mut by_rep {
        let events = devices.iter().flat_map(|(v, _)| taps_of(v)).collect();
        push_all(&*first, rep, devices, events);
    }
    let audited: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = [first.clone(), second]
            .into_iter()
            .map(|store| scope.spawn(move || verdicts::catch_up(&*store, &server_clock()).unwrap()))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert!(audited.iter().sum::<usize>() >= by_rep.len(), "{audited:?}");
    let queue = transact(&*first, Access::Read, |tx| Ok(tx.queue_state()?)).unwrap();
    assert_eq!(queue.0, 0, "nothing left queued");
    let (kept, full) = (stored(&*first), replayed(&*first));
    assert_eq!(kept, full);
}
