//! `mrc card keygen|issue|register-sun|sun-key|verify-pending` and `mrc tap`: issuing cards and handling taps on a
//! store.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};
use clap::{Args, Subcommand};
use mrc_core::{
    nfc::{
        card::{
            generate_signing_key, is_card_id, signed_card_url, signing_key_from_hex, sun_card_url_template,
            Claim,
        },
        ndef::NdefInput,
        program::{encode_card, memory_image, CardSpec, CcAccess, Ntag},
        text_codec::hex,
        CardKind, CardRecord,
    },
    Store,
};
use serde_json::json;

use super::nfc::hex_arg;
use crate::{error::CliError, output};

#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// Make an Ed25519 signing key; stores its public key and prints both (keep the secret key offline).
    Keygen {
        /// The key id written into card claims (0–255).
        #[arg(long)]
        key_id: u8,
    },
    /// Issue a signed NTAG21x card: prints its URL, NDEF bytes and (with --image) the memory image.
    Issue(IssueArgs),
    /// Register an NTAG 424 DNA SUN card; prints the URL template to configure on the card.
    RegisterSun(RegisterSunArgs),
    /// Store SUN keys (where cards are verified: the server or an issuing station).
    SunKey {
        #[arg(long)]
        key_id: u8,
        /// SDMMetaReadKey (32 hex digits).
        #[arg(long, value_name = "HEX")]
        meta_key: String,
        /// The master key the cards' SDMFileReadKeys are diversified from (32 hex digits).
        #[arg(long, value_name = "HEX")]
        master_key: String,
    },
    /// Verify SUN taps recorded as pending with the keys in this store.
    VerifyPending,
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    /// A file holding the signing key's secret (64 hex digits), as printed by `card keygen`.
    #[arg(long, value_name = "FILE")]
    pub secret_key_file: PathBuf,
    #[arg(long)]
    pub key_id: u8,
    #[arg(long)]
    pub card_id: u32,
    #[arg(long)]
    pub material: String,
    #[arg(long)]
    pub version: u16,
    /// The issue day (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE")]
    pub issued: Option<NaiveDate>,
    /// The last day the card is valid (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub expires: NaiveDate,
    /// The card host (must be on the allow-list).
    #[arg(long, default_value = "tap.example.jp")]
    pub host: String,
    /// The tag: ntag213, ntag215 or ntag216.
    #[arg(long, default_value = "ntag213")]
    pub tag: String,
    /// Also add an Android Application Record when it fits.
    #[arg(long, value_name = "PKG")]
    pub aar: Option<String>,
    /// Print the memory image from the capability container on.
    #[arg(long)]
    pub image: bool,
    /// Write a read-only capability container (cannot be undone on a real tag).
    #[arg(long, requires = "image")]
    pub read_only: bool,
}

#[derive(Debug, Args)]
pub struct RegisterSunArgs {
    /// The card id in its URL (letters, digits, '-', '_').
    #[arg(long)]
    pub card_id: String,
    #[arg(long)]
    pub material: String,
    #[arg(long)]
    pub version: u32,
    /// The SUN key id.
    #[arg(long)]
    pub key_id: u8,
    #[arg(long, value_name = "DATE")]
    pub expires: NaiveDate,
    /// The card UID (14 hex digits), if known.
    #[arg(long, value_name = "HEX")]
    pub uid: Option<String>,
    #[arg(long, default_value = "tap.example.jp")]
    pub host: String,
}

#[derive(Debug, Args)]
pub struct TapArgs {
    /// The NDEF message read from the card, in hex.
    pub hex: String,
    /// The visit in progress.
    #[arg(long, value_name = "ID")]
    pub visit: Option<String>,
}

pub fn run_card(
    store: &Store,
    command: &CardCommand,
    today: NaiveDate,
    as_json: bool,
) -> Result<(), CliError> {
    match command {
        CardCommand::Keygen { key_id } => {
            let key = generate_signing_key().map_err(|e| CliError::Failed(e.to_string()))?;
            store.put_card_key(*key_id, &key.verifying_key().to_bytes())?;
            let value = json!({"key_id": key_id, "public_key": hex(&key.verifying_key().to_bytes()),
                               "secret_key": hex(&key.to_bytes())});
            output::emit(as_json, &value, |v| {
                format!(
                    "key {key_id}\npublic {}\nsecret {}\n",
                    v["public_key"], v["secret_key"]
                )
            })
        }
        CardCommand::Issue(args) => issue(store, args, today, as_json),
        CardCommand::RegisterSun(args) => register_sun(store, args, today, as_json),
        CardCommand::SunKey {
            key_id,
            meta_key,
            master_key,
        } => {
            let key = |name: &str, text: &str| -> Result<[u8; 16], CliError> {
                hex_arg(name, text)?
                    .try_into()
                    .map_err(|_| CliError::Usage(format!("{name} must be 32 hex digits")))
            };
            store.put_sun_key(
                *key_id,
                &key("--meta-key", meta_key)?,
                &key("--master-key", master_key)?,
            )?;
            output::emit(as_json, &json!({"key_id": key_id}), |_| {
                format!("SUN key {key_id} stored\n")
            })
        }
        CardCommand::VerifyPending => {
            let summary = store.verify_pending_taps()?;
            output::emit(as_json, &summary, |s| format!("{s:?}\n"))
        }
    }
}

fn issue(store: &Store, args: &IssueArgs, today: NaiveDate, as_json: bool) -> Result<(), CliError> {
    let secret = std::fs::read_to_string(&args.secret_key_file)
        .map_err(|err| CliError::file(&args.secret_key_file, err))?;
    let key =
        signing_key_from_hex(&secret).map_err(|e| CliError::Refused(format!("the secret key file: {e}")))?;
    let tag = Ntag::parse(&args.tag)
        .ok_or_else(|| CliError::Usage(format!("--tag {:?}: use ntag213, ntag215 or ntag216", args.tag)))?;
    let claim = Claim {
        key_id: args.key_id,
        card_id: args.card_id,
        material_id: args.material.clone(),
        material_version: args.version,
        issued_on: args.issued.unwrap_or(today),
        expires_on: args.expires,
    };
    let url = signed_card_url(&args.host, &claim, &key).map_err(|e| CliError::Refused(e.to_string()))?;
    let spec = CardSpec {
        url: url.clone(),
        aar: args.aar.clone(),
    };
    let card = encode_card(&spec, tag.capacity()).map_err(|e| CliError::Refused(e.to_string()))?;
    let image = if args.image {
        let access = if args.read_only {
            CcAccess::ReadOnly
        } else {
            CcAccess::ReadWrite
        };
        Some(hex(
            &memory_image(&card.ndef, tag, access).map_err(|e| CliError::Refused(e.to_string()))?
        ))
    } else {
        None
    };
    store.register_card(&CardRecord {
        card_id: args.card_id.to_string(),
        kind: CardKind::Signed,
        material_id: claim.material_id.clone(),
        material_version: u32::from(claim.material_version),
        key_id: claim.key_id,
        issued_on: claim.issued_on,
        expires_on: claim.expires_on,
        uid: None,
    })?;
    let value = json!({
        "card_id": args.card_id, "url": url, "ndef_hex": hex(&card.ndef), "tlv_len": card.tlv_len,
        "capacity": card.capacity, "aar_included": card.aar_included, "image_hex": image,
    });
    output::emit(as_json, &value, |_| {
        format!(
            "{url}\nNDEF {} ({} of {} bytes)\n",
            hex(&card.ndef),
            card.tlv_len,
            card.capacity
        )
    })
}

fn register_sun(
    store: &Store,
    args: &RegisterSunArgs,
    today: NaiveDate,
    as_json: bool,
) -> Result<(), CliError> {
    if !is_card_id(&args.card_id) {
        return Err(CliError::Usage(
            "--card-id must be 1–32 letters, digits, '-' or '_'".into(),
        ));
    }
    let uid = match &args.uid {
        Some(text) => {
            let bytes = hex_arg("--uid", text)?;
            if bytes.len() != 7 {
                return Err(CliError::Usage("--uid must be 14 hex digits".into()));
            }
            Some(hex(&bytes).to_uppercase())
        }
        None => None,
    };
    store.register_card(&CardRecord {
        card_id: args.card_id.clone(),
        kind: CardKind::Sun,
        material_id: args.material.clone(),
        material_version: args.version,
        key_id: args.key_id,
        issued_on: today,
        expires_on: args.expires,
        uid,
    })?;
    let template = sun_card_url_template(&args.host, &args.card_id, 0);
    output::emit(
        as_json,
        &json!({"card_id": args.card_id, "url_template": template}),
        |_| format!("{template}\n"),
    )
}

pub fn run_tap(store: &Store, args: &TapArgs, now: DateTime<FixedOffset>) -> Result<(), CliError> {
    let bytes = hex_arg("the NDEF message", &args.hex)?;
    let visit = args.visit.as_deref().map(super::visit_id).transpose()?;
    let tap = store.handle_tap(NdefInput::Bytes(&bytes), now, visit)?;
    output::json(&tap)
}
