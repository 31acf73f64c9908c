//! Comments on a visit (a manager's remark, the rep's answer): the type, who may write one, and the text check.
//! Comments live in the visit document beside the fields but never change them, the status, the score or the
//! submission seal (ADR 0002, 0012).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest comment text, in Unicode scalar values.
pub const COMMENT_MAX_CHARS: usize = 2_000;

/// Who wrote a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CommentRole {
    Manager,
    Rep,
}

crate::text_enum!(CommentRole { Manager => "manager", Rep => "rep" });

/// One comment, as read from the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Comment {
    /// A UUID (v7) as text, unique per comment.
    pub id: String,
    pub author_role: CommentRole,
    /// The author's display name (e.g. "課長 山本").
    pub author: String,
    /// When it was written (millisecond precision).
    pub at: DateTime<Utc>,
    pub text: String,
}

/// Why a comment text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentProblem {
    /// Nothing but white space.
    Empty,
    /// Longer than [`COMMENT_MAX_CHARS`].
    TooLong,
}

impl CommentProblem {
    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            CommentProblem::Empty => "comment_empty",
            CommentProblem::TooLong => "comment_too_long",
        }
    }

    /// The English sentence.
    pub fn en(self) -> String {
        match self {
            CommentProblem::Empty => "The comment is empty.".into(),
            CommentProblem::TooLong => format!("A comment may have at most {COMMENT_MAX_CHARS} characters."),
        }
    }

    /// The Japanese sentence.
    pub fn ja(self) -> String {
        match self {
            CommentProblem::Empty => "コメントを入力してください。".into(),
            CommentProblem::TooLong => format!("コメントは{COMMENT_MAX_CHARS}文字以内で入力してください。"),
        }
    }
}

/// The text to store (trimmed), or why it is refused.
pub fn check_comment_text(text: &str) -> Result<&str, CommentProblem> {
    let text = text.trim();
    if text.is_empty() {
        Err(CommentProblem::Empty)
    } else if text.chars().count() > COMMENT_MAX_CHARS {
        Err(CommentProblem::TooLong)
    } else {
        Ok(text)
    }
}

/// Comments in display order: by time, then id, so every replica shows the same order.
pub(super) fn sort(comments: &mut [Comment]) {
    comments.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_in_characters() {
        assert_eq!(
            check_comment_text("  先生の反応を確認してください。\n"),
            Ok("先生の反応を確認してください。")
        );
        assert_eq!(check_comment_text(" \u{3000}\n"), Err(CommentProblem::Empty));
        let longest = "確".repeat(COMMENT_MAX_CHARS);
        assert_eq!(check_comment_text(&longest), Ok(longest.as_str()));
        let longer = format!("{longest}認");
        assert_eq!(check_comment_text(&longer), Err(CommentProblem::TooLong));
    }

    #[test]
    fn problems_have_codes_and_both_languages() {
        for problem in [CommentProblem::Empty, CommentProblem::TooLong] {
            assert!(problem.code().starts_with("comment_"));
            assert!(problem.ja().contains("コメント"));
            assert!(problem.en().contains("comment"));
        }
        assert!(CommentProblem::TooLong.ja().contains("2000"));
    }

    #[test]
    fn roles_round_trip() {
        for role in [CommentRole::Manager, CommentRole::Rep] {
            assert_eq!(CommentRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(CommentRole::parse("head_office"), None);
    }
}
