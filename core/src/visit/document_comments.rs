//! Comments in the visit document: the root `comments` list of maps `{id, author_role, author, at (ms), text}`,
//! and what a merge changed outside it (how the sync server tells a comment-only push from an edit).
//!
//! New documents are created with an empty list; older ones get it from the first comment. Two replicas that
//! create it concurrently leave two conflicting lists under the key: reading takes the comments of every one of
//! them, so no comment is hidden by the conflict.

use automerge::{
    transaction::Transactable, ChangeHash, ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value, ROOT,
};

use super::{comment, Comment, CommentRole, VisitDoc, VisitError};

pub(super) const COMMENTS: &str = "comments";

/// How the comments changed between two sets of heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentChanges {
    /// A comment present before was removed or changed.
    pub rewritten: bool,
    /// The comments that are new.
    pub added: Vec<Comment>,
}

impl VisitDoc {
    /// Creates the empty comments list (for a new document).
    pub(super) fn init_comments(&mut self) -> Result<(), VisitError> {
        self.doc.put_object(ROOT, COMMENTS, ObjType::List)?;
        Ok(())
    }

    /// Appends `comment` (the caller checked its text). Does not commit.
    pub fn add_comment(&mut self, comment: &Comment) -> Result<(), VisitError> {
        let list = match self.doc.get(ROOT, COMMENTS)? {
            Some((Value::Object(ObjType::List), list)) => list,
            _ => self.doc.put_object(ROOT, COMMENTS, ObjType::List)?,
        };
        let index = self.doc.length(&list);
        let entry = self.doc.insert_object(&list, index, ObjType::Map)?;
        self.doc.put(&entry, "id", comment.id.as_str())?;
        self.doc
            .put(&entry, "author_role", comment.author_role.as_str())?;
        self.doc.put(&entry, "author", comment.author.as_str())?;
        self.doc.put(&entry, "at", comment.at.timestamp_millis())?;
        self.doc.put(&entry, "text", comment.text.as_str())?;
        Ok(())
    }

    /// The comments, by time then id. Entries without an id, a known role or a time are skipped.
    pub fn comments(&self) -> Result<Vec<Comment>, VisitError> {
        self.comments_at(None)
    }

    fn comments_at(&self, heads: Option<&[ChangeHash]>) -> Result<Vec<Comment>, VisitError> {
        let lists = match heads {
            Some(heads) => self.doc.get_all_at(ROOT, COMMENTS, heads)?,
            None => self.doc.get_all(ROOT, COMMENTS)?,
        };
        let mut out = Vec::new();
        for (value, list) in lists {
            if value != Value::Object(ObjType::List) {
                continue;
            }
            let length = match heads {
                Some(heads) => self.doc.length_at(&list, heads),
                None => self.doc.length(&list),
            };
            for i in 0..length {
                let entry = match heads {
                    Some(heads) => self.doc.get_at(&list, i, heads)?,
                    None => self.doc.get(&list, i)?,
                };
                if let Some((Value::Object(ObjType::Map), entry)) = entry {
                    out.extend(self.read_comment(&entry, heads));
                }
            }
        }
        comment::sort(&mut out);
        out.dedup();
        Ok(out)
    }

    fn read_comment(&self, entry: &ObjId, heads: Option<&[ChangeHash]>) -> Option<Comment> {
        let scalar = |key: &str| {
            let found = match heads {
                Some(heads) => self.doc.get_at(entry, key, heads),
                None => self.doc.get(entry, key),
            };
            match found {
                Ok(Some((Value::Scalar(v), _))) => Some(v.into_owned()),
                _ => None,
            }
        };
        let text = |key: &str| match scalar(key) {
            Some(ScalarValue::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let at = match scalar("at")? {
            ScalarValue::Int(n) => n,
            ScalarValue::Uint(n) => i64::try_from(n).ok()?,
            _ => return None,
        };
        Some(Comment {
            id: text("id")?,
            author_role: CommentRole::parse(&text("author_role")?)?,
            author: text("author").unwrap_or_default(),
            at: chrono::DateTime::from_timestamp_millis(at)?,
            text: text("text").unwrap_or_default(),
        })
    }

    /// Whether anything outside the comments list changed from `before` (heads this document holds) to now:
    /// fields, notes, status, seal, reviews, any other key. Judged on automerge's patches, so a losing concurrent
    /// value that only adds a conflict counts too.
    pub fn changed_outside_comments(&mut self, before: &[[u8; 32]]) -> bool {
        let before: Vec<ChangeHash> = before.iter().map(|h| ChangeHash(*h)).collect();
        let after = self.doc.get_heads();
        self.doc
            .diff(&before, &after)
            .iter()
            .any(|patch| !within_comments(patch))
    }

    /// How the comments changed from `before` (heads this document holds): whether earlier comments were removed
    /// or rewritten, and which comments are new.
    pub fn comment_changes(&self, before: &[[u8; 32]]) -> Result<CommentChanges, VisitError> {
        let before: Vec<ChangeHash> = before.iter().map(|h| ChangeHash(*h)).collect();
        self.comment_changes_since(&self.comments_at(Some(&before))?)
    }

    /// How the comments changed since they were `old` (read with [`VisitDoc::comments`] before a merge: cheaper
    /// than reading them at earlier heads).
    pub fn comment_changes_since(&self, old: &[Comment]) -> Result<CommentChanges, VisitError> {
        let new = self.comments()?;
        let rewritten = old.iter().any(|c| !new.contains(c));
        // By whole content, not by id: an entry reusing an earlier comment's id is new, and checked as such.
        let added = new.into_iter().filter(|c| !old.contains(c)).collect();
        Ok(CommentChanges { rewritten, added })
    }
}

/// Whether a patch touches only the comments list (its creation, a conflict on it, or anything inside it).
fn within_comments(patch: &automerge::Patch) -> bool {
    use automerge::PatchAction;
    let key_is_comments = |prop: &Prop| matches!(prop, Prop::Map(key) if key == COMMENTS);
    if let Some((obj, prop)) = patch.path.first() {
        return *obj == ROOT && key_is_comments(prop);
    }
    match &patch.action {
        PatchAction::PutMap { key, value, .. } => {
            key == COMMENTS && matches!(value.0, Value::Object(ObjType::List))
        }
        PatchAction::Conflict { prop } => key_is_comments(prop),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use automerge::{transaction::Transactable, ActorId, ROOT};
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::{ids::VisitId, visit::VisitFields};

    /// The fixed time these documents are committed at (no test here is about the clock).
    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap()
    }

    fn comment(id: &str, role: CommentRole, text: &str) -> Comment {
        Comment {
            id: id.into(),
            author_role: role,
            author: "課長 山本".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
            text: text.into(),
        }
    }

    fn new_doc(actor: u8) -> VisitDoc {
        let fields = VisitFields {
            rep_id: Some("R1".into()),
            notes: "面談メモ".into(),
            ..VisitFields::default()
        };
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
        VisitDoc::create(
            ActorId::from([actor; 16].as_slice()),
            VisitId::new_v7(),
            &fields,
            at,
        )
        .unwrap()
    }

    fn copy(doc: &mut VisitDoc, actor: u8) -> VisitDoc {
        VisitDoc::load(&doc.save(), ActorId::from([actor; 16].as_slice())).unwrap()
    }

    #[test]
    fn a_comment_only_change_is_told_from_an_edit() {
        let mut doc = new_doc(1);
        let before = doc.head_hashes();
        doc.add_comment(&comment("c1", CommentRole::Manager, "確認しました。"))
            .unwrap();
        doc.commit(now());
        let changes = doc.comment_changes(&before).unwrap();
        assert!(!doc.changed_outside_comments(&before) && !changes.rewritten);
        assert_eq!(
            changes.added,
            vec![comment("c1", CommentRole::Manager, "確認しました。")]
        );

        let before = doc.head_hashes();
        doc.set_notes("面談メモ（追記）").unwrap();
        doc.commit(now());
        let changes = doc.comment_changes(&before).unwrap();
        assert!(doc.changed_outside_comments(&before) && !changes.rewritten && changes.added.is_empty());
    }

    #[test]
    fn rewriting_or_reusing_an_earlier_comment_is_seen() {
        let mut doc = new_doc(1);
        doc.add_comment(&comment("c1", CommentRole::Rep, "前向きでした。"))
            .unwrap();
        doc.commit(now());
        let before = doc.head_hashes();
        let old = doc.comments().unwrap();
        let list = doc.doc.get(ROOT, COMMENTS).unwrap().unwrap().1;
        let entry = doc.doc.get(&list, 0).unwrap().unwrap().1;
        doc.doc.put(&entry, "text", "書き換え").unwrap();
        doc.commit(now());
        let changes = doc.comment_changes(&before).unwrap();
        assert!(changes.rewritten && !doc.changed_outside_comments(&before));
        // Read before the change instead of at earlier heads: the same answer.
        assert_eq!(doc.comment_changes_since(&old).unwrap(), changes);

        // A second entry under the same id, claiming to be the rep's: new, so its role is checked.
        let mut doc = new_doc(1);
        doc.add_comment(&comment("c1", CommentRole::Rep, "前向きでした。"))
            .unwrap();
        doc.commit(now());
        let before = doc.head_hashes();
        doc.add_comment(&comment("c1", CommentRole::Rep, "偽のコメント"))
            .unwrap();
        doc.commit(now());
        let changes = doc.comment_changes(&before).unwrap();
        assert_eq!(
            changes.added,
            vec![comment("c1", CommentRole::Rep, "偽のコメント")]
        );
    }

    #[test]
    fn a_hidden_conflicting_value_counts_as_a_change_outside() {
        let mut rep = new_doc(1);
        let mut manager = copy(&mut rep, 2);
        let before = rep.head_hashes();
        // Concurrent writes of the same key: one wins, the other is kept as a conflict.
        rep.doc.put(ROOT, "status", "submitted").unwrap();
        rep.commit(now());
        let before_manager = rep.head_hashes();
        manager.doc.put(ROOT, "status", "amended").unwrap();
        manager.commit(now());
        rep.merge(&mut manager).unwrap();
        assert_eq!(rep.doc.get_all(ROOT, "status").unwrap().len(), 2);
        assert!(rep.changed_outside_comments(&before));
        assert!(rep.changed_outside_comments(&before_manager));
    }

    #[test]
    fn lists_created_concurrently_by_two_replicas_both_show() {
        let mut rep = new_doc(1);
        rep.doc.delete(ROOT, COMMENTS).unwrap(); // a document from before comments existed
        rep.commit(now());
        let mut manager = copy(&mut rep, 2);
        rep.add_comment(&comment("c-rep", CommentRole::Rep, "前向きでした。"))
            .unwrap();
        rep.commit(now());
        manager
            .add_comment(&comment(
                "c-mgr",
                CommentRole::Manager,
                "資料を確認してください。",
            ))
            .unwrap();
        manager.commit(now());
        let mut manager_copy = copy(&mut manager, 3);
        let before = rep.head_hashes();
        rep.merge(&mut manager_copy).unwrap();
        let ids: Vec<String> = rep.comments().unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, vec!["c-mgr".to_owned(), "c-rep".to_owned()]);
        let changes = rep.comment_changes(&before).unwrap();
        assert!(!rep.changed_outside_comments(&before) && !changes.rewritten);
        assert_eq!(changes.added.len(), 1);
    }
}
