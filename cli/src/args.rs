//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// MR Companion: the offline-first core for medical representatives, from the command line.
#[derive(Debug, Parser)]
#[command(name = "mrc", version, about)]
pub struct Cli {
    /// The local store (an SQLite file); created if missing.
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// A file holding the store key (64 hexadecimal digits): the store is encrypted with it (a plain store is
    /// encrypted at its first open with a key). The `MRC_DB_KEY` environment variable may hold the key instead;
    /// it is never taken from the command line itself.
    #[arg(long, global = true, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// The time this command runs at (RFC 3339 with its UTC offset, e.g. 2026-11-20T12:00:00+09:00): the
    /// device's clock for every stamp and judgement. Defaults to the system clock and time zone.
    #[arg(long, global = true, env = "MRC_NOW", value_name = "TIME", value_parser = parse_time)]
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[command(subcommand)]
    pub command: Command,
}

/// An RFC 3339 time with its offset (a time without one is refused with an example).
fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, String> {
    mrc_core::local_time::parse_time(text).map_err(str::to_owned)
}

impl Cli {
    /// The clock of this command: standing at `--now` when given, else the system clock.
    pub fn clock(&self) -> mrc_core::clock::SharedClock {
        match self.now {
            Some(at) => mrc_core::clock::FixedClock::new(at.to_utc()),
            None => mrc_core::clock::system(),
        }
    }

    /// The clock of a long-running command (`serve`): starting at `--now` when given and advancing from there,
    /// else the system clock.
    pub fn running_clock(&self) -> mrc_core::clock::SharedClock {
        match self.now {
            Some(at) => mrc_core::clock::OffsetClock::starting_at(at.to_utc()),
            None => mrc_core::clock::system(),
        }
    }

    /// Now with a UTC offset: `--now` as given, else the system clock in the system's time zone.
    pub fn local_now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.now
            .unwrap_or_else(|| self.clock().now().with_timezone(&chrono::Local).fixed_offset())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (or upgrade) the store and print what it holds.
    Init,
    /// Import master data (reps, institutions, HCPs, products, materials) from a JSON file.
    Import {
        /// The master-data JSON file.
        file: PathBuf,
    },
    /// Fill the store with a realistic sample territory.
    Seed(SeedArgs),
    /// The pre-visit screen of one doctor: stage per product, open needs and questions, safety mentions awaiting
    /// forwarding, materials shown and tapped, last visits, and the materials to suggest.
    Doctor {
        /// The HCP id.
        hcp_id: String,
    },
    /// Create, show and list visits.
    #[command(subcommand)]
    Visit(VisitCommand),
    /// Edit, export and merge visit notes (automerge documents).
    #[command(subcommand)]
    Notes(NotesCommand),
    /// Validate a visit JSON file against the store: errors, warnings and the reliability score.
    /// Exit 0 without errors, 1 with at least one error, 2 for unusable input.
    Validate {
        /// The visit JSON file (with an `id` of a stored visit, it is judged as an edit of that visit).
        file: PathBuf,
        /// The amendment reason, when the visit is already submitted.
        #[arg(long)]
        reason: Option<String>,
    },
    /// NFC: decode and encode NDEF messages, verify NTAG 424 DNA SUN messages.
    #[command(subcommand)]
    Nfc(crate::commands::nfc::NfcCommand),
    /// Issue and register NFC cards (signing keys, signed cards, SUN cards).
    #[command(subcommand)]
    Card(crate::commands::nfc_card::CardCommand),
    /// Handle a tap: the NDEF bytes read from a card give the outcome (JSON), stored as an engagement event.
    Tap(crate::commands::nfc_card::TapArgs),
    /// Sync the store with a server: push local changes and events, pull what changed elsewhere.
    Sync {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long, value_name = "URL")]
        server: String,
        /// This device's token, on the command line: visible to every process of the machine (`ps`), so a warning
        /// is printed. Prefer the `MRC_TOKEN` environment variable or --token-file.
        #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
        token: Option<String>,
        /// A file holding this device's token (from `mrc admin token`), e.g. readable by its owner only. Every 30
        /// days (and at the first sync) the token is exchanged for a new one, written back into this file.
        #[arg(long, value_name = "FILE")]
        token_file: Option<std::path::PathBuf>,
        /// Trust only this CA (PEM) for an `https://` server: a private CA, or the server's self-signed
        /// certificate. Without it, the public web roots.
        #[arg(long, value_name = "PEM")]
        ca_file: Option<std::path::PathBuf>,
        /// Where material files are kept (default: next to the database, `<db>.content/`).
        #[arg(long, value_name = "DIR")]
        content_dir: Option<std::path::PathBuf>,
    },
    /// Delete this device's store, its write-ahead log and its material files: after a sync refused with
    /// `revoked` (a lost or stolen device). Needs --yes.
    Wipe {
        /// Where material files are kept (default: next to the database, `<db>.content/`).
        #[arg(long, value_name = "DIR")]
        content_dir: Option<std::path::PathBuf>,
        /// Yes, delete everything on this device (unsynced visits are lost).
        #[arg(long)]
        yes: bool,
    },
    /// Re-encrypt the store (--db, opened with its current key, or plain) with a new key, read from
    /// --new-key-file or `MRC_DB_NEW_KEY`. The store must not be open elsewhere.
    Rekey {
        /// A file holding the new key (64 hexadecimal digits).
        #[arg(long, value_name = "FILE")]
        new_key_file: Option<PathBuf>,
    },
    /// Write a labeled month for measuring the audit: master data, visits as JSON Lines and labels (which visits
    /// are fabricated, and how). Fills no store.
    Fabricate(crate::commands::fabricate::FabricateArgs),
    /// Audit a month of visit records (JSON Lines): a reliability score per visit, a summary per rep and team.
    /// Exit 0 when every line was audited, 1 when a line was refused, 2 for unusable arguments.
    Audit(crate::commands::audit::AuditArgs),
    /// Measure audit scores against labels: recall, false alarms, ROC AUC, per pattern and rep.
    Evaluate(crate::commands::evaluate::EvaluateArgs),
    /// Run the sync server on SQLite (--data DIR) or PostgreSQL (--postgres URL); prints `listening on http://ADDR`.
    Serve(crate::commands::serve::ServeArgs),
    /// Server administration: device tokens, master data, rule settings.
    #[command(subcommand)]
    Admin(crate::commands::admin::AdminCommand),
    /// A guided end-to-end story on a fresh temporary store.
    Demo,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Number of reps.
    #[arg(long, default_value_t = 1)]
    pub reps: u32,
    /// Number of HCPs.
    #[arg(long, default_value_t = 300)]
    pub hcps: u32,
    /// Number of institutions.
    #[arg(long, default_value_t = 40)]
    pub institutions: u32,
    /// Days of visit history, ending today.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Seed of the generator (same seed, same territory).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// Add a visit from a JSON file; prints the new id.
    Add {
        /// The visit JSON file.
        file: PathBuf,
    },
    /// Show one visit.
    Show {
        /// The visit id (a UUID).
        id: String,
    },
    /// List visits, newest first (today's by default).
    List(ListArgs),
    /// Submit a draft: validation must pass; the visit is then locked.
    Submit {
        /// The visit id.
        id: String,
    },
    /// Change a submitted visit: the new form from a JSON file, with a reason that is recorded. A draft is simply
    /// updated (drafts change freely; no amendment is recorded).
    Amend {
        /// The visit id.
        id: String,
        /// Why the submitted visit changes.
        #[arg(long)]
        reason: String,
        /// The visit JSON file with the corrected form.
        file: PathBuf,
    },
    /// Add a comment (also to a submitted visit: a comment changes no field, status or score).
    Comment {
        /// The visit id.
        id: String,
        /// The comment (1–2,000 characters).
        #[arg(long)]
        text: String,
        /// The author's display name, e.g. "課長 山本".
        #[arg(long)]
        author: String,
        /// Who writes it: the manager or the rep (a sync server accepts only the token's own role).
        #[arg(long = "as", value_enum, default_value_t = CommentAs::Rep)]
        role: CommentAs,
    },
}

/// The author role of a comment written from the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CommentAs {
    Manager,
    Rep,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Today's visits (the default).
    #[arg(long, conflicts_with_all = ["hcp", "from", "to"])]
    pub today: bool,
    /// All visits of this HCP id.
    #[arg(long, value_name = "ID", conflicts_with_all = ["from", "to"])]
    pub hcp: Option<String>,
    /// First day (YYYY-MM-DD), included.
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (YYYY-MM-DD), included.
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum NotesCommand {
    /// Replace the notes text (stored as the smallest edit).
    Set {
        /// The visit id.
        id: String,
        /// The new notes text.
        #[arg(long)]
        text: String,
    },
    /// Write the visit's automerge document to a file.
    Export {
        /// The visit id.
        id: String,
        /// Where to write the bytes.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Merge an automerge document of the same visit from another device.
    Merge {
        /// The visit id.
        id: String,
        /// The document bytes to merge.
        file: PathBuf,
    },
}
