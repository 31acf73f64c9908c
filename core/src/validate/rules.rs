//! Rule settings: every threshold of the validator, in one versioned JSON document the server can change.

use serde::{Deserialize, Serialize};

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

    fn check(&self) -> Result<(), JsonError> {
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
        Ok(())
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
}
