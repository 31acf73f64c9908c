//! Typed payloads: what a record means (URI, Text, Smart Poster, MIME, external type, Android Application Record).

use super::{
    smart_poster::{decode_smart_poster, SmartPoster},
    text::{decode_text, Text},
    uri::decode_uri,
    NdefError, Record, Tnf,
};

/// The external type of an Android Application Record.
pub const AAR_TYPE: &[u8] = b"android.com:pkg";

/// What a record's payload means, as far as this app reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Well-known `U`.
    Uri(String),
    /// Well-known `T`.
    Text(Text),
    /// Well-known `Sp`.
    SmartPoster(SmartPoster),
    /// An Android Application Record: the app package to open.
    AndroidApp(String),
    /// A MIME media record (the type is the record type).
    Mime,
    /// An NFC Forum external type other than an AAR.
    External,
    /// TNF 3: the record type is an absolute URI.
    AbsoluteUri,
    /// TNF 0.
    Empty,
    /// TNF 5, or a well-known type this app does not interpret.
    Other,
}

/// A record and its typed payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedRecord {
    pub record: Record,
    pub payload: Payload,
}

impl DecodedRecord {
    /// The URI this record points to (a URI record or a Smart Poster's URI).
    pub fn uri(&self) -> Option<&str> {
        match &self.payload {
            Payload::Uri(uri) => Some(uri),
            Payload::SmartPoster(poster) => Some(&poster.uri),
            _ => None,
        }
    }
}

/// Decodes the payload of record `index`.
pub fn decode_payload(index: usize, record: &Record) -> Result<Payload, NdefError> {
    Ok(match record.tnf {
        Tnf::WellKnown => match record.record_type.as_slice() {
            b"U" => Payload::Uri(decode_uri(index, &record.payload)?),
            b"T" => Payload::Text(decode_text(index, &record.payload)?),
            b"Sp" => Payload::SmartPoster(decode_smart_poster(index, &record.payload)?),
            _ => Payload::Other,
        },
        Tnf::External if record.record_type == AAR_TYPE => {
            Payload::AndroidApp(decode_package(index, &record.payload)?)
        }
        Tnf::External => Payload::External,
        Tnf::Media => Payload::Mime,
        Tnf::AbsoluteUri => Payload::AbsoluteUri,
        Tnf::Empty => Payload::Empty,
        Tnf::Unknown => Payload::Other,
    })
}

fn decode_package(index: usize, payload: &[u8]) -> Result<String, NdefError> {
    let fail = |reason: &str| NdefError::payload(index, "Android Application Record", reason);
    let package = std::str::from_utf8(payload).map_err(|_| fail("the package name is not UTF-8"))?;
    if package.is_empty() {
        return Err(fail("the package name is empty"));
    }
    if !package
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
    {
        return Err(fail(
            "the package name has characters other than letters, digits, '.' and '_'",
        ));
    }
    Ok(package.to_owned())
}

/// An Android Application Record for `package`.
pub fn aar_record(package: &str) -> Record {
    Record::new(Tnf::External, AAR_TYPE, package.as_bytes())
}

/// A MIME media record.
pub fn mime_record(media_type: &str, data: &[u8]) -> Record {
    Record::new(Tnf::Media, media_type.as_bytes(), data)
}

/// An NFC Forum external-type record (`domain:type`).
pub fn external_record(external_type: &str, data: &[u8]) -> Record {
    Record::new(Tnf::External, external_type.as_bytes(), data)
}
