//! The authorization matrix: every endpoint of the sync API × every kind of principal, on R1's data (own or
//! other's; R2 has a visit of its own). One table says what each cell must answer; the test runs every cell over real HTTP, compares, and
//! prints the table (the README shows it). A cell is the status and, for reads, whose visits came back.

use mrc_core::{
    sync::wire::{decode, encode, PullRequest, PullResponse, SyncResponse, Want, PROTOCOL_VERSION},
    visit::CommentRole,
};
use mrc_server::{admin, Principal};

use crate::{
    http_client::{get, http},
    support::*,
};

/// The principals, as the table's columns.
const WHO: [&str; 8] = [
    "rep R1",
    "rep R2",
    "manager of R1",
    "manager of R3",
    "head office",
    "revoked (R1)",
    "expired (R1)",
    "no token",
];

/// What each operation must answer, for each principal in [`WHO`] order.
const EXPECTED: [(&str, [&str; 8]); 8] = [
    (
        "POST /v1/sync — read the feed",
        [
            "200 R1",
            "200 R2",
            "200 R1",
            "200 none",
            "200 none",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "POST /v1/sync — edit R1's visit",
        [
            "200",
            "403",
            "403",
            "403",
            "403",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "POST /v1/sync — new visit of R1",
        [
            "200",
            "403",
            "403",
            "403",
            "403",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "POST /v1/sync — manager comment on R1's visit",
        [
            "403",
            "403",
            "200",
            "403",
            "403",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "POST /v1/pull — R1's visit",
        [
            "200 R1",
            "403",
            "200 R1",
            "403",
            "403",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "GET /v1/content/{sha256}",
        [
            "200",
            "200",
            "200",
            "200",
            "200",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "POST /v1/token — rotate own token",
        [
            "200 same",
            "200 same",
            "200 same",
            "200 same",
            "200 same",
            "401 revoked",
            "401 expired",
            "401 missing_token",
        ],
    ),
    (
        "GET /v1/health",
        ["200", "200", "200", "200", "200", "200", "200", "200"],
    ),
];

/// The 401 reason, or nothing.
fn status(reply: &crate::http_client::Reply) -> String {
    if reply.status == 401 {
        let text = reply.text();
        format!("401 {}", text.split(':').next().unwrap_or(""))
    } else {
        reply.status.to_string()
    }
}

pub fn the_authorization_matrix_holds(fresh: &Fresh) {
    let store = &*fresh.store;
    let operator = operator();
    let mint = |p: Principal| admin::mint_token(store, &p, &operator, None).unwrap();
    let revoked = mint(Principal::rep("R1"));
    admin::revoke_token(store, &mrc_server::tokens::id_of(&revoked), &operator).unwrap();
    let earlier = admin::Actor::new("運用担当 test", operator.now_ms - 7_200_000);
    let expired = admin::mint_token(
        store,
        &Principal::rep("R1"),
        &earlier,
        Some(operator.now_ms - 3_600_000),
    )
    .unwrap();
    let tokens: [Option<String>; 8] = [
        Some(mint(Principal::rep("R1"))),
        Some(mint(Principal::rep("R2"))),
        Some(mint(Principal::manager(["R1"]))),
        Some(mint(Principal::manager(["R3"]))),
        Some(mint(Principal::head_office())),
        Some(revoked),
        Some(expired),
        None,
    ];
    let file = crate::cases::leaflet();
    let content = mrc_server::content::VerifiedContent::new(file);
    let sha = content.hash().to_string();
    mrc_server::store::transact(store, mrc_server::store::Access::Write, |tx| {
        Ok(tx.put_content(&content, 1)?)
    })
    .unwrap();
    // R1's and R2's visits, stored by their own reps.
    let mut r1 = Device::new_visit("R1", "佐藤先生は新しいデータに関心。");
    r1.sync(store, "R1");
    Device::new_visit("R2", "鈴木先生に用量を説明。").sync(store, "R2");
    let server = TestServer::start(fresh.store.clone());
    let addr = server.addr;

    let r1_id = *r1.id.as_bytes();
    let feed_owners = |reply: &crate::http_client::Reply| -> String {
        let response: SyncResponse = decode(&reply.body).unwrap();
        let owners: Vec<&str> = response
            .feed
            .iter()
            .map(|e| if e.id == r1_id { "R1" } else { "R2" })
            .collect();
        if owners.is_empty() {
            "none".into()
        } else {
            owners.join("+")
        }
    };
    let mut observed: Vec<(&str, Vec<String>)> = Vec::new();
    for (row, (operation, _)) in EXPECTED.iter().enumerate() {
        let mut cells = Vec::new();
        for token in &tokens {
            let token = token.as_deref();
            let cell = match row {
                0 => {
                    let reply = http(
                        addr,
                        "POST",
                        "/v1/sync",
                        token,
                        &encode(&request(vec![], vec![], 0)),
                        None,
                    );
                    match reply.status {
                        200 => format!("200 {}", feed_owners(&reply)),
                        _ => status(&reply),
                    }
                }
                1 => {
                    let mut edit = r1.fork();
                    edit.edit_notes(&format!("{}（追記）", edit.notes()));
                    let body = encode(&request(vec![edit.push()], vec![], 0));
                    status(&http(addr, "POST", "/v1/sync", token, &body, None))
                }
                2 => {
                    let mut new = Device::new_visit("R1", "新規の訪問記録。");
                    let body = encode(&request(vec![new.push()], vec![], 0));
                    status(&http(addr, "POST", "/v1/sync", token, &body, None))
                }
                3 => {
                    let mut commented = r1.fork();
                    commented.comment(CommentRole::Manager, "次回は用量の説明をお願いします。");
                    let body = encode(&request(vec![commented.push()], vec![], 0));
                    status(&http(addr, "POST", "/v1/sync", token, &body, None))
                }
                4 => {
                    let pull = PullRequest {
                        v: PROTOCOL_VERSION,
                        want: vec![Want {
                            id: *r1.id.as_bytes(),
                            have: vec![],
                        }],
                    };
                    let reply = http(addr, "POST", "/v1/pull", token, &encode(&pull), None);
                    match reply.status {
                        200 => {
                            let page: PullResponse = decode(&reply.body).unwrap();
                            let got = page.docs.iter().any(|d| d.id == *r1.id.as_bytes());
                            format!("200 {}", if got { "R1" } else { "none" })
                        }
                        _ => status(&reply),
                    }
                }
                5 => status(&get(addr, &format!("/v1/content/{sha}"), token, &[])),
                6 => {
                    let ask = encode(&mrc_core::sync::wire::TokenRequest { v: PROTOCOL_VERSION });
                    let reply = http(addr, "POST", "/v1/token", token, &ask, None);
                    match reply.status {
                        200 => {
                            let new: mrc_core::sync::wire::TokenResponse = decode(&reply.body).unwrap();
                            let listed = admin::list_tokens(store).unwrap();
                            let principal_of =
                                |id: &str| listed.iter().find(|t| t.id == id).map(|t| t.principal.clone());
                            let old = token.map(mrc_server::tokens::id_of).unwrap_or_default();
                            let same = principal_of(&new.id).is_some()
                                && principal_of(&new.id) == principal_of(&old);
                            format!("200 {}", if same { "same" } else { "other" })
                        }
                        _ => status(&reply),
                    }
                }
                _ => status(&get(addr, "/v1/health", token, &[])),
            };
            cells.push(cell);
        }
        observed.push((operation, cells));
    }
    let table = render(&observed);
    println!("{table}");
    for ((operation, expected), (_, cells)) in EXPECTED.iter().zip(&observed) {
        assert_eq!(cells, expected, "{operation}\n{table}");
    }
    // No cell lets R2, the other team's manager or head office read or write R1's visits.
    for (_, cells) in &observed {
        for col in [1, 3, 4] {
            assert!(!cells[col].contains("R1"), "{table}");
        }
    }
}

/// The matrix as a Markdown table.
fn render(rows: &[(&str, Vec<String>)]) -> String {
    let mut out = format!(
        "| operation | {} |\n|---|{}\n",
        WHO.join(" | "),
        "---|".repeat(WHO.len())
    );
    for (operation, cells) in rows {
        out.push_str(&format!("| {operation} | {} |\n", cells.join(" | ")));
    }
    out
}
