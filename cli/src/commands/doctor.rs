//! `mrc doctor <hcp>`: the pre-visit screen of one doctor — the profile and the materials to suggest — in
//! Japanese and English, or as JSON.

use chrono::{DateTime, Utc};
use mrc_core::{
    insights::{DoctorProfile, MaterialSuggestion},
    local_time,
    master::InsightCatalog,
    Store,
};
use serde::Serialize;

use crate::{error::CliError, output};

/// What `--json` prints.
#[derive(Serialize)]
struct Screen {
    profile: DoctorProfile,
    suggestions: Vec<MaterialSuggestion>,
}

pub fn run(store: &Store, hcp_id: &str, now: DateTime<Utc>, as_json: bool) -> Result<(), CliError> {
    let screen = Screen {
        profile: store.doctor_profile(hcp_id)?,
        suggestions: store.pull_suggestions(hcp_id, now)?,
    };
    let text = text_of(store, &screen)?;
    output::emit(as_json, &screen, |_| text)
}

/// The screen of doctor `hcp_id` as text (also `mrc demo`'s).
pub fn text(store: &Store, hcp_id: &str, now: DateTime<Utc>) -> Result<String, CliError> {
    let screen = Screen {
        profile: store.doctor_profile(hcp_id)?,
        suggestions: store.pull_suggestions(hcp_id, now)?,
    };
    text_of(store, &screen)
}

fn text_of(store: &Store, screen: &Screen) -> Result<String, CliError> {
    let catalog = store.insight_catalog()?;
    let zone = store.rules()?.zone();
    let name = store.hcp_name(&screen.profile.hcp_id)?;
    Ok(render(screen, name, &catalog, |t| {
        local_time::local_day(&t, zone).to_string()
    }))
}

fn render(
    screen: &Screen,
    name: Option<(String, String)>,
    catalog: &InsightCatalog,
    day: impl Fn(DateTime<Utc>) -> String,
) -> String {
    let p = &screen.profile;
    let stage = |code: &str| match catalog.stage(code) {
        Some(s) => format!("{} {}", s.name_ja, s.name_en),
        None => code.to_owned(),
    };
    let topic = |code: &str| match catalog.topics.iter().find(|t| t.code == code) {
        Some(t) => format!("{} {}", t.name_ja, t.name_en),
        None => code.to_owned(),
    };
    let who = match name {
        Some((name, kana)) => format!("{name}（{kana}） {}", p.hcp_id),
        None => p.hcp_id.clone(),
    };
    let mut out = format!("{who} — 訪問 {n}件 / {n} visits\n", n = p.visits);
    let mut section = |title: &str, lines: Vec<String>| {
        out.push_str(title);
        out.push('\n');
        if lines.is_empty() {
            out.push_str("  —\n");
        }
        lines.iter().for_each(|l| out.push_str(&format!("  {l}\n")));
    };
    section(
        "採用段階 Adoption stage",
        (p.stages.iter())
            .map(|s| {
                let from = s
                    .previous
                    .as_deref()
                    .map(|prev| format!("、{} から from", stage(prev)));
                format!(
                    "{}: {}（{}〜{}）",
                    s.product_id,
                    stage(&s.stage),
                    day(s.since),
                    from.unwrap_or_default()
                )
            })
            .collect(),
    );
    section(
        "未解決のニーズ Open needs",
        (p.open_needs.iter())
            .map(|n| {
                let product = n
                    .product_id
                    .as_deref()
                    .map(|id| format!(" [{id}]"))
                    .unwrap_or_default();
                format!(
                    "{}{product} ×{}、最終 last {}",
                    topic(&n.topic),
                    n.raised,
                    day(n.last_raised)
                )
            })
            .collect(),
    );
    section(
        "未回答の質問 Open questions",
        (p.open_questions.iter())
            .map(|q| {
                let label = if q.question.off_label {
                    "適応外 off-label, "
                } else {
                    ""
                };
                format!(
                    "[{label}{}] {}（{}）",
                    q.question.status.as_str(),
                    q.question.text,
                    day(q.asked)
                )
            })
            .collect(),
    );
    section(
        "未転送の安全性情報 Safety information not forwarded",
        (p.safety_pending.iter())
            .map(|s| format!("{}（{}）", s.mention.text, day(s.mentioned)))
            .collect(),
    );
    section(
        "資材 Materials shown / tapped",
        (p.materials.iter())
            .map(|m| {
                format!(
                    "{} v{}: 提示 shown {}、タップ tapped {}、最終 last {}",
                    m.material_id,
                    m.version,
                    m.shown,
                    m.tapped,
                    day(m.last)
                )
            })
            .collect(),
    );
    section(
        "最近の訪問 Last visits",
        (p.last_visits.iter())
            .map(|v| {
                let reaction = v.reaction.map_or("—", |r| r.as_str());
                let next = v.next_objective.as_deref().unwrap_or("—");
                format!(
                    "{} [{}] {reaction} 次回 next: {next}",
                    day(v.started_at),
                    v.status.as_str()
                )
            })
            .collect(),
    );
    section(
        "おすすめ資材 Suggested materials",
        (screen.suggestions.iter().zip(1..))
            .map(|(s, i)| {
                let answers: Vec<String> = s.answers.iter().map(|t| topic(t)).collect();
                let new = if s.new_to_doctor { "、未提示 new" } else { "" };
                format!(
                    "{i}. {} v{} {}（{}）{}{new} — rank {}",
                    s.material_id,
                    s.version,
                    s.title,
                    s.product_id,
                    if answers.is_empty() {
                        String::new()
                    } else {
                        format!(" ニーズ needs: {}", answers.join("、"))
                    },
                    s.rank
                )
            })
            .collect(),
    );
    out
}
