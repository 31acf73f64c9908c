//! Audit lines from stored visits (so `mrc demo` can audit its own data) and the JSON line of an audit visit.

use serde_json::{json, Map, Value};

use super::input::AuditVisit;
use mrc_core::visit::Visit;

/// The stored visits as audit input, in the order given, with their entry times (their taps are not read back).
pub fn from_visits(visits: &[Visit]) -> Vec<AuditVisit> {
    visits
        .iter()
        .enumerate()
        .map(|(i, v)| AuditVisit {
            line: i + 1,
            id_text: v.id.to_string(),
            id: v.id,
            fields: v.fields.clone(),
            entered_at: Some(v.entered_at),
            taps: Vec::new(),
        })
        .collect()
}

/// One JSON line: the visit shape plus `id`, `entered_at` and `taps`, times in the visit's own offset.
pub fn to_line(v: &AuditVisit) -> String {
    let mut object = match serde_json::to_value(&v.fields) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let offset = v.fields.started_at.map(|s| *s.offset());
    let time = |t: chrono::DateTime<chrono::Utc>| match offset {
        Some(o) => t.with_timezone(&o).to_rfc3339(),
        None => t.to_rfc3339(),
    };
    object.insert("id".into(), json!(v.id_text));
    if let Some(at) = v.entered_at {
        object.insert("entered_at".into(), json!(time(at)));
    }
    let taps: Vec<Value> = v
        .taps
        .iter()
        .map(|tap| match &tap.material {
            None => json!(time(tap.at)),
            Some((id, version)) => json!({"at": time(tap.at), "material_id": id, "version": version}),
        })
        .collect();
    if !taps.is_empty() {
        object.insert("taps".into(), Value::Array(taps));
    }
    Value::Object(object).to_string()
}
