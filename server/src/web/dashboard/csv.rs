//! CSV exports of the head-office view: UTF-8 with a byte-order mark (so spreadsheet software reads the
//! Japanese correctly), RFC 4180 quoting, and formulas neutralised (a cell never starts with `=`, `+`, `-`, `@`).

use std::collections::BTreeMap;

use axum::body::{Body, Bytes};

use super::{
    report::{MasterNames, MaterialRow, Report, VisitRow},
    window::Window,
};
use crate::{
    store::{transact, Access},
    web::WebState,
    ServerError,
};

fn cell(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One CSV line of `cells`.
fn line(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    cells.join(",") + "\r\n"
}

pub(super) fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(&row));
    }
    out
}

/// Engagement per material version.
pub fn engagement(report: &Report) -> String {
    csv(
        &[
            "material",
            "version",
            "title",
            "app_taps",
            "web_taps",
            "verified",
            "unverified",
            "web_opens",
        ],
        report.materials.iter().map(MaterialRow::cells),
    )
}

/// Taps and opens per material version and week (Monday).
pub fn engagement_weekly(report: &Report) -> String {
    csv(
        &[
            "week",
            "material",
            "version",
            "verified",
            "unverified",
            "web_opens",
        ],
        report.material_weeks.iter().map(|w| {
            vec![
                w.week.to_string(),
                w.material.clone(),
                w.version.to_string(),
                w.verified.to_string(),
                w.unverified.to_string(),
                w.opens.to_string(),
            ]
        }),
    )
}

/// Visits read per transaction while the visits export streams: the most it holds at once.
const EXPORT_PAGE: u64 = 5_000;

/// The visits export's columns.
const VISIT_COLUMNS: [&str; 9] = [
    "visit_id",
    "rep_id",
    "rep_name",
    "date",
    "score",
    "codes",
    "status",
    "needs_review",
    "amendments",
];

/// Every visit of `window` with its reliability score and codes, in start order, streamed page by page from
/// the store (never built in memory). A store error ends the body early, so the download fails visibly.
pub fn visits(web: WebState, window: Window) -> Body {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let send = |chunk: Result<String, ServerError>| {
            let chunk = chunk.map(Bytes::from).map_err(std::io::Error::other);
            sender.blocking_send(chunk).is_ok()
        };
        if !send(Ok(csv(&VISIT_COLUMNS, std::iter::empty()))) {
            return;
        }
        let names = match rep_names(&*web.store) {
            Ok(names) => names,
            Err(err) => {
                send(Err(err));
                return;
            }
        };
        let (from_ms, until_ms) = window.bounds_ms(web.zone);
        let mut after = None;
        loop {
            let page = transact(&*web.store, Access::Read, |tx| {
                Ok(tx.verdicts_after(from_ms, until_ms, after, EXPORT_PAGE)?)
            });
            let page = match page {
                Ok(page) => page,
                Err(err) => {
                    send(Err(err));
                    return;
                }
            };
            let full = page.len() as u64 == EXPORT_PAGE;
            after = page
                .last()
                .map(|v| (v.started_at_ms.unwrap_or(i64::MIN), v.doc_id));
            let mut chunk = String::new();
            for v in page {
                chunk.push_str(&line(&visit_cells(&VisitRow::new(v, &names, web.zone))));
            }
            if !send(Ok(chunk)) || !full {
                return;
            }
        }
    });
    Body::from_stream(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|chunk| (chunk, receiver)) },
    ))
}

fn rep_names(store: &dyn crate::ServerStore) -> Result<BTreeMap<String, String>, ServerError> {
    transact(store, Access::Read, |tx| Ok(MasterNames::read(tx)?.rep_names()))
}

fn visit_cells(v: &VisitRow) -> Vec<String> {
    vec![
        v.id.clone(),
        v.rep_id.clone(),
        v.rep_name.clone(),
        v.date.map(|d| d.to_string()).unwrap_or_default(),
        v.score.to_string(),
        v.codes.join(" "),
        v.status.clone(),
        v.needs_review.to_string(),
        v.amendments.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("佐藤 花子"), "佐藤 花子");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
        let out = csv(&["a", "b"], vec![vec!["1".into(), "資材".into()]].into_iter());
        assert_eq!(out, "\u{feff}a,b\r\n1,資材\r\n");
    }
}
