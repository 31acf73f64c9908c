//! The products (fictional drugs) and their promotional materials, with a version history of approvals,
//! withdrawals and expiries.

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::rng::Rng;
use mrc_core::master::{Material, MaterialStatus, Product};

/// A fictional product: its brand name, the short name used in speech, and what doctors ask about it.
pub(crate) struct ProductSpec {
    pub(crate) name: &'static str,
    pub(crate) short: &'static str,
    /// Specialties that prescribe it, best fit first.
    pub(crate) targets: &'static [&'static str],
    /// Product-specific questions doctors raise.
    pub(crate) concerns: &'static [&'static str],
}

pub(crate) const PRODUCTS: [ProductSpec; 6] = [
    ProductSpec {
        name: "グルコバランス錠",
        short: "グルコバランス",
        targets: &["糖尿病内科", "内分泌内科", "内科", "腎臓内科", "総合診療科"],
        concerns: &[
            "低血糖リスク",
            "SU薬との併用",
            "HbA1cの推移",
            "高齢者での開始用量",
        ],
    },
    ProductSpec {
        name: "カルディオン錠",
        short: "カルディオン",
        targets: &["循環器内科", "内科", "腎臓内科", "総合診療科"],
        concerns: &[
            "高カリウム血症",
            "配合剤への切り替え",
            "夜間高血圧への効果",
            "利尿薬との併用",
        ],
    },
    ProductSpec {
        name: "リピクリア錠",
        short: "リピクリア",
        targets: &["循環器内科", "内科", "糖尿病内科", "内分泌内科"],
        concerns: &[
            "筋症状とCK上昇",
            "LDL目標値の達成率",
            "フィブラートとの併用",
            "肝機能検査の頻度",
        ],
    },
    ProductSpec {
        name: "ニューロリーフカプセル",
        short: "ニューロリーフ",
        targets: &["整形外科", "神経内科", "糖尿病内科"],
        concerns: &[
            "めまい・眠気",
            "転倒リスク",
            "腎機能別の用量調整",
            "増量のタイミング",
        ],
    },
    ProductSpec {
        name: "ブレスウェル吸入用カプセル",
        short: "ブレスウェル",
        targets: &["呼吸器内科", "内科", "総合診療科"],
        concerns: &[
            "吸入手技の指導",
            "デバイスの使いやすさ",
            "増悪抑制効果",
            "口渇などの抗コリン作用",
        ],
    },
    ProductSpec {
        name: "ガストロケアOD錠",
        short: "ガストロケア",
        targets: &["消化器内科", "内科", "整形外科"],
        concerns: &[
            "長期投与時の安全性",
            "NSAIDs潰瘍の再発抑制",
            "OD錠の服用しやすさ",
            "抗血小板薬との併用",
        ],
    },
];

/// Kinds of material; every product has the first one.
const KINDS: [&str; 8] = [
    "製品情報概要",
    "適正使用ガイド",
    "臨床成績サマリー",
    "患者向け服薬指導せん",
    "腎機能別用量早見表",
    "副作用マネジメントガイド",
    "医療経済データ集",
    "Q&A集",
];

/// The information needs a material of `kind` answers (topic codes of the built-in taxonomy).
fn kind_topics(kind: &str) -> &'static [&'static str] {
    match kind {
        "製品情報概要" => &["efficacy", "safety", "administration"],
        "適正使用ガイド" => &["safety", "administration", "elderly"],
        "臨床成績サマリー" => &["efficacy", "competitor"],
        "患者向け服薬指導せん" => &["patient_support", "administration"],
        "腎機能別用量早見表" => &["dosing_renal", "dosing_hepatic"],
        "副作用マネジメントガイド" => &["safety", "interactions"],
        "医療経済データ集" => &["price_cost"],
        _ => &["interactions", "elderly", "guidelines"],
    }
}

pub(crate) fn products() -> Vec<Product> {
    PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, p)| Product {
            id: format!("PRD-{:02}", i + 1),
            name: p.name.to_string(),
        })
        .collect()
}

/// Three or four materials per product, each with 1–3 versions: older versions expired or withdrawn, the
/// latest valid until a year after `end`, except a few materials that expired for good.
pub(crate) fn materials(rng: &mut Rng, products: &[Product], end: NaiveDate, days: u32) -> Vec<Material> {
    let date = |offset: i64| end.checked_add_signed(TimeDelta::days(offset)).unwrap_or(end);
    let mut code = 100 + rng.below(40);
    let mut out = Vec::new();
    for (p, product) in products.iter().enumerate() {
        let short = PRODUCTS.get(p).map_or(product.name.as_str(), |spec| spec.short);
        let mut kinds: Vec<&str> = KINDS[1..].to_vec();
        let count = if rng.chance(0.25) { 4 } else { 3 };
        for m in 0..count {
            let kind = if m == 0 {
                KINDS[0]
            } else {
                kinds.swap_remove(rng.index(kinds.len()))
            };
            // The first material always has a withdrawn version; the very last one has expired for good.
            let forced_withdrawn = p == 0 && m == 0;
            let expired =
                !forced_withdrawn && ((p + 1 == products.len() && m + 1 == count) || rng.chance(0.12));
            let first_from = -i64::from(days.saturating_sub(1)) - rng.range(120, 540) as i64;
            let last_until = if expired {
                -(rng.range(10, 120) as i64)
            } else {
                365
            };
            let upper = if expired { last_until - 30 } else { -14 };
            let mut starts = vec![first_from];
            let extra = if forced_withdrawn {
                1 + rng.below(2)
            } else {
                rng.below(3)
            };
            if upper > first_from + 60 {
                for _ in 0..extra {
                    starts.push(first_from + 60 + rng.below((upper - first_from - 59) as u64) as i64);
                }
            }
            starts.sort_unstable();
            starts.dedup();
            for (v, from) in starts.iter().enumerate() {
                let latest = v + 1 == starts.len();
                let until = starts.get(v + 1).map_or(last_until, |next| next - 1);
                let withdrawn = !latest && ((forced_withdrawn && v == 0) || rng.chance(0.4));
                code += 1 + rng.below(25);
                out.push(Material {
                    id: format!("MAT-{:02}{:02}", p + 1, m + 1),
                    version: v as u32 + 1,
                    title: format!("{short} {kind}"),
                    product_id: product.id.clone(),
                    approval_code: format!("MRC-{}-{code:04}", date(*from).year()),
                    valid_from: date(*from),
                    valid_until: date(until),
                    status: if withdrawn {
                        MaterialStatus::Withdrawn
                    } else {
                        MaterialStatus::Approved
                    },
                    sha256: (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect(),
                    size: rng.range(200 * 1024, 5 * 1024 * 1024),
                    topics: kind_topics(kind).iter().map(|t| (*t).to_owned()).collect(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_each_other() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let list = materials(&mut Rng::new(9), &products(), end, 365);
        assert!((18..=24 * 3).contains(&list.len()));
        for pair in list.windows(2) {
            assert!(pair[0].valid_from <= pair[0].valid_until);
            if pair[0].id == pair[1].id {
                assert_eq!(pair[0].version + 1, pair[1].version);
                assert!(pair[0].valid_until < pair[1].valid_from && pair[0].valid_until < end);
            }
        }
        assert!(list
            .iter()
            .all(|m| m.sha256.len() == 64 && m.approval_code.starts_with("MRC-20")));
    }
}
