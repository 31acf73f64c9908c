//! NDEF interop against a real second implementation, Python's `ndeflib`: what we encode it decodes to the same
//! records, what it encodes we decode to the same records, and for the same records both write the same bytes.
//!
//! Needs `python3` with `ndeflib` (scripts/ci.sh installs it); the test fails, never skips, without them.

use std::{io::Write, process::Stdio};

use mrc_core::nfc::ndef::{
    aar_record, decode_bytes, encode_chunked, encode_message, external_record, mime_record,
    smart_poster_record, text_record, uri_record, Action, DecodedRecord, Payload, Record, SmartPoster,
    TextEncoding, Tnf, URI_PREFIXES,
};
use serde_json::{json, Value};

const SCRIPT: &str = include_str!("nfc_interop.py");

/// Runs the ndeflib script on a batch of operations.
fn ndeflib(ops: &[Value]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ndef_interop.py");
    std::fs::write(&script, SCRIPT).unwrap();
    let missing =
        "python3 with the ndeflib package is required for the NDEF interop tests: run scripts/ci.sh \
                   (it installs ndeflib with `python3 -m pip install ndeflib`)";
    let mut child = std::process::Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{missing}: {err}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(ops).unwrap().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{missing}\n{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Our decoded record in the shape the script describes ndeflib's.
fn describe(decoded: &DecodedRecord) -> Value {
    let r = &decoded.record;
    let type_text = r.type_text();
    let full_type = match r.tnf {
        Tnf::Empty => String::new(),
        Tnf::WellKnown => format!("urn:nfc:wkt:{type_text}"),
        Tnf::External => format!("urn:nfc:ext:{type_text}"),
        Tnf::Unknown => "unknown".into(),
        Tnf::Media | Tnf::AbsoluteUri => type_text,
    };
    let mut out = json!({"type": full_type, "id": hex(&r.id), "data": hex(&r.payload)});
    match &decoded.payload {
        Payload::Uri(uri) => out["uri"] = json!(uri),
        Payload::Text(t) => {
            out["text"] = json!(t.text);
            out["lang"] = json!(t.lang);
            out["encoding"] = serde_json::to_value(t.encoding).unwrap();
        }
        Payload::SmartPoster(sp) => {
            out["uri"] = json!(sp.uri);
            out["titles"] = json!(sp.titles);
            out["action"] = serde_json::to_value(sp.action).unwrap();
        }
        _ => {}
    }
    out
}

fn describe_all(bytes: &[u8]) -> Value {
    Value::Array(decode_bytes(bytes).unwrap().iter().map(describe).collect())
}

/// One interop case: the records as we build them and as the script builds them.
struct Case {
    name: String,
    ours: Vec<Record>,
    theirs: Vec<Value>,
    /// Whether both sides must write identical bytes (not for UTF-16 text: ndeflib writes little-endian).
    same_bytes: bool,
}

fn case(name: impl Into<String>, ours: Vec<Record>, theirs: Vec<Value>) -> Case {
    Case {
        name: name.into(),
        ours,
        theirs,
        same_bytes: true,
    }
}

fn poster(uri: &str, titles: &[(&str, &str)], action: Option<Action>) -> SmartPoster {
    SmartPoster {
        uri: uri.into(),
        titles: titles
            .iter()
            .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
            .collect(),
        action,
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for prefix in URI_PREFIXES {
        let uri = format!("{prefix}example-1/資材");
        cases.push(case(
            format!("uri {prefix:?}"),
            vec![uri_record(&uri)],
            vec![json!({"kind": "uri", "uri": uri})],
        ));
    }
    let long_text = "糖尿病治療の新しい選択肢について。".repeat(40);
    for (text, lang, encoding) in [
        ("新しい資材です😊", "ja", TextEncoding::Utf8),
        ("新しい資材です😊", "ja", TextEncoding::Utf16),
        ("", "en", TextEncoding::Utf8),
        ("", "ja-JP", TextEncoding::Utf16),
        (long_text.as_str(), "ja", TextEncoding::Utf8),
        (long_text.as_str(), "ja", TextEncoding::Utf16),
    ] {
        let enc = serde_json::to_value(encoding).unwrap();
        let mut c = case(
            format!("text {lang} {enc} {} chars", text.chars().count()),
            vec![text_record(text, lang, encoding).unwrap()],
            vec![json!({"kind": "text", "text": text, "lang": lang, "encoding": enc})],
        );
        c.same_bytes = encoding == TextEncoding::Utf8;
        cases.push(c);
    }
    for (titles, action, name) in [
        (
            &[("en", "Material"), ("ja", "製品情報概要")][..],
            Some(Action::Exec),
            "exec",
        ),
        (&[("ja", "資材")][..], Some(Action::Save), "save"),
        (&[][..], Some(Action::Edit), "edit"),
        (&[("ja", "資材")][..], None, "none"),
    ] {
        let sp = poster("https://tap.example.jp/m/M1", titles, action);
        let theirs_titles: serde_json::Map<String, Value> =
            titles.iter().map(|(l, t)| ((*l).to_owned(), json!(t))).collect();
        cases.push(case(
            format!("smart poster {name}"),
            vec![smart_poster_record(&sp).unwrap()],
            vec![json!({"kind": "sp", "uri": sp.uri, "titles": theirs_titles,
                        "action": action.map(|a| serde_json::to_value(a).unwrap())})],
        ));
    }
    let json_doc = br#"{"material":"M1","version":2}"#;
    cases.push(case(
        "mime",
        vec![mime_record("application/json", json_doc)],
        vec![json!({"kind": "raw", "type": "application/json", "data": hex(json_doc)})],
    ));
    let big = vec![0x5au8; 1000];
    cases.push(case(
        "long mime record",
        vec![mime_record("application/octet-stream", &big)],
        vec![json!({"kind": "raw", "type": "application/octet-stream", "data": hex(&big)})],
    ));
    cases.push(case(
        "external",
        vec![external_record("example.jp:card", &[1, 2, 3])],
        vec![json!({"kind": "raw", "type": "urn:nfc:ext:example.jp:card", "data": "010203"})],
    ));
    cases.push(case(
        "aar",
        vec![aar_record("jp.example.mrc")],
        vec![json!({"kind": "aar", "package": "jp.example.mrc"})],
    ));
    let long_uri = format!("https://tap.example.jp/{}", "a".repeat(400));
    cases.push(case(
        "multi-record with ids and a long record",
        vec![
            uri_record("https://tap.example.jp/c/x").with_id(*b"u1"),
            text_record("説明", "ja", TextEncoding::Utf8)
                .unwrap()
                .with_id(*b"t1"),
            uri_record(&long_uri),
            aar_record("jp.example.mrc"),
        ],
        vec![
            json!({"kind": "uri", "uri": "https://tap.example.jp/c/x", "id": hex(b"u1")}),
            json!({"kind": "text", "text": "説明", "lang": "ja", "encoding": "utf-8", "id": hex(b"t1")}),
            json!({"kind": "uri", "uri": long_uri}),
            json!({"kind": "aar", "package": "jp.example.mrc"}),
        ],
    ));
    cases
}

#[test]
fn ndeflib_and_we_agree_on_every_record_kind() {
    let cases = cases();
    let mut ops = Vec::new();
    let mut ours_bytes = Vec::new();
    for c in &cases {
        let bytes = encode_message(&c.ours).unwrap();
        ops.push(json!({"op": "decode", "hex": hex(&bytes)}));
        ops.push(json!({"op": "encode", "records": c.theirs}));
        ours_bytes.push(bytes);
    }
    let results = ndeflib(&ops);
    assert_eq!(results.len(), ops.len());
    for ((c, ours), pair) in cases.iter().zip(&ours_bytes).zip(results.chunks(2)) {
        let (they_decoded, they_encoded) = (&pair[0], &pair[1]);
        assert!(
            they_decoded.get("error").is_none(),
            "{}: ndeflib refused ours: {they_decoded}",
            c.name
        );
        assert_eq!(
            they_decoded["records"],
            describe_all(ours),
            "{}: ndeflib read ours differently",
            c.name
        );
        let theirs = unhex(
            they_encoded["hex"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: {they_encoded}", c.name)),
        );
        let we_read =
            decode_bytes(&theirs).unwrap_or_else(|e| panic!("{}: we refused ndeflib's: {e}", c.name));
        let we_read_records: Vec<Record> = we_read.iter().map(|d| d.record.clone()).collect();
        if c.same_bytes {
            assert_eq!(hex(&theirs), hex(ours), "{}: different bytes", c.name);
        }
        // Same meaning whatever the bytes: decode ours and theirs and compare what they say.
        let strip = |v: Value| -> Value {
            let mut v = v;
            for r in v.as_array_mut().unwrap() {
                r.as_object_mut().unwrap().remove("data");
            }
            v
        };
        assert_eq!(
            strip(describe_all(&theirs)),
            strip(describe_all(ours)),
            "{}",
            c.name
        );
        assert_eq!(we_read_records.len(), c.ours.len(), "{}", c.name);
    }
}

#[test]
fn chunked_records_cross_both_ways() {
    let data: Vec<u8> = (0..=255u8).cycle().take(700).collect();
    let ours = encode_chunked(&[mime_record("application/octet-stream", &data)], 97).unwrap();
    let results = ndeflib(&[
        json!({"op": "decode", "hex": hex(&ours)}),
        json!({"op": "encode_chunked", "type": "application/octet-stream", "data": hex(&data), "size": 50}),
        json!({"op": "encode_chunked", "type": "urn:nfc:wkt:U", "data": hex(&uri_record("https://tap.example.jp/資材").payload), "size": 3}),
    ]);
    assert_eq!(
        results[0]["records"][0]["data"],
        json!(hex(&data)),
        "{}",
        results[0]
    );
    let theirs = decode_bytes(&unhex(results[1]["hex"].as_str().unwrap())).unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].record.payload, data);
    let uri = decode_bytes(&unhex(results[2]["hex"].as_str().unwrap())).unwrap();
    assert_eq!(uri[0].uri(), Some("https://tap.example.jp/資材"));
}

#[test]
fn both_refuse_the_same_malformed_messages() {
    let malformed = [
        "c101fffffff0550468", // huge declared payload
        "510102550461",       // no message-begin flag
        "910102550461",       // no message-end flag
        "d7000000",           // reserved TNF
        "d10105550461",       // payload shorter than declared
        "d101025524",         // undefined URI identifier code
        "d1010a5400",         // text with an empty language code
    ];
    let ops: Vec<Value> = malformed
        .iter()
        .map(|h| json!({"op": "decode", "hex": h}))
        .collect();
    for (h, result) in malformed.iter().zip(ndeflib(&ops)) {
        assert!(result.get("error").is_some(), "ndeflib accepted {h}: {result}");
        assert!(decode_bytes(&unhex(h)).is_err(), "we accepted {h}");
    }
}
