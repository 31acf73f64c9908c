//! The Smart Poster record (NFC Forum Smart Poster RTD): a nested NDEF message with one URI record, titles (Text
//! records, one per language) and an optional action record.

use std::collections::BTreeMap;

use super::{
    encode::encode_message,
    frame::decode_nested,
    text::{decode_text, encode_text, TextEncoding},
    uri::{decode_uri, uri_record},
    NdefError, Record, Tnf,
};

/// What a reader should do with the URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 0: open it.
    Exec,
    /// 1: save it for later.
    Save,
    /// 2: open it for editing.
    Edit,
}

/// A decoded Smart Poster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SmartPoster {
    pub uri: String,
    /// Title per language code.
    pub titles: BTreeMap<String, String>,
    pub action: Option<Action>,
}

/// Decodes a Smart Poster payload; `index` is the record's position, for the error. Size, type and icon records
/// are allowed and ignored; a Smart Poster inside a Smart Poster is refused.
pub fn decode_smart_poster(index: usize, payload: &[u8]) -> Result<SmartPoster, NdefError> {
    let fail = |reason: &str| NdefError::payload(index, "Smart Poster", reason);
    let inner = decode_nested(payload, false).map_err(|e| fail(&format!("its nested message: {e}")))?;
    let mut uri = None;
    let mut titles = BTreeMap::new();
    let mut action = None;
    for record in &inner {
        if record.is_well_known(b"U") {
            let decoded = decode_uri(index, &record.payload)?;
            if uri.replace(decoded).is_some() {
                return Err(fail("it has more than one URI record"));
            }
        } else if record.is_well_known(b"T") {
            let text = decode_text(index, &record.payload)?;
            if titles.insert(text.lang, text.text).is_some() {
                return Err(fail("it has two titles in the same language"));
            }
        } else if record.is_well_known(b"act") {
            let found = match record.payload.as_slice() {
                [0] => Action::Exec,
                [1] => Action::Save,
                [2] => Action::Edit,
                _ => return Err(fail("the action record is not one byte 0, 1 or 2")),
            };
            if action.replace(found).is_some() {
                return Err(fail("it has more than one action record"));
            }
        } else if record.is_well_known(b"Sp") {
            return Err(fail("it contains another Smart Poster"));
        }
    }
    Ok(SmartPoster {
        uri: uri.ok_or_else(|| fail("it has no URI record"))?,
        titles,
        action,
    })
}

/// A Smart Poster record: the URI, titles as UTF-8 Text records, then the action.
pub fn smart_poster_record(poster: &SmartPoster) -> Result<Record, NdefError> {
    let mut inner = vec![uri_record(&poster.uri)];
    for (lang, title) in &poster.titles {
        inner.push(Record::new(
            Tnf::WellKnown,
            *b"T",
            encode_text(0, title, lang, TextEncoding::Utf8)?,
        ));
    }
    if let Some(action) = poster.action {
        let code = match action {
            Action::Exec => 0,
            Action::Save => 1,
            Action::Edit => 2,
        };
        inner.push(Record::new(Tnf::WellKnown, *b"act", vec![code]));
    }
    Ok(Record::new(Tnf::WellKnown, *b"Sp", encode_message(&inner)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_titles_and_action() {
        let poster = SmartPoster {
            uri: "https://tap.example.jp/m/グルコ".into(),
            titles: [
                ("ja".to_owned(), "新しい資材".to_owned()),
                ("en".to_owned(), "New material".to_owned()),
            ]
            .into_iter()
            .collect(),
            action: Some(Action::Exec),
        };
        let record = smart_poster_record(&poster).unwrap();
        assert_eq!(decode_smart_poster(0, &record.payload).unwrap(), poster);
    }

    #[test]
    fn malformed_posters_are_refused() {
        let title = Record::new(
            Tnf::WellKnown,
            *b"T",
            encode_text(0, "x", "ja", TextEncoding::Utf8).unwrap(),
        );
        let uri = uri_record("https://a.jp");
        let bad_action = Record::new(Tnf::WellKnown, *b"act", vec![7]);
        for records in [
            vec![title.clone()],
            vec![uri.clone(), uri.clone()],
            vec![uri.clone(), title.clone(), title],
            vec![uri.clone(), bad_action],
        ] {
            let payload = encode_message(&records).unwrap();
            assert!(decode_smart_poster(0, &payload).is_err());
        }
        let nested = smart_poster_record(&SmartPoster {
            uri: "https://a.jp".into(),
            titles: BTreeMap::new(),
            action: None,
        })
        .unwrap();
        let payload = encode_message(&[uri, nested]).unwrap();
        assert!(decode_smart_poster(0, &payload).is_err());
        assert!(decode_smart_poster(0, &[0xd1]).is_err());
    }
}
