//! The core's uniffi custom types (feature `uniffi`): how ids and times cross the FFI.
//!
//! The plain data types carry `#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]` where they are defined;
//! this file holds only what cannot be a derive. See docs/adr/0008-ffi-surface.md.

use std::time::SystemTime;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::ids::VisitId;

/// A local time with its UTC offset (a visit's start, a tap's device time). Crosses the FFI as RFC 3339 text
/// (`2026-11-20T10:00:00+09:00`) because the offset decides the local day; Kotlin sees `java.time.OffsetDateTime`.
pub type OffsetTime = DateTime<FixedOffset>;

/// An instant (entry, update and submission times). Crosses as uniffi's timestamp: `java.time.Instant` in Kotlin,
/// `Date` in Swift.
pub type UtcTime = DateTime<Utc>;

/// A calendar date (`2026-11-20`): list ranges. Kotlin sees `java.time.LocalDate`.
pub type LocalDate = NaiveDate;

uniffi::custom_type!(VisitId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| Ok(text.parse::<VisitId>()?),
});

uniffi::custom_type!(OffsetTime, String, {
    remote,
    lower: |time| time.to_rfc3339(),
    try_lift: |text| Ok(DateTime::parse_from_rfc3339(&text)?),
});

uniffi::custom_type!(UtcTime, SystemTime, {
    remote,
    lower: |time| SystemTime::from(time),
    try_lift: |time| Ok(DateTime::<Utc>::from(time)),
});

uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(NaiveDate::parse_from_str(&text, "%Y-%m-%d")?),
});
