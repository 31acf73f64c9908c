//! `mrc admin demo-data --data DIR`: fills a server's data folder with a month of a 3-rep team (some visits
//! fabricated, by the labeled generator), their taps, material files, a card registry with signed and SUN cards,
//! and a head-office token; prints the card paths and the token as JSON. For trying the landing page and the
//! head-office view, and for the browser tests.

mod pdf;

use std::{path::PathBuf, sync::Arc};

use chrono::{Duration, Utc};
use clap::Args;
use mrc_core::clock::SharedClock;
use mrc_core::{
    master::{CardKey, Material, MaterialStatus},
    nfc::{
        card::{generate_signing_key, signed_card_url, Claim},
        keys::{CardKind, CardRecord},
        text_codec::hex,
    },
    sync::wire::WireEvent,
    Store, VisitId,
};
use mrc_sample::{
    fabricate::{generate_labeled, FabricateConfig},
    SimulatedCard,
};
use mrc_server::{
    admin,
    content::add_material_content,
    exchange::Direct,
    store::{transact, Access},
    web::{TapDesk, JST},
    Principal, ServerStore,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::CliError;

#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// The server's data folder (SQLite store DIR/server.db, card registry DIR/cards.db), created if missing.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

const HOST: &str = "tap.example.jp";
const SIGNING_KEY_ID: u8 = 1;
const SUN_KEY_ID: u8 = 2;

fn failed(what: &str, err: impl std::fmt::Display) -> CliError {
    CliError::Failed(format!("demo data: {what}: {err}"))
}

/// A material file named after its material, with its hash and size put into the master record.
fn attach_file(material: &mut Material) -> Vec<u8> {
    let bytes = pdf::one_page(&[
        "MR Companion demo material",
        &format!("{} version {}", material.id, material.version),
        &format!("approval {}", material.approval_code),
    ]);
    material.sha256 = hex(&Sha256::digest(&bytes));
    material.size = bytes.len() as u64;
    bytes
}

fn path_of(url: &str) -> String {
    url.strip_prefix(&format!("https://{HOST}"))
        .unwrap_or(url)
        .to_owned()
}

pub fn run(args: &DemoDataArgs, clock: &SharedClock) -> Result<(), CliError> {
    let today = clock.now().with_timezone(&JST).date_naive();
    let month = generate_labeled(&FabricateConfig {
        end: today - Duration::days(1),
        seed: args.seed,
        ..FabricateConfig::default()
    });
    let mut master = month.master.clone();
    let template = master
        .materials
        .iter()
        .find(|m| m.status == MaterialStatus::Approved && m.valid_from <= today && today <= m.valid_until)
        .cloned()
        .ok_or_else(|| failed("the generated catalog", "has no current material"))?;
    master.materials.push(Material {
        id: "MAT-DEMO-EXPIRED".into(),
        version: 1,
        title: "旧製品情報概要（有効期限切れ）".into(),
        valid_from: today - Duration::days(400),
        valid_until: today - Duration::days(30),
        ..template.clone()
    });
    master.materials.push(Material {
        id: "MAT-DEMO-WITHDRAWN".into(),
        version: 1,
        title: "取り下げ済みリーフレット".into(),
        status: MaterialStatus::Withdrawn,
        ..template.clone()
    });
    let files: Vec<(String, u32, Vec<u8>)> = master
        .materials
        .iter_mut()
        .map(|m| (m.id.clone(), m.version, attach_file(m)))
        .collect();
    let signing = generate_signing_key().map_err(|e| failed("signing key", e))?;
    master.card_keys.push(CardKey {
        key_id: SIGNING_KEY_ID,
        public_key: hex(signing.verifying_key().as_bytes()),
    });

    let store = mrc_server::open(&mrc_server::StoreConfig::Sqlite(args.data.clone()))
        .map_err(|e| failed("server store", e))?;
    let json = serde_json::to_string(&master).map_err(|e| failed("master data", e))?;
    admin::import_master(&*store, &json).map_err(|e| failed("master data", e))?;
    for (id, version, bytes) in files {
        add_material_content(&*store, &id, version, bytes, clock.now_ms())
            .map_err(|e| failed("material file", e))?;
    }
    push_visits(&store, &master, &month.visits, args, clock)?;
    // The head-office view reads kept verdicts: they are computed now, not on the server's first request.
    mrc_server::verdicts::catch_up(&*store, clock).map_err(|e| failed("audit verdicts", e))?;

    let desk = TapDesk::open(&args.data.join("cards.db")).map_err(|e| failed("card registry", e))?;
    desk.refresh(&*store).map_err(|e| failed("card registry", e))?;
    let sun = SimulatedCard {
        meta_read: [0x11; 16],
        file_read_master: [0x22; 16],
        uid: [0x04, 0xde, 0x5a, 0x12, 0x34, 0x56, 0x80],
    };
    desk.store()
        .put_sun_key(SUN_KEY_ID, &sun.meta_read, &sun.file_read_master)
        .map_err(|e| failed("SUN key", e))?;
    desk.store()
        .register_card(&CardRecord {
            card_id: "SUN-0001".into(),
            kind: CardKind::Sun,
            material_id: template.id.clone(),
            material_version: template.version,
            key_id: SUN_KEY_ID,
            issued_on: today - Duration::days(10),
            expires_on: today + Duration::days(365),
            uid: Some(hex(&sun.uid)),
        })
        .map_err(|e| failed("SUN card", e))?;

    let card = |card_id: u32, material: &str, version: u32| -> Result<String, CliError> {
        let claim = Claim {
            key_id: SIGNING_KEY_ID,
            card_id,
            material_id: material.to_owned(),
            material_version: u16::try_from(version).unwrap_or(u16::MAX),
            issued_on: today - Duration::days(10),
            expires_on: today + Duration::days(365),
        };
        signed_card_url(HOST, &claim, &signing)
            .map(|u| path_of(&u))
            .map_err(|e| failed("card", e))
    };
    let valid = card(1001, &template.id, template.version)?;
    let forged = {
        let mut chars: Vec<char> = valid.chars().collect();
        if let Some(last) = chars.last_mut() {
            *last = if *last == 'A' { 'B' } else { 'A' };
        }
        chars.into_iter().collect::<String>()
    };
    let other_key = generate_signing_key().map_err(|e| failed("signing key", e))?;
    let unknown = signed_card_url(
        HOST,
        &Claim {
            key_id: 9,
            card_id: 9999,
            material_id: template.id.clone(),
            material_version: u16::try_from(template.version).unwrap_or(u16::MAX),
            issued_on: today - Duration::days(10),
            expires_on: today + Duration::days(365),
        },
        &other_key,
    )
    .map(|u| path_of(&u))
    .map_err(|e| failed("card", e))?;
    let sun_urls: Vec<String> = (1..=3)
        .map(|counter| path_of(&sun.tap_url(HOST, "SUN-0001", counter, None, 0)))
        .collect();
    let actor = admin::Actor::new("mrc admin demo-data", clock.now_ms());
    let token = admin::mint_token(&*store, &Principal::head_office(), &actor, None)
        .map_err(|e| failed("head-office token", e))?;
    let out = json!({
        "head_office_token": token,
        "material": {"id": template.id, "version": template.version, "title": template.title},
        "cards": {
            "valid": valid,
            "expired": card(1002, "MAT-DEMO-EXPIRED", 1)?,
            "withdrawn": card(1003, "MAT-DEMO-WITHDRAWN", 1)?,
            "forged": forged,
            "unknown": unknown,
            "sun": sun_urls,
        },
        "visits": month.visits.len(),
        // The days the data covers in the market's zone (a day of margin each side), as the view's window.
        "window": {
            "from": (month.visits.iter())
                .filter_map(|v| v.visit.fields.started_at)
                .map(|t| t.with_timezone(&JST).date_naive())
                .min()
                .unwrap_or(today) - Duration::days(1),
            "to": today + Duration::days(1),
        },
    });
    println!("{out}");
    Ok(())
}

/// Each rep's visits are entered on a device store and synced to the server; their taps are stored as the
/// device would have sent them.
fn push_visits(
    store: &Arc<dyn ServerStore>,
    master: &mrc_core::master::MasterData,
    visits: &[mrc_sample::fabricate::LabeledVisit],
    args: &DemoDataArgs,
    clock: &SharedClock,
) -> Result<(), CliError> {
    let folder = tempfile::tempdir().map_err(|e| failed("temporary folder", e))?;
    for rep in &master.reps {
        let device = Store::open_with_clock(folder.path().join(format!("{}.db", rep.id)), clock.clone())
            .map_err(|e| failed("device", e))?;
        device
            .import_master(master)
            .map_err(|e| failed("device master data", e))?;
        // With the insights an MR accepting the core's proposals records, the stage climbing with the visits.
        let catalog = mrc_core::master::InsightCatalog::of_master(master);
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mine: Vec<(VisitId, mrc_core::visit::VisitFields, chrono::DateTime<Utc>)> = visits
            .iter()
            .filter(|v| v.visit.fields.rep_id.as_deref() == Some(rep.id.as_str()))
            .map(|v| {
                let entered = v.visit.entered_at.unwrap_or_else(|| clock.now());
                let nth = seen
                    .entry(v.visit.fields.hcp_id.clone().unwrap_or_default())
                    .or_default();
                let mut fields = v.visit.fields.clone();
                fields.insights = mrc_sample::accepted_insights(&fields, *nth, &catalog);
                *nth += 1;
                (v.visit.id, fields, entered)
            })
            .collect();
        device
            .create_visits_replayed(&mine, |_, _| Ok(()))
            .map_err(|e| failed("device visits", e))?;
        // Visits are submitted when entered; one in 25 is later amended with a reason.
        for (n, (id, fields, entered)) in mine.iter().enumerate() {
            if device.submit_visit(*id, *entered).is_ok() && n % 25 == 24 {
                let mut changed = fields.clone();
                changed.notes.push_str("（訂正：次回の説明内容を追記）");
                let later = *entered + Duration::days(2);
                // An amendment the validator refuses is simply not made, as on a device.
                if let Err(mrc_core::visit::VisitError::Rejected(_)) =
                    device.amend_visit(*id, &changed, "次回の説明内容を追記", later)
                {
                    continue;
                }
            }
        }
        let link = Direct {
            store: &**store,
            principal: Principal::rep(rep.id.clone()),
            clock: clock.clone(),
        };
        device.sync(&link, &mut |_| {}).map_err(|e| failed("sync", e))?;
    }
    let events: Vec<(String, WireEvent)> = visits
        .iter()
        .flat_map(|v| {
            let rep = v.visit.fields.rep_id.clone().unwrap_or_default();
            v.visit.taps.iter().enumerate().map(move |(i, tap)| {
                let seed = format!("{}:{i}:{}", v.visit.id, args.seed);
                let digest = Sha256::digest(seed.as_bytes());
                let mut id = [0u8; 16];
                id.copy_from_slice(&digest[..16]);
                // A tap opens one of the materials the visit shows (the generator leaves it open).
                let shown = &v.visit.fields.materials_shown;
                let (material_id, material_version) = match (&tap.material, shown.get(i % shown.len().max(1)))
                {
                    (Some((m, v)), _) => (Some(m.clone()), *v),
                    (None, Some(s)) => (Some(s.material_id.clone()), Some(s.version)),
                    (None, None) => (None, None),
                };
                (
                    rep.clone(),
                    WireEvent {
                        id,
                        kind: "nfc_tap".into(),
                        occurred_at_ms: tap.at.timestamp_millis(),
                        card_id: None,
                        material_id,
                        material_version,
                        verification: "verified".into(),
                        visit_id: Some(v.visit.id.as_bytes().to_vec()),
                    },
                )
            })
        })
        .collect();
    let now_ms = clock.now_ms();
    transact(&**store, Access::Write, |tx| {
        for (rep, event) in &events {
            tx.insert_event(rep, event, now_ms)?;
        }
        Ok(())
    })
    .map_err(|e| failed("taps", e))?;
    Ok(())
}
