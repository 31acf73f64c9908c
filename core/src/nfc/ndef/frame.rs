//! Strict, allocation-bounded NDEF framing: message begin/end flags, lengths checked against the input before
//! anything is copied, chunk series joined into one record.
//!
//! No field is allocated before its declared length is known to fit in the remaining input, so the records
//! returned never hold more bytes than the input had.

use super::{record::MAX_MESSAGE_LEN, NdefError, Record, Tnf};

const MB: u8 = 0x80;
const ME: u8 = 0x40;
const CF: u8 = 0x20;
const SR: u8 = 0x10;
const IL: u8 = 0x08;
const TNF_UNCHANGED: u8 = 6;

/// One record frame as it lies in the input, borrowed.
struct Frame<'a> {
    offset: usize,
    header: u8,
    record_type: &'a [u8],
    id: &'a [u8],
    payload: &'a [u8],
}

impl Frame<'_> {
    fn flag(&self, bit: u8) -> bool {
        self.header & bit != 0
    }

    fn tnf_code(&self) -> u8 {
        self.header & 0x07
    }
}

/// Reads frames from a byte slice without ever indexing past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, offset: usize, field: &'static str, len: u64) -> Result<&'a [u8], NdefError> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let truncated = || NdefError::Truncated {
            offset,
            field,
            needed: len,
            available: rest.len(),
        };
        let len = usize::try_from(len).map_err(|_| truncated())?;
        let taken = rest.get(..len).ok_or_else(truncated)?;
        self.pos += len;
        Ok(taken)
    }

    fn byte(&mut self, offset: usize, field: &'static str) -> Result<u8, NdefError> {
        Ok(self.take(offset, field, 1)?.first().copied().unwrap_or_default())
    }

    fn frame(&mut self) -> Result<Frame<'a>, NdefError> {
        let offset = self.pos;
        let header = self.byte(offset, "header")?;
        let type_len = self.byte(offset, "type length")?;
        let payload_len = if header & SR != 0 {
            u64::from(self.byte(offset, "payload length")?)
        } else {
            let b = self.take(offset, "payload length", 4)?;
            b.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x))
        };
        let id_len = if header & IL != 0 {
            self.byte(offset, "id length")?
        } else {
            0
        };
        check_lengths(offset, header & 0x07, type_len, id_len, payload_len)?;
        let record_type = self.take(offset, "type", u64::from(type_len))?;
        let id = self.take(offset, "id", u64::from(id_len))?;
        let payload = self.take(offset, "payload", payload_len)?;
        Ok(Frame {
            offset,
            header,
            record_type,
            id,
            payload,
        })
    }
}

/// The length rules of each TNF (NFC Forum NDEF 1.0, 3.2.6), checked before any field is read.
fn check_lengths(
    offset: usize,
    tnf: u8,
    type_len: u8,
    id_len: u8,
    payload_len: u64,
) -> Result<(), NdefError> {
    let fail = |reason| Err(NdefError::Tnf { offset, tnf, reason });
    match tnf {
        7 => fail("the value 7 is reserved"),
        0 if type_len != 0 || id_len != 0 || payload_len != 0 => {
            fail("an empty record has no type, id or payload")
        }
        5 | 6 if type_len != 0 => fail("this type name format has no type"),
        1..=4 if type_len == 0 => fail("this type name format needs a type"),
        _ => Ok(()),
    }
}

/// Decodes a whole NDEF message: exactly one MB (first record), exactly one ME (last record, end of input), chunk
/// series joined. Refuses anything else.
pub fn decode_message(bytes: &[u8]) -> Result<Vec<Record>, NdefError> {
    decode_nested(bytes, true)
}

/// Like [`decode_message`]; `top` is false for the message nested in a Smart Poster.
pub(crate) fn decode_nested(bytes: &[u8], top: bool) -> Result<Vec<Record>, NdefError> {
    if bytes.is_empty() {
        return Err(NdefError::Empty);
    }
    if top && bytes.len() > MAX_MESSAGE_LEN {
        return Err(NdefError::TooLarge {
            len: bytes.len(),
            max: MAX_MESSAGE_LEN,
        });
    }
    let mut reader = Reader { bytes, pos: 0 };
    let mut records = Vec::new();
    // The record being assembled from chunks, if a chunk series is open.
    let mut open: Option<Record> = None;
    let mut first = true;
    loop {
        let frame = reader.frame()?;
        let offset = frame.offset;
        let flags_err = |reason| NdefError::Flags { offset, reason };
        if first != frame.flag(MB) {
            return Err(flags_err(if first {
                "the first record must have the message-begin flag"
            } else {
                "only the first record may have the message-begin flag"
            }));
        }
        first = false;
        let last = frame.flag(ME);
        if last && frame.flag(CF) {
            return Err(flags_err("the last record cannot be a chunk with more to follow"));
        }
        if !last && reader.pos >= bytes.len() {
            return Err(flags_err("the last record must have the message-end flag"));
        }
        if last && reader.pos < bytes.len() {
            return Err(flags_err("bytes follow the record with the message-end flag"));
        }
        match open.take() {
            Some(mut joined) => {
                if frame.tnf_code() != TNF_UNCHANGED || frame.flag(IL) {
                    return Err(NdefError::Tnf {
                        offset,
                        tnf: frame.tnf_code(),
                        reason: "a middle or last chunk must have type name format 6 and no id",
                    });
                }
                joined.payload.extend_from_slice(frame.payload);
                if frame.flag(CF) {
                    open = Some(joined);
                } else {
                    records.push(joined);
                }
            }
            None => {
                let tnf = Tnf::from_code(frame.tnf_code()).ok_or(NdefError::Tnf {
                    offset,
                    tnf: frame.tnf_code(),
                    reason: "type name format 6 only continues a chunked record",
                })?;
                if frame.flag(CF) && tnf == Tnf::Empty {
                    return Err(flags_err("an empty record cannot be chunked"));
                }
                let record = Record {
                    tnf,
                    record_type: frame.record_type.to_vec(),
                    id: frame.id.to_vec(),
                    payload: frame.payload.to_vec(),
                };
                if !record.record_type.iter().all(|b| (0x20..=0x7e).contains(b)) {
                    return Err(NdefError::BadType { index: records.len() });
                }
                if frame.flag(CF) {
                    open = Some(record);
                } else {
                    records.push(record);
                }
            }
        }
        if last {
            return Ok(records);
        }
    }
}
