//! Building audit input for the audit tests: a small master set, visit lines, and running the audit.

use mrc_audit::{self as audit, AuditResult};
use mrc_core::{json_path, master::MasterData, validate::RuleSettings};
use serde_json::{json, Value};

pub const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}, {"id": "P2", "name": "カルディオン錠"}],
  "reps": [{"id": "R1", "name": "高橋 美咲", "products": ["P1", "P2"]},
           {"id": "R2", "name": "伊藤 大輔", "products": ["P1", "P2"]}],
  "institutions": [
    {"id": "I1", "name": "横浜港北総合病院", "address": "神奈川県横浜市港北区新横浜2-5-3", "lat": 35.5075, "lon": 139.6177},
    {"id": "I2", "name": "小田原みなと病院", "address": "神奈川県小田原市城山1-1-1", "lat": 35.2560, "lon": 139.1550},
    {"id": "I3", "name": "新横浜さくら内科クリニック", "address": "神奈川県横浜市港北区新横浜2-5-3 2階", "lat": 35.5077, "lon": 139.6179},
    {"id": "I4", "name": "菊名駅前内科", "address": "神奈川県横浜市港北区菊名6-1-1", "lat": 35.5090, "lon": 139.6300},
    {"id": "I5", "name": "新横浜こども医院", "address": "神奈川県横浜市港北区新横浜２−５−３　３階", "lat": 35.5120, "lon": 139.6230}
  ],
  "hcps": [
    {"id": "H1", "name": "佐藤 健一", "kana": "さとう けんいち", "specialty": "糖尿病内科", "institution_id": "I1"},
    {"id": "H2", "name": "鈴木 美和", "kana": "すずき みわ", "specialty": "循環器内科", "institution_id": "I2"},
    {"id": "H3", "name": "田中 亮", "kana": "たなか りょう", "specialty": "内科", "institution_id": "I3"},
    {"id": "H4", "name": "渡辺 直子", "kana": "わたなべ なおこ", "specialty": "内科", "institution_id": "I4"},
    {"id": "H5", "name": "山本 誠", "kana": "やまもと まこと", "specialty": "循環器内科", "institution_id": "I1"},
    {"id": "H6", "name": "中村 恵", "kana": "なかむら めぐみ", "specialty": "内分泌内科", "institution_id": "I1"},
    {"id": "H7", "name": "小林 剛", "kana": "こばやし つよし", "specialty": "小児科", "institution_id": "I5"}
  ],
  "materials": [
    {"id": "M1", "version": 2, "title": "グルコバランス 製品情報概要", "product_id": "P1", "approval_code": "MRC-2026-0142",
     "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
     "sha256": "2222222222222222222222222222222222222222222222222222222222222222", "size": 1000}
  ]
}"#;

/// A note long enough to be compared.
pub const NOTE: &str = "佐藤先生にグルコバランスの腎機能低下例での用量を説明。高齢患者への使用に関心を示され、次回は臨床成績の資料を持参する。";

/// One visit line under construction.
#[derive(Clone)]
pub struct V {
    pub id: String,
    pub value: Value,
}

/// An in-person visit of rep `rep` to `hcp` at `institution`, starting at `start` (RFC 3339), `minutes` long,
/// with a short note (not compared) and entered 30 minutes after it ends unless changed.
pub fn visit(n: u32, rep: &str, hcp: &str, institution: &str, start: &str, minutes: u32) -> V {
    let id = format!("00000000-0000-4000-8000-{n:012}");
    let started = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let entered = started + chrono::Duration::minutes(i64::from(minutes) + 30);
    V {
        id: id.clone(),
        value: json!({
            "id": id, "rep_id": rep, "hcp_id": hcp, "institution_id": institution, "channel": "in_person",
            "started_at": start, "duration_min": minutes, "products": [{"product_id": "P1", "priority": 1}],
            "materials_shown": [], "reaction": "positive", "next_objective": "用量の説明",
            "notes": format!("面談メモ{n}"), "entered_at": entered.to_rfc3339(),
        }),
    }
}

impl V {
    pub fn set(mut self, key: &str, value: Value) -> V {
        self.value[key] = value;
        self
    }

    pub fn entered(self, at: &str) -> V {
        self.set("entered_at", json!(at))
    }

    pub fn notes(self, text: &str) -> V {
        self.set("notes", json!(text))
    }

    /// Shows M1, with the given verified tap times.
    pub fn shown(self, taps: &[&str]) -> V {
        self.set("materials_shown", json!([{"material_id": "M1", "version": 2}]))
            .set("taps", json!(taps))
    }

    pub fn line(&self) -> String {
        self.value.to_string()
    }
}

/// Audits the lines (default rules, threshold 50).
pub fn run(visits: &[V]) -> AuditResult {
    run_text(
        &visits.iter().map(|v| v.line() + "\n").collect::<String>(),
        &RuleSettings::default(),
    )
}

/// Audits JSON Lines text.
pub fn run_text(text: &str, rules: &RuleSettings) -> AuditResult {
    let master: MasterData = json_path::parse(MASTER).unwrap();
    let (visits, refused) = audit::parse_lines(text.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    audit::audit(
        dir.path(),
        &master,
        rules,
        &visits,
        refused,
        audit::DEFAULT_THRESHOLD,
    )
    .unwrap()
}

/// The score and codes of the visit with `id` as given.
pub fn verdict(result: &AuditResult, id: &str) -> (u8, Vec<&'static str>) {
    let v = result.visits.iter().find(|v| v.id == id).unwrap();
    (v.score, v.codes.iter().map(|c| c.as_str()).collect())
}

pub fn flagged(result: &AuditResult, v: &V) -> bool {
    verdict(result, &v.id).0 < audit::DEFAULT_THRESHOLD
}

pub fn has(result: &AuditResult, v: &V, code: &str) -> bool {
    verdict(result, &v.id).1.contains(&code)
}

/// Time `minute` minutes after 09:00 on 2026-11-`day`, JST.
pub fn at(day: u32, minute: u32) -> String {
    format!(
        "2026-11-{day:02}T{:02}:{:02}:00+09:00",
        9 + minute / 60,
        minute % 60
    )
}
