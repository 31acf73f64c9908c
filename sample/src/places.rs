//! Hospitals and clinics: real-looking addresses and coordinates in the territory's areas, and plausible
//! (fictional) institution names.

use std::collections::BTreeSet;

use super::{
    names,
    regions::{short, Area, PREFECTURE, REGIONS},
    rng::Rng,
};
use mrc_core::master::Institution;

/// What the generator knows about an institution beyond its master record.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// Index of the rep covering it.
    pub(crate) rep: usize,
    /// (region, area) it lies in: visits on one day cluster in one area.
    pub(crate) area: (usize, usize),
    pub(crate) hospital: bool,
    /// A clinic's department (its doctors' specialty); empty for a hospital.
    pub(crate) department: &'static str,
}

/// `count` institutions spread over `reps` reps' regions: each rep's first one a hospital, then about one in
/// five.
pub(crate) fn institutions(rng: &mut Rng, count: u32, reps: u32) -> Vec<(Institution, Site)> {
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for i in 0..count as usize {
        let rep = i % reps.max(1) as usize;
        let region = rep % REGIONS.len();
        let areas = REGIONS[region];
        let area_index = (i / reps.max(1) as usize + rng.index(2)) % areas.len();
        let area = &areas[area_index];
        let town = rng.pick(&area.towns);
        let hospital = i < reps.max(1) as usize || rng.chance(0.2);
        let department = if hospital {
            ""
        } else {
            rng.pick(&names::CLINIC_DEPARTMENTS)
        };
        let mut name = String::new();
        for _ in 0..20 {
            name = if hospital {
                hospital_name(rng, area, town)
            } else {
                clinic_name(rng, town, department)
            };
            if !used.contains(&name) {
                break;
            }
        }
        if used.contains(&name) {
            name = format!("{town}{name}");
        }
        used.insert(name.clone());
        let institution = Institution {
            id: format!("INST-{:03}", i + 1),
            name,
            address: address(rng, area, town),
            lat: area.lat + (rng.unit() - 0.5) * 0.024,
            lon: area.lon + (rng.unit() - 0.5) * 0.028,
        };
        out.push((
            institution,
            Site {
                rep,
                area: (region, area_index),
                hospital,
                department,
            },
        ));
    }
    out
}

fn hospital_name(rng: &mut Rng, area: &Area, town: &str) -> String {
    let city: String = area.city.trim_end_matches('市').to_string();
    let place = if area.ward.is_empty() {
        city.clone()
    } else {
        format!("{city}{}", short(area))
    };
    match rng.below(6) {
        0 => format!("{place}総合病院"),
        1 => format!("{}中央病院", short(area)),
        2 => format!("{town}記念病院"),
        3 => format!("{}記念病院", rng.pick(&names::SURNAMES).0),
        4 => format!("{place}医療センター"),
        _ => format!("{town}病院"),
    }
}

fn clinic_name(rng: &mut Rng, town: &str, department: &str) -> String {
    match rng.below(6) {
        0 | 1 => format!("{}{department}クリニック", rng.pick(&names::CLINIC_WORDS)),
        2 => format!("{town}{department}クリニック"),
        3 => format!("{}{department}医院", rng.pick(&names::SURNAMES).0),
        4 => format!("{}台{department}", rng.pick(&names::CLINIC_WORDS)),
        _ => format!("{town}駅前{department}クリニック"),
    }
}

fn address(rng: &mut Rng, area: &Area, town: &str) -> String {
    let place = format!("{PREFECTURE}{}{}{town}", area.city, area.ward);
    if town.ends_with('町') {
        format!("{place}{}-{}", rng.range(1, 120), rng.range(1, 30))
    } else {
        format!(
            "{place}{}-{}-{}",
            rng.range(1, 5),
            rng.range(1, 30),
            rng.range(1, 20)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn institutions_lie_in_kanagawa_with_unique_names() {
        let list = institutions(&mut Rng::new(1), 120, 6);
        let names: BTreeSet<_> = list.iter().map(|(i, _)| i.name.clone()).collect();
        assert_eq!(names.len(), list.len());
        for (inst, _) in &list {
            assert!(inst.address.starts_with("神奈川県"), "{}", inst.address);
            assert!(
                (35.12..=35.68).contains(&inst.lat) && (139.04..=139.80).contains(&inst.lon),
                "{inst:?}"
            );
        }
        assert_eq!(list[0].0.id, "INST-001");
        assert!(list.iter().any(|(_, s)| s.hospital) && list.iter().any(|(_, s)| !s.hospital));
    }
}
