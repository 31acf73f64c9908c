//! Doctors and reps: kanji names with matching readings, specialties, and where each doctor works.

use std::collections::BTreeSet;

use super::{names, places::Site, rng::Rng};
use mrc_core::master::{Hcp, Institution, Rep};

/// A full name and its reading (`佐藤 健一`, `さとう けんいち`), unique among `used` when the lists allow.
fn person(rng: &mut Rng, used: &mut BTreeSet<String>) -> (String, String) {
    let mut pair = (String::new(), String::new());
    for _ in 0..30 {
        let (surname, surname_kana) = rng.pick(&names::SURNAMES);
        let (given, given_kana) = rng.pick(&names::GIVEN_NAMES);
        pair = (
            format!("{surname} {given}"),
            format!("{surname_kana} {given_kana}"),
        );
        if !used.contains(&pair.0) {
            break;
        }
    }
    used.insert(pair.0.clone());
    pair
}

/// `count` doctors: every institution gets one, then hospitals get many more than clinics (at most 3 each).
/// Returns each doctor with the index of their institution.
pub(crate) fn hcps(
    rng: &mut Rng,
    institutions: &[Institution],
    sites: &[Site],
    count: u32,
) -> Vec<(Hcp, usize)> {
    let mut staff = vec![0u32; sites.len()];
    for k in 0..count as usize {
        if sites.is_empty() {
            break;
        }
        let index = if k < sites.len() {
            k
        } else {
            let weights: Vec<f64> = sites
                .iter()
                .zip(&staff)
                .map(|(site, n)| match (site.hospital, *n) {
                    (true, _) => 12.0,
                    (false, n) if n < 3 => 1.0,
                    _ => 0.0,
                })
                .collect();
            rng.weighted(&weights).unwrap_or_else(|| rng.index(sites.len()))
        };
        staff[index] += 1;
    }
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for (index, ((institution, site), n)) in institutions.iter().zip(sites).zip(&staff).enumerate() {
        for k in 0..*n {
            let (name, kana) = person(rng, &mut used);
            let specialty = if site.hospital {
                rng.pick(&names::HOSPITAL_SPECIALTIES)
            } else if k > 0 && rng.chance(0.3) {
                "内科"
            } else {
                site.department
            };
            let hcp = Hcp {
                id: format!("HCP-{:04}", out.len() + 1),
                name,
                kana,
                specialty: specialty.to_string(),
                institution_id: institution.id.clone(),
            };
            out.push((hcp, index));
        }
    }
    out
}

/// `count` reps, each promoting 3–5 of the products.
pub(crate) fn reps(rng: &mut Rng, count: u32, product_ids: &[String]) -> Vec<Rep> {
    let mut used = BTreeSet::new();
    (0..count as usize)
        .map(|i| {
            let (name, _) = person(rng, &mut used);
            let mut pool: Vec<usize> = (0..product_ids.len()).collect();
            let size = (rng.range(3, 5) as usize).min(pool.len());
            let mut chosen = Vec::with_capacity(size);
            for _ in 0..size {
                chosen.push(pool.swap_remove(rng.index(pool.len())));
            }
            chosen.sort_unstable();
            let products = chosen
                .into_iter()
                .filter_map(|p| product_ids.get(p).cloned())
                .collect();
            Rep {
                id: format!("REP-{:03}", i + 1),
                name,
                products,
                time_zone: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places;

    #[test]
    fn hospitals_get_more_doctors_and_names_match_readings() {
        let (institutions, sites): (Vec<_>, Vec<_>) =
            places::institutions(&mut Rng::new(3), 40, 1).into_iter().unzip();
        let list = hcps(&mut Rng::new(4), &institutions, &sites, 300);
        assert_eq!(list.len(), 300);
        let per = |hospital: bool| {
            let n = sites.iter().filter(|s| s.hospital == hospital).count().max(1);
            list.iter()
                .filter(|(_, i)| sites[*i].hospital == hospital)
                .count()
                / n
        };
        assert!(
            per(true) > 3 * per(false).max(1),
            "{} vs {}",
            per(true),
            per(false)
        );
        for (hcp, _) in &list {
            let surname = hcp.name.split(' ').next().unwrap();
            let (_, kana) = names::SURNAMES.iter().find(|(s, _)| *s == surname).unwrap();
            assert!(hcp.kana.starts_with(kana), "{} / {}", hcp.name, hcp.kana);
        }
        let ids: Vec<String> = (1..=6).map(|i| format!("PRD-{i:02}")).collect();
        for rep in reps(&mut Rng::new(5), 10, &ids) {
            assert!((3..=5).contains(&rep.products.len()));
        }
    }
}
