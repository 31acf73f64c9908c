//! Contract cases of a sync whose visits another request writes between the merge (made on a snapshot, outside
//! the write lock) and the write transaction: the server sees the rows moved and merges again under the lock.

use std::sync::Mutex;

use mrc_core::sync::wire::DocStatus;
use mrc_server::{
    exchange,
    store::{Access, Tx},
    Principal, ServerError, ServerStore,
};

use crate::support::*;

/// What runs on the inner store before the first write.
type Hook<'a> = Box<dyn FnOnce(&dyn ServerStore) + Send + 'a>;

/// A store that runs `hook` (on the inner store) just before its first write transaction.
struct WriteFirst<'a> {
    inner: &'a dyn ServerStore,
    hook: Mutex<Option<Hook<'a>>>,
}

impl ServerStore for WriteFirst<'_> {
    fn run(
        &self,
        access: Access,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>,
    ) -> Result<(), ServerError> {
        if access == Access::Write {
            if let Some(hook) = self.hook.lock().unwrap().take() {
                hook(self.inner);
            }
        }
        self.inner.run(access, f)
    }

    fn kind(&self) -> &'static str {
        self.inner.kind()
    }
}

fn write_first<'a>(
    inner: &'a dyn ServerStore,
    hook: impl FnOnce(&dyn ServerStore) + Send + 'a,
) -> WriteFirst<'a> {
    WriteFirst {
        inner,
        hook: Mutex::new(Some(Box::new(hook))),
    }
}

pub fn a_visit_written_after_the_merge_is_merged_again(store: &dyn ServerStore) {
    let mut tablet = Device::new_visit("R1", "初回訪問：新薬の説明。");
    tablet.sync(store, "R1");
    let mut phone = tablet.fork();
    tablet.edit_notes("初回訪問：新薬の説明。次回は症例を持参。");
    phone.comment(mrc_core::visit::CommentRole::Rep, "電話から：先生は前向き。");
    let phone_heads = phone.heads();
    // The phone's push lands between the tablet's merge and its write.
    let racing = write_first(store, move |inner| {
        phone.sync(inner, "R1");
    });
    let response = tablet.sync(&racing, "R1");
    assert_eq!(response.docs[0].status, DocStatus::Merged);
    assert!(
        tablet.doc.has_all(&phone_heads),
        "the tablet got the phone's comment"
    );
    assert_eq!(tablet.comments().len(), 1);
    assert!(tablet.notes().contains("症例を持参"));
    // The stored visit is the merge of both: its heads are the tablet's, and a replay changes nothing.
    let (feed, _) = feed_of(store, "R1");
    assert_eq!(feed, vec![(*tablet.id.as_bytes(), tablet.heads())]);
    let replay = tablet.sync(store, "R1");
    assert!(replay.docs[0].changes.is_empty());
}

pub fn a_new_visit_created_meanwhile_elsewhere_is_merged_into(store: &dyn ServerStore) {
    let mut tablet = Device::new_visit("R1", "院内勉強会の打ち合わせ。");
    let mut phone = tablet.fork();
    phone.edit_notes("院内勉強会の打ち合わせ（電話で追記）。");
    let phone_heads = phone.heads();
    // The merge saw no stored visit; before the write, the phone created it.
    let racing = write_first(store, move |inner| {
        phone.sync(inner, "R1");
    });
    tablet.sync(&racing, "R1");
    assert!(tablet.doc.has_all(&phone_heads));
    assert_eq!(tablet.notes(), "院内勉強会の打ち合わせ（電話で追記）。");
    let (feed, _) = feed_of(store, "R1");
    assert_eq!(feed, vec![(*tablet.id.as_bytes(), tablet.heads())]);
    // A refusal found on the second merge still refuses: another rep's token racing the same way.
    let mut other = tablet.fork();
    other.edit_notes("別の担当者の書き込み");
    let mut own = tablet.fork();
    own.edit_notes("院内勉強会の打ち合わせ（確定）。");
    let racing = write_first(store, move |inner| {
        own.sync(inner, "R1");
    });
    let refused = exchange::sync(
        &racing,
        &Principal::rep("R2"),
        &request(vec![other.push()], vec![], 0),
        1,
    );
    assert!(is_forbidden(refused));
}
