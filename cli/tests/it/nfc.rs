//! `mrc nfc decode|encode|verify-sun`, `mrc card …` and `mrc tap` as a user runs them.

use serde_json::json;

use super::support::{json, run, stderr, stdout, Scratch};

#[test]
fn decode_prints_typed_records() {
    // URI + Text (UTF-8, id "t") + AAR, as written by `mrc nfc encode`.
    let encoded = run(&[
        "nfc",
        "encode",
        "--uri",
        "https://tap.example.jp/c/x",
        "--text",
        "資材",
        "--lang",
        "ja",
        "--aar",
        "jp.example.mrc",
    ]);
    assert!(encoded.status.success(), "{}", stderr(&encoded));
    let hex = stdout(&encoded).trim().to_owned();
    let out = json(&run(&["--json", "nfc", "decode", &hex]));
    let records = out["records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["tnf"], 1);
    assert_eq!(records[0]["type"], "U");
    assert_eq!(records[0]["uri"], "https://tap.example.jp/c/x");
    assert_eq!(
        records[0]["payload_hex"],
        "047461702e6578616d706c652e6a702f632f78"
    );
    assert_eq!(
        (&records[1]["text"], &records[1]["lang"], &records[1]["encoding"]),
        (&json!("資材"), &json!("ja"), &json!("utf-8"))
    );
    assert_eq!(records[2]["type"], "android.com:pkg");
    assert_eq!(records[2]["package"], "jp.example.mrc");
}

#[test]
fn decode_smart_posters_utf16_ids_and_chunks() {
    // Smart Poster from ndeflib: URI, titles ja/en, action exec.
    let sp = "d10232537091010b55046578616d706c652e6a7011010954026a61e8b387e69d9011010b5402656e4d6174657269616c51030161637400";
    let out = json(&run(&["--json", "nfc", "decode", sp]));
    let r = &out["records"][0];
    assert_eq!(r["type"], "Sp");
    assert_eq!(r["uri"], "https://example.jp");
    assert_eq!(r["titles"], json!({"ja": "資材", "en": "Material"}));
    assert_eq!(r["action"], "exec");
    // UTF-16 text with id "t1".
    let out = json(&run(&[
        "--json",
        "nfc",
        "decode",
        "d901090254743182 6a61 feff 8cc7 6750",
    ]));
    assert_eq!(out["records"][0]["id"], "t1");
    assert_eq!(out["records"][0]["text"], "資材");
    assert_eq!(out["records"][0]["encoding"], "utf-16");
    // A URI chunked in three comes out as one record.
    let out = json(&run(&[
        "--json",
        "nfc",
        "decode",
        "b101015504 36000261 2e 56000170",
    ]));
    assert_eq!(out["records"].as_array().unwrap().len(), 1);
    assert_eq!(out["records"][0]["uri"], "https://a.p");
}

#[test]
fn malformed_ndef_is_exit_1_with_one_sentence() {
    for bad in [
        "c101fffffff0550468",
        "d1010055",
        "910102550461",
        "d10102550461d10102550461",
        "zz",
    ] {
        let out = run(&["--json", "nfc", "decode", bad]);
        let code = out.status.code().unwrap();
        assert!(code == 1 || (bad == "zz" && code == 2), "{bad}: {code}");
        assert_eq!(stderr(&out).lines().count(), 1, "{bad}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn verify_sun_with_the_an12196_vectors() {
    let zero = "00000000000000000000000000000000";
    let ok = run(&[
        "nfc",
        "verify-sun",
        "--meta-key",
        zero,
        "--picc",
        "EF963FF7828658A599F3041510671E88",
        "--cmac",
        "94EED9EE65337086",
    ]);
    assert_eq!(
        json(&ok),
        json!({"valid": true, "uid": "04DE5F1EACC040", "counter": 61, "file_data_hex": null})
    );
    let bad = run(&[
        "nfc",
        "verify-sun",
        "--meta-key",
        zero,
        "--picc",
        "EF963FF7828658A599F3041510671E88",
        "--cmac",
        "94EED9EE65337087",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&bad.stdout).unwrap()["valid"],
        false
    );
    let enc = run(&[
        "nfc",
        "verify-sun",
        "--meta-key",
        zero,
        "--file-key",
        zero,
        "--picc",
        "FD91EC264309878BE6345CBE53BADF40",
        "--enc",
        "CEE9A53E3E463EF1F459635736738962",
        "--cmac",
        "ECC1E7F6C6C73BF6",
        "--mac-input",
        "CEE9A53E3E463EF1F459635736738962&cmac=",
    ]);
    let out = json(&enc);
    assert_eq!(
        (out["uid"].as_str(), out["counter"].as_u64()),
        (Some("04958CAA5C5E80"), Some(8))
    );
    assert_eq!(out["file_data_hex"], "78787878787878787878787878787878");
}

const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}],
  "materials": [{"id": "MAT-0101", "version": 1, "title": "グルコバランス 製品情報概要", "product_id": "P1",
    "approval_code": "MRC-2026-0142", "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 1048576}]
}"#;

#[test]
fn issue_a_card_then_tap_it() {
    let s = Scratch::new();
    let master = s.file("master.json", MASTER);
    assert!(s.mrc(&["import", &master]).status.success());
    let key = json(&s.mrc(&["--json", "card", "keygen", "--key-id", "1"]));
    let secret = s.file("card.key", key["secret_key"].as_str().unwrap());
    let card = json(&s.mrc(&[
        "--json",
        "card",
        "issue",
        "--secret-key-file",
        &secret,
        "--key-id",
        "1",
        "--card-id",
        "7",
        "--material",
        "MAT-0101",
        "--version",
        "1",
        "--issued",
        "2026-11-01",
        "--expires",
        "2027-10-31",
        "--aar",
        "jp.example.mrc",
        "--image",
    ]));
    assert!(card["tlv_len"].as_u64().unwrap() <= 144, "{card}");
    assert_eq!(card["aar_included"], false);
    let image = card["image_hex"].as_str().unwrap();
    assert!(
        image.starts_with("e1101200"),
        "read/write capability container: {image}"
    );
    assert_eq!(image.len(), 2 * (4 + 144));

    let now = "2026-11-20T10:00:00+09:00";
    let ndef = card["ndef_hex"].as_str().unwrap();
    let tap = json(&s.mrc(&["tap", ndef, "--now", now]));
    assert_eq!(tap["outcome"], "not_cached", "{tap}");
    assert_eq!(tap["verification"], "verified");
    assert_eq!(tap["card_id"], "7");
    assert_eq!(tap["fallback_url"], card["url"]);

    // Re-written: one character of the token changed.
    let url = card["url"].as_str().unwrap();
    let mut forged = url.to_owned();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'Q' } else { 'A' });
    let encoded = run(&["nfc", "encode", "--uri", &forged]);
    let tap = json(&s.mrc(&["tap", stdout(&encoded).trim(), "--now", now]));
    assert!(tap["outcome"] == "forged", "{tap}");
    assert!(tap["reason"]["ja"].as_str().unwrap().contains("カード"));
}
