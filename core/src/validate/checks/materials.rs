//! `material_not_approved`, `material_without_evidence`, `tap_shortfall`: the materials shown.
//!
//! A missing tap alone is weak: taps fail and doctors decline. It becomes `tap_shortfall` when the rep's share
//! of visits showing materials without a tap is far above both the expected share and the team's, by more
//! than chance explains (two standard deviations of a binomial count), and at least twice that share, so that
//! more likely than not any one of the rep's untapped visits is not a failed tap: then this visit is one of the
//! missing taps that need explaining.

use crate::{
    validate::{context::TapProfile, past, Code, Context, Detail, Finding, RuleSettings, UNGRADED},
    visit::{Channel, VisitFields},
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    // A material's validity is judged on the rep's local day of the visit.
    let day = f.started_at.map(|t| crate::local_time::local_day(&t, ctx.zone));
    for (i, m) in f.materials_shown.iter().enumerate() {
        let versions: Vec<_> = ctx
            .materials
            .iter()
            .filter(|row| row.id == m.material_id)
            .collect();
        if versions.is_empty() {
            continue; // reported as unknown_reference
        }
        let why = match versions.iter().find(|row| row.version == m.version) {
            None => Some(("カタログにない版", "this version is not in the catalog")),
            Some(row) if !row.approved => Some(("使用中止", "withdrawn")),
            Some(row) if day.is_some_and(|d| d < row.valid_from || d > row.valid_until) => {
                Some(("訪問日に有効期間外", "not valid on the visit's date"))
            }
            Some(_) => None,
        };
        let detail = |why_ja, why_en| Detail::Material {
            id: m.material_id.clone(),
            version: m.version,
            why_ja,
            why_en,
        };
        if let Some((why_ja, why_en)) = why {
            out.push(Finding::new(
                Code::MaterialNotApproved,
                format!("/materials_shown/{i}/version"),
                &detail(why_ja, why_en),
            ));
        }
        let shown_in_person = f.channel == Some(Channel::InPerson) && f.started_at.is_some();
        if shown_in_person && !ctx.evidence.iter().any(|e| e.material_id == m.material_id) {
            let finding = Finding::new(
                Code::MaterialWithoutEvidence,
                format!("/materials_shown/{i}/material_id"),
                &detail("", ""),
            );
            out.push(finding.with_strength(ctx.taps.map_or(UNGRADED, |p| p.miss_strength(&ctx.rules))));
        }
    }
    if out.iter().any(|x| x.code == Code::MaterialWithoutEvidence) {
        shortfall(ctx, out);
    }
}

fn shortfall(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(p) = ctx.taps else { return };
    if let Some(usual_percent) = p.shortfall_percent(&ctx.rules) {
        let detail = Detail::Shortfall {
            missed: p.missed.into(),
            shown: p.shown.into(),
            usual_percent,
        };
        // The share of the rep's untapped visits the usual share does not explain: all of them is clear (strength 0.9).
        let rate = f64::from(p.missed) / f64::from(p.shown.max(1));
        let unexplained = (rate - usual_percent as f64 / 100.0) / rate.max(f64::EPSILON);
        let finding = Finding::new(Code::TapShortfall, "/materials_shown", &detail);
        out.push(finding.with_strength(past(unexplained, 0.5, 1.0)));
    }
}

impl TapProfile {
    /// How unusual this rep's share of visits without a tap is: 0 at the expected share or below, 0.9 thirty
    /// points above it. A missing tap of a rep who rarely misses one is likelier a failed tap.
    ///
    /// Held against the company's expected share only, not the team's: the team's share moves with every rep's
    /// sync, and a visit's strength must not (the server keeps each rep's verdicts without re-judging the team).
    /// The comparison with the team is [`Code::TapShortfall`]'s, taken at the rounded share it reports.
    pub fn miss_strength(&self, rules: &RuleSettings) -> f64 {
        let rate = f64::from(self.missed) / f64::from(self.shown.max(1));
        let expected = (f64::from(rules.expected_tap_miss_percent) / 100.0).clamp(0.0, 0.99);
        past(rate, expected, expected + 0.3)
    }

    /// The share of visits without a tap a rep is held against: the expected share or the team's, the higher.
    fn usual_miss_rate(&self, rules: &RuleSettings) -> f64 {
        let expected = f64::from(rules.expected_tap_miss_percent) / 100.0;
        expected.max(self.team_miss_rate).clamp(0.0, 0.99)
    }

    /// Whether this rep's record falls short (see the module's description): the usual share of visits without
    /// a tap it is held against, in percent, if it does. A property of the rep, the same for each of its visits.
    pub fn shortfall_percent(&self, rules: &RuleSettings) -> Option<i64> {
        let base = self.usual_miss_rate(rules);
        let n = f64::from(self.shown);
        let rate = f64::from(self.missed) / n.max(1.0);
        let margin = f64::from(rules.tap_shortfall_margin_percent) / 100.0;
        let significant = f64::from(self.missed) - n * base >= 2.0 * (n * base * (1.0 - base)).sqrt();
        // More likely than not, one of this rep's untapped visits is not a failed or declined tap.
        let unexplained = rate > 0.0 && (rate - base) / rate >= 0.5;
        let short = self.shown >= rules.tap_shortfall_min_visits
            && rate >= base + margin
            && significant
            && unexplained;
        short.then(|| (base * 100.0).round() as i64)
    }
}
