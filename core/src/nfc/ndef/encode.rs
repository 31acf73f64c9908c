//! Encoding records into an NDEF message: short records when the payload fits a byte, the id length only when
//! there is an id, and (for tests and large payloads) chunk series.

use super::{NdefError, Record};

/// Encodes `records` as one NDEF message.
pub fn encode_message(records: &[Record]) -> Result<Vec<u8>, NdefError> {
    encode_chunked(records, usize::MAX)
}

/// Encodes `records` as one NDEF message, splitting each payload longer than `chunk_size` into a chunk series
/// (NFC Forum NDEF 1.0, 2.3.3). A `chunk_size` of 0 is treated as 1.
pub fn encode_chunked(records: &[Record], chunk_size: usize) -> Result<Vec<u8>, NdefError> {
    if records.is_empty() {
        return Err(NdefError::Empty);
    }
    let chunk_size = chunk_size.max(1);
    let mut out = Vec::new();
    let count = records.len();
    for (index, record) in records.iter().enumerate() {
        record.check(index)?;
        let first_record = index == 0;
        let last_record = index + 1 == count;
        let mut chunks = record.payload.chunks(chunk_size).peekable();
        if record.payload.is_empty() {
            write_frame(&mut out, first_record, last_record, false, record, &[], true);
            continue;
        }
        let mut first_chunk = true;
        while let Some(chunk) = chunks.next() {
            let more = chunks.peek().is_some();
            write_frame(
                &mut out,
                first_record && first_chunk,
                last_record && !more,
                more,
                record,
                chunk,
                first_chunk,
            );
            first_chunk = false;
        }
    }
    Ok(out)
}

/// Writes one frame; a chunk after the first carries TNF 6 and no type or id.
fn write_frame(
    out: &mut Vec<u8>,
    mb: bool,
    me: bool,
    cf: bool,
    record: &Record,
    payload: &[u8],
    first_chunk: bool,
) {
    let (tnf, record_type, id): (u8, &[u8], &[u8]) = if first_chunk {
        (record.tnf.code(), &record.record_type, &record.id)
    } else {
        (6, &[], &[])
    };
    let short = payload.len() < 256;
    let mut header = tnf;
    for (on, bit) in [
        (mb, 0x80),
        (me, 0x40),
        (cf, 0x20),
        (short, 0x10),
        (!id.is_empty(), 0x08),
    ] {
        if on {
            header |= bit;
        }
    }
    out.push(header);
    // Lengths were checked by `Record::check`: type and id fit a byte, the payload fits 32 bits.
    out.push(u8::try_from(record_type.len()).unwrap_or(u8::MAX));
    let payload_len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    if short {
        out.push(u8::try_from(payload_len).unwrap_or(u8::MAX));
    } else {
        out.extend_from_slice(&payload_len.to_be_bytes());
    }
    if !id.is_empty() {
        out.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
    }
    out.extend_from_slice(record_type);
    out.extend_from_slice(id);
    out.extend_from_slice(payload);
}
