//! Editing notes: a genuine follow-up that starts from the previous note, and the light edits that disguise a
//! copied note (。→．, a number changed, sentences swapped, the doctor's name replaced).

use crate::rng::Rng;

/// The sentences of a note, each with its closing 。.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if c == '。' {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// A follow-up note: the previous note for the doctor, kept, with what is new this time.
pub(super) fn follow_up(rng: &mut Rng, before: &str, fresh: &str) -> String {
    let new: String = sentences(fresh).into_iter().take(2).collect();
    match rng.below(3) {
        0 => format!("{before}{new}"),
        1 => format!("前回の続き：{before}\n今回：{new}"),
        _ => format!("{before}\n追記：{new}"),
    }
}

/// A copy of `source` made to look new. Obvious: as it was, or with 。→． and 、→，. Subtle: numbers changed,
/// two sentences swapped, the doctor's name replaced, and sometimes one sentence rewritten.
pub(super) fn disguise(
    rng: &mut Rng,
    source: &str,
    names: (&str, &str),
    fresh: &str,
    subtle: bool,
) -> String {
    if !subtle {
        return if rng.chance(0.4) {
            source.to_owned()
        } else {
            source.replace('。', "．").replace('、', "，")
        };
    }
    let (from, to) = names;
    let mut parts = sentences(&source.replace(from, to));
    if parts.len() >= 2 {
        let i = rng.index(parts.len() - 1);
        parts.swap(i, i + 1);
    }
    if parts.len() >= 4 && rng.chance(0.3) {
        if let Some(new) = sentences(fresh).into_iter().last() {
            let i = rng.index(parts.len());
            parts[i] = new;
        }
    }
    let mut text: String = parts.concat();
    text = change_numbers(rng, &text);
    if rng.chance(0.5) {
        text = text.replace('。', "．");
    }
    text
}

/// Replaces each run of digits with another number.
fn change_numbers(rng: &mut Rng, text: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push_str(&rng.range(2, 30).to_string());
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups_keep_the_previous_note_and_disguises_change_it() {
        let before = "佐藤先生にカルディオンの臨床成績を説明。現在12名ほどに処方中とのこと。";
        let mut rng = Rng::new(3);
        let f = follow_up(&mut rng, before, "腎機能の質問あり。次回は資料を持参。");
        assert!(f.contains(before) && f.len() > before.len());
        let copy = disguise(&mut rng, before, ("佐藤", "鈴木"), "", true);
        assert!(copy.contains("鈴木") && !copy.contains("佐藤") && copy != before);
        assert_eq!(sentences(before).len(), 2);
    }
}
