//! Who may change what in a pushed visit, judged on the merged document: a rep changes their own visit and adds
//! comments as the rep; a manager adds comments as the manager and changes nothing else (ADR 0012, "Manager
//! comments"). Earlier comments are never removed or rewritten.

use mrc_core::visit::{check_comment_text, CommentRole, DocState, VisitDoc};

use super::merge::Baseline;

use crate::{docs::id_text, Principal, Role, ServerError};

/// The comment role a principal writes as, or `None` if it may not push visits at all.
fn comment_role(principal: &Principal) -> Option<CommentRole> {
    match principal.role {
        Role::Rep => Some(CommentRole::Rep),
        Role::Manager => Some(CommentRole::Manager),
        Role::HeadOffice => None,
    }
}

/// Checks what `doc` (the stored document with the push merged in) changed since `before`, the stored heads
/// (empty for a visit new to the server), against `baseline`, read from the stored document before the merge (a
/// manager's push must also leave its state as it was, comments aside, besides automerge's patches). Any refusal
/// refuses the whole request.
pub(super) fn check_push(
    principal: &Principal,
    id: &[u8; 16],
    doc: &mut VisitDoc,
    before: &[[u8; 32]],
    baseline: Baseline,
) -> Result<(), ServerError> {
    let role = comment_role(principal).ok_or_else(|| read_only(id))?;
    let bad =
        |err: mrc_core::visit::VisitError| ServerError::BadRequest(format!("visit {}: {err}", id_text(id)));
    let (rewritten, added) = if before.is_empty() {
        (false, doc.comments().map_err(bad)?)
    } else {
        let changes = doc.comment_changes_since(&baseline.comments).map_err(bad)?;
        (changes.rewritten, changes.added)
    };
    if rewritten {
        return Err(ServerError::Forbidden(format!(
            "visit {}: comments cannot be changed or removed, only added",
            id_text(id)
        )));
    }
    let state_moved = match baseline.state {
        Some(stored) => without_comments(doc.state().map_err(bad)?) != without_comments(stored),
        None => false,
    };
    // Only a manager's push needs the patches (a rep may change anything of their own visit).
    let outside = role == CommentRole::Manager && (before.is_empty() || doc.changed_outside_comments(before));
    if role == CommentRole::Manager && (outside || state_moved) {
        return Err(ServerError::Forbidden(format!(
            "visit {}: a manager's token may only add comments to the team's visits, not change them",
            id_text(id)
        )));
    }
    if let Some(other) = added.iter().find(|c| c.author_role != role) {
        return Err(ServerError::Forbidden(format!(
            "visit {}: this token adds comments as {}, not as {}",
            id_text(id),
            role.as_str(),
            other.author_role.as_str()
        )));
    }
    if let Some(problem) = added.iter().find_map(|c| check_comment_text(&c.text).err()) {
        return Err(ServerError::BadRequest(format!(
            "visit {}: a new comment is refused: {} ({})",
            id_text(id),
            problem.en(),
            problem.code()
        )));
    }
    Ok(())
}

fn without_comments(mut state: DocState) -> DocState {
    state.comments.clear();
    state
}

/// The refusal for a principal that pushes no visits (head office).
pub(crate) fn read_only(id: &[u8; 16]) -> ServerError {
    ServerError::Forbidden(format!("visit {}: this token cannot push visits", id_text(id)))
}
