//! The master-data records, in the JSON shape the server sends.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AdoptionStage, Topic};

/// A medical representative and the products they promote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    pub id: String,
    pub name: String,
    /// Product ids of the rep's portfolio.
    #[serde(default)]
    pub products: Vec<String>,
    /// The IANA zone the rep works in, when not the rule settings' `time_zone` (e.g. `America/New_York`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// A hospital or clinic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
}

/// A healthcare professional (a doctor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hcp {
    pub id: String,
    /// The name in kanji, e.g. `山田 太郎`.
    pub name: String,
    /// The kana reading, e.g. `やまだ たろう`.
    pub kana: String,
    pub specialty: String,
    pub institution_id: String,
}

/// A product the company promotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: String,
}

/// Whether a material version may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialStatus {
    Approved,
    Withdrawn,
}

crate::text_enum!(MaterialStatus { Approved => "approved", Withdrawn => "withdrawn" });

/// One version of an approved promotional material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub product_id: String,
    pub approval_code: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: MaterialStatus,
    /// Lower-case hex SHA-256 of the content file.
    pub sha256: String,
    /// Content size in bytes.
    pub size: u64,
    /// Topic codes of the information needs the material answers (pull-type suggestions match them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

/// An Ed25519 public key that signs NFC card claims (see `nfc::card`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardKey {
    pub key_id: u8,
    /// The 32-byte public key, 64 hex digits.
    pub public_key: String,
}

/// A master-data document: everything or a delta, in one JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MasterData {
    #[serde(default)]
    pub reps: Vec<Rep>,
    #[serde(default)]
    pub institutions: Vec<Institution>,
    #[serde(default)]
    pub hcps: Vec<Hcp>,
    #[serde(default)]
    pub products: Vec<Product>,
    #[serde(default)]
    pub materials: Vec<Material>,
    /// Public keys of signed NFC cards, so taps verify offline.
    #[serde(default)]
    pub card_keys: Vec<CardKey>,
    /// The adoption ladder (replaces the built-in one once any stage is imported).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adoption_stages: Vec<AdoptionStage>,
    /// The topic taxonomy of information needs (replaces the built-in one once any topic is imported).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
}
