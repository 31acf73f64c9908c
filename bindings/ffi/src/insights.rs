//! Doctor insights through the FFI: what the core proposes from the notes while the MR types (topics, a possible
//! adverse event, an off-label question). Pure and fast, so the apps call it on every pause in typing.

use mrc_core::insights::{suggest, InsightSuggestions, Lexicon};

use crate::error::{guard, MrcError};

/// The topics, adverse-event and off-label proposals for `notes`, from the lexicon this build carries.
#[uniffi::export]
pub fn suggest_insights(notes: String) -> Result<InsightSuggestions, MrcError> {
    guard(|| Ok(suggest(&notes, Lexicon::builtin())))
}
