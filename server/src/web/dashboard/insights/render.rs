//! The insights page: needs per week (with a bar per row), each doctor's latest stage per product (stacked bars),
//! moves up and down the ladder, the materials shown before a move up, and what awaits routing or forwarding. Bars
//! are inline SVG drawn from the numbers in the tables (no script, no inline style).

use std::fmt::Write;

use super::InsightReport;
use crate::web::{
    dashboard::parts::{kpi, table, Cell},
    html::{escape, page as html_page},
    lang::Lang,
};

/// A horizontal bar `value / max` of `width` pixels, with its number as the title.
fn bar(value: u64, max: u64, width: u32) -> String {
    let filled = if max == 0 {
        0
    } else {
        (u128::from(value) * u128::from(width) / u128::from(max)) as u32
    };
    format!(
        "<svg class=\"bar\" width=\"{width}\" height=\"12\" role=\"img\" aria-label=\"{value}\"><title>{value}</title>\
         <rect width=\"{filled}\" height=\"12\" fill=\"#3b6ea5\"></rect></svg>"
    )
}

/// Stacked bars of doctors per stage, one per product, ranks from left to right in shades.
fn stage_bars(report: &InsightReport, lang: Lang) -> String {
    let mut out = String::new();
    let mut products: Vec<&str> = report.stages.iter().map(|s| s.product_id.as_str()).collect();
    products.dedup();
    let shades = [
        "#dbe6f1", "#b7cde4", "#8fb0d4", "#6590c0", "#3b6ea5", "#214d7f", "#102f52",
    ];
    for product in products {
        let stages: Vec<_> = report.stages.iter().filter(|s| s.product_id == product).collect();
        let total: u64 = stages.iter().map(|s| s.doctors).sum();
        let _ = write!(
            out,
            "<div class=\"stage-bar\"><span>{}</span><svg width=\"400\" height=\"16\" role=\"img\" aria-label=\"{}\">",
            escape(&report.product_name(Some(product))),
            escape(&report.product_name(Some(product)))
        );
        let mut x = 0u64;
        for s in &stages {
            let width = (s.doctors * 400).checked_div(total).unwrap_or(0);
            let shade = shades[(s.rank.unwrap_or(1).saturating_sub(1) as usize).min(shades.len() - 1)];
            let _ = write!(
                out,
                "<rect x=\"{x}\" width=\"{width}\" height=\"16\" fill=\"{shade}\"><title>{}: {}</title></rect>",
                escape(&report.stage_name(&s.stage, lang)),
                s.doctors
            );
            x += width;
        }
        out.push_str("</svg></div>");
    }
    out
}

pub fn page(report: &InsightReport, lang: Lang) -> String {
    let t = |ja, en| lang.pick(ja, en);
    let w = report.window;
    let query = w.query();
    let title = t("医師のニーズ", "What doctors need");
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><h1>{}</h1><a href=\"/admin?{}\">{}</a></header><main class=\"dash\">\
         <section class=\"period\"><form method=\"get\" action=\"/admin/insights\">\
         <label class=\"inline\">{} <input type=\"date\" name=\"from\" value=\"{}\"></label> \
         <label class=\"inline\">{} <input type=\"date\" name=\"to\" value=\"{}\"></label> <button>{}</button></form>\
         </section>",
        escape(title),
        escape(&query),
        escape(t("本社ビューへ", "Back to the head-office view")),
        escape(t("期間", "From")),
        w.from,
        escape(t("〜", "to")),
        w.to,
        escape(t("表示", "Show")),
    );
    let needs_total: u64 = report.needs.iter().map(|n| n.total).sum();
    let ups: u64 = report.moves.iter().filter(|m| m.up).map(|m| m.moves).sum();
    let downs: u64 = report.moves.iter().filter(|m| !m.up).map(|m| m.moves).sum();
    out.push_str("<section class=\"kpis\">");
    kpi(
        &mut out,
        "kpi-needs",
        needs_total,
        t("記録されたニーズ", "Needs recorded"),
    );
    kpi(
        &mut out,
        "kpi-up",
        ups,
        t("段階が上がった", "Moves up the ladder"),
    );
    kpi(&mut out, "kpi-down", downs, t("段階が下がった", "Moves down"));
    kpi(
        &mut out,
        "kpi-awaiting",
        report.awaiting.0,
        t("回付・転送待ち", "Awaiting routing"),
    );
    kpi(
        &mut out,
        "kpi-overdue",
        report.overdue.0,
        t("安全性情報の転送期限超過", "Safety information past its deadline"),
    );
    out.push_str("</section>");

    // Needs per week.
    let _ = write!(
        out,
        "<section><h2>{}</h2><p><a href=\"/admin/insights/export/needs.csv?{q}\">needs.csv</a></p>",
        escape(t("情報ニーズ（週別）", "Information needs by week")),
        q = escape(&query)
    );
    let max = report.needs.iter().map(|n| n.total).max().unwrap_or(0);
    let weeks: Vec<String> = report
        .weeks
        .iter()
        .map(|d| d.format("%m/%d").to_string())
        .collect();
    let mut headers: Vec<&str> = vec![t("製品", "Product"), t("トピック", "Topic"), t("計", "Total"), ""];
    headers.extend(weeks.iter().map(String::as_str));
    let rows: Vec<Vec<Cell>> = (report.needs.iter())
        .map(|n| {
            let mut row = vec![
                Cell::text(report.product_name(n.product_id.as_deref())),
                Cell::text(report.topic_name(&n.topic, lang)),
                Cell::text(n.total.to_string()),
                Cell::svg(bar(n.total, max, 120)),
            ];
            row.extend(n.per_week.iter().map(|v| Cell::text(v.to_string())));
            row
        })
        .collect();
    table(&mut out, "needs", &headers, &rows);
    out.push_str("</section>");

    // Stages.
    let _ = write!(
        out,
        "<section><h2>{}</h2><p><a href=\"/admin/insights/export/stages.csv?{q}\">stages.csv</a></p>{}",
        escape(t(
            "採用段階の分布（医師ごとの最新）",
            "Adoption stage (each doctor's latest)"
        )),
        stage_bars(report, lang),
        q = escape(&query)
    );
    let rows: Vec<Vec<Cell>> = (report.stages.iter())
        .map(|s| {
            vec![
                Cell::text(report.product_name(Some(&s.product_id))),
                Cell::text(report.stage_name(&s.stage, lang)),
                Cell::text(s.doctors.to_string()),
            ]
        })
        .collect();
    table(
        &mut out,
        "stages",
        &[t("製品", "Product"), t("段階", "Stage"), t("医師", "Doctors")],
        &rows,
    );
    let rows: Vec<Vec<Cell>> = (report.moves.iter())
        .map(|m| {
            vec![
                Cell::text(report.product_name(Some(&m.product_id))),
                Cell::text(report.stage_name(&m.from, lang)),
                Cell::text(report.stage_name(&m.to, lang)),
                Cell::text(if m.up {
                    t("上昇", "up")
                } else {
                    t("下降", "down")
                }),
                Cell::text(m.moves.to_string()),
            ]
        })
        .collect();
    let _ = write!(
        out,
        "<h3>{}</h3>",
        escape(t("段階の移動（期間内）", "Moves in the period"))
    );
    table(
        &mut out,
        "moves",
        &[
            t("製品", "Product"),
            t("前", "From"),
            t("後", "To"),
            t("方向", "Direction"),
            t("件数", "Moves"),
        ],
        &rows,
    );
    let rows: Vec<Vec<Cell>> = (report.move_materials.iter())
        .map(|m| {
            vec![
                Cell::text(format!("{} v{}", m.material_id, m.version)),
                Cell::text(m.moves_up.to_string()),
            ]
        })
        .collect();
    let _ = write!(
        out,
        "<h3>{}</h3>",
        escape(t(
            "段階が上がる前の訪問で提示した資材",
            "Materials shown at the visit before a move up"
        ))
    );
    table(
        &mut out,
        "move-materials",
        &[t("資材", "Material"), t("上昇", "Moves up")],
        &rows,
    );
    out.push_str("</section>");

    // Awaiting.
    let _ = write!(
        out,
        "<section><h2>{}</h2><p>{}</p><p><a href=\"/admin/insights/export/awaiting.csv?{q}\">awaiting.csv</a></p>",
        escape(t("回付・転送待ち", "Awaiting routing or forwarding")),
        escape(t(
            "メディカルへ回付されていない適応外質問と、安全管理部門へ転送されていない安全性情報（古い順）。",
            "Off-label questions not routed to Medical and safety information not forwarded to pharmacovigilance, oldest first.",
        )),
        q = escape(&query)
    );
    let rows: Vec<Vec<Cell>> = (report.awaiting.1.iter())
        .map(|a| {
            let id = mrc_core::VisitId::from_slice(&a.doc_id)
                .map(|i| i.to_string())
                .unwrap_or_default();
            let doctor = a
                .hcp_id
                .as_deref()
                .map(|h| report.doctors.get(h).cloned().unwrap_or_else(|| h.to_owned()));
            let kind = match a.kind {
                crate::store::insights::FactKind::Safety => t("安全性情報", "Safety information"),
                _ => t("適応外質問", "Off-label question"),
            };
            let when = report.local_time(a.started_at_ms);
            let late = if report.is_overdue(a) {
                t("期限超過", "Overdue")
            } else {
                ""
            };
            vec![
                Cell::link(&format!("/admin/visit/{id}?{query}"), &id[..8.min(id.len())]),
                Cell::text(when.get(..16).unwrap_or(&when).replace('T', " ")),
                Cell::text(kind),
                Cell::text(&a.rep_id),
                Cell::text(doctor.unwrap_or_else(|| "—".into())),
                Cell::text(report.product_name(a.product_id.as_deref())),
                Cell::text(&a.text),
                Cell::text(late),
            ]
        })
        .collect();
    table(
        &mut out,
        "awaiting",
        &[
            t("訪問", "Visit"),
            t("日時", "When"),
            t("種別", "Kind"),
            t("担当者", "Rep"),
            t("医師", "Doctor"),
            t("製品", "Product"),
            t("内容", "What was said"),
            t("転送期限", "Deadline"),
        ],
        &rows,
    );
    out.push_str("</section></main>");
    html_page(lang, title, &out, &["dashboard.js"])
}
