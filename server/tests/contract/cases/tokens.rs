//! Device tokens with a lifecycle: listed by public id (never the token), revoked, expiring, last seen; every
//! admin action in the append-only log.

use mrc_server::{
    admin::{self, Actor},
    auth::token_hash,
    store::{transact, Access},
    tokens::{self, Refusal},
    Principal, ServerError, ServerStore,
};

fn admitted(store: &dyn ServerStore, token: &str, now_ms: i64) -> Result<Principal, Refusal> {
    let hash = token_hash(token);
    tokens::admit(
        transact(store, Access::Read, |tx| Ok(tx.token(&hash)?)).unwrap(),
        now_ms,
    )
}

pub fn tokens_are_listed_revoked_and_expire_and_every_admin_action_is_logged(store: &dyn ServerStore) {
    let operator = crate::support::operator();
    let now = operator.now_ms;
    let hour = 3_600_000;
    let tablet = admin::mint_token(store, &Principal::rep("R1"), &operator, None).unwrap();
    let temporary = admin::mint_token(store, &Principal::rep("R2"), &operator, Some(now + hour)).unwrap();
    assert!(matches!(
        admin::mint_token(store, &Principal::rep("R2"), &operator, Some(now)),
        Err(ServerError::Invalid(_))
    ));

    let listed = admin::list_tokens(store).unwrap();
    assert_eq!(listed.len(), 2);
    let find = |id: &str| {
        admin::list_tokens(store)
            .unwrap()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap()
    };
    let (tablet_id, temporary_id) = (tokens::id_of(&tablet), tokens::id_of(&temporary));
    let listed_tablet = find(&tablet_id);
    assert_eq!(
        (listed_tablet.role, listed_tablet.reps.as_slice()),
        ("rep", ["R1".to_owned()].as_slice())
    );
    assert_eq!(listed_tablet.created_at_ms, now);
    assert_eq!(find(&temporary_id).expires_at_ms, Some(now + hour));
    let shown = serde_json::to_string(&listed).unwrap();
    assert!(
        !shown.contains(&tablet) && !shown.contains(&temporary),
        "never the token itself"
    );

    assert_eq!(admitted(store, &tablet, now), Ok(Principal::rep("R1")));
    assert_eq!(
        admitted(store, &temporary, now + hour - 1),
        Ok(Principal::rep("R2"))
    );
    assert_eq!(admitted(store, &temporary, now + hour), Err(Refusal::Expired));
    assert_eq!(admitted(store, "not a token", now), Err(Refusal::Unknown));

    let later = Actor::new("運用担当 test", now + 5 * hour);
    admin::revoke_token(store, &tokens::id_of(&tablet), &later).unwrap();
    assert_eq!(admitted(store, &tablet, now + 5 * hour), Err(Refusal::Revoked));
    assert!(admin::revoke_token(store, "000000000000", &later).is_err());
    // Revoking again keeps the first time.
    admin::revoke_token(
        store,
        &tokens::id_of(&tablet),
        &Actor::new("other", now + 9 * hour),
    )
    .unwrap();
    assert_eq!(find(&tablet_id).revoked_at_ms, Some(now + 5 * hour));

    let hash = token_hash(&temporary);
    transact(
        store,
        Access::Write,
        |tx| Ok(tx.touch_token(&hash, now + 60_000)?),
    )
    .unwrap();
    transact(
        store,
        Access::Write,
        |tx| Ok(tx.touch_token(&hash, now + 30_000)?),
    )
    .unwrap();
    assert_eq!(find(&temporary_id).last_seen_ms, Some(now + 60_000));

    let log = admin::admin_log(store).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["mint_token", "mint_token", "revoke_token", "revoke_token"]
    );
    assert!(log
        .iter()
        .all(|e| !e.detail.contains(&tablet) && !e.detail.contains(&temporary)));
    assert_eq!(log[2].actor, "運用担当 test");
    assert_eq!(log[2].at_ms, now + 5 * hour);
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
}
