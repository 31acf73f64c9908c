//! Card programming: the NDEF message for a card URL (plus an Android Application Record when it fits), wrapped
//! in an NDEF Message TLV, and on request the NTAG21x memory image from the capability container on.
//!
//! The capability container is written read/write unless [`CcAccess::ReadOnly`] is asked for explicitly: a
//! read-only card cannot be corrected or re-issued.

use super::ndef::{aar_record, encode_message, uri_record, NdefError};

/// The NTAG21x chips, by user memory (pages 4 on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ntag {
    Ntag213,
    Ntag215,
    Ntag216,
}

impl Ntag {
    /// Bytes of user memory: 144, 504, 888.
    pub fn capacity(self) -> usize {
        match self {
            Ntag::Ntag213 => 144,
            Ntag::Ntag215 => 504,
            Ntag::Ntag216 => 888,
        }
    }

    /// The capability container's data-area size byte from the NXP datasheets (size / 8).
    fn cc_size(self) -> u8 {
        match self {
            Ntag::Ntag213 => 0x12,
            Ntag::Ntag215 => 0x3e,
            Ntag::Ntag216 => 0x6d,
        }
    }

    /// Parses `ntag213` / `213` etc.
    pub fn parse(text: &str) -> Option<Ntag> {
        match text.trim().to_ascii_lowercase().trim_start_matches("ntag") {
            "213" => Some(Ntag::Ntag213),
            "215" => Some(Ntag::Ntag215),
            "216" => Some(Ntag::Ntag216),
            _ => None,
        }
    }
}

/// Access conditions written into the capability container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CcAccess {
    /// `00`: readers may read and write (the default).
    #[default]
    ReadWrite,
    /// `0F`: read-only. Only when explicitly asked for.
    ReadOnly,
}

/// What to write on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSpec {
    pub url: String,
    /// An Android package to open, added only when it fits.
    pub aar: Option<String>,
}

/// A programmed card.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Programmed {
    /// The NDEF message.
    pub ndef: Vec<u8>,
    /// The NDEF Message TLV and terminator TLV as written from page 4.
    pub tlv_len: usize,
    pub capacity: usize,
    /// Whether the Android Application Record fitted.
    pub aar_included: bool,
}

/// Why a card cannot be programmed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgramError {
    #[error("the card content needs {needed} bytes (NDEF {ndef} + TLV {tlv_overhead}) but the tag holds {capacity}")]
    TooLarge {
        needed: usize,
        ndef: usize,
        tlv_overhead: usize,
        capacity: usize,
    },
    #[error(transparent)]
    Ndef(#[from] NdefError),
}

/// Bytes the NDEF Message TLV (type, 1- or 3-byte length) and the terminator TLV add to a message.
pub fn tlv_overhead(ndef_len: usize) -> usize {
    if ndef_len < 0xff {
        3
    } else {
        5
    }
}

/// The NDEF bytes for `spec` on a tag of `capacity` bytes; the AAR is dropped when only the URL fits.
pub fn encode_card(spec: &CardSpec, capacity: usize) -> Result<Programmed, ProgramError> {
    let uri = uri_record(&spec.url);
    if let Some(package) = &spec.aar {
        let ndef = encode_message(&[uri.clone(), aar_record(package)])?;
        if ndef.len() + tlv_overhead(ndef.len()) <= capacity {
            return Ok(Programmed {
                tlv_len: ndef.len() + tlv_overhead(ndef.len()),
                ndef,
                capacity,
                aar_included: true,
            });
        }
    }
    let ndef = encode_message(&[uri])?;
    let needed = ndef.len() + tlv_overhead(ndef.len());
    if needed > capacity {
        return Err(ProgramError::TooLarge {
            needed,
            ndef: ndef.len(),
            tlv_overhead: tlv_overhead(ndef.len()),
            capacity,
        });
    }
    Ok(Programmed {
        ndef,
        tlv_len: needed,
        capacity,
        aar_included: false,
    })
}

/// The memory image from page 3: capability container, NDEF Message TLV, terminator TLV, zeros to the end of user
/// memory. Page 3 and pages 4 on are what a writer sends; the UID and lock pages are not included.
pub fn memory_image(ndef: &[u8], tag: Ntag, access: CcAccess) -> Result<Vec<u8>, ProgramError> {
    let capacity = tag.capacity();
    let needed = ndef.len() + tlv_overhead(ndef.len());
    if needed > capacity {
        return Err(ProgramError::TooLarge {
            needed,
            ndef: ndef.len(),
            tlv_overhead: tlv_overhead(ndef.len()),
            capacity,
        });
    }
    let access_byte = match access {
        CcAccess::ReadWrite => 0x00,
        CcAccess::ReadOnly => 0x0f,
    };
    let mut image = vec![0xe1, 0x10, tag.cc_size(), access_byte, 0x03];
    match u8::try_from(ndef.len()) {
        Ok(len) if len < 0xff => image.push(len),
        _ => {
            image.push(0xff);
            image.extend_from_slice(&u16::try_from(ndef.len()).unwrap_or(u16::MAX).to_be_bytes());
        }
    }
    image.extend_from_slice(ndef);
    image.push(0xfe);
    image.resize(4 + capacity, 0);
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nfc::ndef::decode_bytes;

    #[test]
    fn a_url_that_does_not_fit_is_refused_with_sizes() {
        let spec = CardSpec {
            url: format!("https://tap.example.jp/c/{}", "a".repeat(200)),
            aar: None,
        };
        let err = encode_card(&spec, Ntag::Ntag213.capacity()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the card content needs 225 bytes (NDEF 222 + TLV 3) but the tag holds 144"
        );
        assert!(encode_card(&spec, Ntag::Ntag215.capacity()).is_ok());
    }

    #[test]
    fn the_aar_is_added_only_where_it_fits() {
        let spec = CardSpec {
            url: format!("https://tap.example.jp/c/{}", "a".repeat(100)),
            aar: Some("jp.example.mrc".into()),
        };
        let small = encode_card(&spec, 144).unwrap();
        assert!(!small.aar_included);
        let large = encode_card(&spec, 504).unwrap();
        assert!(large.aar_included);
        assert_eq!(decode_bytes(&large.ndef).unwrap().len(), 2);
    }

    #[test]
    fn memory_image_layout_and_access() {
        let ndef = encode_card(
            &CardSpec {
                url: "https://tap.example.jp/c/x".into(),
                aar: None,
            },
            144,
        )
        .unwrap()
        .ndef;
        let image = memory_image(&ndef, Ntag::Ntag213, CcAccess::default()).unwrap();
        assert_eq!(image.len(), 4 + 144);
        assert_eq!(&image[..6], &[0xe1, 0x10, 0x12, 0x00, 0x03, ndef.len() as u8]);
        assert_eq!(&image[6..6 + ndef.len()], ndef.as_slice());
        assert_eq!(image[6 + ndef.len()], 0xfe);
        assert_eq!(
            memory_image(&ndef, Ntag::Ntag216, CcAccess::ReadOnly).unwrap()[3],
            0x0f
        );
        let long = vec![0u8; 300];
        let image = memory_image(&long, Ntag::Ntag215, CcAccess::ReadWrite).unwrap();
        assert_eq!(&image[4..8], &[0x03, 0xff, 0x01, 0x2c]);
        assert!(memory_image(&[0u8; 142], Ntag::Ntag213, CcAccess::ReadWrite).is_err());
        assert_eq!(Ntag::parse("NTAG215"), Some(Ntag::Ntag215));
    }
}
