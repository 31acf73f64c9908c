//! Doctor insights through the FFI: what the core proposes from the notes while the MR types (topics, a possible
//! adverse event, an off-label question; pure and fast, so the apps call it on every pause in typing), the catalog
//! insights are coded against, and the pre-visit screen (a doctor's profile, the materials to suggest).

use mrc_core::{
    ffi_types::UtcTime,
    insights::{suggest, DoctorProfile, InsightSuggestions, Lexicon, MaterialSuggestion},
    master::InsightCatalog,
};

use crate::{
    error::{guard, MrcError},
    MrcStore,
};

/// The topics, adverse-event and off-label proposals for `notes`, from the lexicon this build carries.
#[uniffi::export]
pub fn suggest_insights(notes: String) -> Result<InsightSuggestions, MrcError> {
    guard(|| Ok(suggest(&notes, Lexicon::builtin())))
}

#[uniffi::export]
impl MrcStore {
    /// The adoption ladder and topic taxonomy insights are coded against (master data's, else the built-in ones).
    pub fn insight_catalog(&self) -> Result<InsightCatalog, MrcError> {
        guard(|| Ok(self.store.insight_catalog()?))
    }

    /// Doctor `hcp_id`'s profile from the visits on this device (empty for a doctor never visited).
    pub fn doctor_profile(&self, hcp_id: String) -> Result<DoctorProfile, MrcError> {
        guard(|| Ok(self.store.doctor_profile(&hcp_id)?))
    }

    /// The approved, current materials to suggest for doctor `hcp_id` as of `now`, best first.
    pub fn pull_suggestions(
        &self,
        hcp_id: String,
        now: UtcTime,
    ) -> Result<Vec<MaterialSuggestion>, MrcError> {
        guard(|| Ok(self.store.pull_suggestions(&hcp_id, now)?))
    }
}
