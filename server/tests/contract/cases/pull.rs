//! Contract cases of `/v1/pull`: changes after the device heads, pages by count and by size.

use mrc_core::sync::wire::{DocPush, PullRequest, Want, PROTOCOL_VERSION};
use mrc_server::{exchange, Principal, ServerStore};

use crate::support::*;

pub fn pull_gives_changes_after_have_in_pages(store: &dyn ServerStore) {
    let mut devices: Vec<Device> = (0..205)
        .map(|i| Device::new_visit("R1", &format!("visit {i}")))
        .collect();
    for chunk in devices.chunks_mut(100) {
        let pushes: Vec<DocPush> = chunk.iter_mut().map(Device::push).collect();
        exchange::sync(store, &Principal::rep("R1"), &request(pushes, vec![], 0), 1).unwrap();
    }
    let mut want: Vec<Want> = devices
        .iter()
        .map(|d| Want {
            id: *d.id.as_bytes(),
            have: vec![],
        })
        .collect();
    want.insert(
        3,
        Want {
            id: [0xee; 16],
            have: vec![],
        },
    ); // unknown: skipped
    let request = PullRequest {
        v: PROTOCOL_VERSION,
        want,
    };
    let page = exchange::pull(store, &Principal::rep("R1"), &request).unwrap();
    assert_eq!(page.docs.len(), exchange::PAGE_MAX_DOCS);
    assert_eq!(
        page.docs[3].id,
        *devices[3].id.as_bytes(),
        "the unknown id was skipped"
    );
    let mut fresh = mrc_core::visit::VisitDoc::load(&page.docs[0].changes, actor()).unwrap();
    assert_eq!(fresh.head_hashes(), devices[0].heads());
    assert_eq!(unwire(&page.docs[0].heads), devices[0].heads());

    // A device that has the heads gets nothing to apply.
    let have = PullRequest {
        v: PROTOCOL_VERSION,
        want: vec![Want {
            id: *devices[0].id.as_bytes(),
            have: wire(&devices[0].heads()),
        }],
    };
    let page = exchange::pull(store, &Principal::rep("R1"), &have).unwrap();
    assert!(page.docs[0].changes.is_empty());
}

pub fn pull_pages_stop_near_a_megabyte(store: &dyn ServerStore) {
    // Visits of about 300 KB that do not compress (one long scalar, so building them stays fast).
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut text = |n: usize| -> String {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(seed % 64) as usize],
                )
            })
            .collect()
    };
    let mut devices: Vec<Device> = (0..5)
        .map(|_| {
            Device::with_fields(mrc_core::visit::VisitFields {
                rep_id: Some("R1".into()),
                next_objective: Some(text(400_000)),
                ..Default::default()
            })
        })
        .collect();
    let pushes: Vec<DocPush> = devices.iter_mut().map(Device::push).collect();
    let sizes: Vec<usize> = pushes.iter().map(|p| p.changes.len()).collect();
    assert!(sizes.iter().all(|&n| n > 250_000), "{sizes:?}");
    exchange::sync(store, &Principal::rep("R1"), &request(pushes, vec![], 0), 1).unwrap();
    let want = devices
        .iter()
        .map(|d| Want {
            id: *d.id.as_bytes(),
            have: vec![],
        })
        .collect();
    let page = exchange::pull(
        store,
        &Principal::rep("R1"),
        &PullRequest {
            v: PROTOCOL_VERSION,
            want,
        },
    )
    .unwrap();
    let total: usize = page.docs.iter().map(|d| d.changes.len()).sum();
    assert!(
        page.docs.len() < 5 && page.docs.len() >= 2,
        "{} docs of sizes {sizes:?}",
        page.docs.len()
    );
    assert!(total <= exchange::PAGE_MAX_BYTES, "{total}");
}

pub fn cached_pulls_answer_as_the_stored_documents(store: &dyn ServerStore) {
    let rep = Principal::rep("R1");
    let mut device = Device::new_visit("R1", "佐藤先生：用量について質問。");
    device.sync(store, "R1");
    let id = *device.id.as_bytes();
    let want = |have: Vec<[u8; 32]>| PullRequest {
        v: PROTOCOL_VERSION,
        want: vec![Want {
            id,
            have: wire(&have),
        }],
    };
    let cache = mrc_server::DocCache::new(16);
    let first = exchange::pull_cached(store, &cache, &rep, &want(vec![])).unwrap();
    assert_eq!(first, exchange::pull(store, &rep, &want(vec![])).unwrap());
    // Taken from the cache the second time: the same answer.
    assert_eq!(
        exchange::pull_cached(store, &cache, &rep, &want(vec![])).unwrap(),
        first
    );

    // The visit moves on elsewhere (a sync without this cache): the cached document is stale and not used.
    let old = device.heads();
    device.edit_notes("佐藤先生：用量と腎機能について質問。");
    device.sync(store, "R1");
    for have in [vec![], old] {
        let cached = exchange::pull_cached(store, &cache, &rep, &want(have.clone())).unwrap();
        assert_eq!(cached, exchange::pull(store, &rep, &want(have)).unwrap());
        assert_eq!(unwire(&cached.docs[0].heads), device.heads());
    }
}
