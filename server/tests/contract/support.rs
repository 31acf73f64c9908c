//! Test helpers: fresh stores, simulated devices, a loopback server and a tiny HTTP client.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

use automerge::ActorId;
use chrono::{TimeZone, Utc};
use mrc_core::{
    sync::wire::{DocPush, DocStatus, Hash, SyncRequest, SyncResponse, WireEvent, PROTOCOL_VERSION},
    visit::{Comment, CommentRole, VisitDoc, VisitFields},
    VisitId,
};
use mrc_server::{exchange, Principal, ServerError, ServerStore};

/// A fresh store, and what keeps its database alive; `second` opens another store on the same database (another
/// server process, as far as the database can tell).
/// Replaces a store's database with a backup file and opens the store again.
pub type Restore = Box<dyn Fn(&std::path::Path) -> Arc<dyn ServerStore> + Send + Sync>;

pub struct Fresh {
    pub store: Arc<dyn ServerStore>,
    pub second: Box<dyn Fn() -> Arc<dyn ServerStore> + Send + Sync>,
    /// Writes a backup of the database into a file, as an operator would (a copy of the data folder's database;
    /// `pg_dump`).
    pub backup: Box<dyn Fn(&std::path::Path) + Send + Sync>,
    /// Replaces the database with a backup (the server stopped; the data folder replaced; `pg_restore`) and opens
    /// a store on it, as the restarted server.
    pub restore: Restore,
    pub _guard: Box<dyn Send + Sync>,
}

static NEXT_ACTOR: AtomicU64 = AtomicU64::new(1);

/// A distinct automerge actor per simulated device.
pub fn actor() -> ActorId {
    let n = NEXT_ACTOR.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&u64::from(std::process::id()).to_be_bytes());
    bytes[8..].copy_from_slice(&n.to_be_bytes());
    ActorId::from(bytes.as_slice())
}

/// One device's replica of one visit, and the server heads it last agreed on.
pub struct Device {
    pub id: VisitId,
    pub doc: VisitDoc,
    pub have: Vec<[u8; 32]>,
}

impl Device {
    /// A new visit of `rep` on a new device.
    pub fn new_visit(rep: &str, notes: &str) -> Device {
        Device::with_fields(VisitFields {
            rep_id: Some(rep.into()),
            hcp_id: Some("H1".into()),
            notes: notes.into(),
            ..VisitFields::default()
        })
    }

    /// A new visit holding `fields` on a new device.
    pub fn with_fields(fields: VisitFields) -> Device {
        let id = VisitId::new_v7();
        let entered = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
        Device {
            id,
            doc: VisitDoc::create(actor(), id, &fields, entered).unwrap(),
            have: Vec::new(),
        }
    }

    /// Another device holding a copy of this one's document (exchanged offline), agreeing on the same heads.
    pub fn fork(&mut self) -> Device {
        Device {
            id: self.id,
            doc: VisitDoc::load(&self.doc.save(), actor()).unwrap(),
            have: self.have.clone(),
        }
    }

    /// Replaces the notes, as one committed change.
    pub fn edit_notes(&mut self, text: &str) {
        self.doc.set_notes(text).unwrap();
        self.doc.commit(now());
    }

    /// Sets the rep id, as one committed change.
    pub fn set_rep(&mut self, rep: &str) {
        let mut fields = self.doc.state().unwrap().fields;
        fields.rep_id = Some(rep.into());
        self.doc.apply_fields(&fields).unwrap();
        self.doc.commit(now());
    }

    /// What this device pushes: its changes after the agreed heads.
    pub fn push(&mut self) -> DocPush {
        DocPush {
            id: *self.id.as_bytes(),
            have: wire(&self.have),
            heads: wire(&self.doc.head_hashes()),
            changes: self.doc.save_after(&self.have),
            sync: None,
        }
    }

    /// Adds a comment, as one committed change.
    pub fn comment(&mut self, role: CommentRole, text: &str) {
        self.doc
            .add_comment(&Comment {
                id: VisitId::new_v7().to_string(),
                author_role: role,
                author: match role {
                    CommentRole::Manager => "課長 山本".into(),
                    CommentRole::Rep => "高橋 美咲".into(),
                },
                at: now(),
                text: text.into(),
            })
            .unwrap();
        self.doc.commit(now());
    }

    /// The comments' (role, text), in display order.
    pub fn comments(&self) -> Vec<(CommentRole, String)> {
        let comments = self.doc.comments().unwrap();
        comments.into_iter().map(|c| (c.author_role, c.text)).collect()
    }

    /// Pushes through `exchange::sync` and applies the reply; panics unless the server merged it.
    pub fn sync(&mut self, store: &dyn ServerStore, rep: &str) -> SyncResponse {
        self.sync_as(store, &Principal::rep(rep))
    }

    /// Like [`Device::sync`], as `principal`.
    pub fn sync_as(&mut self, store: &dyn ServerStore, principal: &Principal) -> SyncResponse {
        let response = exchange::sync(store, principal, &request(vec![self.push()], vec![], 0), 1).unwrap();
        let reply = &response.docs[0];
        assert_eq!(reply.status, DocStatus::Merged);
        self.doc.apply_changes(&reply.changes).unwrap();
        self.have = unwire(&reply.server_heads);
        assert_eq!(
            self.doc.head_hashes(),
            self.have,
            "the device caught up with the server"
        );
        response
    }

    pub fn heads(&mut self) -> Vec<[u8; 32]> {
        self.doc.head_hashes()
    }

    pub fn notes(&self) -> String {
        self.doc.notes().unwrap()
    }
}

pub fn wire(heads: &[[u8; 32]]) -> Vec<Hash> {
    heads.iter().map(|h| Hash::new(*h)).collect()
}

pub fn unwire(heads: &[Hash]) -> Vec<[u8; 32]> {
    let mut out: Vec<[u8; 32]> = heads.iter().map(|h| h.into_array()).collect();
    out.sort();
    out
}

pub fn request(docs: Vec<DocPush>, events: Vec<WireEvent>, cursor: u64) -> SyncRequest {
    SyncRequest {
        v: PROTOCOL_VERSION,
        cursor,
        master_version: 0,
        rules_version: 0,
        docs,
        events,
        server: None,
    }
}

pub fn event(visit: Option<&VisitId>) -> WireEvent {
    WireEvent {
        id: *VisitId::new_v7().as_bytes(),
        kind: "nfc_tap".into(),
        occurred_at_ms: 1_790_000_000_000,
        card_id: Some("C-1".into()),
        material_id: Some("M1".into()),
        material_version: Some(2),
        verification: "verified".into(),
        visit_id: visit.map(|v| v.as_bytes().to_vec()),
    }
}

/// A feed as (visit id, heads) pairs.
pub type Feed = Vec<([u8; 16], Vec<[u8; 32]>)>;

/// The feed of `rep` from cursor 0, and the cursor.
pub fn feed_of(store: &dyn ServerStore, rep: &str) -> (Feed, u64) {
    let response = exchange::sync(store, &Principal::rep(rep), &request(vec![], vec![], 0), 1).unwrap();
    let feed = response.feed.iter().map(|e| (e.id, unwire(&e.heads))).collect();
    (feed, response.cursor)
}

pub fn is_forbidden<T: std::fmt::Debug>(result: Result<T, ServerError>) -> bool {
    matches!(result, Err(ServerError::Forbidden(_)))
}

/// The time these cases run at: 2026-11-20 12:00 JST (no case here is about the wall clock).
pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap()
}

/// The operator of the admin actions these cases take, at [`now`].
pub fn operator() -> mrc_server::admin::Actor {
    mrc_server::admin::Actor::new("運用担当 test", now().timestamp_millis())
}

/// The servers' clock: standing at [`now`].
pub fn server_clock() -> mrc_core::clock::SharedClock {
    mrc_core::clock::FixedClock::new(now())
}

/// A real server on a loopback port, over `store`, stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl TestServer {
    pub fn start(store: Arc<dyn ServerStore>) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(mrc_server::http::serve(listener, store, server_clock()));
        TestServer {
            addr,
            runtime: Some(runtime),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
