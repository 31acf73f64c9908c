//! NFC cards and taps: the NDEF codec, card formats (Ed25519-signed NTAG21x cards, NTAG 424 DNA SUN cards),
//! card programming and tap handling.

pub mod ndef;
