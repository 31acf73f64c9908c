//! What one request may carry: at most `MAX_DOCS_PER_REQUEST` visits, events or wants, each visit once.

use mrc_core::sync::wire::{PullRequest, SyncRequest, MAX_DOCS_PER_REQUEST};

use crate::{docs::id_text, ServerError};

/// Refuses a sync request over the limits (413) or naming a visit twice (400).
pub fn check_sync(request: &SyncRequest) -> Result<(), ServerError> {
    too_many("visits", request.docs.len())?;
    too_many("events", request.events.len())?;
    let mut ids: Vec<_> = request.docs.iter().map(|d| d.id).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(ServerError::BadRequest(format!(
            "the request pushes visit {} twice; send each visit once",
            id_text(&pair[0])
        )));
    }
    Ok(())
}

/// Refuses a pull request over the limit (413).
pub fn check_pull(request: &PullRequest) -> Result<(), ServerError> {
    too_many("wanted visits", request.want.len())
}

fn too_many(what: &str, count: usize) -> Result<(), ServerError> {
    if count > MAX_DOCS_PER_REQUEST {
        return Err(ServerError::TooLarge(format!(
            "the request carries {count} {what}; at most {MAX_DOCS_PER_REQUEST} are allowed per request"
        )));
    }
    Ok(())
}
