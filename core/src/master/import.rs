//! Importing master data: check every record, then upsert everything in one transaction.

use rusqlite::{params, Transaction};

use super::MasterData;
use crate::{
    json_path::{self, JsonError},
    store::{Store, StoreError},
};

/// Why an import was refused. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The document is not valid JSON in the master-data shape, or a record breaks a rule.
    #[error("master data refused at {}: {}", if .0.path.is_empty() { "/" } else { .0.path.as_str() }, .0.reason)]
    Invalid(JsonError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(err: rusqlite::Error) -> ImportError {
        ImportError::Store(err.into())
    }
}

impl Store {
    /// Parses and imports a master-data JSON document (all-or-nothing). Records are upserted by id.
    pub fn import_master_json(&self, text: &str) -> Result<MasterCountsImported, ImportError> {
        if !text.trim_start().starts_with('{') {
            return Err(ImportError::Invalid(JsonError::at(
                "",
                "master data must be a JSON object",
            )));
        }
        let data: MasterData = json_path::parse(text).map_err(ImportError::Invalid)?;
        self.import_master(&data)
    }

    /// Imports master data (all-or-nothing). Records are upserted by id; a rep's portfolio is replaced.
    pub fn import_master(&self, data: &MasterData) -> Result<MasterCountsImported, ImportError> {
        check_values(data).map_err(ImportError::Invalid)?;
        self.write(|tx| {
            upsert_all(tx, data)?;
            Ok(MasterCountsImported {
                reps: data.reps.len(),
                institutions: data.institutions.len(),
                hcps: data.hcps.len(),
                products: data.products.len(),
                materials: data.materials.len(),
            })
        })
    }
}

/// How many records of each kind an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MasterCountsImported {
    pub reps: usize,
    pub institutions: usize,
    pub hcps: usize,
    pub products: usize,
    pub materials: usize,
}

fn check_values(data: &MasterData) -> Result<(), JsonError> {
    let non_empty = |path: String, value: &str| {
        if value.trim().is_empty() {
            Err(JsonError::at(path, "must not be empty"))
        } else {
            Ok(())
        }
    };
    for (i, p) in data.products.iter().enumerate() {
        non_empty(format!("/products/{i}/id"), &p.id)?;
    }
    for (i, r) in data.reps.iter().enumerate() {
        non_empty(format!("/reps/{i}/id"), &r.id)?;
        if r.time_zone
            .as_deref()
            .is_some_and(|z| crate::local_time::parse_zone(z).is_none())
        {
            return Err(JsonError::at(
                format!("/reps/{i}/time_zone"),
                "not an IANA time zone name (e.g. Asia/Tokyo, America/New_York)",
            ));
        }
    }
    for (i, inst) in data.institutions.iter().enumerate() {
        non_empty(format!("/institutions/{i}/id"), &inst.id)?;
        if !(-90.0..=90.0).contains(&inst.lat) {
            return Err(JsonError::at(
                format!("/institutions/{i}/lat"),
                "latitude must be between -90 and 90",
            ));
        }
        if !(-180.0..=180.0).contains(&inst.lon) {
            return Err(JsonError::at(
                format!("/institutions/{i}/lon"),
                "longitude must be between -180 and 180",
            ));
        }
    }
    for (i, h) in data.hcps.iter().enumerate() {
        non_empty(format!("/hcps/{i}/id"), &h.id)?;
    }
    for (i, s) in data.adoption_stages.iter().enumerate() {
        non_empty(format!("/adoption_stages/{i}/code"), &s.code)?;
    }
    for (i, t) in data.topics.iter().enumerate() {
        non_empty(format!("/topics/{i}/code"), &t.code)?;
        if t.code.contains('|') {
            return Err(JsonError::at(format!("/topics/{i}/code"), "must not contain `|`"));
        }
    }
    for (i, k) in data.card_keys.iter().enumerate() {
        if crate::nfc::text_codec::unhex_array::<32>(&k.public_key).is_none() {
            return Err(JsonError::at(
                format!("/card_keys/{i}/public_key"),
                "must be 64 hex digits",
            ));
        }
    }
    for (i, m) in data.materials.iter().enumerate() {
        non_empty(format!("/materials/{i}/id"), &m.id)?;
        for (j, topic) in m.topics.iter().enumerate() {
            non_empty(format!("/materials/{i}/topics/{j}"), topic)?;
        }
        if m.version == 0 {
            return Err(JsonError::at(
                format!("/materials/{i}/version"),
                "versions start at 1",
            ));
        }
        if m.valid_until < m.valid_from {
            return Err(JsonError::at(
                format!("/materials/{i}/valid_until"),
                "is before valid_from",
            ));
        }
        if m.sha256.len() != 64
            || !m
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(JsonError::at(
                format!("/materials/{i}/sha256"),
                "must be 64 lower-case hex digits",
            ));
        }
    }
    Ok(())
}

fn exists(tx: &Transaction<'_>, table: &str, id: &str) -> Result<bool, rusqlite::Error> {
    // `table` is one of our own constants, never input.
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)");
    tx.query_row(&sql, [id], |row| row.get(0))
}

fn refuse(path: String, reason: &str) -> ImportError {
    ImportError::Invalid(JsonError::at(path, reason))
}

fn upsert_all(tx: &Transaction<'_>, data: &MasterData) -> Result<(), ImportError> {
    let mut stmt = tx.prepare(
        "INSERT INTO products (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
    )?;
    for p in &data.products {
        stmt.execute((&p.id, &p.name))?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO institutions (id, name, address, lat, lon) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,
             lat = excluded.lat, lon = excluded.lon",
    )?;
    for inst in &data.institutions {
        stmt.execute(params![inst.id, inst.name, inst.address, inst.lat, inst.lon])?;
    }
    let mut rep_stmt = tx.prepare(
        "INSERT INTO reps (id, name, time_zone) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone",
    )?;
    let mut clear_portfolio = tx.prepare("DELETE FROM rep_products WHERE rep_id = ?1")?;
    let mut add_product =
        tx.prepare("INSERT OR IGNORE INTO rep_products (rep_id, product_id) VALUES (?1, ?2)")?;
    for (i, rep) in data.reps.iter().enumerate() {
        rep_stmt.execute((&rep.id, &rep.name, &rep.time_zone))?;
        clear_portfolio.execute([&rep.id])?;
        for (j, product) in rep.products.iter().enumerate() {
            if !exists(tx, "products", product)? {
                return Err(refuse(format!("/reps/{i}/products/{j}"), "unknown product id"));
            }
            add_product.execute((&rep.id, product))?;
        }
    }
    let mut stmt = tx.prepare(
        "INSERT INTO hcps (id, name, kana, specialty, institution_id) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kana = excluded.kana,
             specialty = excluded.specialty, institution_id = excluded.institution_id",
    )?;
    for (i, h) in data.hcps.iter().enumerate() {
        if !exists(tx, "institutions", &h.institution_id)? {
            return Err(refuse(
                format!("/hcps/{i}/institution_id"),
                "unknown institution id",
            ));
        }
        stmt.execute(params![h.id, h.name, h.kana, h.specialty, h.institution_id])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO materials (id, version, title, product_id, approval_code, valid_from, valid_until, status,
                                sha256, size)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id, version) DO UPDATE SET title = excluded.title, product_id = excluded.product_id,
             approval_code = excluded.approval_code, valid_from = excluded.valid_from,
             valid_until = excluded.valid_until, status = excluded.status,
             local_path = CASE WHEN sha256 = excluded.sha256 THEN local_path END,
             sha256 = excluded.sha256, size = excluded.size",
    )?;
    let mut clear_topics =
        tx.prepare("DELETE FROM material_topics WHERE material_id = ?1 AND version = ?2")?;
    let mut add_topic = tx
        .prepare("INSERT OR IGNORE INTO material_topics (material_id, version, topic) VALUES (?1, ?2, ?3)")?;
    for (i, m) in data.materials.iter().enumerate() {
        if !exists(tx, "products", &m.product_id)? {
            return Err(refuse(format!("/materials/{i}/product_id"), "unknown product id"));
        }
        stmt.execute(params![
            m.id,
            m.version,
            m.title,
            m.product_id,
            m.approval_code,
            m.valid_from.to_string(),
            m.valid_until.to_string(),
            m.status.as_str(),
            m.sha256,
            i64::try_from(m.size).unwrap_or(i64::MAX),
        ])?;
        clear_topics.execute(params![m.id, m.version])?;
        for topic in &m.topics {
            add_topic.execute(params![m.id, m.version, topic])?;
        }
    }
    let mut stmt = tx.prepare(
        "INSERT INTO card_keys (key_id, public_key) VALUES (?1, ?2)
         ON CONFLICT (key_id) DO UPDATE SET public_key = excluded.public_key",
    )?;
    for k in &data.card_keys {
        let key = crate::nfc::text_codec::unhex(&k.public_key).unwrap_or_default();
        stmt.execute((k.key_id, key))?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO adoption_stages (code, rank, name_ja, name_en) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (code) DO UPDATE SET rank = excluded.rank, name_ja = excluded.name_ja,
             name_en = excluded.name_en",
    )?;
    for s in &data.adoption_stages {
        stmt.execute(params![s.code, s.rank, s.name_ja, s.name_en])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO topics (code, name_ja, name_en) VALUES (?1, ?2, ?3)
         ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en",
    )?;
    for t in &data.topics {
        stmt.execute(params![t.code, t.name_ja, t.name_en])?;
    }
    Ok(())
}
