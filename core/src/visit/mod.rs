//! Visits ("calls"): each one an automerge document, stored as chunks beside a projection row used by queries.

mod cache;
mod comment;
mod comment_repo;
mod document;
mod document_comments;
mod document_insights;
mod error;
mod input;
mod insights;
mod model;
mod projection;
mod query;
mod remote;
mod repo;
mod review;
mod sync_message;

pub(crate) use cache::DocCache;
pub use comment::{check_comment_text, Comment, CommentProblem, CommentRole, COMMENT_MAX_CHARS};
pub use document::{DocState, VisitDoc};
pub use document_comments::CommentChanges;
pub use error::VisitError;
pub use input::parse_visit_input;
pub use insights::{
    DoctorQuestion, InformationNeed, ProductStage, QuestionStatus, SafetyMention, VisitInsights,
};
pub use model::{
    Amendment, Channel, MaterialShown, ProductDiscussed, Reaction, Visit, VisitFields, VisitStatus,
};
pub(crate) use query::read_stored;
pub use query::VisitFilter;
pub(crate) use remote::{apply_remote, changes_since, has_heads, receive_sync, sync_message};
pub use repo::MergeOutcome;
