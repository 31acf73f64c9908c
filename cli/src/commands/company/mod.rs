//! `mrc admin company`: fills a server store (SQLite or PostgreSQL) with a generated company for benchmarks and
//! demos: teams of the core's labeled-month generator, renamed into one company, written straight into the
//! store as visit documents with their devices' taps and the landing page's taps and opens, then the master
//! data, then every rep audited (the kept verdicts the head-office view reads).
//!
//! - [`team`]: one team's people, visits and events in the company's ids.

mod team;

use std::{collections::BTreeMap, time::Instant};

use automerge::ActorId;
use chrono::Duration;
use clap::Args;
use mrc_audit::{self as audit, AuditVisit};
use mrc_core::{
    clock::SharedClock,
    master::{InsightCatalog, MasterData, Material},
    sync::wire::WireEvent,
    visit::{VisitDoc, VisitFields},
};
use mrc_sample::{
    accepted_insights,
    fabricate::{generate_labeled, FabricateConfig},
};
use mrc_server::{
    admin,
    store::{transact, Access, DocMeta, DocWrite},
    verdicts, ServerStore,
};
use serde_json::json;

use super::serve::StorageArgs;
use crate::error::CliError;

/// Visits written per transaction.
const BATCH: usize = 500;

#[derive(Debug, Args)]
pub struct CompanyArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// How many reps.
    #[arg(long, default_value_t = 20)]
    pub reps: u32,
    /// Calendar days of visits, ending yesterday.
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Reps per team (each team is one run of the generator with its own seed).
    #[arg(long, default_value_t = 10)]
    pub team_size: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Threads auditing the reps once everything is written (default: the machine's cores).
    #[arg(long)]
    pub workers: Option<usize>,
}

fn failed(what: &str, err: impl std::fmt::Display) -> CliError {
    CliError::Failed(format!("company: {what}: {err}"))
}

pub fn run(args: &CompanyArgs, clock: &SharedClock) -> Result<(), CliError> {
    let store = args.storage.open()?;
    let started = Instant::now();
    let today = clock.now().with_timezone(&mrc_server::web::JST).date_naive();
    let team_size = args.team_size.max(1);
    let teams = args.reps.div_ceil(team_size);
    let config = |team: u32| FabricateConfig {
        reps: team_size.min(args.reps - team * team_size),
        days: args.days,
        seed: args.seed.wrapping_mul(1_000_003).wrapping_add(u64::from(team)),
        end: today - Duration::days(1),
        ..FabricateConfig::default()
    };
    let first = generate_labeled(&config(0));
    let mut company = MasterData {
        products: first.master.products.clone(),
        materials: first.master.materials.clone(),
        card_keys: first.master.card_keys.clone(),
        ..MasterData::default()
    };
    let catalog_master = company.clone();
    let mut catalog: BTreeMap<String, Vec<&Material>> = BTreeMap::new();
    for m in &catalog_master.materials {
        catalog.entry(m.id.clone()).or_default().push(m);
    }
    let (mut visits, mut events) = (0usize, 0usize);
    let mut month = Some(first);
    for team in 0..teams {
        let generated = match month.take() {
            Some(m) => m,
            None => generate_labeled(&config(team)),
        };
        team::add_people(&mut company, team, &generated);
        let list: Vec<AuditVisit> = (generated.visits.iter())
            .map(|v| team::company_visit(team, &v.visit, &catalog))
            .collect();
        for batch in list.chunks(BATCH) {
            events += write_batch(&*store, batch, clock.now_ms())?;
        }
        visits += list.len();
    }
    let written = started.elapsed();
    let json = serde_json::to_string(&company).map_err(|e| failed("master data", e))?;
    admin::import_master(&*store, &json).map_err(|e| failed("master data", e))?;
    let audit_started = Instant::now();
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let audited = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| verdicts::catch_up(&*store, clock)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(mrc_server::ServerError::Internal("a worker stopped".into())))
            })
            .sum::<Result<usize, _>>()
    })
    .map_err(|e| failed("audit", e))?;
    println!(
        "{}",
        json!({
            "reps": company.reps.len(),
            "visits": visits,
            "events": events,
            "hcps": company.hcps.len(),
            "write_seconds": written.as_secs_f64(),
            "audit_seconds": audit_started.elapsed().as_secs_f64(),
            "reps_audited": audited,
        })
    );
    Ok(())
}

/// Writes `batch` (visits of one team) in one transaction: each visit as a new document owned by its rep, the
/// devices' taps under their reps, the landing page's events under `web`. Returns how many events were written.
fn write_batch(store: &dyn ServerStore, batch: &[AuditVisit], now_ms: i64) -> Result<usize, CliError> {
    let actor = ActorId::from(b"mrc-company".as_slice());
    let mut docs = Vec::with_capacity(batch.len());
    let mut device: BTreeMap<String, Vec<WireEvent>> = BTreeMap::new();
    let mut web = Vec::new();
    // What an MR accepting the core's proposals records, the stage climbing with the visits to each doctor.
    let catalog = InsightCatalog::builtin();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for v in batch {
        let nth = seen
            .entry(v.fields.hcp_id.clone().unwrap_or_default())
            .or_default();
        let fields = VisitFields {
            insights: accepted_insights(&v.fields, *nth, &catalog),
            ..v.fields.clone()
        };
        *nth += 1;
        let mut doc = VisitDoc::create(actor.clone(), v.id, &fields, audit::entry_time(v))
            .map_err(|e| failed("a visit document", e))?;
        let owner = v.fields.rep_id.clone().unwrap_or_default();
        device
            .entry(owner.clone())
            .or_default()
            .extend(team::device_events(v));
        web.extend(team::web_events(v));
        docs.push((*v.id.as_bytes(), owner, doc.head_hashes(), doc.save()));
    }
    let count = u32::try_from(docs.len()).map_err(|e| failed("batch", e))?;
    transact(store, Access::Write, |tx| {
        let first = tx.take_seqs(count)?;
        for (seq, (id, owner, heads, bytes)) in (first..).zip(&docs) {
            let meta = DocMeta {
                owner: owner.clone(),
                seq,
                heads: heads.clone(),
                chunk_count: 1,
            };
            tx.write_doc(id, &meta, DocWrite::Create(bytes))?;
        }
        // The history's chain covers these writes as it covers a sync's (ADR 0023).
        let written: Vec<_> = docs
            .iter()
            .map(|(id, _, heads, _)| (*id, heads.as_slice()))
            .collect();
        mrc_server::exchange::extend_history(tx, first, &written)?;
        for (rep, events) in &device {
            tx.insert_events(rep, events, now_ms)?;
        }
        tx.insert_events(mrc_server::web::landing::WEB_REP, &web, now_ms)?;
        Ok(())
    })
    .map_err(|e| failed("writing visits", e))?;
    Ok(device.values().map(Vec::len).sum::<usize>() + web.len())
}
