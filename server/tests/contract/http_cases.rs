//! HTTP-level contract cases: a real server on a loopback port over each store.

use mrc_core::sync::wire::{
    decode, encode, DocPush, DocStatus, PullRequest, PullResponse, SyncResponse, Want, MAX_BODY_BYTES,
    MAX_DOCS_PER_REQUEST, OLDEST_VERSION, PROTOCOL_VERSION,
};
use mrc_server::{admin, Principal};

use crate::{http_client::http, support::*};

pub fn statuses(fresh: &Fresh) {
    let store = &*fresh.store;
    let token = admin::mint_token(store, &Principal::rep("R1"), &crate::support::operator(), None).unwrap();
    let server = TestServer::start(fresh.store.clone());
    let addr = server.addr;
    let body = encode(&request(vec![], vec![], 0));

    let health = http(addr, "GET", "/v1/health", None, b"", None);
    assert_eq!((health.status, health.text().trim()), (200, "ok"));

    for (token, code) in [
        (None, "missing_token"),
        (Some("wrong"), "unknown_token"),
        (Some(""), "missing_token"),
    ] {
        let reply = http(addr, "POST", "/v1/sync", token, &body, None);
        assert_eq!(reply.status, 401, "{token:?}: {}", reply.text());
        assert!(
            reply.text().starts_with(&format!("{code}: ")),
            "{token:?}: {}",
            reply.text()
        );
        assert!(reply
            .headers
            .to_ascii_lowercase()
            .contains("www-authenticate: bearer"));
        assert_eq!(http(addr, "POST", "/v1/pull", token, &body, None).status, 401);
    }

    // A revoked and an expired token: 401 with the reason first, so the device knows to wipe or to ask anew.
    let revoked = admin::mint_token(store, &Principal::rep("R1"), &operator(), None).unwrap();
    admin::revoke_token(store, &mrc_server::tokens::id_of(&revoked), &operator()).unwrap();
    let hour = 3_600_000;
    let earlier = admin::Actor::new("運用担当 test", operator().now_ms - 2 * hour);
    let expired = admin::mint_token(
        store,
        &Principal::rep("R1"),
        &earlier,
        Some(operator().now_ms - hour),
    )
    .unwrap();
    for (token, code) in [(&revoked, "revoked"), (&expired, "expired")] {
        let reply = http(addr, "POST", "/v1/sync", Some(token), &body, None);
        assert_eq!(reply.status, 401, "{code}: {}", reply.text());
        assert!(reply.text().starts_with(&format!("{code}: ")), "{}", reply.text());
    }

    let ok = http(addr, "POST", "/v1/sync", Some(&token), &body, None);
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.content_type, "application/cbor");
    let response: SyncResponse = decode(&ok.body).unwrap();
    assert!(response.feed.is_empty());
    assert_eq!(response.v, PROTOCOL_VERSION);

    // A device on the v1 build (bare CBOR) is answered in bare v1 CBOR.
    let mut old = request(vec![], vec![], 0);
    old.v = OLDEST_VERSION;
    let old_body = encode(&old);
    assert_eq!(old_body[0] & 0xe0, 0xa0, "a v1 body is a bare CBOR map");
    let answer = http(addr, "POST", "/v1/sync", Some(&token), &old_body, None);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let bare: SyncResponse = ciborium::from_reader(answer.body.as_slice()).unwrap();
    assert_eq!(bare.v, OLDEST_VERSION);

    let garbage = http(addr, "POST", "/v1/sync", Some(&token), b"\xff\x00garbage", None);
    assert_eq!(garbage.status, 400);
    assert!(
        garbage.text().starts_with("the body is not a valid CBOR message"),
        "{}",
        garbage.text()
    );
    assert!(garbage.content_type.starts_with("text/plain"));

    let mut future = request(vec![], vec![], 0);
    future.v = PROTOCOL_VERSION + 1;
    let conflict = http(addr, "POST", "/v1/sync", Some(&token), &encode(&future), None);
    assert_eq!(conflict.status, 409, "{}", conflict.text());
    assert!(conflict.text().contains("unsupported sync protocol version"));
    // Another version with another shape is still a version conflict, not a malformed body.
    #[derive(serde::Serialize)]
    struct Future {
        v: u16,
        something: String,
    }
    let mut future_body = Vec::new();
    ciborium::into_writer(
        &Future {
            v: PROTOCOL_VERSION + 1,
            something: "new".into(),
        },
        &mut future_body,
    )
    .unwrap();
    assert_eq!(
        http(addr, "POST", "/v1/pull", Some(&token), &future_body, None).status,
        409
    );

    let huge = http(
        addr,
        "POST",
        "/v1/sync",
        Some(&token),
        b"",
        Some(MAX_BODY_BYTES + 1),
    );
    assert_eq!(huge.status, 413, "{}", huge.text());
    let too_many = request(
        (0..=MAX_DOCS_PER_REQUEST)
            .map(|i| DocPush {
                id: (i as u128).to_be_bytes(),
                have: vec![],
                heads: vec![],
                changes: vec![],
                sync: None,
            })
            .collect(),
        vec![],
        0,
    );
    let reply = http(addr, "POST", "/v1/sync", Some(&token), &encode(&too_many), None);
    assert_eq!(reply.status, 413);
    assert!(reply.text().contains("at most 500"), "{}", reply.text());
}

pub fn a_body_over_the_limit_is_refused_while_streaming(fresh: &Fresh) {
    use std::io::{Read, Write};
    let token = admin::mint_token(
        &*fresh.store,
        &Principal::rep("R1"),
        &crate::support::operator(),
        None,
    )
    .unwrap();
    let server = TestServer::start(fresh.store.clone());
    // Chunked, so no Content-Length announces the size: the server must count while reading.
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    let head = format!(
        "POST /v1/sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\
         Authorization: Bearer {token}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..=MAX_BODY_BYTES / chunk.len() {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            break; // the server already answered and closed
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.starts_with("HTTP/1.1 413"),
        "{}",
        &text[..text.len().min(200)]
    );
}

pub fn replay_and_scope_over_http(fresh: &Fresh) {
    let store = &*fresh.store;
    let r1 = admin::mint_token(store, &Principal::rep("R1"), &crate::support::operator(), None).unwrap();
    let r2 = admin::mint_token(store, &Principal::rep("R2"), &crate::support::operator(), None).unwrap();
    let server = TestServer::start(fresh.store.clone());
    let addr = server.addr;

    let mut device = Device::new_visit("R1", "訪問メモ");
    let body = encode(&request(vec![device.push()], vec![event(Some(&device.id))], 0));
    let first = http(addr, "POST", "/v1/sync", Some(&r1), &body, None);
    assert_eq!(first.status, 200, "{}", first.text());
    let second = http(addr, "POST", "/v1/sync", Some(&r1), &body, None);
    let (mut a, mut b): (SyncResponse, SyncResponse) =
        (decode(&first.body).unwrap(), decode(&second.body).unwrap());
    assert_eq!(a.docs[0].status, DocStatus::Merged);
    assert_eq!(a.events_acked, 1);
    a.server_time_ms = 0;
    b.server_time_ms = 0;
    assert_eq!(a, b, "a replayed request gives the same answer");
    device.have = unwire(&a.docs[0].server_heads);
    let (feed_before, cursor_before) = feed_of(store, "R1");

    // R2 may neither write nor read R1's visit; nothing changes.
    device.edit_notes("R2 による改ざん");
    let write = http(
        addr,
        "POST",
        "/v1/sync",
        Some(&r2),
        &encode(&request(vec![device.push()], vec![], 0)),
        None,
    );
    assert_eq!(write.status, 403, "{}", write.text());
    assert!(write.text().contains("belongs to another rep"));
    let pull = PullRequest {
        v: PROTOCOL_VERSION,
        want: vec![Want {
            id: *device.id.as_bytes(),
            have: vec![],
        }],
    };
    let read = http(addr, "POST", "/v1/pull", Some(&r2), &encode(&pull), None);
    assert_eq!(read.status, 403);
    assert_eq!(feed_of(store, "R1"), (feed_before, cursor_before));

    // R1 pulls its own visit.
    let own = http(addr, "POST", "/v1/pull", Some(&r1), &encode(&pull), None);
    assert_eq!(own.status, 200);
    let page: PullResponse = decode(&own.body).unwrap();
    assert_eq!(page.docs.len(), 1);
    assert_eq!(unwire(&page.docs[0].heads), device.have);
}

pub fn content_by_range_over_http(fresh: &Fresh) {
    use crate::{cases::leaflet, http_client::get};
    let store = &*fresh.store;
    let token = admin::mint_token(store, &Principal::rep("R1"), &crate::support::operator(), None).unwrap();
    let file = leaflet();
    let content = mrc_server::content::VerifiedContent::new(file.clone());
    let sha = content.hash().to_string();
    mrc_server::store::transact(store, mrc_server::store::Access::Write, |tx| {
        Ok(tx.put_content(&content, 1)?)
    })
    .unwrap();
    let server = TestServer::start(fresh.store.clone());
    let addr = server.addr;
    let path = format!("/v1/content/{sha}");

    assert_eq!(get(addr, &path, None, &[]).status, 401);
    assert_eq!(get(addr, &path, Some("wrong"), &[]).status, 401);
    let unknown = format!("/v1/content/{}", "0".repeat(64));
    assert_eq!(get(addr, &unknown, Some(&token), &[]).status, 404);
    assert_eq!(
        get(addr, "/v1/content/..%2Fserver.db", Some(&token), &[]).status,
        404
    );

    let whole = get(addr, &path, Some(&token), &[]);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, file);
    assert_eq!(whole.header("etag"), format!("\"{sha}\""));
    assert_eq!(
        whole.header("cache-control"),
        "private, max-age=31536000, immutable"
    );
    assert_eq!(whole.header("accept-ranges"), "bytes");

    let part = get(addr, &path, Some(&token), &["Range: bytes=10-19"]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, file[10..20]);
    assert_eq!(
        part.header("content-range"),
        format!("bytes 10-19/{}", file.len())
    );

    let rest = get(addr, &path, Some(&token), &["Range: bytes=100-"]);
    assert_eq!(rest.status, 206);
    assert_eq!(rest.body, file[100..]);

    let past = get(
        addr,
        &path,
        Some(&token),
        &[&format!("Range: bytes={}-", file.len())],
    );
    assert_eq!(past.status, 416);
    assert_eq!(past.header("content-range"), format!("bytes */{}", file.len()));
}

/// Token rotation: the new token has the old one's principal and expiry; the old one keeps working until the new one
/// is used (a lost answer locks nobody out), then is refused as `rotated` (not `revoked`: nothing to wipe); a second
/// rotation before the first new token was ever used retires that one; both ids are in the admin log.
pub fn tokens_rotate_without_locking_anyone_out(fresh: &Fresh) {
    use mrc_core::sync::wire::{TokenRequest, TokenResponse};
    let store = &*fresh.store;
    let expires = operator().now_ms + 90 * 86_400_000;
    let handed_over = admin::mint_token(store, &Principal::rep("R1"), &operator(), Some(expires)).unwrap();
    let server = TestServer::start(fresh.store.clone());
    let addr = server.addr;
    let ask = encode(&TokenRequest { v: PROTOCOL_VERSION });
    let sync = encode(&request(vec![], vec![], 0));
    let rotate = |token: &str| -> TokenResponse {
        let reply = http(addr, "POST", "/v1/token", Some(token), &ask, None);
        assert_eq!(reply.status, 200, "{}", reply.text());
        decode(&reply.body).unwrap()
    };

    // The answer of a first rotation is "lost": the old token still works, and a second rotation retires the first.
    let lost = rotate(&handed_over);
    let kept = rotate(&handed_over);
    assert_ne!(lost.token, kept.token);
    assert_eq!(
        kept.expires_at_ms,
        Some(expires),
        "a rotation never extends access"
    );
    assert_eq!(
        http(addr, "POST", "/v1/sync", Some(&handed_over), &sync, None).status,
        200
    );
    let refused = http(addr, "POST", "/v1/sync", Some(&lost.token), &sync, None);
    assert_eq!(refused.status, 401);
    assert!(refused.text().starts_with("rotated: "), "{}", refused.text());

    // The kept token is used: from then on the handed-over one is refused as rotated.
    assert_eq!(
        http(addr, "POST", "/v1/sync", Some(&kept.token), &sync, None).status,
        200
    );
    let old = http(addr, "POST", "/v1/sync", Some(&handed_over), &sync, None);
    assert_eq!(old.status, 401);
    assert!(old.text().starts_with("rotated: "), "{}", old.text());
    assert_eq!(
        http(addr, "POST", "/v1/token", Some(&handed_over), &ask, None).status,
        401
    );

    let tokens = admin::list_tokens(store).unwrap();
    let new = tokens.iter().find(|t| t.id == kept.id).unwrap();
    assert_eq!(
        new.rotated_from.as_deref(),
        Some(mrc_server::tokens::id_of(&handed_over).as_str())
    );
    assert_eq!((new.role, new.reps.clone()), ("rep", vec!["R1".to_owned()]));
    let log = admin::admin_log(store).unwrap();
    let rotations: Vec<_> = log.iter().filter(|e| e.action == "rotate_token").collect();
    assert_eq!(rotations.len(), 2);
    assert!(rotations[1].detail.contains(&kept.id), "{}", rotations[1].detail);
    assert!(
        log.iter().all(|e| !e.detail.contains(&kept.token)),
        "never the token itself"
    );

    // Revoking the rotated token is still a revocation: the device wipes.
    admin::revoke_token(store, &kept.id, &operator()).unwrap();
    let revoked = http(addr, "POST", "/v1/sync", Some(&kept.token), &sync, None);
    assert!(revoked.text().starts_with("revoked: "), "{}", revoked.text());
}
