//! A software NTAG 424 DNA: the SUN URL a card with these keys would produce on its `counter`-th read. For
//! tests, benchmarks and the demo (an issuing station checking a card's configuration would use it too).

use aes::{
    cipher::{generic_array::GenericArray, BlockEncrypt, KeyInit},
    Aes128,
};

use mrc_core::nfc::sun::{diversify, sdm_mac, session_enc_key, session_mac_key, Key};

fn encrypt(key: &Key, block: &[u8; 16]) -> [u8; 16] {
    let mut b = GenericArray::clone_from_slice(block);
    Aes128::new(GenericArray::from_slice(key)).encrypt_block(&mut b);
    b.into()
}

fn upper_hex(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

/// A simulated card.
#[derive(Clone)]
pub struct SimulatedCard {
    pub meta_read: Key,
    pub file_read_master: Key,
    pub uid: [u8; 7],
}

impl SimulatedCard {
    /// The URL of read number `counter` (24 bits), with optional file data (padded with zeros to whole blocks).
    /// `padding` fills the random part of PICCData.
    pub fn tap_url(
        &self,
        host: &str,
        card_id: &str,
        counter: u32,
        file_data: Option<&[u8]>,
        padding: u8,
    ) -> String {
        let ctr = counter.to_le_bytes();
        let ctr = [ctr[0], ctr[1], ctr[2]];
        let mut plain = [padding; 16];
        plain[0] = 0xc7;
        plain[1..8].copy_from_slice(&self.uid);
        plain[8..11].copy_from_slice(&ctr);
        let picc = upper_hex(&encrypt(&self.meta_read, &plain));
        let file_key = diversify(&self.file_read_master, &self.uid);
        let mac_key = session_mac_key(&file_key, &self.uid, &ctr);
        match file_data {
            None => {
                let mac = upper_hex(&sdm_mac(&mac_key, b""));
                format!("https://{host}/s/{card_id}?p={picc}&m={mac}")
            }
            Some(data) => {
                let enc_key = session_enc_key(&file_key, &self.uid, &ctr);
                let mut iv_input = [0u8; 16];
                iv_input[..3].copy_from_slice(&ctr);
                let mut previous = encrypt(&enc_key, &iv_input);
                let mut enc = Vec::new();
                let blocks = data.len().div_ceil(16).max(1);
                let mut padded = data.to_vec();
                padded.resize(blocks * 16, 0);
                for block in padded.chunks_exact(16) {
                    let mut x = [0u8; 16];
                    for (i, slot) in x.iter_mut().enumerate() {
                        *slot = block.get(i).copied().unwrap_or(0) ^ previous[i];
                    }
                    previous = encrypt(&enc_key, &x);
                    enc.extend_from_slice(&previous);
                }
                let enc = upper_hex(&enc);
                let mac = upper_hex(&sdm_mac(&mac_key, format!("{enc}&m=").as_bytes()));
                format!("https://{host}/s/{card_id}?p={picc}&e={enc}&m={mac}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulated_card_verifies_with_its_diversified_key() {
        use mrc_core::nfc::{
            card::{parse_link, CardLink},
            sun::{verify_sun, SunKeys, SunMessage},
            url::UrlPolicy,
        };
        let card = SimulatedCard {
            meta_read: [7; 16],
            file_read_master: [9; 16],
            uid: [0x04, 1, 2, 3, 4, 5, 6],
        };
        for file in [None, Some(&b"lot 2026-11"[..])] {
            let url = card.tap_url("tap.example.jp", "D-1", 300, file, 0xaa);
            let CardLink::Sun(link) = parse_link(&UrlPolicy::default().check(&url).unwrap()).unwrap() else {
                panic!("not SUN")
            };
            let keys = SunKeys {
                meta_read: [7; 16],
                file_read: diversify(&[9; 16], &card.uid),
            };
            let verified = verify_sun(
                &keys,
                &SunMessage {
                    picc: &link.picc,
                    enc: link.enc.as_deref(),
                    cmac: &link.cmac,
                    mac_input: link.mac_input.as_bytes(),
                },
            )
            .unwrap();
            assert_eq!((verified.uid.as_str(), verified.counter), ("04010203040506", 300));
            if let Some(file) = file {
                assert_eq!(&verified.file_data.unwrap()[..file.len()], file);
            }
        }
    }
}
