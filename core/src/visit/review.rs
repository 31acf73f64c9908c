//! Late edits: a visit submitted on one device and edited concurrently on another converges, and the edit that
//! arrives after submission is recorded as an amendment flagged for review — not lost, not taken as original.
//!
//! Submission and every amendment "seal" the visit with a fingerprint of its fields. After a merge, a submitted
//! visit whose fields no longer match its seal received an edit that went through no amendment: it is recorded in
//! the `reviews` map under the fingerprint of the merged fields (so two devices detecting the same late edit write
//! the same key and merge into one entry), the status becomes `amended` and the seal moves on.

use automerge::{transaction::Transactable, ObjType, ReadDoc, Value, ROOT};
use chrono::{DateTime, Utc};

use super::{VisitDoc, VisitError, VisitStatus};

const SEAL: &str = "submitted_fingerprint";
const REVIEWS: &str = "reviews";

/// FNV-1a (64-bit) of the canonical JSON of the fields, as hex.
fn fingerprint(doc: &VisitDoc) -> Result<String, VisitError> {
    let fields = doc.state()?.fields;
    let json = serde_json::to_string(&fields).map_err(|e| VisitError::BadDocument(e.to_string()))?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in json.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Ok(format!("{hash:016x}"))
}

impl VisitDoc {
    /// Records the current fields as the submitted (or amended) version.
    pub(super) fn seal(&mut self) -> Result<(), VisitError> {
        let print = fingerprint(self)?;
        self.doc.put(ROOT, SEAL, print)?;
        Ok(())
    }

    /// Whether a late edit waits for review.
    pub(super) fn needs_review(&self) -> bool {
        matches!(self.doc.get(ROOT, REVIEWS), Ok(Some((Value::Object(ObjType::Map), reviews))) if self.doc.length(&reviews) > 0)
    }

    /// After a merge: flags a late edit of a submitted visit. Returns whether the document changed.
    pub fn flag_late_edit(&mut self, now: DateTime<Utc>) -> Result<bool, VisitError> {
        if self.status() == VisitStatus::Draft {
            return Ok(false);
        }
        let Some(sealed) = self.get_str(SEAL) else {
            return Ok(false);
        };
        let current = fingerprint(self)?;
        if current == sealed {
            return Ok(false);
        }
        let reviews = match self.doc.get(ROOT, REVIEWS)? {
            Some((Value::Object(ObjType::Map), reviews)) => reviews,
            _ => self.doc.put_object(ROOT, REVIEWS, ObjType::Map)?,
        };
        let entry = self.doc.put_object(&reviews, current.as_str(), ObjType::Map)?;
        self.doc.put(&entry, "at", now.timestamp_millis())?;
        self.doc
            .put(&entry, "reason", "late edit merged after submission")?;
        self.doc.put(ROOT, SEAL, current)?;
        self.doc.put(ROOT, "status", VisitStatus::Amended.as_str())?;
        self.commit(now);
        Ok(true)
    }
}
