//! Doctor insights beyond one visit's record (which is `crate::visit::VisitInsights`):
//! - proposals while the MR types (`suggest`): topics the notes touch, a possible adverse event to report to
//!   pharmacovigilance, a question outside the approved use to route to Medical — offline, from a versioned lexicon
//!   of Japanese medical-marketing terms; proposals the MR accepts, never edits of the visit;
//! - the pre-visit screen (`profile`, `pull`): the doctor's profile and the materials to suggest.

mod lexicon;
mod profile;
mod pull;
mod suggest;
mod text;

pub use lexicon::{Lexicon, TopicTerms, TOPICS};
pub use profile::{
    DoctorProfile, MaterialSeen, OpenNeed, OpenQuestion, PendingSafety, StageNow, VisitBrief, LAST_VISITS,
};
pub use pull::{MaterialSuggestion, MAX_SUGGESTIONS};
pub use suggest::{suggest, InsightFlag, InsightSuggestions, TopicSuggestion};
