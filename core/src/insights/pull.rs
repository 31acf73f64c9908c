//! Pull-type suggestions for the pre-visit screen: the approved, current materials that answer the doctor's open
//! needs, for the products where the doctor can still move up the ladder, ranked — offline, from the device's
//! catalog and the doctor's profile.
//!
//! The rank is a sum a rep can read back from the reasons: 10 per open need the material answers, 3 if the doctor
//! has never been shown or tapped this version (1 if shown but never tapped), 2 if the doctor's stage for its
//! product is below the top of the ladder. A material that answers no open need is suggested only for a product
//! with a stage below the top that the doctor has not seen it for.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;

use super::profile::{doctor_profile, material_topics, DoctorProfile};
use crate::{
    local_time,
    master::load_catalog,
    store::{Store, StoreError},
    validate::load_rules,
};

/// How many suggestions the screen gets at most.
pub const MAX_SUGGESTIONS: usize = 10;

/// One material to show the doctor, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MaterialSuggestion {
    pub material_id: String,
    /// The current approved version (the one a tap opens).
    pub version: u32,
    pub title: String,
    pub product_id: String,
    pub rank: u32,
    /// The open needs (topic codes) it answers.
    pub answers: Vec<String>,
    /// The doctor has never been shown or tapped this version.
    pub new_to_doctor: bool,
    /// The doctor's stage for its product, when one is recorded.
    pub stage: Option<String>,
}

impl Store {
    /// The materials to suggest for doctor `hcp_id` as of `now` (validity judged on the local day in the store's
    /// zone), best first, at most [`MAX_SUGGESTIONS`].
    pub fn pull_suggestions(
        &self,
        hcp_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<MaterialSuggestion>, StoreError> {
        self.read(|conn| {
            let profile = doctor_profile(conn, hcp_id)?;
            let today = local_time::local_day(&now, load_rules(conn)?.zone());
            suggest_for(conn, &profile, today)
        })
    }
}

/// A current material version from the catalog.
struct Current {
    id: String,
    version: u32,
    title: String,
    product_id: String,
}

fn current_materials(conn: &Connection, today: NaiveDate) -> Result<Vec<Current>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, version, title, product_id FROM materials
         WHERE status = 'approved' AND valid_from <= ?1 AND valid_until >= ?1 ORDER BY id, version",
    )?;
    let rows = stmt.query_map(params![today.to_string()], |r| {
        Ok(Current {
            id: r.get(0)?,
            version: r.get(1)?,
            title: r.get(2)?,
            product_id: r.get(3)?,
        })
    })?;
    // The newest current version of each material.
    let mut newest: BTreeMap<String, Current> = BTreeMap::new();
    for row in rows {
        let m = row?;
        newest.insert(m.id.clone(), m);
    }
    Ok(newest.into_values().collect())
}

fn suggest_for(
    conn: &Connection,
    profile: &DoctorProfile,
    today: NaiveDate,
) -> Result<Vec<MaterialSuggestion>, StoreError> {
    let catalog = load_catalog(conn)?;
    let top = catalog.stages.iter().map(|s| s.rank).max().unwrap_or(0);
    let mut out = Vec::new();
    for m in current_materials(conn, today)? {
        let topics = material_topics(conn, &m.id, m.version)?;
        let mut answers: Vec<String> = (profile.open_needs.iter())
            .filter(|n| n.product_id.as_ref().is_none_or(|p| *p == m.product_id) && topics.contains(&n.topic))
            .map(|n| n.topic.clone())
            .collect();
        answers.sort();
        answers.dedup();
        let seen = (profile.materials.iter()).find(|s| s.material_id == m.id && s.version == m.version);
        let new_to_doctor = seen.is_none();
        let stage = profile.stages.iter().find(|s| s.product_id == m.product_id);
        let room = stage.is_some_and(|s| catalog.stage(&s.stage).is_some_and(|st| st.rank < top));
        if answers.is_empty() && !(room && new_to_doctor) {
            continue;
        }
        let freshness = match seen {
            None => 3,
            Some(s) if s.tapped == 0 => 1,
            Some(_) => 0,
        };
        let rank = 10 * answers.len() as u32 + freshness + if room { 2 } else { 0 };
        out.push(MaterialSuggestion {
            material_id: m.id,
            version: m.version,
            title: m.title,
            product_id: m.product_id,
            rank,
            answers,
            new_to_doctor,
            stage: stage.map(|s| s.stage.clone()),
        });
    }
    out.sort_by(|a, b| b.rank.cmp(&a.rank).then(a.material_id.cmp(&b.material_id)));
    out.truncate(MAX_SUGGESTIONS);
    Ok(out)
}
