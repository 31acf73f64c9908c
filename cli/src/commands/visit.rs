//! `mrc visit add|show|list|submit|amend|comment`.

use chrono::{DateTime, FixedOffset};
use mrc_core::{
    visit::{parse_visit_input, VisitFilter},
    Store,
};
use serde_json::json;

use super::render;
use crate::{
    args::{ListArgs, VisitCommand},
    error::CliError,
    output,
};

pub fn run(
    store: &Store,
    command: &VisitCommand,
    now: DateTime<FixedOffset>,
    as_json: bool,
) -> Result<(), CliError> {
    match command {
        VisitCommand::Add { file } => {
            let text = super::read_text(file)?;
            let (id, fields) = parse_visit_input(&text).map_err(|e| {
                CliError::Refused(format!(
                    "visit refused at {}: {}",
                    path_or_root(&e.path),
                    e.reason
                ))
            })?;
            let id = store.create_visit_with(id, &fields, store.now())?;
            output::emit(as_json, &json!({ "id": id }), |_| format!("{id}\n"))
        }
        VisitCommand::Show { id } => super::visit_comment::show(store, super::visit_id(id)?, as_json),
        VisitCommand::Comment {
            id,
            text,
            author,
            role,
        } => super::visit_comment::add(store, super::visit_id(id)?, text, author, *role, as_json),
        VisitCommand::List(args) => {
            let visits = store.list_visits(&filter(args, now))?;
            output::emit(as_json, &visits, |list| render::visit_list(store, list))
        }
        VisitCommand::Submit { id } => {
            let id = super::visit_id(id)?;
            let report = store.submit_visit(id, store.now())?;
            output::emit(
                as_json,
                &json!({ "id": id, "status": "submitted", "report": report }),
                |_| {
                    format!(
                        "提出しました Submitted: {id}\n{}",
                        super::validate::render(&report)
                    )
                },
            )
        }
        VisitCommand::Amend { id, reason, file } => {
            let id = super::visit_id(id)?;
            let text = super::read_text(file)?;
            let (_, fields) = parse_visit_input(&text).map_err(|e| {
                CliError::Refused(format!(
                    "visit refused at {}: {}",
                    path_or_root(&e.path),
                    e.reason
                ))
            })?;
            let report = store.amend_visit(id, &fields, reason, store.now())?;
            let visit = store.get_visit(id)?;
            output::emit(
                as_json,
                &json!({ "id": id, "status": visit.status, "report": report }),
                |_| {
                    format!(
                        "修正を記録しました Amended: {id} ({} amendment(s))\n",
                        visit.amendment_count
                    )
                },
            )
        }
    }
}

fn filter(args: &ListArgs, now: DateTime<FixedOffset>) -> VisitFilter {
    match (&args.hcp, args.from, args.to) {
        (Some(hcp), _, _) => VisitFilter::Hcp(hcp.clone()),
        (None, Some(from), Some(to)) => VisitFilter::Dates { from, to },
        _ => VisitFilter::Today { now: now.to_utc() },
    }
}

fn path_or_root(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}
