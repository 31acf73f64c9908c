//! What a visit says: products, materials shown, reaction, notes (a follow-up note may start from the previous
//! note for the same doctor) and the doctor's taps on the materials (some fail or are declined).

use std::collections::HashMap;

use super::{edit, plan::World, Draft};
use mrc_core::{
    master::{Material, MaterialStatus},
    visit::{Channel, MaterialShown, ProductDiscussed, Reaction, VisitFields},
};

use crate::{catalog::PRODUCTS, notes, rng::Rng};

/// Fills `d.fields` (and taps) for its doctor, day and channel. `previous` holds each (rep, doctor)'s latest
/// note, for follow-ups, and is updated.
pub(super) fn fill(
    rng: &mut Rng,
    world: &World,
    d: &mut Draft,
    previous: &mut HashMap<(usize, usize), String>,
) {
    let Some(plan) = world.reps.get(d.rep) else { return };
    let master = &world.master;
    let Some(hcp) = master.hcps.get(d.hcp) else { return };
    let slot = plan.hcps.iter().position(|h| *h == d.hcp);
    let mut products: Vec<usize> = Vec::new();
    let count = 1 + rng.weighted(&[0.45, 0.4, 0.15]).unwrap_or(0);
    let mut pool = plan.portfolio.clone();
    let main = slot
        .and_then(|s| plan.main_product.get(s))
        .copied()
        .filter(|_| rng.chance(0.8));
    if let Some(i) = main.and_then(|m| pool.iter().position(|p| *p == m)) {
        products.push(pool.swap_remove(i));
    }
    while products.len() < count && !pool.is_empty() {
        products.push(pool.swap_remove(rng.index(pool.len())));
    }
    let shown = match d.channel {
        Channel::Phone | Channel::Email => 0,
        _ => rng.weighted(&[0.35, 0.45, 0.2]).unwrap_or(0),
    };
    let materials = pick_materials(rng, world, &products, d.date, shown);
    let reaction = [
        Reaction::Positive,
        Reaction::Neutral,
        Reaction::Negative,
        Reaction::None,
    ][rng.weighted(&[0.38, 0.4, 0.12, 0.1]).unwrap_or(1)];
    let short = |p: usize| PRODUCTS.get(p).map_or("", |s| s.short);
    let doctor = format!("{}先生", hcp.name.split(' ').next().unwrap_or(&hcp.name));
    let cx = notes::NoteContext {
        doctor: &doctor,
        product: short(products.first().copied().unwrap_or(0)),
        second: products.get(1).map(|p| short(*p)),
        concerns: products
            .first()
            .and_then(|p| PRODUCTS.get(*p))
            .map_or(&[], |s| s.concerns),
        material: materials.first().map(|m| m.title.as_str()),
        channel: d.channel,
        reaction,
        date: d.date,
        hour: d.start / 60,
        minutes: d.minutes,
    };
    let mut text = notes::notes(rng, &cx);
    if let Some(before) = previous.get(&(d.rep, d.hcp)) {
        if rng.chance(plan.habit.follow_up_share) {
            text = edit::follow_up(rng, before, &text);
            d.label.look_alike = Some("follow_up".into());
        }
    }
    previous.insert((d.rep, d.hcp), text.clone());
    let mut fields = VisitFields {
        rep_id: master.reps.get(d.rep).map(|r| r.id.clone()),
        hcp_id: Some(hcp.id.clone()),
        institution_id: Some(hcp.institution_id.clone()),
        channel: Some(d.channel),
        started_at: Some(super::at(d.date, i64::from(d.start))),
        duration_min: Some(d.minutes),
        products: (products.iter().zip(1..))
            .filter_map(|(p, priority)| {
                Some(ProductDiscussed {
                    product_id: master.products.get(*p)?.id.clone(),
                    priority,
                })
            })
            .collect(),
        materials_shown: (materials.iter())
            .map(|m| MaterialShown {
                material_id: m.id.clone(),
                version: m.version,
            })
            .collect(),
        reaction: Some(reaction),
        next_objective: Some(notes::next_objective(rng, &cx)),
        notes: text,
        insights: Default::default(),
    };
    fields.normalize();
    d.fields = fields;
    d.taps.clear();
    if d.channel == Channel::InPerson && !d.fields.materials_shown.is_empty() && !d.label.fabricated {
        if rng.chance(plan.habit.tap_rate) {
            let span = u64::from(d.minutes.saturating_sub(2).max(1));
            d.taps.push(d.start + 1 + rng.below(span) as u32);
        } else if d.label.look_alike.is_none() {
            d.label.look_alike = Some("tap_failed".into());
        }
    }
}

/// Up to `count` approved materials of the products, valid that day.
pub(super) fn pick_materials<'w>(
    rng: &mut Rng,
    world: &'w World,
    products: &[usize],
    date: chrono::NaiveDate,
    count: usize,
) -> Vec<&'w Material> {
    let ids: Vec<&str> = products
        .iter()
        .filter_map(|p| world.master.products.get(*p).map(|x| x.id.as_str()))
        .collect();
    let mut candidates: Vec<&Material> = (world.master.materials.iter())
        .filter(|m| ids.contains(&m.product_id.as_str()) && m.status == MaterialStatus::Approved)
        .filter(|m| m.valid_from <= date && date <= m.valid_until)
        .collect();
    let mut out = Vec::new();
    while out.len() < count && !candidates.is_empty() {
        out.push(candidates.swap_remove(rng.index(candidates.len())));
    }
    out
}
