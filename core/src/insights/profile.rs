//! The pre-visit screen's doctor profile: where the doctor stands per product, what they still need and asked,
//! what they were shown and tapped, and the last visits — read from the projection of the doctor's visits only.
//!
//! A need stays open until the visit that raised it or a later one shows, or the doctor taps, a material answering
//! its topic (of the need's product, when it names one). A question stays open until it is answered; one routed to
//! Medical is listed with its status. Safety mentions are listed until forwarded.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::{
    ids::VisitId,
    store::{Store, StoreError},
    visit::{DoctorQuestion, QuestionStatus, Reaction, SafetyMention, VisitInsights, VisitStatus},
};

/// How many of the doctor's latest visits the profile lists.
pub const LAST_VISITS: usize = 5;

/// The doctor's latest stage for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StageNow {
    pub product_id: String,
    pub stage: String,
    /// The stage recorded before it, if another (the last move up or down the ladder).
    pub previous: Option<String>,
    /// When the visit that recorded it started.
    pub since: DateTime<Utc>,
}

/// An information need not yet answered by a material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OpenNeed {
    pub topic: String,
    pub product_id: Option<String>,
    /// How many visits raised it.
    pub raised: u32,
    pub last_raised: DateTime<Utc>,
}

/// A question not answered yet (open, or routed to Medical), with the visit it was asked in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OpenQuestion {
    pub visit_id: VisitId,
    pub asked: DateTime<Utc>,
    pub question: DoctorQuestion,
}

/// Safety information not yet forwarded to pharmacovigilance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PendingSafety {
    pub visit_id: VisitId,
    pub mentioned: DateTime<Utc>,
    pub mention: SafetyMention,
}

/// A material version the doctor was shown or tapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MaterialSeen {
    pub material_id: String,
    pub version: u32,
    pub shown: u32,
    pub tapped: u32,
    pub last: DateTime<Utc>,
}

/// One of the doctor's latest visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitBrief {
    pub id: VisitId,
    pub started_at: DateTime<Utc>,
    pub status: VisitStatus,
    pub reaction: Option<Reaction>,
    pub next_objective: Option<String>,
}

/// Everything the pre-visit screen shows about one doctor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DoctorProfile {
    pub hcp_id: String,
    /// Visits to the doctor this device holds.
    pub visits: u32,
    /// By product id.
    pub stages: Vec<StageNow>,
    /// Most recently raised first.
    pub open_needs: Vec<OpenNeed>,
    /// Oldest first.
    pub open_questions: Vec<OpenQuestion>,
    pub safety_pending: Vec<PendingSafety>,
    /// Most recent first.
    pub materials: Vec<MaterialSeen>,
    /// The latest [`LAST_VISITS`], newest first.
    pub last_visits: Vec<VisitBrief>,
}

impl Store {
    /// The profile of doctor `hcp_id` from the visits this device holds (an empty one for a doctor never visited).
    pub fn doctor_profile(&self, hcp_id: &str) -> Result<DoctorProfile, StoreError> {
        self.read(|conn| doctor_profile(conn, hcp_id))
    }
}

/// A visit of the doctor as the profile reads it.
struct Seen {
    id: VisitId,
    at: DateTime<Utc>,
    brief: VisitBrief,
    insights: VisitInsights,
}

/// When a material version reached the doctor, and how.
struct Contact {
    material_id: String,
    version: u32,
    at: DateTime<Utc>,
    tapped: bool,
}

pub(crate) fn doctor_profile(conn: &Connection, hcp_id: &str) -> Result<DoctorProfile, StoreError> {
    let visits = read_visits(conn, hcp_id)?;
    let contacts = read_contacts(conn, hcp_id)?;
    let answers = |contact: &Contact| material_topics(conn, &contact.material_id, contact.version);

    let mut stages: BTreeMap<String, StageNow> = BTreeMap::new();
    let mut needs: BTreeMap<(String, Option<String>), OpenNeed> = BTreeMap::new();
    let mut questions: BTreeMap<String, OpenQuestion> = BTreeMap::new();
    let mut safety: BTreeMap<String, PendingSafety> = BTreeMap::new();
    for visit in &visits {
        for s in &visit.insights.stages {
            let previous = stages.get(&s.product_id).map(|now| now.stage.clone());
            let entry = StageNow {
                product_id: s.product_id.clone(),
                stage: s.stage.clone(),
                previous: previous.filter(|p| *p != s.stage),
                since: visit.at,
            };
            // The same stage again keeps the date it was reached and the move that reached it.
            if stages.get(&s.product_id).is_none_or(|now| now.stage != s.stage) {
                stages.insert(s.product_id.clone(), entry);
            }
        }
        for n in &visit.insights.needs {
            let need = needs
                .entry((n.topic.clone(), n.product_id.clone()))
                .or_insert_with(|| OpenNeed {
                    topic: n.topic.clone(),
                    product_id: n.product_id.clone(),
                    raised: 0,
                    last_raised: visit.at,
                });
            need.raised += 1;
            need.last_raised = visit.at;
        }
        for q in &visit.insights.questions {
            questions.remove(&q.id);
            if q.status != QuestionStatus::Answered {
                let open = OpenQuestion {
                    visit_id: visit.id,
                    asked: visit.at,
                    question: q.clone(),
                };
                questions.insert(q.id.clone(), open);
            }
        }
        for s in &visit.insights.safety {
            safety.remove(&s.id);
            if !s.forwarded {
                let pending = PendingSafety {
                    visit_id: visit.id,
                    mentioned: visit.at,
                    mention: s.clone(),
                };
                safety.insert(s.id.clone(), pending);
            }
        }
    }
    // A need is answered by a material reaching the doctor in or after the visit that last raised it.
    let mut answered = Vec::new();
    for contact in &contacts {
        let topics = answers(contact)?;
        let product = material_product(conn, &contact.material_id)?;
        for (key, need) in &needs {
            let fits_product = need.product_id.is_none() || need.product_id == product;
            if contact.at >= need.last_raised && fits_product && topics.contains(&need.topic) {
                answered.push(key.clone());
            }
        }
    }
    answered.iter().for_each(|key| {
        needs.remove(key);
    });

    let mut open_needs: Vec<OpenNeed> = needs.into_values().collect();
    open_needs.sort_by(|a, b| b.last_raised.cmp(&a.last_raised).then(a.topic.cmp(&b.topic)));
    let mut open_questions: Vec<OpenQuestion> = questions.into_values().collect();
    open_questions.sort_by(|a, b| a.asked.cmp(&b.asked).then(a.question.id.cmp(&b.question.id)));
    let mut safety_pending: Vec<PendingSafety> = safety.into_values().collect();
    safety_pending.sort_by(|a, b| {
        a.mentioned
            .cmp(&b.mentioned)
            .then(a.mention.id.cmp(&b.mention.id))
    });
    Ok(DoctorProfile {
        hcp_id: hcp_id.to_owned(),
        visits: u32::try_from(visits.len()).unwrap_or(u32::MAX),
        stages: stages.into_values().collect(),
        open_needs,
        open_questions,
        safety_pending,
        materials: materials_seen(&contacts),
        last_visits: visits
            .iter()
            .rev()
            .take(LAST_VISITS)
            .map(|v| v.brief.clone())
            .collect(),
    })
}

/// The doctor's visits, oldest first (visits without a start time are not on the doctor's timeline).
fn read_visits(conn: &Connection, hcp_id: &str) -> Result<Vec<Seen>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, started_at, status, reaction, next_objective, insights FROM visits
         WHERE hcp_id = ?1 AND started_at IS NOT NULL ORDER BY started_at, id",
    )?;
    let rows = stmt.query_map([hcp_id], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, started, status, reaction, next_objective, insights) = row?;
        let id = VisitId::from_slice(&id).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        let at = DateTime::from_timestamp_millis(started).unwrap_or_default();
        let insights: VisitInsights = serde_json::from_str(&insights)
            .map_err(|e| StoreError::Inconsistent(format!("stored insights: {e}")))?;
        out.push(Seen {
            id,
            at,
            brief: VisitBrief {
                id,
                started_at: at,
                status: VisitStatus::parse(&status).unwrap_or(VisitStatus::Draft),
                reaction: reaction.as_deref().and_then(Reaction::parse),
                next_objective,
            },
            insights,
        });
    }
    Ok(out)
}

/// Materials shown in the doctor's visits, and genuine taps (verified, or pending a SUN check) recorded during
/// them, oldest first. A forged, replayed or unknown card's tap is no sign of the doctor's interest.
fn read_contacts(conn: &Connection, hcp_id: &str) -> Result<Vec<Contact>, StoreError> {
    let mut out = Vec::new();
    let mut shown = conn.prepare_cached(
        "SELECT m.material_id, m.version, v.started_at FROM visits v
         JOIN visit_materials m ON m.visit_id = v.id
         WHERE v.hcp_id = ?1 AND v.started_at IS NOT NULL",
    )?;
    for row in shown.query_map([hcp_id], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?)))? {
        let (material_id, version, at) = row?;
        out.push(Contact {
            material_id,
            version,
            at: DateTime::from_timestamp_millis(at).unwrap_or_default(),
            tapped: false,
        });
    }
    let mut tapped = conn.prepare_cached(
        "SELECT e.material_id, e.material_version, e.occurred_at FROM visits v
         JOIN events e ON e.visit_id = v.id
         WHERE v.hcp_id = ?1 AND e.kind = ?2 AND e.verification IN ('verified', 'pending_verification')
           AND e.material_id IS NOT NULL AND e.material_version IS NOT NULL",
    )?;
    let rows = tapped.query_map(params![hcp_id, crate::nfc::tap::TAP_KIND], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?))
    })?;
    for row in rows {
        let (material_id, version, at) = row?;
        out.push(Contact {
            material_id,
            version,
            at: DateTime::from_timestamp_millis(at).unwrap_or_default(),
            tapped: true,
        });
    }
    out.sort_by_key(|c| c.at);
    Ok(out)
}

fn materials_seen(contacts: &[Contact]) -> Vec<MaterialSeen> {
    let mut seen: BTreeMap<(String, u32), MaterialSeen> = BTreeMap::new();
    for c in contacts {
        let entry = seen
            .entry((c.material_id.clone(), c.version))
            .or_insert_with(|| MaterialSeen {
                material_id: c.material_id.clone(),
                version: c.version,
                shown: 0,
                tapped: 0,
                last: c.at,
            });
        if c.tapped {
            entry.tapped += 1;
        } else {
            entry.shown += 1;
        }
        entry.last = entry.last.max(c.at);
    }
    let mut out: Vec<MaterialSeen> = seen.into_values().collect();
    out.sort_by(|a, b| b.last.cmp(&a.last).then(a.material_id.cmp(&b.material_id)));
    out
}

/// The topics a material version answers.
pub(crate) fn material_topics(conn: &Connection, id: &str, version: u32) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT topic FROM material_topics WHERE material_id = ?1 AND version = ?2")?
        .query_map(params![id, version], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// The product of a material (any version; a material keeps its product).
fn material_product(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT product_id FROM materials WHERE id = ?1 LIMIT 1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}
