//! The Text record (NFC Forum Text RTD): a status byte (UTF-16 flag, language code length), the IANA language
//! code, then the text in UTF-8 or UTF-16 (big-endian unless a byte-order mark says otherwise).

use super::{NdefError, Record, Tnf};

/// How the text of a Text record is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16")]
    Utf16,
}

/// A decoded Text record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Text {
    pub text: String,
    /// The IANA language code, e.g. `ja` or `en-US`.
    pub lang: String,
    pub encoding: TextEncoding,
}

/// Decodes a Text payload; `index` is the record's position, for the error.
pub fn decode_text(index: usize, payload: &[u8]) -> Result<Text, NdefError> {
    let fail = |reason: &str| NdefError::payload(index, "Text", reason);
    let (status, rest) = payload
        .split_first()
        .ok_or_else(|| fail("the payload is empty (no status byte)"))?;
    if status & 0x40 != 0 {
        return Err(fail("the reserved bit of the status byte is set"));
    }
    let lang_len = usize::from(status & 0x3f);
    if lang_len == 0 {
        return Err(fail("the language code is empty"));
    }
    let lang = rest
        .get(..lang_len)
        .ok_or_else(|| fail("the language code is longer than the payload"))?;
    if !lang.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-') {
        return Err(fail("the language code is not ASCII letters, digits and hyphens"));
    }
    let body = rest.get(lang_len..).unwrap_or_default();
    let (text, encoding) = if status & 0x80 != 0 {
        (
            decode_utf16(body).ok_or_else(|| fail("the text is not valid UTF-16"))?,
            TextEncoding::Utf16,
        )
    } else {
        let text = std::str::from_utf8(body).map_err(|_| fail("the text is not valid UTF-8"))?;
        (text.to_owned(), TextEncoding::Utf8)
    };
    Ok(Text {
        text,
        lang: String::from_utf8_lossy(lang).into_owned(),
        encoding,
    })
}

fn decode_utf16(bytes: &[u8]) -> Option<String> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let (little, body) = match bytes {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => (false, bytes),
    };
    let units = body.chunks_exact(2).map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    });
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

/// The payload of a Text record. UTF-16 is written big-endian with a byte-order mark, which every decoder
/// reads the same way.
pub fn encode_text(
    index: usize,
    text: &str,
    lang: &str,
    encoding: TextEncoding,
) -> Result<Vec<u8>, NdefError> {
    let fail = |reason: &str| NdefError::Encode {
        index,
        reason: reason.to_owned(),
    };
    if lang.is_empty() || lang.len() > 63 {
        return Err(fail("the language code must be 1 to 63 characters"));
    }
    if !lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(fail(
            "the language code must be ASCII letters, digits and hyphens",
        ));
    }
    let mut payload = Vec::with_capacity(1 + lang.len() + text.len() * 2);
    let utf16_flag = if encoding == TextEncoding::Utf16 { 0x80 } else { 0 };
    payload.push(utf16_flag | u8::try_from(lang.len()).unwrap_or(0));
    payload.extend_from_slice(lang.as_bytes());
    match encoding {
        TextEncoding::Utf8 => payload.extend_from_slice(text.as_bytes()),
        TextEncoding::Utf16 => {
            payload.extend_from_slice(&[0xfe, 0xff]);
            for unit in text.encode_utf16() {
                payload.extend_from_slice(&unit.to_be_bytes());
            }
        }
    }
    Ok(payload)
}

/// A Text record.
pub fn text_record(text: &str, lang: &str, encoding: TextEncoding) -> Result<Record, NdefError> {
    Ok(Record::new(
        Tnf::WellKnown,
        *b"T",
        encode_text(0, text, lang, encoding)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_utf16_round_trip() {
        for encoding in [TextEncoding::Utf8, TextEncoding::Utf16] {
            for text in ["", "糖尿病の新しい資材です😊", "a"] {
                let payload = encode_text(0, text, "ja", encoding).unwrap();
                let decoded = decode_text(0, &payload).unwrap();
                assert_eq!((decoded.text.as_str(), decoded.lang.as_str()), (text, "ja"));
                assert_eq!(decoded.encoding, encoding);
            }
        }
    }

    #[test]
    fn utf16_little_endian_with_a_mark_and_big_endian_without() {
        let mut le = vec![0x82, b'j', b'a', 0xff, 0xfe];
        le.extend("資材".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode_text(0, &le).unwrap().text, "資材");
        let mut be = vec![0x82, b'j', b'a'];
        be.extend("資材".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_text(0, &be).unwrap().text, "資材");
    }

    #[test]
    fn malformed_text_payloads_are_refused() {
        for bad in [
            &b""[..],
            b"\x00abc",
            b"\x05ja",
            b"\x02j\xff",
            b"\x42jaabc",
            b"\x82ja\x00",
            b"\x02ja\xff",
        ] {
            assert!(decode_text(0, bad).is_err(), "{bad:02x?}");
        }
        // An unpaired surrogate.
        assert!(decode_text(0, b"\x82ja\xd8\x00").is_err());
        assert!(encode_text(0, "x", "", TextEncoding::Utf8).is_err());
        assert!(encode_text(0, "x", "日本", TextEncoding::Utf8).is_err());
    }
}
