//! `mrc nfc decode|encode|verify-sun`: the NDEF codec and SUN verification without a store.

use clap::{Args, Subcommand};
use mrc_core::nfc::{
    ndef::{self, aar_record, encode_message, text_record, uri_record, DecodedRecord, Payload, TextEncoding},
    sun::{verify_sun, SunKeys, SunMessage},
    text_codec::{hex, unhex, unhex_array},
};
use serde_json::{json, Value};

use crate::{error::CliError, output};

#[derive(Debug, Subcommand)]
pub enum NfcCommand {
    /// Decode NDEF message bytes (hex) into records.
    Decode {
        /// The NDEF message in hex (spaces and colons are ignored).
        hex: String,
    },
    /// Encode a card's NDEF message; prints hex.
    Encode(EncodeArgs),
    /// Verify an NTAG 424 DNA SUN message (NXP AN12196). Exit 0 when valid, 1 when not.
    VerifySun(VerifySunArgs),
}

#[derive(Debug, Args)]
pub struct EncodeArgs {
    /// The URI record.
    #[arg(long)]
    pub uri: String,
    /// An Android Application Record with this package.
    #[arg(long, value_name = "PKG")]
    pub aar: Option<String>,
    /// A Text record.
    #[arg(long, requires = "lang")]
    pub text: Option<String>,
    /// The Text record's language code (e.g. ja).
    #[arg(long, requires = "text")]
    pub lang: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifySunArgs {
    /// SDMMetaReadKey (32 hex digits).
    #[arg(long, value_name = "HEX")]
    pub meta_key: String,
    /// The card's SDMFileReadKey (32 hex digits); defaults to the meta key.
    #[arg(long, value_name = "HEX")]
    pub file_key: Option<String>,
    /// Encrypted PICCData (32 hex digits).
    #[arg(long, value_name = "HEX")]
    pub picc: String,
    /// Encrypted file data (hex), if the card mirrors it.
    #[arg(long, value_name = "HEX")]
    pub enc: Option<String>,
    /// The truncated SDMMAC (16 hex digits).
    #[arg(long, value_name = "HEX")]
    pub cmac: String,
    /// The text the card MACed (empty by default; e.g. `<ENC>&cmac=` with file data).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub mac_input: String,
}

pub fn run(command: &NfcCommand, as_json: bool) -> Result<(), CliError> {
    match command {
        NfcCommand::Decode { hex } => decode(hex, as_json),
        NfcCommand::Encode(args) => encode(args, as_json),
        NfcCommand::VerifySun(args) => verify(args),
    }
}

/// Reads hex from the command line, ignoring spaces and colons.
pub(crate) fn hex_arg(name: &str, text: &str) -> Result<Vec<u8>, CliError> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != ':').collect();
    unhex(&cleaned).ok_or_else(|| CliError::Usage(format!("{name} must be hex digits, two per byte")))
}

fn decode(text: &str, as_json: bool) -> Result<(), CliError> {
    let bytes = hex_arg("the NDEF message", text)?;
    let records = ndef::decode_bytes(&bytes).map_err(|e| CliError::Refused(e.to_string()))?;
    let value = json!({ "records": records.iter().map(record_json).collect::<Vec<_>>() });
    output::emit(as_json, &value, |_| {
        records
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{i}: {}\n", human(r)))
            .collect()
    })
}

/// One record in the `mrc nfc decode --json` shape.
pub(crate) fn record_json(decoded: &DecodedRecord) -> Value {
    let r = &decoded.record;
    let mut out = json!({
        "tnf": r.tnf.code(),
        "type": r.type_text(),
        "id": String::from_utf8_lossy(&r.id),
        "payload_hex": hex(&r.payload),
    });
    match &decoded.payload {
        Payload::Uri(uri) => out["uri"] = json!(uri),
        Payload::Text(t) => {
            out["text"] = json!(t.text);
            out["lang"] = json!(t.lang);
            out["encoding"] = json!(t.encoding);
        }
        Payload::SmartPoster(sp) => {
            out["uri"] = json!(sp.uri);
            out["titles"] = json!(sp.titles);
            out["action"] = json!(sp.action);
        }
        Payload::AndroidApp(package) => out["package"] = json!(package),
        _ => {}
    }
    out
}

fn human(decoded: &DecodedRecord) -> String {
    let r = &decoded.record;
    match &decoded.payload {
        Payload::Uri(uri) => format!("URI {uri}"),
        Payload::Text(t) => format!("Text [{}] {}", t.lang, t.text),
        Payload::SmartPoster(sp) => format!("Smart Poster {} {:?}", sp.uri, sp.titles),
        Payload::AndroidApp(p) => format!("Android app {p}"),
        _ => format!(
            "TNF {} type {:?}, {} bytes",
            r.tnf.code(),
            r.type_text(),
            r.payload.len()
        ),
    }
}

fn encode(args: &EncodeArgs, as_json: bool) -> Result<(), CliError> {
    let refuse = |e: ndef::NdefError| CliError::Refused(e.to_string());
    let mut records = vec![uri_record(&args.uri)];
    if let (Some(text), Some(lang)) = (&args.text, &args.lang) {
        records.push(text_record(text, lang, TextEncoding::Utf8).map_err(refuse)?);
    }
    if let Some(package) = &args.aar {
        records.push(aar_record(package));
    }
    let bytes = encode_message(&records).map_err(refuse)?;
    output::emit(as_json, &json!({ "hex": hex(&bytes) }), |_| {
        format!("{}\n", hex(&bytes))
    })
}

fn key_arg(name: &str, text: &str) -> Result<[u8; 16], CliError> {
    unhex_array::<16>(text.trim()).ok_or_else(|| CliError::Usage(format!("{name} must be 32 hex digits")))
}

fn verify(args: &VerifySunArgs) -> Result<(), CliError> {
    let meta_read = key_arg("--meta-key", &args.meta_key)?;
    let file_read = match &args.file_key {
        Some(k) => key_arg("--file-key", k)?,
        None => meta_read,
    };
    let picc = key_arg("--picc", &args.picc)?;
    let cmac = unhex_array::<8>(args.cmac.trim())
        .ok_or_else(|| CliError::Usage("--cmac must be 16 hex digits".into()))?;
    let enc = args.enc.as_deref().map(|e| hex_arg("--enc", e)).transpose()?;
    let message = SunMessage {
        picc: &picc,
        enc: enc.as_deref(),
        cmac: &cmac,
        mac_input: args.mac_input.as_bytes(),
    };
    match verify_sun(&SunKeys { meta_read, file_read }, &message) {
        Ok(v) => output::json(&json!({
            "valid": true,
            "uid": v.uid,
            "counter": v.counter,
            "file_data_hex": v.file_data.as_deref().map(hex),
        })),
        Err(err) => {
            output::json(&json!({"valid": false, "uid": null, "counter": null, "file_data_hex": null}))?;
            Err(CliError::Refused(err.to_string()))
        }
    }
}
