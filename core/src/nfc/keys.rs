//! The card registry in the store: Ed25519 public keys of signed cards, SUN cards and (where cards are verified)
//! SUN keys, and the allow-listed hosts.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{
    sun::Key,
    url::{UrlPolicy, ALLOWED_HOSTS_SETTING},
};
use crate::store::{Store, StoreError};

/// The two kinds of card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// NTAG21x with an Ed25519-signed claim.
    Signed,
    /// NTAG 424 DNA with SUN.
    Sun,
}

crate::text_enum!(CardKind { Signed => "signed", Sun => "sun" });

/// A card as registered when issued.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CardRecord {
    pub card_id: String,
    pub kind: CardKind,
    pub material_id: String,
    pub material_version: u32,
    /// Signing key id (signed cards) or SUN key id.
    pub key_id: u8,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// The SUN card's UID (hex), when known: a verified tap from another UID is refused.
    pub uid: Option<String>,
}

impl Store {
    /// Stores (or replaces) the Ed25519 public key with this id.
    pub fn put_card_key(&self, key_id: u8, public_key: &[u8; 32]) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO card_keys (key_id, public_key) VALUES (?1, ?2)
                 ON CONFLICT (key_id) DO UPDATE SET public_key = excluded.public_key",
                (key_id, public_key.as_slice()),
            )?;
            Ok(())
        })
    }

    /// Registers (or replaces) a card.
    pub fn register_card(&self, card: &CardRecord) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO cards
                     (card_id, kind, material_id, material_version, key_id, issued_on, expires_on, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                (
                    &card.card_id,
                    card.kind.as_str(),
                    &card.material_id,
                    card.material_version,
                    card.key_id,
                    card.issued_on.to_string(),
                    card.expires_on.to_string(),
                    &card.uid,
                ),
            )?;
            Ok(())
        })
    }

    /// Stores SUN keys (only where SUN cards are verified: the server or an issuing station).
    pub fn put_sun_key(&self, key_id: u8, meta_read: &Key, file_read_master: &Key) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO sun_keys (key_id, meta_read_key, file_read_master) VALUES (?1, ?2, ?3)",
                (key_id, meta_read.as_slice(), file_read_master.as_slice()),
            )?;
            Ok(())
        })
    }

    /// Replaces the allow-listed card hosts.
    pub fn set_allowed_hosts(&self, hosts: &[&str]) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (ALLOWED_HOSTS_SETTING, hosts.join(",")),
            )?;
            Ok(())
        })
    }

    /// The allow-listed card hosts (the settings, or the default).
    pub fn url_policy(&self) -> Result<UrlPolicy, StoreError> {
        self.read(|conn| {
            let value: Option<String> = conn
                .query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [ALLOWED_HOSTS_SETTING],
                    |row| row.get(0),
                )
                .optional()?;
            Ok(value.map(|v| UrlPolicy::from_setting(&v)).unwrap_or_default())
        })
    }
}
