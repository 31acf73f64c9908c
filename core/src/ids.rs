//! Identifiers: 16-byte UUIDs (v7 for what this device creates) shown as canonical hyphenated text.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// The id of a visit: a 16-byte UUID (v7 when created here, so ids sort by creation time).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct VisitId(uuid::Uuid);

/// A string that is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a UUID: {0:?}")]
pub struct BadId(pub String);

impl VisitId {
    /// A new time-ordered id.
    pub fn new_v7() -> VisitId {
        VisitId(uuid::Uuid::now_v7())
    }

    /// The 16 bytes, as stored in SQLite and in the document.
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    /// Reads the 16 stored bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<VisitId, BadId> {
        uuid::Uuid::from_slice(bytes)
            .map(VisitId)
            .map_err(|_| BadId(format!("{bytes:02x?}")))
    }
}

impl FromStr for VisitId {
    type Err = BadId;

    fn from_str(text: &str) -> Result<VisitId, BadId> {
        uuid::Uuid::parse_str(text.trim())
            .map(VisitId)
            .map_err(|_| BadId(text.to_owned()))
    }
}

impl TryFrom<String> for VisitId {
    type Error = BadId;

    fn try_from(text: String) -> Result<VisitId, BadId> {
        text.parse()
    }
}

impl From<VisitId> for String {
    fn from(id: VisitId) -> String {
        id.to_string()
    }
}

impl fmt::Display for VisitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl fmt::Debug for VisitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VisitId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_bytes_round_trip() {
        let id = VisitId::new_v7();
        let parsed: VisitId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
        assert_eq!(VisitId::from_slice(id.as_bytes()).unwrap(), id);
        assert!("訪問-1".parse::<VisitId>().is_err());
        assert!(VisitId::from_slice(&[1, 2, 3]).is_err());
    }
}
