//! Doctor insights from what the MR types (issue #17, part 2): topics the notes touch, a possible adverse event to
//! report to pharmacovigilance, a question outside the approved use to route to Medical — proposed while the MR
//! types, offline, from a versioned lexicon of Japanese medical-marketing terms. They are proposals the MR accepts,
//! never edits of the visit.

mod lexicon;
mod suggest;
mod text;

pub use lexicon::{Lexicon, TopicTerms, TOPICS};
pub use suggest::{suggest, InsightFlag, InsightSuggestions, TopicSuggestion};
