//! Signed-card claims and card links.

use chrono::NaiveDate;

use super::{issue::*, *};
use crate::nfc::{
    program::{encode_card, tlv_overhead, CardSpec, Ntag},
    url::UrlPolicy,
};

fn claim(material_id: &str) -> Claim {
    Claim {
        key_id: 1,
        card_id: 4_000_000_001,
        material_id: material_id.into(),
        material_version: 2,
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2027, 10, 31).unwrap(),
    }
}

fn key(seed: u8) -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[seed; 32])
}

fn link(url: &str) -> Result<CardLink, LinkError> {
    parse_link(&UrlPolicy::default().check(url).unwrap())
}

#[test]
fn a_signed_claim_verifies_and_a_tampered_one_does_not() {
    let url = signed_card_url("tap.example.jp", &claim("MAT-0101"), &key(7)).unwrap();
    let CardLink::Signed(signed) = link(&url).unwrap() else {
        panic!("not a signed link")
    };
    assert_eq!(signed.claim, claim("MAT-0101"));
    signed.verify(&key(7).verifying_key()).unwrap();
    assert_eq!(
        signed.verify(&key(8).verifying_key()),
        Err(ClaimError::BadSignature)
    );

    // Re-writing the material on a genuine card (same signature) fails.
    let token = url.rsplit('/').next().unwrap();
    let mut bytes = crate::nfc::text_codec::unbase64url(token).unwrap();
    bytes[12 + 1 + 7] ^= 0x01; // last byte of the material id
    let forged = format!(
        "https://tap.example.jp/c/{}",
        crate::nfc::text_codec::base64url(&bytes)
    );
    let CardLink::Signed(signed) = link(&forged).unwrap() else {
        panic!("not a signed link")
    };
    assert_eq!(
        signed.verify(&key(7).verifying_key()),
        Err(ClaimError::BadSignature)
    );
}

#[test]
fn malformed_tokens_are_typed_errors() {
    assert_eq!(
        link("https://tap.example.jp/c/!!"),
        Err(LinkError::Claim(ClaimError::NotBase64))
    );
    assert!(matches!(
        link("https://tap.example.jp/c/AAAA"),
        Err(LinkError::Claim(ClaimError::TooShort(3)))
    ));
    assert_eq!(link("https://tap.example.jp/m/1"), Err(LinkError::UnknownPath));
    assert!(claim("").to_bytes().is_err());
    assert!(claim(&"長".repeat(11)).to_bytes().is_err());
    let mut bad_version = claim("M").to_bytes().unwrap();
    bad_version[0] = 9;
    assert_eq!(Claim::from_bytes(&bad_version), Err(ClaimError::Version(9)));
}

#[test]
fn a_signed_card_url_fits_ntag213_with_its_ndef_and_tlv_overhead() {
    let url = signed_card_url("tap.example.jp", &claim("MAT-0101"), &key(1)).unwrap();
    let card = encode_card(
        &CardSpec {
            url: url.clone(),
            aar: Some("jp.example.mrc".into()),
        },
        144,
    )
    .unwrap();
    let total = card.ndef.len() + tlv_overhead(card.ndef.len());
    assert!(total <= Ntag::Ntag213.capacity(), "{total} bytes: {url}");
    assert!(!card.aar_included, "the AAR only goes on larger tags");
    // The longest material id that still fits NTAG213 with this host is 12 bytes.
    let longest = signed_card_url("tap.example.jp", &claim("MAT-01010101"), &key(1)).unwrap();
    assert!(encode_card(
        &CardSpec {
            url: longest,
            aar: None
        },
        144
    )
    .is_ok());
    let too_long = signed_card_url("tap.example.jp", &claim("MAT-0101010101"), &key(1)).unwrap();
    assert!(encode_card(
        &CardSpec {
            url: too_long,
            aar: None
        },
        144
    )
    .is_err());
    // On NTAG215 the AAR fits beside the URL.
    let card = encode_card(
        &CardSpec {
            url,
            aar: Some("jp.example.mrc".into()),
        },
        504,
    )
    .unwrap();
    assert!(card.aar_included);
}

#[test]
fn sun_links_parse_with_their_mac_input() {
    let CardLink::Sun(sun) =
        link("https://tap.example.jp/s/D-0001?p=EF963FF7828658A599F3041510671E88&m=94EED9EE65337086")
            .unwrap()
    else {
        panic!("not a SUN link")
    };
    assert_eq!(
        (sun.card_id.as_str(), sun.mac_input.as_str(), sun.enc),
        ("D-0001", "", None)
    );
    let CardLink::Sun(sun) = link(
        "https://tap.example.jp/s/D-0002?p=FD91EC264309878BE6345CBE53BADF40&e=CEE9A53E3E463EF1F459635736738962\
         &m=ECC1E7F6C6C73BF6",
    )
    .unwrap() else {
        panic!("not a SUN link")
    };
    assert_eq!(sun.mac_input, "CEE9A53E3E463EF1F459635736738962&m=");
    assert_eq!(sun.enc.as_ref().map(Vec::len), Some(16));
    for bad in [
        "https://tap.example.jp/s/D-0001",
        "https://tap.example.jp/s/D-0001?m=94EED9EE65337086&p=EF963FF7828658A599F3041510671E88",
        "https://tap.example.jp/s/D-0001?p=EF96&m=94EED9EE65337086",
        "https://tap.example.jp/s/D-0001?p=EF963FF7828658A599F3041510671E88&e=AB&m=94EED9EE65337086",
        "https://tap.example.jp/s/D%20?p=EF963FF7828658A599F3041510671E88&m=94EED9EE65337086",
        "https://tap.example.jp/s/D-0001?p=EF963FF7828658A599F3041510671E88&m=94EED9EE6533708",
    ] {
        assert!(matches!(link(bad), Err(LinkError::Sun(_))), "{bad}");
    }
    let template = sun_card_url_template("tap.example.jp", "D-0003", 1);
    assert!(link(&template).is_ok());
}

#[test]
fn keys_round_trip_through_hex() {
    let k = generate_signing_key().unwrap();
    let text = crate::nfc::text_codec::hex(&k.to_bytes());
    assert_eq!(signing_key_from_hex(&text).unwrap().to_bytes(), k.to_bytes());
    assert!(signing_key_from_hex("abcd").is_err());
}
