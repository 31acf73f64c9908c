//! The Japanese business calendar: weekends, public holidays (fixed, Happy Monday, equinoxes, substitute and
//! in-between holidays) and the year-end break. Used by the sample territory and by the off-hours check.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Fixed-date public holidays (month, day), plus the company's year-end break (12/29–1/3).
const FIXED: [(u32, u32); 15] = [
    (1, 1),   // 元日
    (1, 2),   // 年始休暇
    (1, 3),   // 年始休暇
    (2, 11),  // 建国記念の日
    (2, 23),  // 天皇誕生日
    (4, 29),  // 昭和の日
    (5, 3),   // 憲法記念日
    (5, 4),   // みどりの日
    (5, 5),   // こどもの日
    (8, 11),  // 山の日
    (11, 3),  // 文化の日
    (11, 23), // 勤労感謝の日
    (12, 29), // 年末休暇
    (12, 30), // 年末休暇
    (12, 31), // 年末休暇
];

/// Happy-Monday holidays: (month, which Monday).
const MONDAYS: [(u32, u32); 4] = [(1, 2), (7, 3), (9, 3), (10, 2)];

/// Whether an MR works on `day`.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(day)
}

/// The working days among the `days` days ending at `end` (inclusive), oldest first.
pub fn working_days(end: NaiveDate, days: u32) -> Vec<NaiveDate> {
    let start = end
        .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(end);
    let mut out = Vec::new();
    if days == 0 {
        return out;
    }
    let mut day = start;
    while day <= end {
        if is_working_day(day) {
            out.push(day);
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// A public holiday (or company holiday), including substitute holidays and the day between two holidays.
pub fn is_holiday(day: NaiveDate) -> bool {
    if is_base_holiday(day) {
        return true;
    }
    // 振替休日: the first non-holiday after a holiday that fell on a Sunday.
    let mut prev = day.pred_opt();
    while let Some(p) = prev.filter(|p| is_base_holiday(*p)) {
        if p.weekday() == Weekday::Sun {
            return true;
        }
        prev = p.pred_opt();
    }
    // 国民の休日: a day between two holidays.
    let before = day.pred_opt().is_some_and(is_base_holiday);
    let after = day.succ_opt().is_some_and(is_base_holiday);
    before && after
}

fn is_base_holiday(day: NaiveDate) -> bool {
    let (m, d) = (day.month(), day.day());
    if FIXED.contains(&(m, d)) {
        return true;
    }
    if day.weekday() == Weekday::Mon && MONDAYS.contains(&(m, (d - 1) / 7 + 1)) {
        return true;
    }
    let years = f64::from(day.year() - 1980);
    let leap_shift = f64::from((day.year() - 1980).div_euclid(4));
    let equinox = |base: f64| (base + 0.242_194 * years - leap_shift).floor() as u32;
    (m == 3 && d == equinox(20.8431)) || (m == 9 && d == equinox(23.2488))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn knows_the_2026_holidays() {
        for (m, d) in [
            (1, 12),
            (2, 11),
            (2, 23),
            (3, 20),
            (4, 29),
            (5, 6),
            (7, 20),
            (9, 21),
            (9, 22),
            (9, 23),
        ] {
            assert!(
                !is_working_day(date(2026, m, d)),
                "2026-{m}-{d} should be a holiday"
            );
        }
        for (m, d) in [(1, 5), (3, 19), (9, 24), (11, 20)] {
            assert!(
                is_working_day(date(2026, m, d)),
                "2026-{m}-{d} should be a working day"
            );
        }
    }

    #[test]
    fn counts_a_years_working_days() {
        let days = working_days(date(2026, 11, 20), 365);
        assert!((235..=250).contains(&days.len()), "{}", days.len());
        assert_eq!(days.last(), Some(&date(2026, 11, 20)));
        assert!(working_days(date(2026, 11, 20), 0).is_empty());
    }
}
