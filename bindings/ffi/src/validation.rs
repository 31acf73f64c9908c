//! Validation and the visit lifecycle through the FFI: validate a form, submit a draft, amend a submitted visit.

use mrc_core::{ffi_types::UtcTime, validate::Report, visit::VisitFields};

use crate::{
    error::{guard, MrcError},
    observer::ChangeKind,
    visits::visit_id,
    MrcStore,
};

#[uniffi::export]
impl MrcStore {
    /// Validates a form (of the stored visit `id`, if it is one) as of the device time `now`. Findings are data,
    /// not errors: an error only means the store failed.
    pub fn validate(
        &self,
        id: Option<String>,
        fields: VisitFields,
        amendment_reason: Option<String>,
        now: UtcTime,
    ) -> Result<Report, MrcError> {
        guard(|| {
            let id = id.as_deref().map(visit_id).transpose()?;
            Ok(self
                .store
                .validate(id, &fields, amendment_reason.as_deref(), now)?)
        })
    }

    /// Submits a draft: refused with `MrcError::Validation` (all findings attached) if validation finds errors.
    pub fn submit_visit(&self, id: String, now: UtcTime) -> Result<Report, MrcError> {
        guard(|| {
            let id = visit_id(&id)?;
            let report = self.store.submit_visit(id, now)?;
            self.notify(id, ChangeKind::Submitted);
            Ok(report)
        })
    }

    /// Changes a submitted visit with a reason (recorded in its document); a draft is simply updated.
    pub fn amend_visit(
        &self,
        id: String,
        fields: VisitFields,
        reason: String,
        now: UtcTime,
    ) -> Result<Report, MrcError> {
        guard(|| {
            let id = visit_id(&id)?;
            let report = self.store.amend_visit(id, &fields, &reason, now)?;
            self.notify(id, ChangeKind::Amended);
            Ok(report)
        })
    }
}
