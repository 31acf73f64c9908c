//! Read-side look-ups of master data.

use crate::store::{Store, StoreError};

/// How many records of each kind the store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MasterCounts {
    pub reps: u64,
    pub institutions: u64,
    pub hcps: u64,
    pub products: u64,
    pub materials: u64,
}

impl Store {
    /// Counts the master-data records.
    pub fn master_counts(&self) -> Result<MasterCounts, StoreError> {
        self.read(|conn| {
            let count = |table: &str| -> Result<u64, StoreError> {
                let n: i64 =
                    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0))?;
                Ok(n.max(0) as u64)
            };
            Ok(MasterCounts {
                reps: count("reps")?,
                institutions: count("institutions")?,
                hcps: count("hcps")?,
                products: count("products")?,
                materials: count("materials")?,
            })
        })
    }

    /// The display name and kana of an HCP, if known.
    pub fn hcp_name(&self, hcp_id: &str) -> Result<Option<(String, String)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT name, kana FROM hcps WHERE id = ?1")?;
            let mut rows = stmt.query([hcp_id])?;
            match rows.next()? {
                Some(row) => Ok(Some((row.get(0)?, row.get(1)?))),
                None => Ok(None),
            }
        })
    }
}
