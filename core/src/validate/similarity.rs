//! Near-duplicate notes: normalisation for Japanese text, character 3-gram shingles and MinHash signatures.
//!
//! Notes are normalised (full-width ASCII folded to ASCII, lower case, whitespace and punctuation such as 。、．
//! ・「」 removed), cut into overlapping 3-character shingles, and summarised as a 64-value MinHash signature
//! stored with each visit. The share of equal signature values estimates the Jaccard similarity of two shingle
//! sets; candidates near the threshold are confirmed with the exact Jaccard of their shingles. Character
//! n-grams need no word segmentation, which Japanese text does not have.

use std::collections::HashSet;

/// Values in a signature.
pub const SIGNATURE_LEN: usize = 64;

/// A MinHash signature, stored as 256 little-endian bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

/// Folds the text so trivial edits (punctuation, spacing, full-width digits) do not hide a copy.
pub fn normalize(text: &str) -> Vec<char> {
    text.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            let c = c.to_ascii_lowercase();
            let noise = c.is_whitespace()
                || c.is_ascii_punctuation()
                || matches!(
                    c,
                    '。' | '、'
                        | '．'
                        | '，'
                        | '・'
                        | '「'
                        | '」'
                        | '『'
                        | '』'
                        | '（'
                        | '）'
                        | '【'
                        | '】'
                        | '〜'
                        | '…'
                        | '‥'
                        | '！'
                        | '？'
                        | '：'
                        | '；'
                );
            (!noise).then_some(c)
        })
        .collect()
}

fn hash_shingle(window: &[char]) -> u64 {
    // FNV-1a over the code points, then a SplitMix64 finaliser for good bit spread.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in window {
        h ^= u64::from(u32::from(c));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The hashed 3-character shingles of normalised text (one shingle for texts of 1–2 characters).
pub fn shingles(normalized: &[char]) -> HashSet<u64> {
    if normalized.len() < 3 {
        return if normalized.is_empty() {
            HashSet::new()
        } else {
            HashSet::from([hash_shingle(normalized)])
        };
    }
    normalized.windows(3).map(hash_shingle).collect()
}

/// The MinHash signature of a shingle set.
pub fn signature(shingles: &HashSet<u64>) -> Signature {
    let mut sig = [u32::MAX; SIGNATURE_LEN];
    for &h in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = (mix(h ^ SEEDS[i]) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    Signature(sig)
}

/// Estimated Jaccard similarity, 0.0–1.0.
pub fn estimate(a: &Signature, b: &Signature) -> f64 {
    let same = a.0.iter().zip(b.0.iter()).filter(|(x, y)| x == y).count();
    same as f64 / SIGNATURE_LEN as f64
}

/// Exact Jaccard similarity of two shingle sets, 0.0–1.0.
pub fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

impl Signature {
    /// The stored form.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads the stored form; `None` if it has the wrong length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE_LEN * 4 {
            return None;
        }
        let mut sig = [0u32; SIGNATURE_LEN];
        for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Signature(sig))
    }
}

/// Per-position seeds (fixed forever: stored signatures depend on them).
const SEEDS: [u64; SIGNATURE_LEN] = {
    let mut seeds = [0u64; SIGNATURE_LEN];
    let mut state: u64 = 0x4d52_4320_6d69_6e68; // "MRC minh"
    let mut i = 0;
    while i < SIGNATURE_LEN {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> (f64, f64) {
        let (sa, sb) = (shingles(&normalize(a)), shingles(&normalize(b)));
        (estimate(&signature(&sa), &signature(&sb)), jaccard(&sa, &sb))
    }

    const NOTE: &str = "佐藤先生にグルコバランスの腎機能低下例での用量を説明。先生は高齢患者への使用に関心を示され、次回は臨床成績の資料を持参する予定。";

    #[test]
    fn punctuation_and_width_changes_are_still_copies() {
        let edited = NOTE.replace('。', "．").replace('、', "，");
        assert_eq!(sim(NOTE, &edited).1, 1.0);
        let (est, exact) = sim("患者数は１２人", "患者数は12人");
        assert_eq!((est, exact), (1.0, 1.0));
    }

    #[test]
    fn a_changed_number_stays_similar_and_a_different_note_does_not() {
        let (est, exact) = sim(NOTE, &NOTE.replace("次回", "来週"));
        assert!(exact > 0.85 && est > 0.7, "{est} {exact}");
        let other =
            "鈴木先生とWeb面談。カルディオンの薬価と併用薬について質問があり、後日回答することになった。";
        let (est, exact) = sim(NOTE, other);
        assert!(exact < 0.1 && est < 0.2, "{est} {exact}");
    }

    #[test]
    fn signatures_round_trip_through_bytes() {
        let sig = signature(&shingles(&normalize(NOTE)));
        assert_eq!(Signature::from_bytes(&sig.to_bytes()), Some(sig));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
    }
}
