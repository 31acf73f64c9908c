//! The period the head-office view covers: this quarter by default (in the market's zone), or the days given as
//! `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both included).

use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Tz;
use mrc_core::local_time::day_start;
use serde::Serialize;

/// Local days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The longest window one can ask for: ten years.
const MAX_DAYS: i64 = 3660;

impl Window {
    /// The calendar quarter `day` falls in.
    pub fn quarter_of(day: NaiveDate) -> Window {
        let first_month = (day.month0() / 3) * 3 + 1;
        let from = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
        let to = (from + Months::new(3)).pred_opt().unwrap_or(from);
        Window { from, to }
    }

    /// The quarter before this window's first day.
    pub fn previous_quarter(&self) -> Window {
        Window::quarter_of(self.from.pred_opt().unwrap_or(self.from))
    }

    /// The window a query asks for (`from`, `to`), else this quarter of `today`. A malformed date, a window
    /// that ends before it starts or one longer than ten years is refused with the reason.
    pub fn from_query(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Window, &'static str> {
        let day =
            |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "dates are YYYY-MM-DD");
        let quarter = Window::quarter_of(today);
        let window = match (from.filter(|f| !f.is_empty()), to.filter(|t| !t.is_empty())) {
            (None, None) => return Ok(quarter),
            (Some(f), Some(t)) => Window {
                from: day(f)?,
                to: day(t)?,
            },
            (Some(f), None) => Window {
                from: day(f)?,
                to: quarter.to.max(day(f)?),
            },
            (None, Some(t)) => Window {
                from: quarter.from.min(day(t)?),
                to: day(t)?,
            },
        };
        if window.to < window.from {
            return Err("the window ends before it starts");
        }
        if (window.to - window.from).num_days() > MAX_DAYS {
            return Err("the window is longer than ten years");
        }
        Ok(window)
    }

    /// The window as instants: from the start of `from` to the start of the day after `to`, in `zone`, in ms.
    pub fn bounds_ms(&self, zone: Tz) -> (i64, i64) {
        let after = self.to.succ_opt().unwrap_or(self.to);
        (
            day_start(self.from, zone).timestamp_millis(),
            day_start(after, zone).timestamp_millis(),
        )
    }

    /// The query string that asks for this window.
    pub fn query(&self) -> String {
        format!("from={}&to={}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_default_is_the_calendar_quarter_of_today() {
        let q = Window::from_query(None, None, d("2026-12-07")).unwrap();
        assert_eq!((q.from, q.to), (d("2026-10-01"), d("2026-12-31")));
        let q = Window::from_query(Some(""), Some(""), d("2027-01-01")).unwrap();
        assert_eq!((q.from, q.to), (d("2027-01-01"), d("2027-03-31")));
        assert_eq!(q.previous_quarter(), Window::quarter_of(d("2026-11-15")));
        assert_eq!(Window::quarter_of(d("2028-02-29")).to, d("2028-03-31"));
    }

    #[test]
    fn a_window_asked_for_is_checked() {
        let w = Window::from_query(Some("2026-11-01"), Some("2026-11-30"), d("2026-12-07")).unwrap();
        assert_eq!(w.query(), "from=2026-11-01&to=2026-11-30");
        assert!(Window::from_query(Some("2026-11-31"), None, d("2026-12-07")).is_err());
        assert!(Window::from_query(Some("2026-12-01"), Some("2026-11-01"), d("2026-12-07")).is_err());
        assert!(Window::from_query(Some("1990-01-01"), Some("2026-11-01"), d("2026-12-07")).is_err());
        assert!(Window::from_query(Some("十一月"), None, d("2026-12-07")).is_err());
    }

    #[test]
    fn bounds_are_the_markets_local_midnights() {
        let w = Window::quarter_of(d("2026-11-15"));
        let (from, until) = w.bounds_ms(chrono_tz::Asia::Tokyo);
        // 2026-10-01 00:00 JST is 2026-09-30 15:00 UTC.
        assert_eq!(from, 1_790_780_400_000);
        assert_eq!(
            until,
            day_start(d("2027-01-01"), chrono_tz::Asia::Tokyo).timestamp_millis()
        );
    }
}
