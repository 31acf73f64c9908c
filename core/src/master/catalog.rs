//! The catalog insights are coded against: the adoption ladder and the topic taxonomy. Master data may carry its
//! own (`adoption_stages`, `topics`); until it does, the ladder below and the built-in lexicon's topics apply.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::{
    insights::Lexicon,
    store::{Store, StoreError},
};

/// One rung of the adoption ladder; a higher `rank` is further along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AdoptionStage {
    pub code: String,
    pub rank: u32,
    pub name_ja: String,
    pub name_en: String,
}

/// One topic of the information-needs taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Topic {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
}

/// The ladder (by rank) and the taxonomy (by code) in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InsightCatalog {
    pub stages: Vec<AdoptionStage>,
    pub topics: Vec<Topic>,
}

impl InsightCatalog {
    /// The catalog this build carries: 未認知 → 認知 → 関心 → 試用 → 定期処方 → 推奨, and the lexicon's topics.
    pub fn builtin() -> InsightCatalog {
        let ladder = [
            ("unaware", "未認知", "Unaware"),
            ("aware", "認知", "Aware"),
            ("interested", "関心", "Interested"),
            ("trial", "試用", "Trial"),
            ("regular", "定期処方", "Regular use"),
            ("advocate", "推奨", "Advocate"),
        ];
        let stages = (1..)
            .zip(ladder)
            .map(|(rank, (code, ja, en))| AdoptionStage {
                code: code.into(),
                rank,
                name_ja: ja.into(),
                name_en: en.into(),
            })
            .collect();
        let mut topics: Vec<Topic> = Lexicon::builtin()
            .topics
            .iter()
            .map(|t| Topic {
                code: t.code.clone(),
                name_ja: t.ja.clone(),
                name_en: t.en.clone(),
            })
            .collect();
        topics.sort_by(|a, b| a.code.cmp(&b.code));
        InsightCatalog { stages, topics }
    }

    /// The catalog `master` sets: each half its own when it has one, else the built-in one (as a device store
    /// reads it after importing `master`).
    pub fn of_master(master: &super::MasterData) -> InsightCatalog {
        let builtin = InsightCatalog::builtin();
        let mut stages = master.adoption_stages.clone();
        stages.sort_by(|a, b| (a.rank, &a.code).cmp(&(b.rank, &b.code)));
        let mut topics = master.topics.clone();
        topics.sort_by(|a, b| a.code.cmp(&b.code));
        InsightCatalog {
            stages: if stages.is_empty() { builtin.stages } else { stages },
            topics: if topics.is_empty() { builtin.topics } else { topics },
        }
    }

    /// The stage of `code`, if the ladder has it.
    pub fn stage(&self, code: &str) -> Option<&AdoptionStage> {
        self.stages.iter().find(|s| s.code == code)
    }

    /// Whether the taxonomy has `code`.
    pub fn has_topic(&self, code: &str) -> bool {
        self.topics.iter().any(|t| t.code == code)
    }
}

impl Store {
    /// The adoption ladder and topic taxonomy in force.
    pub fn insight_catalog(&self) -> Result<InsightCatalog, StoreError> {
        self.read(load_catalog)
    }
}

/// Reads the catalog from `conn`: each half from master data when it has one, else the built-in one.
pub(crate) fn load_catalog(conn: &Connection) -> Result<InsightCatalog, StoreError> {
    let builtin = InsightCatalog::builtin();
    let stages: Vec<AdoptionStage> = conn
        .prepare_cached("SELECT code, rank, name_ja, name_en FROM adoption_stages ORDER BY rank, code")?
        .query_map([], |r| {
            Ok(AdoptionStage {
                code: r.get(0)?,
                rank: r.get(1)?,
                name_ja: r.get(2)?,
                name_en: r.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let topics: Vec<Topic> = conn
        .prepare_cached("SELECT code, name_ja, name_en FROM topics ORDER BY code")?
        .query_map([], |r| {
            Ok(Topic {
                code: r.get(0)?,
                name_ja: r.get(1)?,
                name_en: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(InsightCatalog {
        stages: if stages.is_empty() { builtin.stages } else { stages },
        topics: if topics.is_empty() { builtin.topics } else { topics },
    })
}
