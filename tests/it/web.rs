//! The landing page and the head-office view over real HTTP against a real `mrc serve`, on the data of
//! `mrc admin demo-data`: every card outcome, the HCP gate, CSRF, escaping, security headers, idempotent
//! events, ranges, sign-in, the figures against the store, and the rate limit.

use std::path::{Path, PathBuf};

use mrc_e2e::{
    http::{request, Answer},
    mrc_live, Server,
};
use serde_json::Value;

struct Site {
    _dir: tempfile::TempDir,
    data: PathBuf,
    server: Server,
    fixture: Value,
}

fn site(more: &[&str]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    // The site runs on the system clock: its per-minute limits and link lifetimes are what these tests are about.
    let out = mrc_live(&["admin", "demo-data", "--data", &data.to_string_lossy()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo-data: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixture: Value = serde_json::from_slice(&out.stdout).unwrap();
    let server = Server::start_live(&data, more);
    Site {
        _dir: dir,
        data,
        server,
        fixture,
    }
}

impl Site {
    fn card(&self, name: &str) -> String {
        self.fixture["cards"][name].as_str().unwrap().to_owned()
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        request(&self.server.url, "GET", path, headers, b"")
    }

    fn post(&self, path: &str, headers: &[(&str, &str)], form: &str) -> Answer {
        let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        request(&self.server.url, "POST", path, &all, form.as_bytes())
    }

    fn count(&self, sql: &str) -> i64 {
        count(&self.data, sql)
    }
}

fn count(data: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(data.join("server.db")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn events(site: &Site, kind: &str, verification: &str) -> i64 {
    site.count(&format!(
        "SELECT count(*) FROM events WHERE kind = '{kind}' AND verification = '{verification}'"
    ))
}

fn assert_secure_page(answer: &Answer) {
    let csp = answer.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(answer.header("x-frame-options"), Some("DENY"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
}

fn form_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

fn cookie_value(answer: &Answer, name: &str) -> String {
    answer
        .cookies()
        .into_iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")).map(str::to_owned))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", answer.headers))
}

/// Taps `card` as browser `browser` twice within one minute (retried if the minute turned in between).
fn tap_twice(site: &Site, card: &str, browser: &str) -> (Answer, i64) {
    loop {
        let before = events(site, "web_tap", "verified");
        let minute = || chrono::Utc::now().timestamp() / 60;
        let start = minute();
        let first = site.get(card, &[("Cookie", browser)]);
        let _second = site.get(card, &[("Cookie", browser)]);
        if minute() == start {
            return (first, events(site, "web_tap", "verified") - before);
        }
    }
}

#[test]
fn a_doctor_taps_answers_the_gate_and_sees_the_current_material() {
    let site = site(&[]);
    let browser = "mrc_bid=0123456789abcdef0123456789abcdef";

    // The tap: judged, recorded once for this browser however often it asks, then redirected to a view link.
    let (tap, new_events) = tap_twice(&site, &site.card("valid"), browser);
    assert_eq!(tap.status, 303, "{}", tap.text());
    assert_eq!(new_events, 1, "two requests of one tap make one event");
    let view = tap.header("location").unwrap().to_owned();
    assert!(view.starts_with("/v/"));

    // The HCP question first, in Japanese by default, with a CSRF token.
    let gate = site.get(&view, &[("Cookie", browser)]);
    assert_eq!(gate.status, 200);
    assert_secure_page(&gate);
    let html = gate.text();
    assert!(html.contains("<html lang=\"ja\">") && html.contains("医療関係者の方ですか？"));
    assert!(!html.contains("/content"), "no material before the answer");
    let csrf = cookie_value(&gate, "mrc_csrf");
    assert_eq!(form_value(&html, "csrf"), csrf);
    let link = form_value(&html, "link");

    // English when the browser prefers it.
    let english = site.get(&view, &[("Accept-Language", "en-US,en;q=0.9,ja;q=0.5")]);
    assert!(english.text().contains("<html lang=\"en\">"));
    assert!(english.text().contains("Are you a healthcare professional?"));

    // A forged form (no or another CSRF token) is refused and sets nothing.
    let cookies = format!("{browser}; mrc_csrf={csrf}");
    let forged = site.post(
        "/gate",
        &[("Cookie", &cookies)],
        &format!("csrf=ffffffffffffffffffffffffffffffff&link={link}&answer=yes"),
    );
    assert_eq!(forged.status, 403);
    assert!(forged.cookies().is_empty());
    let no_cookie = site.post("/gate", &[], &format!("csrf={csrf}&link={link}&answer=yes"));
    assert_eq!(no_cookie.status, 403);

    // "No": nothing promotional.
    let no = site.post(
        "/gate",
        &[("Cookie", &cookies)],
        &format!("csrf={csrf}&link={link}&answer=no"),
    );
    assert_eq!(no.status, 200);
    assert!(no.text().contains("医療関係者向け") && !no.text().contains("/content"));
    assert!(no.cookies().is_empty());

    // "Yes": remembered for the session, then the material page.
    let yes = site.post(
        "/gate",
        &[("Cookie", &cookies)],
        &format!("csrf={csrf}&link={link}&answer=yes"),
    );
    assert_eq!(yes.status, 303);
    assert_eq!(cookie_value(&yes, "mrc_hcp"), "yes");
    let hcp = format!("{cookies}; mrc_hcp=yes");
    let opens_before = events(&site, "web_open", "verified");
    let page = site.get(&view, &[("Cookie", &hcp)]);
    assert_eq!(page.status, 200);
    assert_secure_page(&page);
    let title = site.fixture["material"]["title"].as_str().unwrap();
    assert!(page.text().contains(title), "the material's title is shown");
    assert!(page.text().contains("type=\"application/pdf\""));
    let _again = site.get(&view, &[("Cookie", &hcp)]);
    assert_eq!(
        events(&site, "web_open", "verified") - opens_before,
        1,
        "one open per tap"
    );

    // The file, by byte range, only for a browser that answered the gate.
    let content = format!("{view}/content");
    let part = site.get(&content, &[("Cookie", &hcp), ("Range", "bytes=0-4")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, b"%PDF-");
    assert_eq!(part.header("content-type"), Some("application/pdf"));
    assert!(part.header("content-range").unwrap().starts_with("bytes 0-4/"));
    let whole = site.get(&content, &[("Cookie", &hcp)]);
    assert_eq!(whole.status, 200);
    assert!(whole.body.ends_with(b"%%EOF\n"));
    assert_eq!(site.get(&content, &[]).status, 403);

    // A link that was changed or made up opens nothing and reflects nothing.
    let mut tampered = view.clone();
    tampered.pop();
    tampered.push(if view.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(site.get(&tampered, &[("Cookie", &hcp)]).status, 404);
    let injected = site.get("/v/%3Cscript%3Ealert(1)%3C%2Fscript%3E", &[("Cookie", &hcp)]);
    assert_eq!(injected.status, 404);
    assert!(!injected.text().contains("<script>alert"));
}

#[test]
fn expired_withdrawn_forged_unknown_and_replayed_cards_show_no_material() {
    let site = site(&[]);
    let cases = [
        ("expired", 410, "有効期限が切れています"),
        ("withdrawn", 410, "公開されていません"),
        ("forged", 403, "正規のものではない可能性"),
        ("unknown", 404, "登録されていないカード"),
    ];
    for (card, status, text) in cases {
        let answer = site.get(&site.card(card), &[]);
        assert_eq!(answer.status, status, "{card}: {}", answer.text());
        assert!(answer.text().contains(text), "{card}: {}", answer.text());
        assert!(!answer.text().contains("/content"), "{card}");
        assert_secure_page(&answer);
    }
    assert_eq!(events(&site, "web_tap", "forged"), 1);
    assert_eq!(events(&site, "web_tap", "unknown"), 1);

    // A SUN URL opens once; the same URL again (copied, forwarded) is a replay: warned and logged.
    let sun = site.fixture["cards"]["sun"][0].as_str().unwrap().to_owned();
    assert_eq!(site.get(&sun, &[]).status, 303);
    let replay = site.get(&sun, &[]);
    assert_eq!(replay.status, 403);
    assert!(replay.text().contains("既に使用されています"));
    assert_eq!(events(&site, "web_tap", "replay"), 1);
    let next = site.fixture["cards"]["sun"][1].as_str().unwrap().to_owned();
    assert_eq!(site.get(&next, &[]).status, 303, "the card's next read opens");
}

#[test]
fn the_head_office_view_needs_a_head_office_sign_in_and_matches_the_store() {
    let site = site(&[]);
    // Nothing without signing in.
    assert_eq!(site.get("/admin", &[]).header("location"), Some("/admin/login"));
    assert_eq!(site.get("/admin/report.json", &[]).status, 401);
    assert_eq!(site.get("/admin/export/visits.csv", &[]).status, 401);
    let rep_token = mrc_e2e::admin_token(&site.data, "REP-001");
    let bearer = format!("Bearer {rep_token}");
    assert_eq!(
        site.get("/admin/report.json", &[("Authorization", &bearer)])
            .status,
        401
    );

    // Sign-in: CSRF-checked, wrong tokens refused, the session cookie strict and scoped to /admin.
    let form = site.get("/admin/login", &[]);
    assert_eq!(form.status, 200);
    let csrf = cookie_value(&form, "mrc_csrf");
    let cookie = format!("mrc_csrf={csrf}");
    let token = site.fixture["head_office_token"].as_str().unwrap();
    let no_csrf = site.post("/admin/login", &[], &format!("csrf={csrf}&token={token}"));
    assert_eq!(no_csrf.status, 403);
    let wrong = site.post(
        "/admin/login",
        &[("Cookie", &cookie)],
        &format!("csrf={csrf}&token={rep_token}"),
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.cookies().iter().all(|c| !c.starts_with("mrc_admin")));
    let ok = site.post(
        "/admin/login",
        &[("Cookie", &cookie)],
        &format!("csrf={csrf}&token={token}"),
    );
    assert_eq!(ok.status, 303);
    let set = ok
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("mrc_admin="))
        .unwrap();
    assert!(set.1.contains("Path=/admin") && set.1.contains("HttpOnly") && set.1.contains("SameSite=Strict"));
    let session = format!("{cookie}; mrc_admin={}", cookie_value(&ok, "mrc_admin"));

    // The figures on the page are the store's: the window asked for covers the demo data's days.
    let default = site.get("/admin", &[("Cookie", &session)]);
    assert_eq!(default.status, 200, "{}", default.text());
    assert!(
        default.text().contains("id=\"period\""),
        "the page says which days it covers"
    );
    let window = format!(
        "from={}&to={}",
        site.fixture["window"]["from"].as_str().unwrap(),
        site.fixture["window"]["to"].as_str().unwrap()
    );
    assert_eq!(
        site.get("/admin?from=2026-13-01", &[("Cookie", &session)]).status,
        400
    );
    let page = site.get(&format!("/admin?{window}"), &[("Cookie", &session)]);
    assert_eq!(page.status, 200, "{}", page.text());
    assert_secure_page(&page);
    let html = page.text();
    let figure = |id: &str| -> i64 {
        let marker = format!("id=\"{id}\">");
        let start = html.find(&marker).unwrap() + marker.len();
        html[start..].split('<').next().unwrap().parse().unwrap()
    };
    assert_eq!(figure("kpi-visits"), site.count("SELECT count(*) FROM docs"));
    assert_eq!(
        figure("kpi-taps"),
        site.count("SELECT count(*) FROM events WHERE kind IN ('nfc_tap', 'web_tap')")
    );
    assert_eq!(
        figure("kpi-verified"),
        site.count(
            "SELECT count(*) FROM events WHERE kind IN ('nfc_tap', 'web_tap') AND verification = 'verified'"
        )
    );
    let flagged = figure("kpi-flagged");
    assert!(flagged > 0 && flagged < figure("kpi-visits") / 2, "{flagged}");
    assert!(figure("kpi-amended") > 0);
    assert!(html.contains("vendor/chart-4.6.1.umd.min.js") && !html.contains("https://"));

    // Findings read in Japanese with their points; a visit opens its detail page, a rep the rep's visits.
    assert!(
        html.contains("指摘（点）") && !html.contains("duplicate_notes,"),
        "findings are named, not coded"
    );
    let visit_link = html
        .split("href=\"/admin/visit/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let visit_path = format!("/admin/visit/{}", visit_link.replace("&amp;", "&"));
    let detail = site.get(&visit_path, &[("Cookie", &session)]);
    assert_eq!(detail.status, 200, "{}", detail.text());
    assert_secure_page(&detail);
    let detail_html = detail.text();
    for section in [
        "id=\"notes\"",
        "id=\"score\"",
        "id=\"findings\"",
        "id=\"taps\"",
        "id=\"amendments\"",
    ] {
        assert!(detail_html.contains(section), "{section}");
    }
    assert!(detail_html.contains("担当者") && detail_html.contains("医師"));
    assert_eq!(
        site.get(
            "/admin/visit/0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b",
            &[("Cookie", &session)]
        )
        .status,
        404
    );
    assert_eq!(
        site.get("/admin/visit/not-an-id", &[("Cookie", &session)]).status,
        404
    );
    assert_eq!(
        site.get(&visit_path, &[]).header("location"),
        Some("/admin/login")
    );
    let owner: String = rusqlite::Connection::open(site.data.join("server.db"))
        .unwrap()
        .query_row("SELECT owner FROM docs ORDER BY owner LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let listed = site.get(
        &format!("/admin/visits?rep={owner}&{window}"),
        &[("Cookie", &session)],
    );
    assert_eq!(listed.status, 200);
    let rows = listed.text().matches("href=\"/admin/visit/").count() as i64;
    let owned = site.count(&format!("SELECT count(*) FROM docs WHERE owner = '{owner}'"));
    assert_eq!(rows, owned.min(100), "the rep's visits, one page of at most 100");
    let by_code = site.get(
        &format!("/admin/visits?code=material_without_evidence&{window}"),
        &[("Cookie", &session)],
    );
    let carrying = site.count(
        "SELECT count(*) FROM verdicts WHERE codes LIKE '%,material\\_without\\_evidence,%' ESCAPE '\\'",
    );
    assert!(carrying > 0);
    assert_eq!(
        by_code.text().matches("href=\"/admin/visit/").count() as i64,
        carrying.min(100)
    );
    assert_eq!(
        site.get(
            &format!("/admin/visits?code=訪問&{window}"),
            &[("Cookie", &session)]
        )
        .status,
        400
    );

    // CSV: one line per visit, with a BOM for spreadsheet software; the JSON has every visit too.
    let csv = site.get(
        &format!("/admin/export/visits.csv?{window}"),
        &[("Cookie", &session)],
    );
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("\u{feff}visit_id,".as_bytes()));
    let lines = csv.text().lines().count() as i64;
    assert_eq!(lines - 1, site.count("SELECT count(*) FROM docs"));
    let by_token = site.get(
        &format!("/admin/report.json?{window}"),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    let report: Value = serde_json::from_slice(&by_token.body).unwrap();
    assert_eq!(
        report["summary"]["team"]["visits"].as_i64().unwrap(),
        figure("kpi-visits")
    );
    let listed = report["to_look_at"].as_array().unwrap().len() as i64;
    assert!(listed > 0 && listed <= report["to_look_at_total"].as_i64().unwrap());

    // Signing out is a CSRF-checked POST.
    assert_eq!(
        site.post("/admin/logout", &[("Cookie", &session)], "csrf=0")
            .status,
        403
    );
    let out = site.post("/admin/logout", &[("Cookie", &session)], &format!("csrf={csrf}"));
    assert_eq!(out.status, 303);
}

#[test]
fn the_card_endpoint_is_rate_limited_per_address() {
    let site = site(&["--tap-limit", "3"]);
    let card = site.card("unknown");
    for _ in 0..3 {
        assert_eq!(site.get(&card, &[]).status, 404);
    }
    let limited = site.get(&card, &[]);
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(
        site.count("SELECT count(*) FROM events WHERE kind = 'web_tap'"),
        3,
        "refused taps are not judged"
    );
}

/// The kpi value `id` on a page.
fn kpi(html: &str, id: &str) -> i64 {
    let start = html
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no {id}"))
        + id.len()
        + 6;
    html[start..].split('<').next().unwrap().parse().unwrap()
}

#[test]
fn the_insights_page_counts_what_the_store_holds_and_exports_it() {
    let site = site(&[]);
    assert_eq!(
        site.get("/admin/insights", &[]).header("location"),
        Some("/admin/login")
    );
    assert_eq!(site.get("/admin/insights/export/needs.csv", &[]).status, 401);
    let bearer = format!("Bearer {}", site.fixture["head_office_token"].as_str().unwrap());
    let auth = [("Authorization", bearer.as_str())];
    let (from, to) = (
        site.fixture["window"]["from"].as_str().unwrap(),
        site.fixture["window"]["to"].as_str().unwrap(),
    );
    let window = format!("from={from}&to={to}");
    let page = site.get(&format!("/admin/insights?{window}"), &auth);
    assert_eq!(page.status, 200, "{}", page.text());
    assert_secure_page(&page);
    let html = page.text();
    for part in ["情報ニーズ", "採用段階", "回付・転送待ち", "<svg class=\"bar\""] {
        assert!(html.contains(part), "{part} in the page");
    }
    // The demo data's visits carry the insights an MR accepting the proposals records: the page counts them all.
    let needs = site.count("SELECT count(*) FROM insight_facts WHERE kind = 'need'");
    assert!(needs > 0, "the demo data records needs");
    assert_eq!(kpi(&html, "kpi-needs"), needs);
    let awaiting = site.count(
        "SELECT count(*) FROM insight_facts WHERE (kind = 'question' AND flag AND code <> 'routed')
           OR (kind = 'safety' AND flag)",
    );
    assert_eq!(kpi(&html, "kpi-awaiting"), awaiting);
    // The default deadline is a day: safety information not forwarded from a visit started before then is late.
    let day_ago = chrono::Utc::now().timestamp_millis() - 24 * 3600 * 1000;
    let overdue = site.count(&format!(
        "SELECT count(*) FROM insight_facts WHERE kind = 'safety' AND flag AND started_at_ms < {day_ago}"
    ));
    assert!(overdue > 0, "the demo data has late safety information");
    assert_eq!(kpi(&html, "kpi-overdue"), overdue);

    let csv = site.get(&format!("/admin/insights/export/needs.csv?{window}"), &auth);
    assert_eq!(csv.status, 200);
    let text = csv.text();
    assert!(text.starts_with("\u{feff}week,product,product_name,topic,topic_name,visits\r\n"));
    let summed: i64 = (text.lines().skip(1))
        .map(|l| l.rsplit(',').next().unwrap().trim().parse::<i64>().unwrap())
        .sum();
    assert_eq!(summed, needs, "the weekly rows add up to every need");
    let awaiting_csv = site.get(&format!("/admin/insights/export/awaiting.csv?{window}"), &auth);
    assert_eq!(awaiting_csv.text().lines().count() as i64, awaiting + 1);
    // When each visit started, in the server's zone (Asia/Tokyo here), not milliseconds.
    let text = awaiting_csv.text();
    assert!(text.starts_with("\u{feff}visit,rep,hcp,started_at,kind,product,text,overdue\r\n"));
    let late_rows = text.lines().skip(1).filter(|l| l.ends_with(",true")).count() as i64;
    assert_eq!(late_rows, overdue, "every late item is marked in the export");
    assert!(
        awaiting > 0
            && text
                .lines()
                .skip(1)
                .all(|l| l.split(',').nth(3).is_some_and(|t| t.ends_with("+09:00")))
    );
    assert_eq!(site.get("/admin/insights/export/other.csv", &auth).status, 404);
}

#[test]
fn the_server_log_has_a_line_of_fields_per_request_and_nothing_a_user_entered() {
    let site = site(&[]);
    let bearer = format!("Bearer {}", site.fixture["head_office_token"].as_str().unwrap());
    let auth = [("Authorization", bearer.as_str())];
    let window = format!(
        "from={}&to={}",
        site.fixture["window"]["from"].as_str().unwrap(),
        site.fixture["window"]["to"].as_str().unwrap()
    );
    // A doctor taps, head office reads the pages showing doctors' names, notes and what doctors asked.
    let browser = "mrc_bid=fedcba9876543210fedcba9876543210";
    let (tap, _) = tap_twice(&site, &site.card("valid"), browser);
    assert_eq!(tap.status, 303, "{}", tap.text());
    let listed = site.get(&format!("/admin/visits?{window}"), &auth);
    let visit = listed
        .text()
        .split("href=\"/admin/visit/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let visit = visit.replace("&amp;", "&");
    let detail = site.get(&format!("/admin/visit/{visit}"), &auth);
    assert_eq!(detail.status, 200, "{}", detail.text());
    assert_eq!(site.get(&format!("/admin/insights?{window}"), &auth).status, 200);
    // What the page shows that people entered: the notes (their first clause) and the doctor's name.
    let html = detail.text();
    let notes: String = (html.split("id=\"notes\">").nth(1).unwrap_or_default().chars())
        .take_while(|c| !matches!(c, '<' | '。' | '、'))
        .collect();
    let doctor: String = (html.split("医師").nth(1).unwrap_or_default().chars())
        .skip_while(|c| !('\u{4E00}'..='\u{9FFF}').contains(c))
        .take_while(|c| !matches!(c, '<' | '（'))
        .collect();
    let doctor = doctor.trim().to_owned();
    assert!(
        notes.chars().count() >= 5 && doctor.chars().count() >= 2,
        "{notes:?} {doctor:?}"
    );

    let log = site.server.log();
    // One event per request, with its fields: the route as registered, never the path with its ids or tokens.
    assert!(
        log.contains("route=\"/admin/visit/{id}\"") || log.contains("route=/admin/visit/{id}"),
        "{log}"
    );
    assert!(log.contains("status=200") && log.contains("request"), "{log}");
    let visit_id = visit.split('?').next().unwrap();
    assert!(!log.contains(visit_id), "the visit id is not logged");
    assert!(!log.contains(&site.card("valid")), "the card token is not logged");
    assert!(!log.contains(site.fixture["head_office_token"].as_str().unwrap()));
    // Nothing a rep or a doctor entered: the visit's notes, the doctor's name.
    assert!(!log.contains(&notes), "{notes} is not logged");
    assert!(!log.contains(&doctor), "the doctor's name {doctor} is not logged");
}
