//! Findings: what the validator says about one field, with a stable code, a severity and ja/en messages.

use serde::{Deserialize, Serialize};

use super::messages;

/// Whether a finding blocks submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Asks for a second look; lowers the reliability score.
    Warning,
}

macro_rules! codes {
    ($($variant:ident => $text:literal, $severity:ident;)*) => {
        /// The stable code of a finding (its JSON form is the snake_case text).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum Code { $($variant),* }

        impl Code {
            /// Every code, in a stable order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable text form.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text),* }
            }

            /// Whether this code blocks submission.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }
        }
    };
}

codes! {
    Required => "required", Error;
    UnknownReference => "unknown_reference", Error;
    HcpNotAtInstitution => "hcp_not_at_institution", Error;
    DurationRange => "duration_range", Error;
    FutureStart => "future_start", Error;
    BackdateLimit => "backdate_limit", Error;
    Overlap => "overlap", Error;
    ProductNotInPortfolio => "product_not_in_portfolio", Error;
    MaterialNotApproved => "material_not_approved", Error;
    ClockRollback => "clock_rollback", Error;
    EditAfterSubmit => "edit_after_submit", Error;
    DuplicateNotes => "duplicate_notes", Warning;
    TooManyVisits => "too_many_visits", Warning;
    OffHours => "off_hours", Warning;
    TravelInfeasible => "travel_infeasible", Warning;
    MaterialWithoutEvidence => "material_without_evidence", Warning;
    RoundDurationPattern => "round_duration_pattern", Warning;
    DurationRun => "duration_run", Warning;
    HolidayVisit => "holiday_visit", Warning;
    NightVisit => "night_visit", Warning;
    LateEntry => "late_entry", Warning;
    EntryBurst => "entry_burst", Warning;
    NightEntry => "night_entry", Warning;
    HcpFrequency => "hcp_frequency", Warning;
    TapShortfall => "tap_shortfall", Warning;
    UnknownInsightCode => "unknown_insight_code", Error;
    InsightProductNotDiscussed => "insight_product_not_discussed", Error;
    OffLabelAnswered => "off_label_answered", Error;
}

/// The numbers and names a message needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    None,
    /// A missing field, named in ja and en.
    Field {
        ja: &'static str,
        en: &'static str,
    },
    /// An id that is not in master data, and what kind of thing it should be.
    Reference {
        ja: &'static str,
        en: &'static str,
        id: String,
    },
    /// A value outside `min..=max`.
    Range {
        min: i64,
        max: i64,
    },
    /// A limit in days or minutes.
    Limit(i64),
    /// A count over a maximum.
    Count {
        count: i64,
        max: i64,
    },
    /// Similarity to another visit, in percent.
    Similar {
        percent: i64,
        other: String,
    },
    /// Distance, time needed and time available between two visits.
    Travel {
        km: f64,
        need_min: i64,
        gap_min: i64,
    },
    /// Why a material version may not be shown.
    Material {
        id: String,
        version: u32,
        why_ja: &'static str,
        why_en: &'static str,
    },
    /// A repeated duration and how often it occurs, in percent.
    Pattern {
        minutes: i64,
        percent: i64,
    },
    /// Which time rule is broken.
    When {
        ja: &'static str,
        en: &'static str,
    },
    /// How many days after the visit it was entered, and the allowance in working days.
    Late {
        days: i64,
        allowed: i64,
    },
    /// How many entries came in one burst, and the longest gap between them in seconds.
    Burst {
        count: i64,
        gap_s: i64,
    },
    /// A run of consecutive visits of one day with the same round duration.
    Run {
        minutes: i64,
        count: i64,
    },
    /// A local time of day, "HH:MM".
    Clock(String),
    /// Visits without a tap out of visits showing materials, and the usual share in percent.
    Shortfall {
        missed: i64,
        shown: i64,
        usual_percent: i64,
    },
    /// Visits to one HCP within a window of days, and the maximum.
    Frequency {
        count: i64,
        days: i64,
        max: i64,
    },
}

/// One thing the validator found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Finding {
    pub code: Code,
    /// JSON pointer of the field concerned, e.g. `/products/0/product_id`.
    pub field: String,
    pub severity: Severity,
    pub message_ja: String,
    pub message_en: String,
    /// How clearly the observation passes the rule: 0 just past its threshold, 1 unmistakable, 0.5 when a rule has
    /// no degrees. It scales the code's evidence in the score ([`super::score`]).
    pub strength: f64,
}

impl Finding {
    /// A finding with its messages rendered from `detail`.
    pub fn new(code: Code, field: impl Into<String>, detail: &Detail) -> Finding {
        let (message_ja, message_en) = messages::render(code, detail);
        Finding {
            code,
            field: field.into(),
            severity: code.severity(),
            message_ja,
            message_en,
            strength: UNGRADED,
        }
    }

    /// The same finding with `strength` (clamped to 0–1; a value that is not a number counts as ungraded).
    pub fn with_strength(mut self, strength: f64) -> Finding {
        self.strength = if strength.is_nan() {
            UNGRADED
        } else {
            strength.clamp(0.0, 1.0)
        };
        self
    }
}

/// The strength of a rule without degrees.
pub const UNGRADED: f64 = 0.5;

/// How far `value` lies past `threshold` towards `clear` (`clear` may lie below `threshold` when smaller is
/// clearer): 0 at the threshold, 0.9 at `clear`, 0.99 as far again, so a value further past still counts a little
/// more and no two degrees collapse into one strength.
pub fn past(value: f64, threshold: f64, clear: f64) -> f64 {
    let span = clear - threshold;
    if span.abs() < f64::EPSILON {
        return 1.0;
    }
    let beyond = ((value - threshold) / span).max(0.0);
    1.0 - 10f64.powf(-beyond)
}
