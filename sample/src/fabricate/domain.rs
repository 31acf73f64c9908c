//! Domain randomization: the world parameters of a labeled month (entry and tap habits, rounding, stock phrases,
//! territory size, how subtle the fabricators are) drawn per month from ranges, so the audit is measured on worlds it
//! was not tuned on (issue #15).
//!
//! `Fixed` is the generator as it always was (same seed, same month, byte for byte). `Tuning` draws from the ranges
//! the evidence was estimated on; `HeldOut` from ranges beyond them — more evening work, more failed taps, more
//! rounding and reused phrases, territories of 20–45 doctors per rep seen often, subtler fabricators. The held-out
//! months are only for the report, never for tuning.

use super::super::rng::Rng;

/// Which world parameters a labeled month is generated with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// The generator's own constants.
    #[default]
    Fixed,
    /// Drawn per month from the ranges tuning used.
    Tuning,
    /// Drawn per month from ranges tuning never saw.
    HeldOut,
}

impl Domain {
    /// Parses `fixed`, `tuning` or `held-out`.
    pub fn parse(text: &str) -> Option<Domain> {
        match text {
            "fixed" => Some(Domain::Fixed),
            "tuning" => Some(Domain::Tuning),
            "held-out" | "held_out" => Some(Domain::HeldOut),
            _ => None,
        }
    }
}

/// The world parameters of one month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Params {
    /// A rep's evening-entry share is 0.1 + U × this.
    pub(super) evening_width: f64,
    /// A rep's share of round durations is 0.1 + U × this.
    pub(super) round_width: f64,
    /// The chance that a rep rounds every duration.
    pub(super) rounder_chance: f64,
    /// A rep's tap success rate is `tap_low` + U × `tap_width`.
    pub(super) tap_low: f64,
    pub(super) tap_width: f64,
    /// A rep's share of follow-up notes (reused phrases) is 0.1 + U × this.
    pub(super) follow_up_width: f64,
    /// The share of fabrications made subtle (several weak signs instead of one strong one).
    pub(super) subtle_share: f64,
    /// The territory's doctors are the configured number × this.
    pub(super) hcps_scale: f64,
}

impl Params {
    /// The generator's own constants.
    pub(super) const FIXED: Params = Params {
        evening_width: 0.5,
        round_width: 0.4,
        rounder_chance: 0.25,
        tap_low: 0.82,
        tap_width: 0.14,
        follow_up_width: 0.25,
        subtle_share: 0.5,
        hcps_scale: 1.0,
    };

    /// The parameters of the month of `seed` in `domain`, from a random stream of their own (the `Fixed` month's
    /// draws are untouched).
    pub(super) fn draw(domain: Domain, seed: u64) -> Params {
        let mut rng = Rng::new(seed ^ 0x444f_4d41_494e_5f52);
        let mut within = |(lo, hi): (f64, f64)| lo + rng.unit() * (hi - lo);
        match domain {
            Domain::Fixed => Params::FIXED,
            Domain::Tuning => Params {
                evening_width: within((0.3, 0.6)),
                round_width: within((0.2, 0.45)),
                rounder_chance: within((0.1, 0.3)),
                tap_low: within((0.78, 0.88)),
                tap_width: within((0.08, 0.16)),
                follow_up_width: within((0.15, 0.3)),
                subtle_share: within((0.35, 0.6)),
                hcps_scale: within((0.7, 1.3)),
            },
            Domain::HeldOut => Params {
                evening_width: within((0.6, 0.85)),
                round_width: within((0.45, 0.75)),
                rounder_chance: within((0.3, 0.5)),
                tap_low: within((0.55, 0.75)),
                tap_width: within((0.1, 0.2)),
                follow_up_width: within((0.3, 0.55)),
                subtle_share: within((0.6, 0.9)),
                hcps_scale: within((0.2, 0.45)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_out_ranges_never_overlap_the_tuning_ones_where_it_matters() {
        for seed in 0..200 {
            let t = Params::draw(Domain::Tuning, seed);
            let h = Params::draw(Domain::HeldOut, seed);
            assert!(t.evening_width <= 0.6 && h.evening_width >= 0.6);
            assert!(t.tap_low >= 0.78 && h.tap_low <= 0.75);
            assert!(t.hcps_scale >= 0.7 && h.hcps_scale <= 0.45);
            assert!(t.subtle_share <= 0.6 && h.subtle_share >= 0.6);
        }
        assert_eq!(Params::draw(Domain::Fixed, 7), Params::FIXED);
        assert_eq!(Domain::parse("held-out"), Some(Domain::HeldOut));
    }
}
