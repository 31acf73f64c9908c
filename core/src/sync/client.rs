//! The device side of a sync: push local changes and events, apply the replies, pull what the feed names.
//!
//! Every step commits locally as soon as its answer arrives, so an interrupted sync loses nothing and the next
//! one resumes: the cursor is stored only once every feed entry is applied, and replaying a request is harmless
//! because merging known automerge changes changes nothing.

use std::{collections::HashMap, time::Instant};

use serde::Serialize;

use super::{
    reconcile,
    state::{self, CURSOR_KEY, MASTER_VERSION_KEY, RULES_VERSION_KEY},
    transport::Transport,
    wire::{
        self, DocPush, DocStatus, FeedEntry, PullRequest, PullResponse, SyncRequest, SyncResponse, Want,
        MAX_DOCS_PER_REQUEST, PROTOCOL_VERSION,
    },
    SyncError,
};
use crate::{
    ids::VisitId,
    store::Store,
    validate::{context::SERVER_TIME_KEY, RuleSettings},
    visit,
};

/// The automerge sync states of the visits being reconciled with sync messages during this sync (ADR 0012).
type Fallback = HashMap<VisitId, automerge::sync::State>;

/// Push rounds before giving up (each carries up to [`MAX_DOCS_PER_REQUEST`] visits).
const MAX_PUSH_ROUNDS: usize = 64;

/// How far a sync has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncProgress {
    pub done: u64,
    pub total: u64,
}

/// What a completed sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Visits whose changes were sent.
    pub pushed: u64,
    /// Visits that gained changes from the server.
    pub pulled: u64,
    pub events_sent: u64,
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub round_trips: u64,
    pub duration_ms: u64,
    pub master_updated: bool,
    pub rules_updated: bool,
    /// The server's identity (32 hex digits), once a server answered with one.
    pub server_id: Option<String>,
    /// The head of the server's history when it last answered: `position:chain hash` (ADR 0023). A server
    /// restored from an older copy keeps its identity but not this.
    pub server_head: Option<String>,
    /// The server no longer held what this device last saw (restored from an older copy, or another database):
    /// every visit was checked against its whole feed, and what it lacked was sent again.
    pub reconciled: bool,
}

impl Store {
    /// Syncs with the server through `transport`, reporting progress. Safe to interrupt and to repeat.
    pub fn sync(
        &self,
        transport: &dyn Transport,
        progress: &mut dyn FnMut(SyncProgress),
    ) -> Result<SyncReport, SyncError> {
        self.sync_with(transport, progress, &mut |_| {})
    }

    /// [`Store::sync`], also telling `changed` about every visit the sync changed here (another device's edit, a
    /// manager's comment, a new visit), once its transaction has committed: what an app shows must follow.
    pub fn sync_with(
        &self,
        transport: &dyn Transport,
        progress: &mut dyn FnMut(SyncProgress),
        changed: &mut dyn FnMut(VisitId),
    ) -> Result<SyncReport, SyncError> {
        let started = Instant::now();
        let mut report = SyncReport::default();
        // Push until nothing local is left (one round unless more than a page of visits changed, or the server
        // asked for whole documents).
        let mut rounds = 0;
        let mut fallback = Fallback::new();
        let feed = loop {
            rounds += 1;
            if rounds > MAX_PUSH_ROUNDS {
                return Err(SyncError::Protocol(
                    "the server keeps asking for the same visits".into(),
                ));
            }
            let (request, pushed_ids) = self.build_request(&mut fallback)?;
            let body = wire::encode(&request);
            let answer = transport.post("/v1/sync", &body)?;
            report.round_trips += 1;
            report.bytes_up += body.len() as u64;
            report.bytes_down += answer.len() as u64;
            let response: SyncResponse = wire::decode(&answer)?;
            let resend =
                self.apply_sync_response(&request, &response, &mut report, &mut fallback, changed)?;
            report.pushed += pushed_ids as u64;
            report.events_sent += request.events.len() as u64;
            if !resend
                && request.docs.len() < MAX_DOCS_PER_REQUEST
                && request.events.len() < MAX_DOCS_PER_REQUEST
            {
                break (response.feed, response.cursor);
            }
        };
        let (feed, cursor) = feed;
        self.pull(transport, &feed, &mut report, progress, changed)?;
        self.write(|tx| state::set(tx, CURSOR_KEY, &cursor.to_string()))?;
        report.duration_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    fn build_request(&self, fallback: &mut Fallback) -> Result<(SyncRequest, usize), SyncError> {
        let actor = self.actor().clone();
        self.write_with_docs(|tx, docs| {
            let changed = state::changed_visits(tx, MAX_DOCS_PER_REQUEST)?;
            let mut pushes = Vec::with_capacity(changed.len());
            for (id, have) in changed {
                if let Some(sync_state) = fallback.get_mut(&id) {
                    let (message, heads) = visit::sync_message(tx, docs, actor.clone(), id, sync_state)?;
                    match message {
                        Some(message) => pushes.push(DocPush {
                            id: *id.as_bytes(),
                            have: Vec::new(),
                            heads: state::wire(&heads),
                            changes: Vec::new(),
                            sync: Some(serde_bytes::ByteBuf::from(message)),
                        }),
                        // Nothing left to say: the agreement was stored with the last answer, or the next plain
                        // push settles it.
                        None => {
                            fallback.remove(&id);
                        }
                    }
                    continue;
                }
                let (changes, heads) = visit::changes_since(tx, docs, actor.clone(), id, &have)?;
                pushes.push(DocPush {
                    id: *id.as_bytes(),
                    have: state::wire(&have),
                    heads: state::wire(&heads),
                    changes,
                    sync: None,
                });
            }
            let count = pushes.len();
            let request = SyncRequest {
                v: PROTOCOL_VERSION,
                cursor: state::get_number(tx, CURSOR_KEY)?,
                master_version: state::get_number(tx, MASTER_VERSION_KEY)?,
                rules_version: state::get_number(tx, RULES_VERSION_KEY)?,
                docs: pushes,
                events: state::unsent_events(tx, MAX_DOCS_PER_REQUEST)?,
                server: state::server_mark(tx)?,
            };
            Ok((request, count))
        })
    }

    /// Applies one sync answer in one transaction. Returns whether the server asked for whole documents.
    fn apply_sync_response(
        &self,
        request: &SyncRequest,
        response: &SyncResponse,
        report: &mut SyncReport,
        fallback: &mut Fallback,
        changed: &mut dyn FnMut(VisitId),
    ) -> Result<bool, SyncError> {
        if response.docs.len() != request.docs.len() {
            return Err(SyncError::Protocol(format!(
                "{} replies for {} pushed visits",
                response.docs.len(),
                request.docs.len()
            )));
        }
        let actor = self.actor().clone();
        let mut merged = Vec::new();
        let resend = self.write_with_docs(|tx, docs| {
            let mut resend = false;
            for (push, reply) in request.docs.iter().zip(&response.docs) {
                if push.id != reply.id {
                    return Err(SyncError::Protocol("replies out of order".into()));
                }
                let id = VisitId::from_slice(&reply.id).map_err(|e| SyncError::Protocol(e.to_string()))?;
                let server_heads = state::raw(&reply.server_heads);
                match reply.status {
                    DocStatus::SendFull => {
                        // Shared state unknown: with automerge sync messages if the server has the visit, else
                        // the whole document (what `changes_since` gives after the agreement is forgotten).
                        state::forget(tx, id)?;
                        if server_heads.is_empty() {
                            fallback.remove(&id);
                        } else {
                            fallback.entry(id).or_default();
                        }
                        resend = true;
                    }
                    DocStatus::Sync => {
                        let (Some(message), Some(sync_state)) = (&reply.sync, fallback.get_mut(&id)) else {
                            return Err(SyncError::Protocol(
                                "a sync-message answer for a visit that sent none".into(),
                            ));
                        };
                        if visit::receive_sync(tx, docs, actor.clone(), id, sync_state, message, self.now())?
                        {
                            report.pulled += 1;
                            merged.push(id);
                        }
                        if visit::has_heads(tx, docs, actor.clone(), id, &server_heads)? {
                            state::agree(tx, id, &server_heads)?;
                        }
                        resend = true;
                    }
                    DocStatus::Merged => {
                        fallback.remove(&id);
                        if visit::apply_remote(tx, docs, actor.clone(), id, &reply.changes, self.now())? {
                            report.pulled += 1;
                            merged.push(id);
                        }
                        if visit::has_heads(tx, docs, actor.clone(), id, &server_heads)? {
                            state::agree(tx, id, &server_heads)?;
                        }
                    }
                }
            }
            state::mark_sent(tx, &request.events)?;
            if let Some(reset) = &response.reset {
                // Every agreement above was made with a history the server lost: rebuilt from its whole feed,
                // then the next round sends what it lacks.
                fallback.clear();
                reconcile::reconcile(tx, docs, actor.clone(), &response.feed, reset.writer.as_deref())?;
                report.reconciled = true;
                resend = true;
            }
            if let Some(mark) = &response.server {
                state::set_server_mark(tx, mark)?;
                report.server_id = Some(hex::encode(mark.id));
                report.server_head = Some(state::head_text(mark));
            }
            state::set(tx, SERVER_TIME_KEY, &response.server_time_ms.to_string())?;
            Ok::<_, SyncError>(resend)
        })?;
        merged.into_iter().for_each(&mut *changed);
        if let Some(rules) = &response.rules {
            let parsed = RuleSettings::from_json(&rules.json)
                .map_err(|e| SyncError::Protocol(format!("rule settings from the server: {e}")))?;
            self.set_rules(&parsed)?;
            self.write(|tx| state::set(tx, RULES_VERSION_KEY, &rules.version.to_string()))?;
            report.rules_updated = true;
        }
        if let Some(master) = &response.master {
            self.import_master_json(&master.json)?;
            self.write(|tx| state::set(tx, MASTER_VERSION_KEY, &master.version.to_string()))?;
            report.master_updated = true;
        }
        Ok(resend)
    }

    /// Fetches, page by page, the feed entries this device lacks or lags on.
    fn pull(
        &self,
        transport: &dyn Transport,
        feed: &[FeedEntry],
        report: &mut SyncReport,
        progress: &mut dyn FnMut(SyncProgress),
        changed: &mut dyn FnMut(VisitId),
    ) -> Result<(), SyncError> {
        let mut wants = self.read(|conn| {
            let mut wants = Vec::new();
            for entry in feed {
                let id = VisitId::from_slice(&entry.id).map_err(|e| SyncError::Protocol(e.to_string()))?;
                let server = state::raw(&entry.heads).concat();
                match state::visit_heads(conn, id)? {
                    Some((local, agreed))
                        if local == server || agreed.as_deref() == Some(server.as_slice()) => {}
                    Some((local, _)) => wants.push(Want {
                        id: entry.id,
                        have: state::wire(&state::split_heads(&local)),
                    }),
                    None => wants.push(Want {
                        id: entry.id,
                        have: Vec::new(),
                    }),
                }
            }
            Ok::<_, SyncError>(wants)
        })?;
        // Agreements are made on the feed's heads, which the server's history mark covers, not on a newer state a
        // pull may bring (that rest goes back in the next push, a no-op for the server).
        let agreed: HashMap<[u8; 16], Vec<[u8; 32]>> = feed
            .iter()
            .map(|entry| (entry.id, state::raw(&entry.heads)))
            .collect();
        let total = wants.len() as u64;
        let mut done = 0;
        progress(SyncProgress { done, total });
        while !wants.is_empty() {
            let page: Vec<Want> = wants.iter().take(MAX_DOCS_PER_REQUEST).cloned().collect();
            let request = PullRequest {
                v: PROTOCOL_VERSION,
                want: page,
            };
            let body = wire::encode(&request);
            let answer = transport.post("/v1/pull", &body)?;
            report.round_trips += 1;
            report.bytes_up += body.len() as u64;
            report.bytes_down += answer.len() as u64;
            let response: PullResponse = wire::decode(&answer)?;
            if response.docs.is_empty() {
                return Err(SyncError::Protocol(
                    "the server sent no visit for a non-empty pull".into(),
                ));
            }
            let actor = self.actor().clone();
            let mut merged = Vec::new();
            self.write_with_docs(|tx, docs| {
                for data in &response.docs {
                    let id = VisitId::from_slice(&data.id).map_err(|e| SyncError::Protocol(e.to_string()))?;
                    if visit::apply_remote(tx, docs, actor.clone(), id, &data.changes, self.now())? {
                        report.pulled += 1;
                        merged.push(id);
                    }
                    let heads = agreed
                        .get(&data.id)
                        .cloned()
                        .unwrap_or_else(|| state::raw(&data.heads));
                    if visit::has_heads(tx, docs, actor.clone(), id, &heads)? {
                        state::agree(tx, id, &heads)?;
                    }
                }
                Ok::<_, SyncError>(())
            })?;
            merged.into_iter().for_each(&mut *changed);
            wants.retain(|w| !response.docs.iter().any(|d| d.id == w.id));
            done = total - wants.len() as u64;
            progress(SyncProgress { done, total });
        }
        Ok(())
    }
}
