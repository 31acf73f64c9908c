//! One NDEF record as framed on the wire: type name format, type, id and payload (chunks already joined).

use super::NdefError;

/// The largest NDEF message accepted, in bytes: far above any NTAG (888 bytes) or NTAG 424 DNA file (256 bytes),
/// small enough that a hostile input costs nothing.
pub const MAX_MESSAGE_LEN: usize = 32 * 1024;

/// The type name format (TNF) of a record; 6 (unchanged) only appears inside chunk series and 7 is reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tnf {
    /// 0: an empty record (no type, id or payload).
    Empty,
    /// 1: an NFC Forum well-known type (`U`, `T`, `Sp`, …).
    WellKnown,
    /// 2: a MIME media type (`text/plain`).
    Media,
    /// 3: an absolute URI as the type.
    AbsoluteUri,
    /// 4: an NFC Forum external type (`android.com:pkg`).
    External,
    /// 5: unknown payload type (no type field).
    Unknown,
}

impl Tnf {
    /// The 3-bit wire value.
    pub fn code(self) -> u8 {
        match self {
            Tnf::Empty => 0,
            Tnf::WellKnown => 1,
            Tnf::Media => 2,
            Tnf::AbsoluteUri => 3,
            Tnf::External => 4,
            Tnf::Unknown => 5,
        }
    }

    /// The TNF for a wire value of a record that is not a middle or last chunk (6 and 7 are refused).
    pub fn from_code(code: u8) -> Option<Tnf> {
        Some(match code {
            0 => Tnf::Empty,
            1 => Tnf::WellKnown,
            2 => Tnf::Media,
            3 => Tnf::AbsoluteUri,
            4 => Tnf::External,
            5 => Tnf::Unknown,
            _ => return None,
        })
    }
}

/// An NDEF record. A chunked record arrives here already reassembled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub tnf: Tnf,
    /// The type field (ASCII for every TNF that has one).
    pub record_type: Vec<u8>,
    /// The id field; empty when the record has none.
    pub id: Vec<u8>,
    pub payload: Vec<u8>,
}

impl Record {
    /// A record with no id.
    pub fn new(tnf: Tnf, record_type: impl Into<Vec<u8>>, payload: impl Into<Vec<u8>>) -> Record {
        Record {
            tnf,
            record_type: record_type.into(),
            id: Vec::new(),
            payload: payload.into(),
        }
    }

    /// The same record with an id.
    pub fn with_id(mut self, id: impl Into<Vec<u8>>) -> Record {
        self.id = id.into();
        self
    }

    /// Whether this is the well-known type `name` (e.g. `U`).
    pub fn is_well_known(&self, name: &[u8]) -> bool {
        self.tnf == Tnf::WellKnown && self.record_type == name
    }

    /// The type as text (types are ASCII; anything else was refused when decoding).
    pub fn type_text(&self) -> String {
        String::from_utf8_lossy(&self.record_type).into_owned()
    }

    /// Checks the rules every record must follow, whether it came from bytes, from a record list or from a caller
    /// about to encode it. `index` is its position, for the error.
    pub fn check(&self, index: usize) -> Result<(), NdefError> {
        let fail = |reason: &str| {
            Err(NdefError::Encode {
                index,
                reason: reason.to_owned(),
            })
        };
        if self.record_type.len() > 255 {
            return fail("the type is longer than 255 bytes");
        }
        if self.id.len() > 255 {
            return fail("the id is longer than 255 bytes");
        }
        if u32::try_from(self.payload.len()).is_err() {
            return fail("the payload is longer than 4 GiB");
        }
        match self.tnf {
            Tnf::Empty if !self.record_type.is_empty() || !self.id.is_empty() || !self.payload.is_empty() => {
                fail("an empty record (TNF 0) has no type, id or payload")
            }
            Tnf::Unknown if !self.record_type.is_empty() => {
                fail("an unknown-type record (TNF 5) has no type")
            }
            Tnf::WellKnown | Tnf::Media | Tnf::AbsoluteUri | Tnf::External if self.record_type.is_empty() => {
                fail("this type name format needs a type")
            }
            _ if !self.record_type.iter().all(|b| (0x20..=0x7e).contains(b)) => {
                Err(NdefError::BadType { index })
            }
            _ => Ok(()),
        }
    }
}
