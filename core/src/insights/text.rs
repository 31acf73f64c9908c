//! The form of the notes the lexicon is matched against: full-width ASCII folded to ASCII, ASCII lower-cased,
//! katakana kept (the lexicon lists the variants it means), and sentences split at Japanese and ASCII stops.

/// Folds full-width ASCII (Ａ, ０, ＝ …) and the ideographic space to ASCII, and ASCII to lower case.
pub(super) fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The sentences of folded text, in order (empty ones dropped).
pub(super) fn sentences(folded: &str) -> Vec<&str> {
    folded
        .split(['。', '．', '！', '？', '!', '?', '\n', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_letters_and_digits_fold_and_sentences_split() {
        assert_eq!(fold("ＡＬＴ　１２０、ＨｂＡ１ｃ"), "alt 120、hba1c");
        assert_eq!(
            sentences("発疹が出た。減量を検討！\n次回訪問"),
            vec!["発疹が出た", "減量を検討", "次回訪問"]
        );
    }
}
