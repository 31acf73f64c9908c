//! Local time is the rep's: every judgement of a calendar day or an hour of the day reads an instant in the rep's
//! IANA zone (the rule settings' `time_zone`, default `Asia/Tokyo`, overridable per rep in master data), never in
//! the UTC offset a timestamp happens to be written with (ADR 0019).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone of the market this product is built for.
pub const DEFAULT_ZONE: &str = "Asia/Tokyo";

/// Why a time given as text was refused.
pub const NO_OFFSET: &str = "the time has no UTC offset, so it names no instant: write it like \
    2026-11-20T10:00:00+09:00 or 2026-11-20T01:00:00Z (時刻にUTCオフセットがありません)";

/// What an RFC 3339 time must look like.
pub const NOT_A_TIME: &str = "not an RFC 3339 time: write it like 2026-11-20T10:00:00+09:00 or \
    2026-11-20T01:00:00Z (RFC 3339 形式の時刻ではありません)";

/// Parses an RFC 3339 time (any offset, `Z` included). A time without an offset is refused with [`NO_OFFSET`]:
/// it is ambiguous, and guessing a zone would move the visit.
pub fn parse_time(text: &str) -> Result<DateTime<chrono::FixedOffset>, &'static str> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at);
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    if local
        .iter()
        .any(|f| chrono::NaiveDateTime::parse_from_str(text, f).is_ok())
    {
        Err(NO_OFFSET)
    } else {
        Err(NOT_A_TIME)
    }
}

/// serde: an optional RFC 3339 time that must carry its offset (the visit form's `started_at`).
pub(crate) mod serde_time {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        match Option::<String>::deserialize(de)? {
            None => Ok(None),
            Some(text) => super::parse_time(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Parses an IANA zone name (`Asia/Tokyo`, `America/New_York`).
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// `Asia/Tokyo` as a zone.
pub fn default_zone() -> Tz {
    chrono_tz::Asia::Tokyo
}

/// The wall-clock time of the instant `at` in `zone`. Never panics: an instant whose local time falls outside the
/// calendar chrono can represent (within hours of its ends; only malformed input gets there) keeps its UTC time.
pub fn local<Z: TimeZone>(at: &DateTime<Z>, zone: Tz) -> NaiveDateTime {
    let utc = at.naive_utc();
    let offset = zone.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(utc)
}

/// The calendar day of `at` in `zone`.
pub fn local_day<Z: TimeZone>(at: &DateTime<Z>, zone: Tz) -> NaiveDate {
    local(at, zone).date()
}

/// The first instant of `day` in `zone` (the earliest, if a daylight-saving change repeats or skips midnight).
pub fn day_start(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match zone.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) => t.to_utc(),
        chrono::LocalResult::Ambiguous(first, _) => first.to_utc(),
        // Midnight skipped by a change: the day starts at the first instant after the gap.
        chrono::LocalResult::None => (1..=4)
            .find_map(|h| {
                zone.from_local_datetime(&(midnight + chrono::Duration::hours(h)))
                    .earliest()
            })
            .map(|t| t.to_utc())
            .unwrap_or_else(|| midnight.and_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn the_same_instant_is_the_same_local_day_whatever_its_offset() {
        let tokyo = default_zone();
        let z = DateTime::parse_from_rfc3339("2026-12-04T23:30:00Z").unwrap();
        let ny = DateTime::parse_from_rfc3339("2026-12-04T18:30:00-05:00").unwrap();
        assert_eq!(
            local_day(&z, tokyo),
            NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
        );
        assert_eq!(local_day(&ny, tokyo), local_day(&z, tokyo));
        assert_eq!(local(&z, tokyo).format("%H:%M").to_string(), "08:30");
        assert_eq!(
            local(&DateTime::<Utc>::MAX_UTC, tokyo),
            DateTime::<Utc>::MAX_UTC.naive_utc()
        );
    }

    #[test]
    fn a_time_without_an_offset_is_refused_with_an_example() {
        assert_eq!(
            parse_time("2026-11-20T10:00:00Z").unwrap().to_utc(),
            utc("2026-11-20T10:00:00Z")
        );
        assert_eq!(parse_time("2026-11-20T10:00:00"), Err(NO_OFFSET));
        assert_eq!(parse_time("2026-11-20 10:00"), Err(NO_OFFSET));
        assert_eq!(parse_time("十一月二十日"), Err(NOT_A_TIME));
        assert!(NO_OFFSET.contains("+09:00") && NO_OFFSET.contains("オフセット"));
    }

    #[test]
    fn days_start_at_local_midnight_across_daylight_saving() {
        let new_york = parse_zone("America/New_York").unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert_eq!(day_start(day(7), new_york), utc("2026-03-07T05:00:00Z"));
        assert_eq!(
            day_start(day(9), new_york),
            utc("2026-03-09T04:00:00Z"),
            "after the change to EDT"
        );
        assert!(parse_zone("Asia/Tokio").is_none());
    }
}
