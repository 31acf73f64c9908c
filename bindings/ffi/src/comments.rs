//! Comments through the FFI: add one (also to a submitted visit) and read a visit's comments.

use mrc_core::{
    ffi_types::UtcTime,
    visit::{Comment, CommentRole},
};

use crate::{
    error::{guard, MrcError},
    observer::ChangeKind,
    visits::visit_id,
    MrcStore,
};

#[uniffi::export]
impl MrcStore {
    /// Adds a comment (1–2,000 characters after trimming; else `MrcError::Validation` with `comment_empty` or
    /// `comment_too_long`). Changes no field, status or score. Observers see it as `Updated`.
    pub fn add_comment(
        &self,
        id: String,
        author_role: CommentRole,
        author: String,
        text: String,
        now: UtcTime,
    ) -> Result<Comment, MrcError> {
        guard(|| {
            let id = visit_id(&id)?;
            let comment = self.store.add_comment(id, author_role, &author, &text, now)?;
            self.notify(id, ChangeKind::Updated);
            Ok(comment)
        })
    }

    /// The visit's comments, by time then id (the same order on every replica).
    pub fn visit_comments(&self, id: String) -> Result<Vec<Comment>, MrcError> {
        guard(|| Ok(self.store.visit_comments(visit_id(&id)?)?))
    }
}
