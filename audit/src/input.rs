//! Reading the audit's input: JSON Lines, one visit a line, in the visit shape plus `id` (any UUID string, kept
//! exactly as given), optional `entered_at` (when the visit was entered on the device) and optional `taps`
//! (verified NFC taps recorded during the visit). A line that cannot be used is refused with its number and the
//! reason; the other lines are still audited.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use mrc_core::{ids::VisitId, json_path, visit::VisitFields};

/// The keys of the visit shape; other keys (an export's extra columns) are ignored.
const VISIT_KEYS: [&str; 11] = [
    "rep_id",
    "hcp_id",
    "institution_id",
    "channel",
    "started_at",
    "duration_min",
    "products",
    "materials_shown",
    "reaction",
    "next_objective",
    "notes",
];

/// A verified NFC tap recorded during a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    pub at: DateTime<Utc>,
    /// The material the tap opened, with its version, when the line names one.
    pub material: Option<(String, Option<u32>)>,
}

/// One usable line.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditVisit {
    /// 1-based line number in the input.
    pub line: usize,
    /// The id exactly as the line gives it.
    pub id_text: String,
    pub id: VisitId,
    pub fields: VisitFields,
    pub entered_at: Option<DateTime<Utc>>,
    pub taps: Vec<Tap>,
}

/// A line that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refused {
    pub line: usize,
    pub reason: String,
}

/// Splits the input into usable visits and refused lines. Blank lines are skipped; a repeated id is refused on
/// its later line.
pub fn parse_lines(input: &[u8]) -> (Vec<AuditVisit>, Vec<Refused>) {
    let mut visits: Vec<AuditVisit> = Vec::new();
    let mut refused = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (index, raw) in input.split(|b| *b == b'\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if index == 0 {
            raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw)
        } else {
            raw
        };
        let text = match std::str::from_utf8(raw) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => text,
            Err(_) => {
                refused.push(Refused {
                    line,
                    reason: "not UTF-8 text".into(),
                });
                continue;
            }
        };
        match parse_line(line, text) {
            Ok(visit) => match seen.get(&visit.id) {
                Some(first) => refused.push(Refused {
                    line,
                    reason: format!("/id: duplicate id {:?} (first on line {first})", visit.id_text),
                }),
                None => {
                    seen.insert(visit.id, line);
                    visits.push(visit);
                }
            },
            Err(reason) => refused.push(Refused { line, reason }),
        }
    }
    (visits, refused)
}

fn parse_line(line: usize, text: &str) -> Result<AuditVisit, String> {
    let value: Value = json_path::parse(text).map_err(|e| format!("not JSON: {}", e.reason))?;
    let Value::Object(mut object) = value else {
        return Err("a visit must be a JSON object".into());
    };
    let id_text = match object.remove("id") {
        Some(Value::String(text)) => text,
        None | Some(Value::Null) => return Err("/id: required (a UUID string)".into()),
        Some(_) => return Err("/id: must be a UUID string".into()),
    };
    let id: VisitId = id_text
        .parse()
        .map_err(|_| format!("/id: {id_text:?} is not a UUID"))?;
    let entered_at = match object.remove("entered_at") {
        None | Some(Value::Null) => None,
        Some(v) => Some(time(&v).map_err(|why| format!("/entered_at: {why}"))?),
    };
    let taps = match object.remove("taps") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| tap(item).map_err(|why| format!("/taps/{i}: {why}")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("/taps: must be a list of tap times".into()),
    };
    let fields: Map<String, Value> = object
        .into_iter()
        .filter(|(key, _)| VISIT_KEYS.contains(&key.as_str()))
        .collect();
    let mut fields: VisitFields = json_path::from_value(Value::Object(fields))
        .map_err(|e| format!("{}: {}", if e.path.is_empty() { "/" } else { &e.path }, e.reason))?;
    fields.normalize();
    Ok(AuditVisit {
        line,
        id_text,
        id,
        fields,
        entered_at,
        taps,
    })
}

/// An RFC 3339 text with its offset, or milliseconds since the epoch; why not, if neither.
fn time(value: &Value) -> Result<DateTime<Utc>, &'static str> {
    match value {
        Value::String(text) => mrc_core::local_time::parse_time(text).map(|t| t.to_utc()),
        Value::Number(n) => n
            .as_i64()
            .and_then(DateTime::from_timestamp_millis)
            .ok_or(mrc_core::local_time::NOT_A_TIME),
        _ => Err(mrc_core::local_time::NOT_A_TIME),
    }
}

/// A tap: its time alone, or an object with the time (`at`, `occurred_at`, `time` or `tapped_at`) and
/// optionally the material (`material_id`, `version` or `material_version`).
fn tap(value: &Value) -> Result<Tap, &'static str> {
    let Value::Object(object) = value else {
        return time(value).map(|at| Tap { at, material: None });
    };
    let at = ["at", "occurred_at", "time", "tapped_at"]
        .iter()
        .find_map(|key| object.get(*key))
        .ok_or("a tap needs its time (at)")
        .and_then(time)?;
    let material = object.get("material_id").and_then(Value::as_str).map(|id| {
        let version = ["version", "material_version"]
            .iter()
            .find_map(|key| object.get(*key))
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok());
        (id.to_owned(), version)
    });
    Ok(Tap { at, material })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_times_and_taps_and_refuses_bad_lines() {
        let input = concat!(
            r#"{"id":"0191F2B4-6A1E-7C3D-9A51-3F0C2D4E5A6B","rep_id":"R1","started_at":"2026-11-20T10:00:00+09:00","#,
            r#""entered_at":"2026-11-20T10:40:00+09:00","taps":["2026-11-20T10:05:00+09:00",{"at":1795050000000,"material_id":"M1","version":2}],"crm_code":"X"}"#,
            "\n\n{\"id\":\"訪問\"}\n",
            r#"{"id":"0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b"}"#,
            "\n{\"id\":\"0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6c\",\"duration_min\":\"十五分\"}\nnot json\n",
        );
        let (visits, refused) = parse_lines(input.as_bytes());
        assert_eq!(visits.len(), 1);
        assert_eq!(visits[0].id_text, "0191F2B4-6A1E-7C3D-9A51-3F0C2D4E5A6B");
        assert_eq!(visits[0].taps.len(), 2);
        assert_eq!(visits[0].taps[1].material, Some(("M1".into(), Some(2))));
        let lines: Vec<usize> = refused.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(refused[1].reason.contains("duplicate") && refused[1].reason.contains("line 1"));
        assert!(
            refused[2].reason.starts_with("/duration_min"),
            "{}",
            refused[2].reason
        );
    }
}
