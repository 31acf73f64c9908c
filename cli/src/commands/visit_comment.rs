//! `mrc visit comment` and the comments under `mrc visit show`: a manager's remark or the rep's answer, stored
//! in the visit document (it changes no field, status or score, and is allowed on a submitted visit).

use mrc_core::{
    visit::{Comment, CommentRole, Visit},
    Store, VisitId,
};
use serde::Serialize;

use super::render;
use crate::{args::CommentAs, error::CliError, output};

/// A visit with its comments, as `visit show` prints it.
#[derive(Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub visit: Visit,
    pub comments: Vec<Comment>,
}

/// `mrc visit show ID`.
pub fn show(store: &Store, id: VisitId, as_json: bool) -> Result<(), CliError> {
    let shown = Shown {
        visit: store.get_visit(id)?,
        comments: store.visit_comments(id)?,
    };
    output::emit(as_json, &shown, |s| {
        format!("{}{}", render::visit(store, &s.visit), lines(&s.comments))
    })
}

/// `mrc visit comment ID --text T --author NAME [--as manager|rep]`.
pub fn add(
    store: &Store,
    id: VisitId,
    text: &str,
    author: &str,
    role: CommentAs,
    as_json: bool,
) -> Result<(), CliError> {
    let role = match role {
        CommentAs::Manager => CommentRole::Manager,
        CommentAs::Rep => CommentRole::Rep,
    };
    let comment = store.add_comment(id, role, author, text, store.now())?;
    output::emit(as_json, &comment, |c| {
        format!("コメントを追加しました Comment added: {}\n", c.id)
    })
}

/// The comments block of the text view (nothing when there are none).
fn lines(comments: &[Comment]) -> String {
    if comments.is_empty() {
        return String::new();
    }
    let mut out = String::from("  コメント Comments\n");
    for c in comments {
        out.push_str(&format!(
            "    {} {} ({}): {}\n",
            c.at.format("%Y-%m-%d %H:%M UTC"),
            c.author,
            c.author_role.as_str(),
            c.text
        ));
    }
    out
}
