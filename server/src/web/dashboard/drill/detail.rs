//! `GET /admin/visit/{id}`: one visit as head office reads it: fields and notes, the score with every finding and
//! its points, taps and opens, amendments with their reasons, comments.

use std::{collections::HashMap, fmt::Write};

use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use chrono::DateTime;
use chrono_tz::Tz;
use mrc_core::{visit::CommentRole, VisitId};

use super::{gated, list::status_name, master, Answer};
use crate::{
    docs::load_stored,
    store::{transact, Access},
    web::{
        dashboard::{parts::reason_text, window::Window},
        html::{escape, page as shell},
        lang::Lang,
        WebState,
    },
    ServerError,
};

/// `GET /admin/visit/{id}`.
pub async fn visit(
    State(web): State<WebState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    gated(web, headers, query, move |web, window, _, lang| {
        detail(web, window, &id, lang)
    })
    .await
}

fn time(ms: i64, zone: Tz) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn detail(web: &WebState, window: Window, id: &str, lang: Lang) -> Result<Answer, ServerError> {
    let t = |ja, en| lang.pick(ja, en);
    let Ok(visit_id) = id.parse::<VisitId>() else {
        return Ok(Answer::NotFound);
    };
    let doc_id = *visit_id.as_bytes();
    let found = transact(&*web.store, Access::Read, |tx| {
        let Some(stored) = tx.read_doc(&doc_id)? else {
            return Ok(None);
        };
        let state = load_stored(&doc_id, &stored.chunks)?
            .state()
            .map_err(|e| ServerError::Internal(format!("a stored visit: {e}")))?;
        let events: Vec<_> = (tx.events_of_rep(&stored.meta.owner)?.into_iter())
            .filter(|e| e.event.visit_id.as_deref() == Some(doc_id.as_slice()))
            .collect();
        Ok(Some((state, tx.verdict(&doc_id)?, events, master(tx)?)))
    })?;
    let Some((state, verdict, events, master)) = found else {
        return Ok(Answer::NotFound);
    };
    let f = &state.fields;
    let name_of = |list: Vec<(&str, &str)>, id: &Option<String>| -> String {
        let id = id.as_deref().unwrap_or("");
        list.into_iter()
            .find(|(i, _)| *i == id)
            .map_or(id.to_owned(), |(_, n)| format!("{n}（{id}）"))
    };
    let rep = name_of(
        master
            .reps
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect(),
        &f.rep_id,
    );
    let hcp = name_of(
        master
            .hcps
            .iter()
            .map(|h| (h.id.as_str(), h.name.as_str()))
            .collect(),
        &f.hcp_id,
    );
    let institution = name_of(
        (master.institutions.iter())
            .map(|i| (i.id.as_str(), i.name.as_str()))
            .collect(),
        &f.institution_id,
    );
    let materials: Vec<String> = (f.materials_shown.iter())
        .map(|m| {
            let title = (master.materials.iter())
                .find(|x| x.id == m.material_id && x.version == m.version)
                .map_or("", |x| x.title.as_str());
            format!("{} v{} {title}", m.material_id, m.version)
        })
        .collect();
    let window_query = window.query();
    let title = t("訪問記録", "Visit record");
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><h1>{}</h1><a href=\"/admin?{}\">{}</a></header><main class=\"dash\" id=\"visit\">",
        escape(title),
        escape(&window_query),
        escape(t("本社ビューへ戻る", "Back to the overview")),
    );
    let field = |out: &mut String, label: &str, value: &str| {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    };
    out.push_str("<section><dl class=\"fields\">");
    field(&mut out, t("訪問ID", "Visit id"), id);
    field(&mut out, t("担当者", "Rep"), &rep);
    field(&mut out, t("医師", "HCP"), &hcp);
    field(&mut out, t("施設", "Institution"), &institution);
    let started = f
        .started_at
        .map(|s| time(s.timestamp_millis(), web.zone))
        .unwrap_or_default();
    field(&mut out, t("開始", "Started"), &started);
    field(
        &mut out,
        t("面談時間（分）", "Duration (min)"),
        &f.duration_min.map(|d| d.to_string()).unwrap_or_default(),
    );
    field(
        &mut out,
        t("入力", "Entered"),
        &time(state.entered_at.timestamp_millis(), web.zone),
    );
    field(&mut out, t("提示資材", "Materials shown"), &materials.join(", "));
    field(
        &mut out,
        t("次回の目的", "Next objective"),
        f.next_objective.as_deref().unwrap_or(""),
    );
    field(
        &mut out,
        t("状態", "Status"),
        &status_name(state.status.as_str(), lang),
    );
    out.push_str("</dl>");
    let _ = write!(
        out,
        "<h2>{}</h2><p class=\"notes\" id=\"notes\">{}</p></section>",
        escape(t("メモ", "Notes")),
        escape(&f.notes)
    );
    let _ = write!(
        out,
        "<section id=\"findings\"><h2>{}</h2>",
        escape(t("信頼スコアと指摘", "Score and findings"))
    );
    match &verdict {
        Some(v) => {
            let reasons: Vec<mrc_core::validate::Reason> =
                serde_json::from_str(&v.reasons).unwrap_or_default();
            let _ = write!(
                out,
                "<p>{} <strong id=\"score\">{}</strong></p><ul>",
                escape(t("スコア", "Score")),
                v.score
            );
            for r in &reasons {
                let _ = write!(out, "<li>{}</li>", escape(&reason_text(r, lang)));
            }
            out.push_str("</ul>");
        }
        None => {
            let _ = write!(out, "<p>{}</p>", escape(t("採点中です。", "Being scored.")));
        }
    }
    out.push_str("</section>");
    let none = format!("<li class=\"none\">{}</li>", escape(t("なし", "None")));
    let _ = write!(
        out,
        "<section id=\"taps\"><h2>{}</h2><ul>",
        escape(t("タップ", "Taps"))
    );
    if events.is_empty() {
        out.push_str(&none);
    }
    for e in &events {
        let e = &e.event;
        let _ = write!(
            out,
            "<li>{} {} {} {}</li>",
            escape(&time(e.occurred_at_ms, web.zone)),
            escape(&e.kind),
            escape(e.material_id.as_deref().unwrap_or("")),
            escape(&e.verification)
        );
    }
    let _ = write!(
        out,
        "</ul></section><section id=\"amendments\"><h2>{}</h2><ul>",
        escape(t("提出後の修正", "Amendments"))
    );
    if state.amendments.is_empty() {
        out.push_str(&none);
    }
    for a in &state.amendments {
        let _ = write!(
            out,
            "<li>{} {}: {}</li>",
            escape(&time(a.at.timestamp_millis(), web.zone)),
            escape(&a.by),
            escape(&a.reason)
        );
    }
    let _ = write!(
        out,
        "</ul></section><section id=\"comments\"><h2>{}</h2><ul>",
        escape(t("コメント", "Comments"))
    );
    if state.comments.is_empty() {
        out.push_str(&none);
    }
    for c in &state.comments {
        let role = match c.author_role {
            CommentRole::Manager => t("上長", "Manager"),
            CommentRole::Rep => t("担当者", "Rep"),
        };
        let _ = write!(
            out,
            "<li>{} {role} {}: {}</li>",
            escape(&time(c.at.timestamp_millis(), web.zone)),
            escape(&c.author),
            escape(&c.text)
        );
    }
    out.push_str("</ul></section></main>");
    Ok(Answer::Page(shell(lang, title, &out, &[])))
}
