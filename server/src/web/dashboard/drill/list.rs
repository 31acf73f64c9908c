//! `GET /admin/visits?rep=&code=&from=&to=&page=`: the visits of a window, filtered by rep and finding code in
//! the store, one page of [`PAGE`] at a time.

use std::{collections::HashMap, fmt::Write};

use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
};
use mrc_core::validate::Code;

use super::{gated, Answer};
use crate::{
    store::{transact, Access, VerdictFilter},
    web::{
        dashboard::{
            parts::{code_name, query_value, reasons_line, rep_href, table, visit_href, Cell},
            report::{MasterNames, VisitRow},
            window::Window,
        },
        html::{escape, page as shell},
        lang::Lang,
        WebState,
    },
    ServerError,
};

/// Visits per page of the list.
const PAGE: u64 = 100;

/// `GET /admin/visits?rep=&code=&from=&to=&page=`.
pub async fn visits(
    State(web): State<WebState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    gated(web, headers, query, list).await
}

fn list(
    web: &WebState,
    window: Window,
    query: &HashMap<String, String>,
    lang: Lang,
) -> Result<Answer, ServerError> {
    let t = |ja, en| lang.pick(ja, en);
    let rep = query.get("rep").filter(|r| !r.is_empty()).cloned();
    let code = query.get("code").filter(|c| !c.is_empty()).cloned();
    if code.as_deref().is_some_and(|c| Code::parse(c).is_none()) {
        return Ok(Answer::Bad(t("指摘の種類がありません", "unknown finding code")));
    }
    let page: u64 = match query.get("page").map(|p| p.parse()) {
        None => 0,
        Some(Ok(p)) if p < 100_000 => p,
        Some(_) => {
            return Ok(Answer::Bad(t(
                "ページ番号が正しくありません",
                "the page number is not valid",
            )))
        }
    };
    let (from_ms, until_ms) = window.bounds_ms(web.zone);
    let filter = VerdictFilter {
        from_ms: Some(from_ms),
        until_ms: Some(until_ms),
        rep_id: rep.clone(),
        code: code.clone(),
    };
    let (master, mut rows) = transact(&*web.store, Access::Read, |tx| {
        Ok((
            MasterNames::read(tx)?,
            tx.verdicts(&filter, page * PAGE, PAGE + 1)?,
        ))
    })?;
    let more = rows.len() as u64 > PAGE;
    rows.truncate(PAGE as usize);
    let names = master.rep_names();
    let rows: Vec<VisitRow> = rows
        .into_iter()
        .map(|v| VisitRow::new(v, &names, web.zone))
        .collect();
    let window_query = window.query();
    let title = t("訪問記録の一覧", "Visit records");
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><h1>{}</h1><a href=\"/admin?{}\">{}</a></header><main class=\"dash\">",
        escape(title),
        escape(&window_query),
        escape(t("本社ビューへ戻る", "Back to the overview")),
    );
    let _ = write!(
        out,
        "<form method=\"get\" action=\"/admin/visits\" class=\"tools\" id=\"visit-filter\">\
         <label class=\"inline\">{} <input name=\"rep\" value=\"{}\"></label> \
         <label class=\"inline\">{} <select name=\"code\"><option value=\"\">{}</option>",
        escape(t("担当者", "Rep")),
        escape(rep.as_deref().unwrap_or("")),
        escape(t("指摘", "Finding")),
        escape(t("すべて", "All")),
    );
    for c in Code::ALL {
        let selected = if code.as_deref() == Some(c.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            c.as_str(),
            escape(&code_name(c.as_str(), lang))
        );
    }
    let _ = write!(
        out,
        "</select></label> <label class=\"inline\">{} <input type=\"date\" name=\"from\" value=\"{}\"></label> \
         <label class=\"inline\">{} <input type=\"date\" name=\"to\" value=\"{}\"></label> <button>{}</button></form>",
        escape(t("期間", "From")),
        window.from,
        escape(t("〜", "to")),
        window.to,
        escape(t("表示", "Show")),
    );
    let cells: Vec<Vec<Cell>> = (rows.iter())
        .map(|v| {
            vec![
                Cell::text(v.date.map(|d| d.to_string()).unwrap_or_default()),
                Cell::link(&rep_href(&v.rep_id, &window_query), &v.rep_name),
                Cell::text(v.score.to_string()),
                Cell::text(reasons_line(&v.reasons, lang)),
                Cell::text(status_name(&v.status, lang)),
                Cell::text(v.amendments.to_string()),
                Cell::link(&visit_href(&v.id, &window_query), &v.id),
            ]
        })
        .collect();
    table(
        &mut out,
        "table-list",
        &[
            t("日付", "Date"),
            t("担当者", "Rep"),
            t("スコア", "Score"),
            t("指摘（点）", "Findings (points)"),
            t("状態", "Status"),
            t("修正", "Amendments"),
            t("訪問ID", "Visit id"),
        ],
        &cells,
    );
    let here = |p: u64| {
        let mut q = format!("/admin/visits?{window_query}&page={p}");
        if let Some(rep) = &rep {
            q.push_str(&format!("&rep={}", query_value(rep)));
        }
        if let Some(code) = &code {
            q.push_str(&format!("&code={}", query_value(code)));
        }
        q
    };
    out.push_str("<nav class=\"pager\">");
    if page > 0 {
        let _ = write!(
            out,
            "<a rel=\"prev\" href=\"{}\">{}</a> ",
            escape(&here(page - 1)),
            escape(t("前へ", "Previous"))
        );
    }
    if more {
        let _ = write!(
            out,
            "<a rel=\"next\" href=\"{}\">{}</a>",
            escape(&here(page + 1)),
            escape(t("次へ", "Next"))
        );
    }
    out.push_str("</nav></main>");
    Ok(Answer::Page(shell(lang, title, &out, &["dashboard.js"])))
}

pub(super) fn status_name(status: &str, lang: Lang) -> String {
    match status {
        "draft" => lang.pick("下書き", "draft"),
        "submitted" => lang.pick("提出済み", "submitted"),
        "amended" => lang.pick("提出後に修正", "amended"),
        other => other,
    }
    .to_owned()
}
