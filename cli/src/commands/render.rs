//! Readable, bilingual text for visits.

use mrc_core::{visit::Visit, Store};

/// "佐藤 健一 (さとう けんいち)" or the bare id when the HCP is unknown.
fn hcp_label(store: &Store, hcp_id: Option<&str>) -> String {
    match hcp_id {
        None => "—".into(),
        Some(id) => match store.hcp_name(id) {
            Ok(Some((name, kana))) => format!("{name} ({kana})"),
            _ => id.to_owned(),
        },
    }
}

/// One visit, several lines.
pub fn visit(store: &Store, v: &Visit) -> String {
    let f = &v.fields;
    let when = f
        .started_at
        .map(|t| t.format("%Y-%m-%d %H:%M (%:z)").to_string())
        .unwrap_or_else(|| "—".into());
    let products: Vec<String> = f
        .products
        .iter()
        .map(|p| format!("{}. {}", p.priority, p.product_id))
        .collect();
    let materials: Vec<String> = f
        .materials_shown
        .iter()
        .map(|m| format!("{} v{}", m.material_id, m.version))
        .collect();
    let opt = |s: Option<&str>| s.unwrap_or("—").to_owned();
    format!(
        "訪問 Visit {id} [{status}]\n  日時 When       {when}, {duration} 分 min\n  医師 HCP        {hcp}\n  \
         施設 Institution {inst}\n  担当 Rep        {rep}\n  形態 Channel    {channel}\n  製品 Products   {products}\n  \
         資材 Materials  {materials}\n  反応 Reaction   {reaction}\n  次回 Next       {next}\n  メモ Notes      {notes}\n  \
         信頼度 Score    {score} {codes}\n",
        id = v.id,
        status = v.status.as_str(),
        duration = f.duration_min.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        hcp = hcp_label(store, f.hcp_id.as_deref()),
        inst = opt(f.institution_id.as_deref()),
        rep = opt(f.rep_id.as_deref()),
        channel = f.channel.map(|c| c.as_str()).unwrap_or("—"),
        products = products.join(", "),
        materials = materials.join(", "),
        reaction = f.reaction.map(|r| r.as_str()).unwrap_or("—"),
        next = opt(f.next_objective.as_deref()),
        notes = f.notes,
        score = v.score.map(|s| format!("{s}/100")).unwrap_or_else(|| "—".into()),
        codes = if v.finding_codes.is_empty() { String::new() } else { format!("({})", v.finding_codes.join(", ")) },
    )
}

/// A list, one line a visit.
pub fn visit_list(store: &Store, visits: &[Visit]) -> String {
    if visits.is_empty() {
        return "該当する訪問はありません No visits.\n".into();
    }
    let mut out = String::new();
    for v in visits {
        let when = v
            .fields
            .started_at
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "—".into());
        let notes: String = v.fields.notes.chars().take(24).collect();
        out.push_str(&format!(
            "{when}  {}  {}  {}  {notes}\n",
            v.id,
            v.status.as_str(),
            hcp_label(store, v.fields.hcp_id.as_deref())
        ));
    }
    out.push_str(&format!("{} 件 visits\n", visits.len()));
    out
}
