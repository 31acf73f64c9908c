//! The visit as the app and the JSON files see it.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::VisitInsights;
use crate::ids::VisitId;

/// How the HCP was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Channel {
    InPerson,
    Phone,
    Video,
    WebMeeting,
    Email,
    Other,
}

/// The HCP's reaction as the rep judged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Reaction {
    Positive,
    Neutral,
    Negative,
    None,
}

/// Where a visit is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum VisitStatus {
    Draft,
    Submitted,
    Amended,
}

crate::text_enum!(Channel {
    InPerson => "in_person", Phone => "phone", Video => "video",
    WebMeeting => "web_meeting", Email => "email", Other => "other",
});
crate::text_enum!(Reaction { Positive => "positive", Neutral => "neutral", Negative => "negative", None => "none" });
crate::text_enum!(VisitStatus { Draft => "draft", Submitted => "submitted", Amended => "amended" });

/// A product discussed, with its priority (1 = first).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProductDiscussed {
    pub product_id: String,
    pub priority: u32,
}

/// A material version shown during the visit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MaterialShown {
    pub material_id: String,
    pub version: u32,
}

/// What the rep enters: the whole form state. Missing values are allowed in a draft; the validator reports them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitFields {
    pub rep_id: Option<String>,
    pub hcp_id: Option<String>,
    pub institution_id: Option<String>,
    pub channel: Option<Channel>,
    /// An instant; the offset it was written with is kept for display only (days and hours are the rep's).
    #[serde(default, deserialize_with = "crate::local_time::serde_time::deserialize")]
    pub started_at: Option<DateTime<FixedOffset>>,
    pub duration_min: Option<u32>,
    /// Products in priority order (sorted by `priority`, then id).
    #[serde(default)]
    pub products: Vec<ProductDiscussed>,
    /// Materials shown, sorted by id.
    #[serde(default)]
    pub materials_shown: Vec<MaterialShown>,
    pub reaction: Option<Reaction>,
    pub next_objective: Option<String>,
    /// Free-text notes (an automerge Text in the document).
    #[serde(default)]
    pub notes: String,
    /// What the doctor needs: stages, information needs, questions, safety mentions (left out of JSON when empty).
    #[serde(default, skip_serializing_if = "VisitInsights::is_empty")]
    pub insights: VisitInsights,
}

impl VisitFields {
    /// Puts products and materials in their canonical order, so equal content compares equal.
    pub fn normalize(&mut self) {
        self.products
            .sort_by(|a, b| (a.priority, &a.product_id).cmp(&(b.priority, &b.product_id)));
        self.products.dedup_by(|a, b| a.product_id == b.product_id);
        self.materials_shown
            .sort_by(|a, b| a.material_id.cmp(&b.material_id));
        self.materials_shown
            .dedup_by(|a, b| a.material_id == b.material_id);
        self.insights.normalize();
    }
}

/// A change to a submitted visit: who (device actor), when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// A stored visit, read back from its projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Visit {
    pub id: VisitId,
    #[serde(flatten)]
    pub fields: VisitFields,
    pub status: VisitStatus,
    /// When the visit was first entered on a device.
    pub entered_at: DateTime<Utc>,
    /// When this device last changed the stored visit (locally or by a merge).
    pub updated_at: DateTime<Utc>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    /// Reliability 0–100 as judged at entry time (lower = less reliable).
    pub score: Option<u8>,
    /// Codes of the findings behind the score.
    pub finding_codes: Vec<String>,
    /// How many amendments were made after submission.
    pub amendment_count: u32,
    /// A late edit from another device was merged after submission and waits for review.
    pub needs_review: bool,
}
