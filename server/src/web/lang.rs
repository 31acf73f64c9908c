//! The page language: Japanese by default, English when `Accept-Language` prefers it.

use axum::http::{header, HeaderMap};

/// The two languages of every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// The language `Accept-Language` prefers among Japanese and English; Japanese when it names neither.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::Ja, Lang::from_accept_language)
    }

    /// Reads an `Accept-Language` value (`en-US,en;q=0.9,ja;q=0.8`): the highest quality wins, the first on a tie.
    pub fn from_accept_language(value: &str) -> Lang {
        let mut best: Option<(Lang, f32)> = None;
        for item in value.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("ja") => Lang::Ja,
                Some("en") => Lang::En,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map_or(Lang::Ja, |(lang, _)| lang)
    }

    /// The `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The text in this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_unless_english_is_preferred() {
        assert_eq!(Lang::from_accept_language(""), Lang::Ja);
        assert_eq!(Lang::from_accept_language("fr-FR,de;q=0.5"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr;q=1, en;q=0.4, ja;q=0.7"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("ja;q=0, en"), Lang::En);
        assert_eq!(Lang::from_accept_language("EN-gb"), Lang::En);
    }
}
