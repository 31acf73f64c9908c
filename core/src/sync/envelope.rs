//! The body framing of each protocol version: v1 is the bare CBOR message; v2 wraps it, deflated, in a CBOR map
//! `{"v": 2, "deflate": bytes}` (ADR 0014).
//!
//! The outer `v` is readable by every version of the server: a v1 server answers a v2 body with its "unsupported
//! protocol version" refusal (409), not with a malformed-body error. A v2 server reads both and answers in the
//! version it was asked in, so devices on the old build keep syncing.

use std::io::{Read, Write};

use flate2::{read::DeflateDecoder, write::DeflateEncoder, Compression};
use serde::{Deserialize, Serialize};

use super::limits::{WireError, MAX_BODY_BYTES};

/// The first version whose bodies are deflated.
pub const DEFLATE_VERSION: u16 = 2;

/// Deflate level: 6 (zlib's default) gives within 1–2% of level 9 on sync bodies for a third of the time.
const LEVEL: u32 = 6;

/// The outer map of a v2 body. Reading a v1 message as this skips its other fields.
#[derive(Serialize, Deserialize)]
struct Envelope {
    v: u16,
    #[serde(default, with = "serde_bytes", skip_serializing_if = "Option::is_none")]
    deflate: Option<Vec<u8>>,
}

/// Reads the version and, for a v2 body, the inflated message; `None` means the body is the bare message.
pub(super) fn open(bytes: &[u8]) -> Result<(u16, Option<Vec<u8>>), WireError> {
    let envelope: Envelope = ciborium::from_reader(bytes).map_err(|e| WireError::Malformed(e.to_string()))?;
    if envelope.v < DEFLATE_VERSION {
        return Ok((envelope.v, None));
    }
    match envelope.deflate {
        Some(deflated) if envelope.v == DEFLATE_VERSION => Ok((envelope.v, Some(inflate(&deflated)?))),
        _ => Ok((envelope.v, None)),
    }
}

/// Wraps the CBOR bytes of a message of version `v` (2 or later).
pub(super) fn seal(v: u16, cbor: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::with_capacity(cbor.len() / 2), Compression::new(LEVEL));
    // Writing into a Vec cannot fail; a failure would leave a truncated stream that the receiver refuses.
    let _ = encoder.write_all(cbor);
    let deflated = encoder.finish().unwrap_or_default();
    let mut out = Vec::with_capacity(deflated.len() + 16);
    let _ = ciborium::into_writer(
        &Envelope {
            v,
            deflate: Some(deflated),
        },
        &mut out,
    );
    out
}

/// Inflates at most [`MAX_BODY_BYTES`] (a small body must not expand into an unbounded one).
fn inflate(deflated: &[u8]) -> Result<Vec<u8>, WireError> {
    let mut out = Vec::with_capacity(deflated.len() * 4);
    DeflateDecoder::new(deflated)
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| WireError::Malformed(format!("the deflated body does not inflate: {e}")))?;
    if out.len() > MAX_BODY_BYTES {
        return Err(WireError::Malformed(format!(
            "the body inflates to more than {MAX_BODY_BYTES} bytes"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::wire::{decode, encode, PullRequest, Want, OLDEST_VERSION, PROTOCOL_VERSION};

    fn pull(v: u16) -> PullRequest {
        PullRequest {
            v,
            want: (0..50u128)
                .map(|i| Want {
                    id: i.to_be_bytes(),
                    have: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn sync_v2_bodies_are_deflated_and_v1_bodies_still_read() {
        let v2 = encode(&pull(PROTOCOL_VERSION));
        let v1 = encode(&pull(OLDEST_VERSION));
        assert!(v2.len() < v1.len() / 2, "{} vs {}", v2.len(), v1.len());
        assert_eq!(decode::<PullRequest>(&v2).unwrap(), pull(PROTOCOL_VERSION));
        assert_eq!(decode::<PullRequest>(&v1).unwrap(), pull(OLDEST_VERSION));
    }

    #[test]
    fn sync_envelopes_refuse_other_versions_bombs_and_mismatches() {
        let mut future = Vec::new();
        ciborium::into_writer(&Envelope { v: 3, deflate: None }, &mut future).unwrap();
        assert!(matches!(
            decode::<PullRequest>(&future),
            Err(WireError::Version(3))
        ));

        // A v1 message sealed as v2: the inner version must match the envelope's.
        let mut inner = Vec::new();
        ciborium::into_writer(&pull(OLDEST_VERSION), &mut inner).unwrap();
        assert!(matches!(
            decode::<PullRequest>(&seal(DEFLATE_VERSION, &inner)),
            Err(WireError::Malformed(_))
        ));

        // 17 MB of zeros deflate to a few KB: refused once inflated past the limit.
        let bomb = seal(DEFLATE_VERSION, &vec![0u8; MAX_BODY_BYTES + 1024]);
        assert!(bomb.len() < 64 * 1024);
        let err = decode::<PullRequest>(&bomb).unwrap_err();
        assert!(err.to_string().contains("inflates to more than"), "{err}");

        let garbage = seal(DEFLATE_VERSION, b"not cbor");
        assert!(matches!(
            decode::<PullRequest>(&garbage),
            Err(WireError::Malformed(_))
        ));
        let truncated = &encode(&pull(PROTOCOL_VERSION))[..20];
        assert!(matches!(
            decode::<PullRequest>(truncated),
            Err(WireError::Malformed(_))
        ));
    }
}
