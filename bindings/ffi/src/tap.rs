//! NFC taps through the FFI: NDEF bytes (Android) or records (iOS Core NFC) in, what to show out.
//!
//! The core's tap types live in `mrc_core::nfc`, which is still changing; until they carry uniffi derives
//! themselves, this file is the one place that maps them (their `Reason` would also clash with the validator's
//! `Reason` in the `mrc_core` namespace). See docs/adr/0008-ffi-surface.md.

use mrc_core::{
    ffi_types::OffsetTime,
    nfc::{
        ndef::{self, NdefInput, Record, Tnf},
        Reason, Tap, TapOutcome, Verification,
    },
};

use crate::{
    error::{guard, MrcError},
    visits::visit_id,
    MrcStore,
};

/// Why a tap did not simply open its material, with its stable code and both messages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TapReason {
    pub code: String,
    pub message_ja: String,
    pub message_en: String,
}

/// How far the card was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TapVerification {
    Verified,
    PendingVerification,
    Forged,
    Replay,
    Unknown,
}

/// What the app shows after a tap.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TapAction {
    /// Open the material from local storage.
    Open {
        material: String,
        version: u32,
        title: String,
        local_path: String,
    },
    /// The card names another version: open the current approved one.
    Superseded {
        material: String,
        card_version: u32,
        current_version: u32,
        title: String,
        local_path: String,
    },
    /// Show nothing promotional: the material is withdrawn.
    Withdrawn {
        material: String,
        version: u32,
        reason: TapReason,
    },
    /// Show nothing promotional: the card or the material is out of date.
    Expired {
        material: String,
        version: u32,
        reason: TapReason,
    },
    /// The approved version is not on this device: open the card URL online.
    NotCached {
        material: String,
        version: u32,
        fallback_url: String,
    },
    /// Not one of our cards, or not known here yet.
    UnknownCard { reason: TapReason },
    /// A forged, re-written or damaged card.
    Forged { reason: TapReason },
    /// A replayed secure-card URL.
    Replay { card_id: String, reason: TapReason },
}

/// The result of one tap; its engagement event is already stored.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TapResult {
    pub event_id: String,
    pub card_id: Option<String>,
    pub verification: TapVerification,
    pub action: TapAction,
}

/// One record as iOS Core NFC delivers it (`NFCNDEFPayload`): the type name format code 0–5, type, id, payload.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NdefRecordInput {
    pub tnf: u8,
    pub record_type: Vec<u8>,
    pub id: Vec<u8>,
    pub payload: Vec<u8>,
}

/// The NDEF message of one URI record (for a card URL that arrived as an App Link / Universal Link, so it is judged
/// exactly like a tapped card).
#[uniffi::export]
pub fn ndef_uri_message(url: String) -> Result<Vec<u8>, MrcError> {
    guard(|| {
        ndef::encode_message(&[ndef::uri_record(&url)]).map_err(|_| MrcError::Validation {
            field: "url".into(),
            code: "invalid_value".into(),
            findings: Vec::new(),
        })
    })
}

#[uniffi::export]
impl MrcStore {
    /// Handles a tap from the NDEF message bytes (Android `NdefMessage.toByteArray()`). Malformed or foreign input
    /// is an outcome, not an error; `now` is the device time with its offset; `visit_id` the visit in progress.
    pub fn handle_tap_bytes(
        &self,
        ndef: Vec<u8>,
        now: OffsetTime,
        visit_id: Option<String>,
    ) -> Result<TapResult, MrcError> {
        guard(|| self.tap(NdefInput::Bytes(&ndef), now, visit_id))
    }

    /// Handles a tap from the records iOS Core NFC delivers (`NFCNDEFMessage.records`).
    pub fn handle_tap_records(
        &self,
        records: Vec<NdefRecordInput>,
        now: OffsetTime,
        visit_id: Option<String>,
    ) -> Result<TapResult, MrcError> {
        guard(|| {
            let records = records
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let tnf = Tnf::from_code(r.tnf).ok_or_else(|| MrcError::Validation {
                        field: format!("/records/{i}/tnf"),
                        code: "invalid_value".into(),
                        findings: Vec::new(),
                    })?;
                    Ok(Record {
                        tnf,
                        record_type: r.record_type,
                        id: r.id,
                        payload: r.payload,
                    })
                })
                .collect::<Result<Vec<_>, MrcError>>()?;
            self.tap(NdefInput::Records(&records), now, visit_id)
        })
    }
}

impl MrcStore {
    fn tap(
        &self,
        input: NdefInput<'_>,
        now: OffsetTime,
        visit: Option<String>,
    ) -> Result<TapResult, MrcError> {
        let visit = visit.as_deref().map(visit_id).transpose()?;
        Ok(self.store.handle_tap(input, now, visit)?.into())
    }
}

impl From<Tap> for TapResult {
    fn from(tap: Tap) -> TapResult {
        TapResult {
            event_id: tap.event_id,
            card_id: tap.card_id,
            verification: tap.verification.into(),
            action: tap.outcome.into(),
        }
    }
}

impl From<Reason> for TapReason {
    fn from(reason: Reason) -> TapReason {
        TapReason {
            code: reason.code().into(),
            message_ja: reason.ja().into(),
            message_en: reason.en().into(),
        }
    }
}

impl From<Verification> for TapVerification {
    fn from(v: Verification) -> TapVerification {
        match v {
            Verification::Verified => TapVerification::Verified,
            Verification::PendingVerification => TapVerification::PendingVerification,
            Verification::Forged => TapVerification::Forged,
            Verification::Replay => TapVerification::Replay,
            Verification::Unknown => TapVerification::Unknown,
        }
    }
}

impl From<TapOutcome> for TapAction {
    fn from(outcome: TapOutcome) -> TapAction {
        use TapOutcome as O;
        match outcome {
            O::Open {
                material,
                version,
                title,
                local_path,
            } => TapAction::Open {
                material,
                version,
                title,
                local_path,
            },
            O::Superseded {
                material,
                card_version,
                current_version,
                title,
                local_path,
            } => TapAction::Superseded {
                material,
                card_version,
                current_version,
                title,
                local_path,
            },
            O::Withdrawn {
                material,
                version,
                reason,
            } => TapAction::Withdrawn {
                material,
                version,
                reason: reason.into(),
            },
            O::Expired {
                material,
                version,
                reason,
            } => TapAction::Expired {
                material,
                version,
                reason: reason.into(),
            },
            O::NotCached {
                material,
                version,
                fallback_url,
            } => TapAction::NotCached {
                material,
                version,
                fallback_url,
            },
            O::UnknownCard { reason } => TapAction::UnknownCard {
                reason: reason.into(),
            },
            O::Forged { reason } => TapAction::Forged {
                reason: reason.into(),
            },
            O::Replay { card_id, reason } => TapAction::Replay {
                card_id,
                reason: reason.into(),
            },
        }
    }
}
