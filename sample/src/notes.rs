//! Visit notes and next objectives in Japanese, assembled from varied templates so no two read alike.

use chrono::{Datelike, NaiveDate};

use super::rng::Rng;
use mrc_core::visit::{Channel, Reaction};

/// What a note talks about.
pub(crate) struct NoteContext<'a> {
    pub(crate) doctor: &'a str,
    pub(crate) product: &'a str,
    pub(crate) second: Option<&'a str>,
    /// Concerns specific to the main product.
    pub(crate) concerns: &'a [&'a str],
    pub(crate) material: Option<&'a str>,
    pub(crate) channel: Channel,
    pub(crate) reaction: Reaction,
    pub(crate) date: NaiveDate,
    /// Local hour the visit started (openings fit the time of day).
    pub(crate) hour: u32,
    pub(crate) minutes: u32,
}

const GENERIC_CONCERNS: [&str; 9] = [
    "高齢者での副作用",
    "腎機能低下例での用量",
    "eGFR 30未満での使用",
    "薬価と患者負担",
    "他剤との併用",
    "切り替え時の用量設定",
    "服薬アドヒアランス",
    "後発品との違い",
    "肝機能障害例での使用",
];
const TOPICS: [&str; 7] = [
    "用法・用量",
    "臨床成績",
    "安全性情報",
    "長期投与データ",
    "適正使用情報",
    "市販後調査の結果",
    "薬価と患者負担",
];
const POPULATIONS: [&str; 4] = [
    "高齢の",
    "腎機能が低下した",
    "コントロール不良の",
    "他剤で効果不十分な",
];
/// In-person openings, with the local hours (from, until) they make sense at.
const IN_PERSON: [(&str, u32, u32); 9] = [
    ("{dr}と面談し、{p}の{topic}について説明した。", 9, 18),
    ("外来の合間に{dr}へ{p}の{topic}を案内。", 9, 16),
    ("昼休みに医局で{dr}に{p}の処方状況を伺った。", 11, 14),
    (
        "前回ご依頼のあった{p}の資料をお届けし、{topic}を補足した。",
        9,
        18,
    ),
    ("{dr}より{p}について質問をいただき、その場で回答した。", 9, 18),
    ("{dur}分ほどお時間をいただき、{p}の{topic}を説明。", 9, 18),
    ("午後の外来終了後、医局で{dr}に{p}の{topic}を紹介した。", 16, 18),
    ("午前の外来前に{dr}へご挨拶し、{p}の{topic}をお伝えした。", 9, 10),
    (
        "病棟業務の後に{dr}と面談し、{p}の{topic}について意見交換した。",
        10,
        18,
    ),
];
const PHONE: [&str; 3] = [
    "電話にて{dr}に{p}の問い合わせへの回答を行った。",
    "{dr}から電話で{p}の{c}について確認があった。",
    "{dr}へ電話し、{p}の{topic}の資料送付について相談した。",
];
const REMOTE: [&str; 3] = [
    "Web面談で{dr}に{p}の{topic}を約{dur}分説明。",
    "オンラインで{p}の新しいデータを{dr}に紹介した。",
    "{dr}とのWeb面談で{p}の{topic}を共有した。",
];
const CONCERN: [&str; 6] = [
    "{c}について具体的な症例を挙げて質問があり、次回までに文献を用意することにした。",
    "{pop}患者での{c}が懸念点とのことで、適正使用ガイドの該当箇所を案内した。",
    "{c}について質問があり、添付文書と臨床成績をもとに回答した。",
    "特に{c}を気にされている様子だった。",
    "{c}に関する追加データを求められた。",
    "{c}については社内で確認のうえ回答する旨を伝えた。",
];
const PATIENTS: [&str; 6] = [
    "院内では{n}名ほどが継続投与中で、うち{k}名は他院からの紹介とのこと。",
    "{pop}患者への使用を検討中で、候補は{n}名ほどとのこと。",
    "現在{n}名ほどに処方中とのこと。",
    "対象となりそうな患者は月に{n}名程度とのこと。",
    "{pop}患者が{n}名ほどおり、まずは数例で試したいとのこと。",
    "前回の訪問から新規処方が{k}例増えたとのこと。",
];
const MATERIAL: [&str; 3] = [
    "「{m}」を用いて説明した。",
    "「{m}」をお渡しし、院内でも共有いただけることになった。",
    "「{m}」の該当ページを一緒に確認した。",
];
const SECOND: [&str; 2] = [
    "あわせて{q}の{topic}についても簡単に紹介した。",
    "{q}についても関心を示され、{topic}の資料を求められた。",
];
const POSITIVE: [&str; 3] = [
    "反応は良好で、{p}を適した症例に使ってみたいとのこと。",
    "効果に満足しており、今後も処方を継続される意向。",
    "説明に納得された様子で、院内勉強会の開催も検討いただける。",
];
const NEUTRAL: [&str; 3] = [
    "現時点では既存治療で様子を見たいとのこと。",
    "関心はあるが、もう少しデータを見てから判断したいとのこと。",
    "特に大きな反応はなく、情報提供にとどまった。",
];
const NEGATIVE: [&str; 3] = [
    "{c}を理由に、現時点では処方拡大に慎重な姿勢。",
    "他社品で十分との認識で、反応は厳しかった。",
    "以前の副作用経験から{p}の使用には消極的。",
];
const NO_REACTION: [&str; 2] = [
    "ご多忙のため、資料をお渡しするのみとなった。",
    "短時間の挨拶のみで、詳しい話はできなかった。",
];
const NEXT_STEP: [&str; 7] = [
    "{c}に関する社内資料を確認し、来週中に回答をお持ちする。",
    "次回は{q}の{topic}もあわせて紹介したい。",
    "次回は{topic}の資料をお持ちする予定。",
    "来週の外来後に再訪する。",
    "薬剤部にも情報提供しておく。",
    "{month}月の講演会にご案内する。",
    "院内採用に向けて薬事委員会の日程を確認する。",
];
const OBJECTIVES: [&str; 7] = [
    "{p}の{topic}を再説明し、新規処方を1例依頼する",
    "{c}についての回答資料を持参する",
    "{p}の臨床成績サマリーで長期データを紹介する",
    "院内勉強会の日程を調整する",
    "{p}の処方継続状況と副作用の有無を確認する",
    "{q}の採用可否について感触を確認する",
    "薬剤部長への面談を依頼する",
];

/// The notes: an opening plus up to three more sentences, 60–300 characters.
pub(crate) fn notes(rng: &mut Rng, cx: &NoteContext<'_>) -> String {
    let in_person: Vec<&str> = IN_PERSON
        .iter()
        .filter(|(_, from, until)| (*from..*until).contains(&cx.hour))
        .map(|t| t.0)
        .collect();
    let opening: &[&str] = match cx.channel {
        Channel::InPerson | Channel::Other => &in_person,
        Channel::Phone | Channel::Email => &PHONE,
        Channel::Video | Channel::WebMeeting => &REMOTE,
    };
    let reaction: &[&str] = match cx.reaction {
        Reaction::Positive => &POSITIVE,
        Reaction::Neutral => &NEUTRAL,
        Reaction::Negative => &NEGATIVE,
        Reaction::None => &NO_REACTION,
    };
    let mut optional: Vec<&[&str]> = vec![&CONCERN, &PATIENTS, reaction, &NEXT_STEP];
    if cx.material.is_some() {
        optional.insert(0, &MATERIAL);
    }
    if cx.second.is_some() {
        optional.insert(0, &SECOND);
    }
    let target = 1 + rng.weighted(&[0.05, 0.25, 0.35, 0.35]).unwrap_or(2);
    let opening = rng_pick(rng, opening);
    let mut text = fill(rng, opening, cx);
    let mut count = 1;
    while count < 4 && (count < target || text.chars().count() < 60) && !optional.is_empty() {
        // Keep the natural order (material, concern, patients, reaction, next step) but skip some.
        let skip = rng.index(optional.len().min(2));
        let group = optional.remove(skip);
        let template = rng_pick(rng, group);
        text.push_str(&fill(rng, template, cx));
        count += 1;
    }
    text
}

/// The next objective, one line.
pub(crate) fn next_objective(rng: &mut Rng, cx: &NoteContext<'_>) -> String {
    if cx.reaction == Reaction::None && rng.chance(0.5) {
        return "改めて面談のアポイントを取る".to_string();
    }
    let choices = if cx.second.is_some() {
        &OBJECTIVES[..]
    } else {
        &OBJECTIVES[..5]
    };
    let template = rng_pick(rng, choices);
    fill(rng, template, cx)
}

fn rng_pick<'t>(rng: &mut Rng, items: &[&'t str]) -> &'t str {
    items.get(rng.index(items.len())).copied().unwrap_or("")
}

fn fill(rng: &mut Rng, template: &str, cx: &NoteContext<'_>) -> String {
    let mut out = template.to_string();
    let mut set = |key: &str, value: &dyn Fn(&mut Rng) -> String| {
        if out.contains(key) {
            out = out.replace(key, &value(rng));
        }
    };
    set("{dr}", &|_| cx.doctor.to_string());
    set("{p}", &|_| cx.product.to_string());
    set("{q}", &|_| cx.second.unwrap_or(cx.product).to_string());
    set("{m}", &|_| cx.material.unwrap_or("製品情報概要").to_string());
    set("{dur}", &|_| cx.minutes.to_string());
    set("{topic}", &|r| r.pick(&TOPICS).to_string());
    set("{pop}", &|r| r.pick(&POPULATIONS).to_string());
    set("{n}", &|r| r.range(2, 40).to_string());
    set("{k}", &|r| r.range(1, 5).to_string());
    set("{month}", &|_| (cx.date.month() % 12 + 1).to_string());
    set("{c}", &|r| {
        let specific = rng_pick(r, cx.concerns);
        if specific.is_empty() || r.chance(0.4) {
            r.pick(&GENERIC_CONCERNS)
        } else {
            specific
        }
        .to_string()
    });
    out
}
