//! One team of a generated company: a labeled month of the core's generator (its own seed), its reps, doctors
//! and institutions renamed into the company's ids, its materials mapped onto the company's catalog, and each
//! visit turned into what a server stores: a visit document and the device's tap events, plus the landing
//! page's taps and opens for some of the materials shown.

use std::collections::BTreeMap;

use chrono::Duration;
use mrc_audit::AuditVisit;
use mrc_core::{
    master::{MasterData, Material},
    sync::wire::WireEvent,
};
use mrc_sample::fabricate::LabeledMonth;

/// The company-wide id of a team's `id`.
fn renamed(team: u32, id: &str) -> String {
    format!("T{team:03}-{id}")
}

/// Adds the team's reps, doctors and institutions, renamed, to the company's master data.
pub fn add_people(company: &mut MasterData, team: u32, month: &LabeledMonth) {
    for rep in &month.master.reps {
        let mut rep = rep.clone();
        rep.id = renamed(team, &rep.id);
        company.reps.push(rep);
    }
    for institution in &month.master.institutions {
        let mut institution = institution.clone();
        institution.id = renamed(team, &institution.id);
        company.institutions.push(institution);
    }
    for hcp in &month.master.hcps {
        let mut hcp = hcp.clone();
        hcp.id = renamed(team, &hcp.id);
        hcp.institution_id = renamed(team, &hcp.institution_id);
        company.hcps.push(hcp);
    }
}

/// The visit with the company's ids, its materials mapped onto `catalog` (the same version when the company has
/// it, else the company's latest of that material), and a visit id of its own per team.
pub fn company_visit(
    team: u32,
    visit: &AuditVisit,
    catalog: &BTreeMap<String, Vec<&Material>>,
) -> AuditVisit {
    let mut v = visit.clone();
    let f = &mut v.fields;
    f.rep_id = f.rep_id.as_deref().map(|id| renamed(team, id));
    f.hcp_id = f.hcp_id.as_deref().map(|id| renamed(team, id));
    f.institution_id = f.institution_id.as_deref().map(|id| renamed(team, id));
    for shown in &mut f.materials_shown {
        if let Some(versions) = catalog.get(&shown.material_id) {
            if !versions.iter().any(|m| m.version == shown.version) {
                shown.version = versions.iter().map(|m| m.version).max().unwrap_or(shown.version);
            }
        }
    }
    let mut id = *v.id.as_bytes();
    id[..4].copy_from_slice(&team.to_be_bytes());
    if let Ok(new) = mrc_core::VisitId::from_slice(&id) {
        v.id = new;
        v.id_text = new.to_string();
    }
    v
}

/// A stable pseudo-random number in 0..100 from a visit id and a salt.
fn roll(visit: &AuditVisit, salt: u64) -> u64 {
    let mut h = salt ^ 0x9e37_79b9_7f4a_7c15;
    for b in visit.id.as_bytes() {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    h % 100
}

fn event_id(visit: &AuditVisit, n: u8) -> [u8; 16] {
    let mut id = *visit.id.as_bytes();
    id[15] ^= n.wrapping_add(1);
    id[14] ^= 0xa5;
    id
}

/// The device's taps of the visit (verified, naming the visit), as its device sends them.
pub fn device_events(visit: &AuditVisit) -> Vec<WireEvent> {
    let first_shown = visit.fields.materials_shown.first();
    (visit.taps.iter().enumerate())
        .map(|(i, tap)| WireEvent {
            id: event_id(visit, i as u8),
            kind: "nfc_tap".into(),
            occurred_at_ms: tap.at.timestamp_millis(),
            card_id: Some(format!("CARD-{}", visit.fields.rep_id.as_deref().unwrap_or(""))),
            material_id: first_shown.map(|m| m.material_id.clone()),
            material_version: first_shown.map(|m| m.version),
            verification: "verified".into(),
            visit_id: Some(visit.id.as_bytes().to_vec()),
        })
        .collect()
}

/// The landing page's events for the visit: for about one visit in three that showed a material, a doctor taps
/// the card with a phone and opens the material a minute later.
pub fn web_events(visit: &AuditVisit) -> Vec<WireEvent> {
    let (Some(start), Some(shown)) = (visit.fields.started_at, visit.fields.materials_shown.first()) else {
        return Vec::new();
    };
    if roll(visit, 1) >= 33 {
        return Vec::new();
    }
    let tap_at = start.to_utc() + Duration::minutes(5);
    let event = |n: u8, kind: &str, at: chrono::DateTime<chrono::Utc>| WireEvent {
        id: event_id(visit, 100 + n),
        kind: kind.into(),
        occurred_at_ms: at.timestamp_millis(),
        card_id: Some("WEB".into()),
        material_id: Some(shown.material_id.clone()),
        material_version: Some(shown.version),
        verification: if roll(visit, 2) < 90 {
            "verified"
        } else {
            "unknown"
        }
        .into(),
        visit_id: None,
    };
    vec![
        event(0, "web_tap", tap_at),
        event(1, "web_open", tap_at + Duration::minutes(1)),
    ]
}
