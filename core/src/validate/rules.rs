//! Rule settings: every threshold of the validator, in one versioned JSON document the server can change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Code;
use crate::json_path::{self, JsonError};

/// The thresholds. Missing keys take their defaults, so a server can send only what it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSettings {
    /// Version of this settings document (increases with every change the server makes).
    pub version: u32,
    /// Shortest allowed duration, minutes.
    pub min_duration_min: u32,
    /// Longest allowed duration, minutes.
    pub max_duration_min: u32,
    /// How far in the future a start may be (clock skew), minutes.
    pub future_skew_min: u32,
    /// How many days back a visit may be recorded.
    pub backdate_days: u32,
    /// How far the device clock may be behind the last trusted server time, minutes.
    pub clock_rollback_tolerance_min: u32,
    /// More visits than this on one day draws a warning.
    pub max_visits_per_day: u32,
    /// The IANA zone whose local time decides days and hours (working hours, nights, holidays, per-day counts),
    /// unless the rep's master data names another. Never the offset a timestamp is written with.
    pub time_zone: String,
    /// Working hours (local time of the visit), "HH:MM".
    pub work_start: String,
    pub work_end: String,
    /// Whether weekends and Japanese public holidays count as off hours.
    pub weekends_and_holidays_off: bool,
    /// Door-to-door travel speed between institutions, km/h.
    pub travel_speed_kmh: f64,
    /// Fixed time to leave one institution and reach the next one's door (parking, walking), minutes.
    pub travel_overhead_min: u32,
    /// Institutions closer than this are "the same building": no travel time is needed.
    pub same_site_km: f64,
    /// Notes at least this similar (estimated Jaccard of character 3-grams, percent) are near-duplicates.
    pub duplicate_notes_percent: u32,
    /// Notes shorter than this (characters, after normalisation) are not compared.
    pub duplicate_notes_min_chars: u32,
    /// How many of the rep's latest notes are compared.
    pub duplicate_notes_window: u32,
    /// A tap or open counts as evidence if it happens this long before or after the visit, minutes.
    pub evidence_margin_min: u32,
    /// How many of the rep's latest durations the uniformity check looks at.
    pub duration_pattern_window: u32,
    /// Warn when the current duration's value makes up at least this share of the window, percent.
    pub duration_pattern_percent: u32,
    /// A run of at least this many consecutive visits of one day with the same round duration (10 minutes or
    /// more) is a `duration_run`…
    pub duration_run_min: u32,
    /// …when the rep's own habit makes such a run this unlikely (share, 0–1).
    pub duration_run_max_chance: f64,
    /// How many of the rep's durations on other days make up that habit.
    pub duration_baseline_window: u32,
    /// Night, "HH:MM"–"HH:MM" local time (深夜, 22:00–05:00 as in labour law): visits then are `night_visit`,
    /// entries then are `night_entry`.
    pub night_start: String,
    pub night_end: String,
    /// A visit must be entered by the end of this many working days after the visit's day (`late_entry`).
    pub late_entry_working_days: u32,
    /// Entries of one rep at most this many seconds apart belong to one burst.
    pub burst_gap_s: u32,
    /// A burst of at least this many entries is an `entry_burst`.
    pub burst_min_visits: u32,
    /// Visits to one HCP are counted over a window of this many days (`hcp_frequency`).
    pub hcp_frequency_days: u32,
    /// More visits than this to one HCP within the window draws `hcp_frequency`.
    pub hcp_frequency_max: u32,
    /// A rep who sees most doctors often (a small territory) may see one this many percent of their usual count
    /// (the upper quartile of the rep's per-doctor counts in the window) before it is too often.
    pub hcp_frequency_cadence_percent: u32,
    /// A follow-up note may start from the previous note for the same HCP when it adds at least this many new
    /// characters (after normalisation) and keeps at least 90 % of the earlier note.
    pub follow_up_min_new_chars: u32,
    /// Share of in-person visits showing materials where honest reps get no tap (it fails, the doctor declines),
    /// percent. A rep far above it and above the team (`tap_shortfall`) has missing taps to explain.
    pub expected_tap_miss_percent: u32,
    /// How far above the expected share (and the team's) a rep's share of missed taps must be, percent points.
    pub tap_shortfall_margin_percent: u32,
    /// The fewest visits showing materials a rep needs before the share is judged.
    pub tap_shortfall_min_visits: u32,
    /// Evidence (decibans) for "genuine" that a verified NFC tap during the visit gives.
    pub verified_tap_bonus: i32,
    /// Evidence (decibans) for "fabricated" each finding code gives, overriding the estimated defaults (e.g.
    /// `{"entry_burst": 15}`: fifteen decibans, a likelihood ratio of about 32).
    pub weights: BTreeMap<String, i32>,
}

impl Default for RuleSettings {
    fn default() -> RuleSettings {
        RuleSettings {
            version: 1,
            min_duration_min: 1,
            max_duration_min: 240,
            future_skew_min: 5,
            backdate_days: 7,
            clock_rollback_tolerance_min: 5,
            max_visits_per_day: 12,
            time_zone: crate::local_time::DEFAULT_ZONE.into(),
            work_start: "08:00".into(),
            work_end: "20:00".into(),
            weekends_and_holidays_off: true,
            travel_speed_kmh: 30.0,
            travel_overhead_min: 5,
            same_site_km: 0.3,
            duplicate_notes_percent: 80,
            duplicate_notes_min_chars: 20,
            duplicate_notes_window: 1000,
            evidence_margin_min: 10,
            duration_pattern_window: 20,
            duration_pattern_percent: 70,
            duration_run_min: 4,
            duration_run_max_chance: 0.02,
            duration_baseline_window: 40,
            night_start: "22:00".into(),
            night_end: "05:00".into(),
            late_entry_working_days: 2,
            burst_gap_s: 45,
            burst_min_visits: 4,
            hcp_frequency_days: 28,
            hcp_frequency_max: 6,
            hcp_frequency_cadence_percent: 150,
            follow_up_min_new_chars: 15,
            expected_tap_miss_percent: 15,
            tap_shortfall_margin_percent: 15,
            tap_shortfall_min_visits: 10,
            verified_tap_bonus: super::score::VERIFIED_TAP_BONUS,
            weights: BTreeMap::new(),
        }
    }
}

impl RuleSettings {
    /// Parses a settings document, naming the JSON path of the first bad value.
    pub fn from_json(text: &str) -> Result<RuleSettings, JsonError> {
        let rules: RuleSettings = json_path::parse(text)?;
        rules.check()?;
        Ok(rules)
    }

    /// The zone of [`RuleSettings::time_zone`] (Tokyo if it is not a zone; `from_json` refuses that).
    pub fn zone(&self) -> chrono_tz::Tz {
        crate::local_time::parse_zone(&self.time_zone).unwrap_or_else(crate::local_time::default_zone)
    }

    fn check(&self) -> Result<(), JsonError> {
        if crate::local_time::parse_zone(&self.time_zone).is_none() {
            return Err(JsonError::at(
                "/time_zone",
                "not an IANA time zone name (e.g. Asia/Tokyo, America/New_York)",
            ));
        }
        if self.min_duration_min > self.max_duration_min {
            return Err(JsonError::at(
                "/min_duration_min",
                "is larger than max_duration_min",
            ));
        }
        if self.work_start_min().is_none() {
            return Err(JsonError::at("/work_start", "must be a time like 08:30"));
        }
        if self.work_end_min().is_none() {
            return Err(JsonError::at("/work_end", "must be a time like 19:00"));
        }
        if self.travel_speed_kmh.is_nan() || self.travel_speed_kmh <= 0.0 {
            return Err(JsonError::at("/travel_speed_kmh", "must be positive"));
        }
        if self.duplicate_notes_percent > 100 || self.duration_pattern_percent > 100 {
            return Err(JsonError::at(
                "/duplicate_notes_percent",
                "percentages are at most 100",
            ));
        }
        if !(0.0..=1.0).contains(&self.duration_run_max_chance) {
            return Err(JsonError::at(
                "/duration_run_max_chance",
                "must be between 0 and 1",
            ));
        }
        if self.night_start_min().is_none() {
            return Err(JsonError::at("/night_start", "must be a time like 22:00"));
        }
        if self.night_end_min().is_none() {
            return Err(JsonError::at("/night_end", "must be a time like 05:00"));
        }
        if let Some(code) = self
            .weights
            .keys()
            .find(|k| !Code::ALL.iter().any(|c| c.as_str() == *k))
        {
            return Err(JsonError::at(format!("/weights/{code}"), "is not a finding code"));
        }
        if let Some((code, _)) = self.weights.iter().find(|(_, w)| !(0..=100).contains(*w)) {
            return Err(JsonError::at(
                format!("/weights/{code}"),
                "must be between 0 and 100",
            ));
        }
        if !(0..=100).contains(&self.verified_tap_bonus) {
            return Err(JsonError::at("/verified_tap_bonus", "must be between 0 and 100"));
        }
        Ok(())
    }

    /// Start of the night, minutes after midnight.
    pub fn night_start_min(&self) -> Option<u32> {
        parse_hhmm(&self.night_start)
    }

    /// End of the night (the next morning), minutes after midnight.
    pub fn night_end_min(&self) -> Option<u32> {
        parse_hhmm(&self.night_end)
    }

    /// Whether a local minute of the day (0–1439) falls in the night.
    pub fn is_night(&self, minute: u32) -> bool {
        match (self.night_start_min(), self.night_end_min()) {
            (Some(start), Some(end)) if start > end => minute >= start || minute < end,
            (Some(start), Some(end)) => minute >= start && minute < end,
            _ => false,
        }
    }

    /// The evidence (decibans) `code` gives for "fabricated": the override in `weights`, or the default.
    pub fn weight(&self, code: Code) -> i32 {
        self.weights
            .get(code.as_str())
            .copied()
            .unwrap_or_else(|| super::score::weight(code))
    }

    /// Start of working hours, minutes after midnight.
    pub fn work_start_min(&self) -> Option<u32> {
        parse_hhmm(&self.work_start)
    }

    /// End of working hours, minutes after midnight.
    pub fn work_end_min(&self) -> Option<u32> {
        parse_hhmm(&self.work_end)
    }
}

fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_documents_keep_defaults_and_bad_values_name_their_path() {
        let rules = RuleSettings::from_json(r#"{"version": 3, "backdate_days": 14}"#).unwrap();
        assert_eq!(
            (rules.version, rules.backdate_days, rules.max_duration_min),
            (3, 14, 240)
        );
        assert_eq!(
            RuleSettings::from_json(r#"{"work_start": "朝"}"#)
                .unwrap_err()
                .path,
            "/work_start"
        );
        assert_eq!(
            RuleSettings::from_json(r#"{"backdate": 1}"#).unwrap_err().path,
            "/backdate"
        );
        assert_eq!(RuleSettings::default().work_end_min(), Some(20 * 60));
    }

    #[test]
    fn night_wraps_midnight_and_weights_name_known_codes() {
        let rules = RuleSettings::default();
        assert!(rules.is_night(23 * 60) && rules.is_night(2 * 60) && !rules.is_night(21 * 60 + 59));
        assert!(!rules.is_night(5 * 60));
        let custom = RuleSettings::from_json(r#"{"weights": {"entry_burst": 20}}"#).unwrap();
        assert_eq!(custom.weight(Code::EntryBurst), 20);
        assert_eq!(
            custom.weight(Code::DuplicateNotes),
            super::super::weight(Code::DuplicateNotes)
        );
        let err = RuleSettings::from_json(r#"{"weights": {"居眠り": 20}}"#).unwrap_err();
        assert_eq!(err.path, "/weights/居眠り");
        assert_eq!(
            RuleSettings::from_json(r#"{"night_start": "夜"}"#)
                .unwrap_err()
                .path,
            "/night_start"
        );
    }
}
