//! What the platforms hand over: raw NDEF message bytes (Android) or a list of records (iOS Core NFC).

use super::{decode_message, record::MAX_MESSAGE_LEN, NdefError, Record};

/// A tag's content as the operating system delivers it.
#[derive(Debug, Clone, Copy)]
pub enum NdefInput<'a> {
    /// The NDEF message bytes (Android `NdefMessage.toByteArray()`).
    Bytes(&'a [u8]),
    /// The records (iOS `NFCNDEFMessage.records`), chunks already joined by the OS.
    Records(&'a [Record]),
}

impl NdefInput<'_> {
    /// The records, checked with the same rules as decoded bytes.
    pub fn records(&self) -> Result<Vec<Record>, NdefError> {
        match self {
            NdefInput::Bytes(bytes) => decode_message(bytes),
            NdefInput::Records(records) => {
                if records.is_empty() {
                    return Err(NdefError::Empty);
                }
                let len: usize = records
                    .iter()
                    .map(|r| {
                        r.record_type
                            .len()
                            .saturating_add(r.id.len())
                            .saturating_add(r.payload.len())
                    })
                    .fold(0, usize::saturating_add);
                if len > MAX_MESSAGE_LEN {
                    return Err(NdefError::TooLarge {
                        len,
                        max: MAX_MESSAGE_LEN,
                    });
                }
                for (index, record) in records.iter().enumerate() {
                    record.check(index)?;
                }
                Ok(records.to_vec())
            }
        }
    }
}
