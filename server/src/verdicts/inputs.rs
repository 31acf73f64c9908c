//! What the audit reads of a stored visit: its fields and entry time from the document, its taps from the events
//! the rep's device sent.

use std::collections::BTreeMap;

use chrono::DateTime;
use mrc_audit::{AuditVisit, Tap};
use mrc_core::{nfc::tap::Verification, visit::DocState, VisitId};

use crate::{
    docs::load_stored,
    store::{StoredEvent, Tx},
    ServerError,
};

/// The current state of every stored visit of `reps`, in the store's sequence order.
pub(crate) fn stored_states(
    tx: &mut dyn Tx,
    reps: &[String],
) -> Result<Vec<(VisitId, DocState)>, ServerError> {
    let mut docs = Vec::new();
    for row in tx.feed(reps, 0)? {
        let Some(stored) = tx.read_doc(&row.id)? else {
            continue;
        };
        let state = load_stored(&row.id, &stored.chunks)?
            .state()
            .map_err(|e| ServerError::Internal(format!("verdicts: a stored visit: {e}")))?;
        docs.push((state.id, state));
    }
    Ok(docs)
}

/// The event kind devices record for a tap.
pub(crate) const APP_TAP: &str = "nfc_tap";

/// The taps that are evidence of a visit (an app tap, verified or pending, naming the visit), by visit id.
pub(crate) fn taps_by_visit<'a>(
    events: impl IntoIterator<Item = &'a StoredEvent>,
) -> BTreeMap<Vec<u8>, Vec<Tap>> {
    let mut taps: BTreeMap<Vec<u8>, Vec<Tap>> = BTreeMap::new();
    for StoredEvent { event, .. } in events {
        let evidence = Verification::parse_or_unknown(&event.verification).is_evidence();
        let (APP_TAP, true, Some(visit)) = (event.kind.as_str(), evidence, &event.visit_id) else {
            continue;
        };
        if let Some(at) = DateTime::from_timestamp_millis(event.occurred_at_ms) {
            let material = event.material_id.clone().map(|m| (m, event.material_version));
            taps.entry(visit.clone()).or_default().push(Tap { at, material });
        }
    }
    taps
}

/// The audit's input for stored visits (in the order given: the store's sequence order) with their taps.
pub(crate) fn audit_visits(
    docs: &[(VisitId, DocState)],
    mut taps: BTreeMap<Vec<u8>, Vec<Tap>>,
) -> Vec<AuditVisit> {
    docs.iter()
        .enumerate()
        .map(|(i, (id, state))| AuditVisit {
            line: i + 1,
            id_text: id.to_string(),
            id: *id,
            fields: state.fields.clone(),
            entered_at: Some(state.entered_at),
            taps: taps.remove(id.as_bytes().as_slice()).unwrap_or_default(),
        })
        .collect()
}
