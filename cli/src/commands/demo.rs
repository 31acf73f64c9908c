//! `mrc demo`: the product so far, told as a short story on fresh temporary stores.

use chrono::{DateTime, Duration, FixedOffset, Offset, TimeZone, Utc};
use mrc_core::{
    clock::{OffsetClock, SharedClock},
    insights::{suggest, Lexicon},
    nfc::ndef::NdefInput,
    visit::{
        InformationNeed, ProductStage, Reaction, SafetyMention, VisitFields, VisitFilter, VisitInsights,
    },
    Store,
};
use mrc_sample::SeedConfig;

use mrc_cli::http::HttpTransport;

use super::render;
use crate::error::CliError;

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn step(n: u32, ja: &str, en: &str) {
    println!("\n── {n}. {ja} / {en}");
}

/// A sync server on a free loopback port, in a thread of this process, with the territory's master data.
struct Embedded {
    url: String,
    tablet_token: String,
    phone_token: String,
}

fn embedded_server(
    dir: &std::path::Path,
    config: &SeedConfig,
    clock: &SharedClock,
) -> Result<Embedded, CliError> {
    let failed = |e: &dyn std::fmt::Display| CliError::Failed(format!("embedded server: {e}"));
    let store =
        mrc_server::open(&mrc_server::StoreConfig::Sqlite(dir.join("server"))).map_err(|e| failed(&e))?;
    let master = mrc_sample::generate(config).master;
    let json = serde_json::to_string(&master).map_err(|e| failed(&e))?;
    mrc_server::admin::import_master(store.as_ref(), &json).map_err(|e| failed(&e))?;
    let demo = mrc_server::admin::Actor::new("mrc demo", clock.now_ms());
    let rep = master.reps.first().map(|r| r.id.clone()).unwrap_or_default();
    let token = || {
        mrc_server::admin::mint_token(
            store.as_ref(),
            &mrc_server::Principal::rep(rep.clone()),
            &demo,
            None,
        )
    };
    let (tablet_token, phone_token) = (token().map_err(|e| failed(&e))?, token().map_err(|e| failed(&e))?);
    let (ready, address) = std::sync::mpsc::channel();
    let clock = clock.clone();
    std::thread::spawn(move || {
        let _ = mrc_server::http::run(([127, 0, 0, 1], 0).into(), store, clock, move |addr| {
            let _ = ready.send(addr);
        });
    });
    let addr = address
        .recv_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| failed(&e))?;
    Ok(Embedded {
        url: format!("http://{addr}"),
        tablet_token,
        phone_token,
    })
}

fn sync(store: &Store, link: &HttpTransport) -> Result<mrc_core::sync::SyncReport, CliError> {
    store
        .sync(link, &mut |_| {})
        .map_err(|e| CliError::Failed(format!("demo sync: {e}")))
}

/// The demo tells the story of 11:30 on the working day in Japan at or before `real` (the machine's clock),
/// whatever the machine's zone.
fn story_start(real: DateTime<Utc>) -> DateTime<FixedOffset> {
    let jst = FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix());
    let mut day = real.with_timezone(&jst).date_naive();
    while !mrc_core::calendar::is_working_day(day) {
        day = day.pred_opt().unwrap_or(day);
    }
    let at = day.and_hms_opt(11, 30, 0).unwrap_or_default();
    jst.from_local_datetime(&at)
        .single()
        .unwrap_or_else(|| real.with_timezone(&jst))
}

/// Tells the story at the working day at or before `real` (the machine's clock, or `--now`).
pub fn run(real: &SharedClock) -> Result<(), CliError> {
    let dir = tempfile::tempdir()
        .map_err(|e| CliError::Failed(format!("cannot create a temporary folder: {e}")))?;
    // One clock for both devices and the embedded server: the story's time, advancing in real time from it, so
    // what the server stamps follows what the devices entered, at whatever real time the demo runs.
    let now = story_start(real.now());
    let clock: SharedClock = OffsetClock::starting_at(now.to_utc());
    let tablet = Store::open_with_clock(dir.path().join("tablet.db"), clock.clone())?;
    let phone = Store::open_with_clock(dir.path().join("phone.db"), clock.clone())?;
    println!(
        "MR Companion デモ / demo — 一時ストア temporary stores in {}",
        dir.path().display()
    );

    step(
        1,
        "サンプル地域を作成",
        "seeding a sample territory on the tablet",
    );
    let today = now.date_naive();
    let config = SeedConfig {
        hcps: 60,
        institutions: 12,
        days: 30,
        end: today - Duration::days(1),
        ..SeedConfig::default()
    };
    let summary = mrc_sample::seed(&tablet, &config)?;
    println!(
        "  {} 施設 institutions, {} 医師 HCPs, {} 資材 materials, 過去30日の訪問 {} visits in the last 30 days",
        summary.institutions, summary.hcps, summary.materials, summary.visits
    );

    step(2, "最近の訪問", "the latest visits, newest first");
    let week = VisitFilter::Dates {
        from: today - Duration::days(7),
        to: today,
    };
    let recent = tablet.list_visits(&week)?;
    print!("{}", render::visit_list(&tablet, &recent[..recent.len().min(5)]));
    let template = recent
        .first()
        .ok_or_else(|| CliError::Failed("the sample territory has no recent visits".into()))?;

    step(
        3,
        "タブレットで訪問を記録（オフライン）",
        "recording a visit on the tablet, offline",
    );
    let doctor = match template
        .fields
        .hcp_id
        .as_deref()
        .map(|h| tablet.hcp_name(h))
        .transpose()?
    {
        Some(Some((name, _kana))) => name.split_whitespace().next().unwrap_or("").to_owned(),
        _ => String::new(),
    };
    let form = VisitFields {
        started_at: Some(now - Duration::minutes(20)),
        duration_min: Some(15),
        reaction: Some(Reaction::Positive),
        next_objective: Some("腎機能低下例での用量を説明する".into()),
        notes: format!("{doctor}先生は新しい臨床データに関心。次回は用量について説明する。"),
        ..template.fields.clone()
    };
    let id = tablet.create_visit_with(None, &form, (now + Duration::minutes(5)).to_utc())?;
    print!("{}", render::visit(&tablet, &tablet.get_visit(id)?));

    step(
        4,
        "医師がNFCカードにスマートフォンをタップ",
        "the doctor taps a phone on the MR's NFC card",
    );
    let cards = mrc_sample::cards::demo_cards(&tablet, today).map_err(|e| CliError::Failed(e.to_string()))?;
    println!(
        "  カードを作成 card programmed: {} ({} bytes of NDEF, NTAG213 image {} bytes)",
        cards.url,
        cards.genuine.len(),
        cards.genuine_image.len()
    );
    let taps: [(&str, &str, &[u8]); 3] = [
        ("本物のカード", "genuine card", &cards.genuine),
        (
            "旧版を指すカード",
            "card of a superseded version",
            &cards.superseded,
        ),
        ("偽造カード", "forged card", &cards.forged),
    ];
    for (ja, en, bytes) in taps {
        let tap = tablet.handle_tap(NdefInput::Bytes(bytes), now + Duration::minutes(3), Some(id))?;
        let outcome = serde_json::to_string(&tap.outcome).map_err(|e| CliError::Failed(e.to_string()))?;
        println!("  {ja} / {en}: {outcome}");
    }

    step(
        5,
        "組込みサーバー経由でスマートフォンと同期",
        "syncing tablet and phone through an embedded server",
    );
    let server = embedded_server(dir.path(), &config, &clock)?;
    let tablet_link = HttpTransport::new(&server.url, &server.tablet_token);
    let phone_link = HttpTransport::new(&server.url, &server.phone_token);
    let pushed = sync(&tablet, &tablet_link)?;
    let pulled = sync(&phone, &phone_link)?;
    println!("  サーバー server: {}", server.url);
    println!(
        "  タブレット tablet: {} visits pushed, {} KB up, {} request(s)",
        pushed.pushed,
        pushed.bytes_up / 1024,
        pushed.round_trips
    );
    println!(
        "  スマートフォン phone: {} visits pulled, {} KB down, {} request(s)",
        pulled.pulled,
        pulled.bytes_down / 1024,
        pulled.round_trips
    );

    step(
        6,
        "両方の端末で同時に編集（オフライン）",
        "both devices edit the same sentence, offline",
    );
    let name_len = doctor.chars().count();
    tablet.splice_notes(id, name_len + 2, 0, "（外来で）")?;
    println!("  タブレット tablet:      {}", tablet.get_visit(id)?.fields.notes);
    let mut on_phone = phone.get_visit(id)?.fields;
    on_phone.reaction = Some(Reaction::Neutral);
    phone.update_visit(id, &on_phone)?;
    phone.set_notes(
        id,
        &format!("{doctor}先生は新しい臨床試験のデータに関心。次回は用量について説明する。📄"),
    )?;
    println!("  スマートフォン phone:    {}", phone.get_visit(id)?.fields.notes);

    step(7, "再接続して同期", "back online: both devices sync");
    for (name, store, link) in [
        ("tablet", &tablet, &tablet_link),
        ("phone", &phone, &phone_link),
        ("tablet", &tablet, &tablet_link),
    ] {
        let r = sync(store, link)?;
        println!(
            "  {name}: pushed {}, pulled {}, {} B up, {} B down, {} request(s)",
            r.pushed, r.pulled, r.bytes_up, r.bytes_down, r.round_trips
        );
    }
    let (a, b) = (tablet.get_visit(id)?, phone.get_visit(id)?);
    println!("  統合後 Merged notes:    {}", a.fields.notes);
    println!(
        "  反応 reaction:          {}",
        a.fields.reaction.map(|r| r.as_str()).unwrap_or("—")
    );
    let same = a.fields == b.fields;
    println!(
        "  両端末で一致 identical on both devices: {}",
        if same { "はい yes" } else { "いいえ NO" }
    );
    if !same {
        return Err(CliError::Failed("the two devices did not converge".into()));
    }
    step(
        8,
        "入力チェック：10日前の訪問を後から登録",
        "validation: a visit backdated by 10 days",
    );
    let backdated = VisitFields {
        started_at: Some(now - Duration::days(10)),
        ..form.clone()
    };
    print!(
        "{}",
        indent(&super::validate::render(&tablet.validate(
            None,
            &backdated,
            None,
            now.to_utc()
        )?))
    );

    step(
        9,
        "入力チェック：前回メモのコピー（句読点だけ変更）",
        "validation: notes copied from an earlier visit",
    );
    let earlier = recent
        .iter()
        .find(|v| v.fields.notes.chars().count() > 40)
        .unwrap_or(template);
    let copied = VisitFields {
        notes: earlier.fields.notes.replace('。', "．").replace('、', "，"),
        started_at: Some(now - Duration::minutes(90)),
        ..form.clone()
    };
    print!(
        "{}",
        indent(&super::validate::render(&tablet.validate(
            None,
            &copied,
            None,
            now.to_utc()
        )?))
    );

    step(
        10,
        "記録した訪問を提出（以後はロック）",
        "submitting the recorded visit (locked afterwards)",
    );
    let report = tablet.submit_visit(id, now.to_utc())?;
    print!("{}", indent(&super::validate::render(&report)));
    match tablet.set_notes(id, "提出後の書き換え") {
        Err(err) => println!("  提出後の編集は拒否 / an edit after submission is refused: {err}"),
        Ok(()) => return Err(CliError::Failed("a submitted visit accepted an edit".into())),
    }

    super::audit::demo(11, &tablet, &mrc_sample::generate(&config).master, now)?;

    insights(12, &tablet, &form, now)?;

    println!(
        "\n以上です。That was the core: a store, visit documents that merge across devices, validation and the \
         reliability score, NFC taps, sync through a server, the audit, and the doctor's needs."
    );
    Ok(())
}

/// The next visit to the same doctor: the notes mention a rash and a renal-dosing question; the core proposes, the
/// MR accepts, the safety mention waits to be forwarded, and the pre-visit screen shows where the doctor stands.
fn insights(n: u32, store: &Store, last: &VisitFields, now: DateTime<FixedOffset>) -> Result<(), CliError> {
    step(
        n,
        "医師のニーズと安全性情報（提案を受け入れて記録）",
        "the doctor's needs and safety information: proposals the MR accepts",
    );
    let notes = "透析患者での用量について質問あり。服用中の患者さんで発疹が出たとのこと。";
    let proposals = suggest(notes, Lexicon::builtin());
    let topics: Vec<&str> = proposals.topics.iter().map(|t| t.code.as_str()).collect();
    println!("  メモ notes: {notes}");
    println!("  提案トピック proposed topics: {}", topics.join(", "));
    let product = last.products.first().map(|p| p.product_id.clone());
    let mut insights = VisitInsights {
        stages: product
            .iter()
            .map(|p| ProductStage {
                product_id: p.clone(),
                stage: "trial".into(),
            })
            .collect(),
        needs: (proposals.topics.iter())
            .map(|t| InformationNeed {
                topic: t.code.clone(),
                product_id: product.clone(),
            })
            .collect(),
        ..VisitInsights::default()
    };
    if let Some(flag) = &proposals.adverse_event {
        println!(
            "  有害事象の可能性「{}」→ 安全性情報として記録し、安全管理部門へ転送してください / possible adverse event \
             \"{}\": recorded as safety information, to forward to pharmacovigilance",
            flag.cue, flag.cue
        );
        insights.safety.push(SafetyMention {
            id: "demo-safety-1".into(),
            text: notes.into(),
            product_id: product.clone(),
            forwarded: false,
        });
    }
    let next = VisitFields {
        started_at: Some(now + Duration::minutes(40)),
        notes: notes.into(),
        insights,
        ..last.clone()
    };
    let id = store.create_visit_with(None, &next, (now + Duration::minutes(60)).to_utc())?;
    let recorded = store.get_visit(id)?.fields.insights;
    println!(
        "  記録 recorded: 段階 stages {}, ニーズ needs {}, 安全性情報 safety {} (未転送 not forwarded {})",
        recorded.stages.len(),
        recorded.needs.len(),
        recorded.safety.len(),
        recorded.safety_awaiting_forwarding().count()
    );
    let hcp = last.hcp_id.as_deref().unwrap_or_default();
    println!("  次回訪問前の画面 / the pre-visit screen (mrc doctor {hcp}):");
    print!(
        "{}",
        indent(&super::doctor::text(
            store,
            hcp,
            (now + Duration::days(1)).to_utc()
        )?)
    );
    Ok(())
}
