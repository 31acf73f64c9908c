//! Why NDEF bytes or records were refused: one typed error, each a sentence saying where and why.

/// NDEF input that is not a well-formed NDEF message, or a record that cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NdefError {
    /// No bytes, or no records.
    #[error("the NDEF message is empty")]
    Empty,
    /// More bytes than any tag this app reads can hold.
    #[error("the NDEF message is {len} bytes, more than the {max} bytes accepted")]
    TooLarge {
        /// The input size.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A header or field runs past the end of the input.
    #[error(
        "the record at byte {offset} needs {needed} more bytes for its {field} but only {available} remain"
    )]
    Truncated {
        /// Where the record starts.
        offset: usize,
        /// Which field ran out.
        field: &'static str,
        /// Bytes the field declares.
        needed: u64,
        /// Bytes left in the input.
        available: usize,
    },
    /// Message begin/end or chunk flags in the wrong place.
    #[error("the record at byte {offset} has wrong flags: {reason}")]
    Flags {
        /// Where the record starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A type name format that is reserved, or lengths it forbids.
    #[error("the record at byte {offset} has type name format {tnf}: {reason}")]
    Tnf {
        /// Where the record starts.
        offset: usize,
        /// The TNF value (0–7).
        tnf: u8,
        /// What is wrong.
        reason: &'static str,
    },
    /// A record's type is not printable ASCII.
    #[error("record {index} has a type that is not printable ASCII")]
    BadType {
        /// The record's position (0-based).
        index: usize,
    },
    /// A typed payload (URI, Text, Smart Poster, AAR, MIME) is malformed.
    #[error("record {index} ({kind}) is malformed: {reason}")]
    Payload {
        /// The record's position (0-based) in its message.
        index: usize,
        /// The record kind, e.g. `URI`.
        kind: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A record to encode breaks a size or format rule.
    #[error("cannot encode record {index}: {reason}")]
    Encode {
        /// The record's position (0-based).
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

impl NdefError {
    /// A malformed typed payload.
    pub(crate) fn payload(index: usize, kind: &'static str, reason: impl Into<String>) -> NdefError {
        NdefError::Payload {
            index,
            kind,
            reason: reason.into(),
        }
    }
}
