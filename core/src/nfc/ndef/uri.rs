//! The URI record (NFC Forum URI RTD): an identifier code for one of 36 prefixes, then the rest in UTF-8.

use super::{NdefError, Record, Tnf};

/// The URI identifier codes 0x00–0x23 and the prefixes they stand for.
pub const URI_PREFIXES: [&str; 36] = [
    "",
    "http://www.",
    "https://www.",
    "http://",
    "https://",
    "tel:",
    "mailto:",
    "ftp://anonymous:anonymous@",
    "ftp://ftp.",
    "ftps://",
    "sftp://",
    "smb://",
    "nfs://",
    "ftp://",
    "dav://",
    "news:",
    "telnet://",
    "imap:",
    "rtsp://",
    "urn:",
    "pop:",
    "sip:",
    "sips:",
    "tftp:",
    "btspp://",
    "btl2cap://",
    "btgoep://",
    "tcpobex://",
    "irdaobex://",
    "file://",
    "urn:epc:id:",
    "urn:epc:tag:",
    "urn:epc:pat:",
    "urn:epc:raw:",
    "urn:epc:",
    "urn:nfc:",
];

/// Decodes a URI payload; `index` is the record's position, for the error.
pub fn decode_uri(index: usize, payload: &[u8]) -> Result<String, NdefError> {
    let fail = |reason: &str| NdefError::payload(index, "URI", reason);
    let (code, rest) = payload
        .split_first()
        .ok_or_else(|| fail("the payload is empty (no identifier code)"))?;
    let prefix = URI_PREFIXES
        .get(usize::from(*code))
        .ok_or_else(|| fail(&format!("identifier code 0x{code:02x} is not defined")))?;
    let rest = std::str::from_utf8(rest).map_err(|_| fail("the URI is not valid UTF-8"))?;
    if rest.chars().any(|c| c.is_ascii_control()) {
        return Err(fail("the URI contains control characters"));
    }
    Ok(format!("{prefix}{rest}"))
}

/// The payload of a URI record, abbreviated with the longest matching prefix.
pub fn encode_uri(uri: &str) -> Vec<u8> {
    let (code, prefix) = URI_PREFIXES
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, p)| uri.starts_with(**p))
        .max_by_key(|(_, p)| p.len())
        .map(|(code, p)| (code, p.len()))
        .unwrap_or((0, 0));
    let mut payload = Vec::with_capacity(1 + uri.len() - prefix);
    payload.push(u8::try_from(code).unwrap_or(0));
    payload.extend_from_slice(uri.get(prefix..).unwrap_or_default().as_bytes());
    payload
}

/// A URI record.
pub fn uri_record(uri: &str) -> Record {
    Record::new(Tnf::WellKnown, *b"U", encode_uri(uri))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefix_round_trips_and_the_longest_wins() {
        for (code, prefix) in URI_PREFIXES.iter().enumerate() {
            let uri = format!("{prefix}資材/1");
            let payload = encode_uri(&uri);
            assert_eq!(decode_uri(0, &payload).unwrap(), uri);
            if code != 0 {
                // No longer prefix of the same URI exists in the table for these.
                assert!(payload[0] as usize >= 1);
            }
        }
        assert_eq!(encode_uri("https://www.example.jp")[0], 0x02);
        assert_eq!(encode_uri("urn:epc:id:sgtin")[0], 0x1e);
        assert_eq!(encode_uri("urn:nfc:wkt:U")[0], 0x23);
        assert_eq!(encode_uri("ftp://anonymous:anonymous@x")[0], 0x07);
        assert_eq!(encode_uri("ftp://ftp.x")[0], 0x08);
        assert_eq!(encode_uri("ftp://x")[0], 0x0d);
        assert_eq!(encode_uri("geo:35.6,139.7")[0], 0x00);
    }

    #[test]
    fn malformed_uri_payloads_are_refused() {
        assert!(decode_uri(0, &[]).is_err());
        assert!(decode_uri(0, &[0x24, b'a']).is_err());
        assert!(decode_uri(0, &[0x04, 0xff]).is_err());
        assert!(decode_uri(0, b"\x04a\nb").is_err());
        assert_eq!(decode_uri(0, &[0x04]).unwrap(), "https://");
    }
}
