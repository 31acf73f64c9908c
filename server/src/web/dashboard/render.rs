//! The head-office page: key figures, engagement and reliability tables (sortable and filterable by
//! `dashboard.js`), the charts' data as a JSON block (drawn by the vendored Chart.js), and the CSV links.

use std::fmt::Write;

use serde_json::json;

use super::{
    parts::{code_name, kpi, reasons_line, rep_href, table, visit_href, Cell},
    report::Report,
};
use crate::web::{
    html::{escape, page as shell},
    lang::Lang,
};

fn tools(out: &mut String, table: &str, csv: Option<(&str, &str)>, lang: Lang) {
    let _ = write!(
        out,
        "<div class=\"tools\"><input type=\"search\" data-filter=\"{table}\" placeholder=\"{}\" aria-label=\"{}\">",
        escape(lang.pick("絞り込み", "Filter")),
        escape(lang.pick("絞り込み", "Filter")),
    );
    if let Some((csv, query)) = csv {
        let _ = write!(
            out,
            "<a class=\"csv\" href=\"/admin/export/{csv}?{}\">CSV</a>",
            escape(query)
        );
    }
    out.push_str("</div>");
}

/// The period shown, a form to choose another, and whether the verdicts are still catching up.
fn period(out: &mut String, report: &Report, lang: Lang) {
    let t = |ja, en| lang.pick(ja, en);
    let w = report.window;
    let before = w.previous_quarter();
    let _ = write!(
        out,
        "<section class=\"period\" id=\"period\" data-from=\"{}\" data-to=\"{}\"><form method=\"get\" action=\"/admin\">\
         <label class=\"inline\">{} <input type=\"date\" name=\"from\" value=\"{}\"></label> \
         <label class=\"inline\">{} <input type=\"date\" name=\"to\" value=\"{}\"></label> \
         <button>{}</button> <a href=\"/admin?{}\">{}</a> <a href=\"/admin\">{}</a></form>",
        w.from,
        w.to,
        escape(t("期間", "From")),
        w.from,
        escape(t("〜", "to")),
        w.to,
        escape(t("表示", "Show")),
        escape(&before.query()),
        escape(t("前の四半期", "Previous quarter")),
        escape(t("今四半期", "This quarter")),
    );
    if report.pending_reps > 0 {
        let _ = write!(
            out,
            "<p class=\"hint\" id=\"pending\">{}</p>",
            escape(&match lang {
                Lang::Ja => format!(
                    "{} 名の担当者の最新の記録を採点中です（数秒で反映されます）。",
                    report.pending_reps
                ),
                Lang::En => format!(
                    "The latest records of {} reps are being scored (shown within seconds).",
                    report.pending_reps
                ),
            })
        );
    }
    out.push_str("</section>");
}

/// The whole page.
pub fn page(report: &Report, lang: Lang, csrf: &str) -> String {
    let t = |ja, en| lang.pick(ja, en);
    let query = report.window.query();
    let title = t("本社ビュー", "Head office");
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><h1>{}</h1><form method=\"post\" action=\"/admin/logout\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><button>{}</button></form></header><main class=\"dash\">",
        escape(title),
        escape(csrf),
        escape(t("ログアウト", "Sign out")),
    );
    period(&mut out, report, lang);
    let _ = write!(
        out,
        "<p><a id=\"insights-link\" href=\"/admin/insights?{}\">{}</a></p>",
        escape(&query),
        escape(t(
            "医師のニーズ・採用段階・回付待ち",
            "What doctors need: needs, adoption stages, awaiting routing"
        ))
    );
    let team = &report.summary.team;
    out.push_str("<section class=\"kpis\">");
    kpi(
        &mut out,
        "kpi-visits",
        team.visits,
        t("訪問記録", "Visit records"),
    );
    kpi(
        &mut out,
        "kpi-flagged",
        team.flagged,
        t("要確認（低信頼）", "Flagged (low score)"),
    );
    kpi(
        &mut out,
        "kpi-review",
        report.needs_review,
        t("レビュー待ち", "Waiting for review"),
    );
    kpi(
        &mut out,
        "kpi-amended",
        report.amended,
        t("提出後の修正", "Amended after submission"),
    );
    kpi(
        &mut out,
        "kpi-taps",
        report.taps_total,
        t("カードタップ", "Card taps"),
    );
    kpi(
        &mut out,
        "kpi-verified",
        report.taps_verified,
        t("うち検証済み", "of which verified"),
    );
    out.push_str("</section>");

    let _ = write!(
        out,
        "<section id=\"engagement\"><h2>{}</h2><div class=\"tools\"><label class=\"inline\">{} \
         <select id=\"chart-material\"><option value=\"\">{}</option>",
        escape(t("資材エンゲージメント", "Material engagement")),
        escape(t("週ごとのタップと閲覧", "Taps and opens per week")),
        escape(t("すべての資材", "All materials")),
    );
    for m in &report.materials {
        let key = format!("{}@{}", m.material, m.version);
        let _ = write!(
            out,
            "<option value=\"{}\">{} v{} {}</option>",
            escape(&key),
            escape(&m.material),
            m.version,
            escape(&m.title)
        );
    }
    let _ = write!(
        out,
        "</select></label><a class=\"csv\" href=\"/admin/export/engagement-weekly.csv?{}\">CSV</a></div>\
         <div class=\"chart\"><canvas id=\"chart-weeks\" role=\"img\" aria-label=\"{}\"></canvas></div>",
        escape(&query),
        escape(t("週ごとのタップ数", "Taps per week")),
    );
    tools(
        &mut out,
        "table-materials",
        Some(("engagement.csv", &query)),
        lang,
    );
    let rows: Vec<Vec<Cell>> = (report.materials.iter())
        .map(|m| m.cells().into_iter().map(Cell::text).collect())
        .collect();
    table(
        &mut out,
        "table-materials",
        &[
            t("資材", "Material"),
            t("版", "Version"),
            t("タイトル", "Title"),
            t("アプリでのタップ", "App taps"),
            t("ブラウザでのタップ", "Browser taps"),
            t("検証済み", "Verified"),
            t("未検証", "Unverified"),
            t("閲覧", "Opens"),
        ],
        &rows,
    );
    out.push_str("</section>");

    let _ = write!(
        out,
        "<section id=\"reliability\"><h2>{}</h2><p class=\"hint\">{}</p><div class=\"chart\"><canvas id=\"chart-scores\" role=\"img\" aria-label=\"{}\"></canvas></div>",
        escape(t("訪問記録の信頼性", "Visit data reliability")),
        escape(&format!(
            "{} {}",
            t(
                "信頼スコア 0–100（50 で正規と作成が五分五分、10 点ごとに見込みが 10 倍。低いほど要確認）。しきい値",
                "Reliability score 0–100 (50 = even odds of genuine, each 10 points ten times the odds; lower = check). Threshold",
            ),
            report.threshold
        )),
        escape(t("スコア分布", "Score distribution")),
    );
    let group_rows: Vec<Vec<Cell>> = report
        .summary
        .reps
        .iter()
        .chain(std::iter::once(team))
        .map(|g| {
            let id = g
                .rep_id
                .clone()
                .unwrap_or_else(|| t("チーム全体", "Team").to_owned());
            let name = g
                .rep_id
                .as_ref()
                .and_then(|r| report.rep_names.get(r))
                .cloned()
                .unwrap_or_default();
            let codes: Vec<String> = g
                .top_codes
                .iter()
                .map(|c| format!("{} ({})", code_name(&c.code, lang), c.visits))
                .collect();
            let rep = match &g.rep_id {
                Some(rep) => Cell::link(&rep_href(rep, &query), &id),
                None => Cell::text(&id),
            };
            vec![
                rep,
                Cell::text(name),
                Cell::text(g.visits.to_string()),
                Cell::text(g.flagged.to_string()),
                Cell::text(format!("{:.1}", g.flagged_percent)),
                Cell::text(format!("{:.1}", g.mean_score)),
                Cell::text(g.median_score.to_string()),
                Cell::text(codes.join(lang.pick("、", ", "))),
            ]
        })
        .collect();
    tools(&mut out, "table-reps", None, lang);
    table(
        &mut out,
        "table-reps",
        &[
            t("担当者", "Rep"),
            t("氏名", "Name"),
            t("訪問", "Visits"),
            t("要確認", "Flagged"),
            t("要確認 %", "Flagged %"),
            t("平均", "Mean"),
            t("中央値", "Median"),
            t("主な指摘", "Most frequent codes"),
        ],
        &group_rows,
    );
    let _ = write!(
        out,
        "<h3>{}</h3>",
        escape(t("確認が必要な訪問", "Visits to look at"))
    );
    if report.to_look_at_total > report.to_look_at.len() as u64 {
        let _ = write!(
            out,
            "<p class=\"hint\" id=\"look-at-shown\">{}</p>",
            escape(&match lang {
                Lang::Ja => format!(
                    "スコアの低い順に {} 件を表示（全 {} 件は CSV で）",
                    report.to_look_at.len(),
                    report.to_look_at_total
                ),
                Lang::En => format!(
                    "The {} lowest scores shown (all {} in the CSV)",
                    report.to_look_at.len(),
                    report.to_look_at_total
                ),
            })
        );
    }
    tools(&mut out, "table-visits", Some(("visits.csv", &query)), lang);
    let yes = t("はい", "yes");
    let visit_rows: Vec<Vec<Cell>> = report
        .to_look_at
        .iter()
        .map(|v| {
            vec![
                Cell::text(v.date.map(|d| d.to_string()).unwrap_or_default()),
                Cell::link(&rep_href(&v.rep_id, &query), &v.rep_name),
                Cell::text(v.score.to_string()),
                Cell::text(reasons_line(&v.reasons, lang)),
                Cell::text(if v.needs_review { yes } else { "" }),
                Cell::text(v.amendments.to_string()),
                Cell::link(&visit_href(&v.id, &query), &v.id),
            ]
        })
        .collect();
    table(
        &mut out,
        "table-visits",
        &[
            t("日付", "Date"),
            t("担当者", "Rep"),
            t("スコア", "Score"),
            t("指摘（点）", "Findings (points)"),
            t("レビュー待ち", "Needs review"),
            t("修正", "Amendments"),
            t("訪問ID", "Visit id"),
        ],
        &visit_rows,
    );
    out.push_str("</section></main>");

    let data = json!({
        "lang": lang.code(),
        "weeks": report.weeks,
        "material_weeks": report.material_weeks,
        "bands": team.distribution,
        "labels": {
            "verified": t("検証済みタップ", "Verified taps"),
            "unverified": t("未検証タップ", "Unverified taps"),
            "opens": t("ブラウザ閲覧", "Browser opens"),
            "visits": t("訪問数", "Visits"),
        },
    });
    // `<` is escaped so the JSON can never close its script element.
    let data = data.to_string().replace('<', "\\u003c");
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"report-data\">{data}</script>"
    );
    shell(
        lang,
        title,
        &out,
        &["vendor/chart-4.6.1.umd.min.js", "dashboard.js"],
    )
}
