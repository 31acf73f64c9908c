//! Card formats: the Ed25519-signed claim of NTAG21x cards, the URL shapes of both card kinds, issuing.

pub mod claim;
pub mod issue;
pub mod link;

pub use claim::{Claim, ClaimError, SignedClaim};
pub use issue::{
    generate_signing_key, signed_card_url, signing_key_from_hex, sun_card_url_template, KeyError,
};
pub use link::{is_card_id, parse_link, CardLink, LinkError, SunLink};

#[cfg(test)]
mod tests;
