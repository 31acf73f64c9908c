//! NFC cards and taps: the NDEF codec, card formats (Ed25519-signed NTAG21x cards, NTAG 424 DNA SUN cards),
//! card programming and tap handling.

pub mod card;
pub mod keys;
pub mod ndef;
pub mod program;
pub mod sun;
pub mod tap;
pub mod text_codec;
pub mod url;

pub use keys::{CardKind, CardRecord};
pub use tap::{Reason, Tap, TapEvent, TapOutcome, Verification};
