//! NDEF (NFC Forum Data Exchange Format): a strict in-house codec (see docs/adr/0005-ndef-codec.md).
//!
//! [`decode`] turns the bytes or records of a tag into typed records; the `*_record` builders and
//! [`encode_message`] go the other way. Nothing here panics or allocates more than its input on any input.

mod encode;
mod error;
mod frame;
mod input;
mod record;
mod smart_poster;
mod text;
mod typed;
mod uri;

pub use encode::{encode_chunked, encode_message};
pub use error::NdefError;
pub use frame::decode_message;
pub use input::NdefInput;
pub use record::{Record, Tnf, MAX_MESSAGE_LEN};
pub use smart_poster::{smart_poster_record, Action, SmartPoster};
pub use text::{text_record, Text, TextEncoding};
pub use typed::{aar_record, external_record, mime_record, DecodedRecord, Payload, AAR_TYPE};
pub use uri::{uri_record, URI_PREFIXES};

/// Decodes a tag's content into typed records.
pub fn decode(input: NdefInput<'_>) -> Result<Vec<DecodedRecord>, NdefError> {
    let records = input.records()?;
    records
        .into_iter()
        .enumerate()
        .map(|(index, record)| {
            let payload = typed::decode_payload(index, &record)?;
            Ok(DecodedRecord { record, payload })
        })
        .collect()
}

/// Decodes raw NDEF message bytes into typed records.
pub fn decode_bytes(bytes: &[u8]) -> Result<Vec<DecodedRecord>, NdefError> {
    decode(NdefInput::Bytes(bytes))
}

#[cfg(test)]
mod tests;
