//! Store operations on comments: adding one (allowed on a submitted visit: a comment is not an edit) and reading
//! a visit's comments from its document.

use chrono::{DateTime, Utc};

use super::{
    check_comment_text,
    repo::{cached, load_chunks, persist},
    Comment, CommentRole, VisitDoc, VisitError,
};
use crate::{ids::VisitId, store::Store};

impl Store {
    /// Adds a comment to visit `id`, in one transaction with the projection. The text is trimmed and must be
    /// 1–2,000 characters ([`VisitError::Comment`]). The visit's fields, status, score and seal do not change, so
    /// a submitted visit takes comments without an amendment and is not flagged for review.
    pub fn add_comment(
        &self,
        id: VisitId,
        author_role: CommentRole,
        author: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Comment, VisitError> {
        let text = check_comment_text(text).map_err(VisitError::Comment)?;
        let at = DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
        let comment = Comment {
            id: uuid::Uuid::now_v7().to_string(),
            author_role,
            author: author.trim().to_owned(),
            at,
            text: text.to_owned(),
        };
        self.write_with_docs(|tx, docs| {
            let entry = cached(tx, docs, self.actor().clone(), id)?;
            entry.doc.add_comment(&comment)?;
            entry.doc.commit(now);
            persist(tx, id, entry, now)?;
            Ok::<(), VisitError>(())
        })?;
        Ok(comment)
    }

    /// The comments of visit `id`, by time then id.
    pub fn visit_comments(&self, id: VisitId) -> Result<Vec<Comment>, VisitError> {
        let bytes = self.read(|conn| load_chunks(conn, id))?;
        VisitDoc::load(&bytes, self.actor().clone())?.comments()
    }
}
