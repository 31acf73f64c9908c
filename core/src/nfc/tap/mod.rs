//! Tap handling: `Store::handle_tap` judges a tap (decode, URL policy, card verification, material resolution) and
//! stores its engagement event in the same transaction; SUN taps judged offline are verified later.

mod events;
mod judge;
mod outcome;
mod pending;
mod resolve;

use chrono::{DateTime, FixedOffset};

pub use events::{TapEvent, TAP_KIND};
pub use outcome::{Reason, Tap, TapOutcome, Verification};
pub use pending::PendingSummary;

use crate::{
    ids::VisitId,
    nfc::ndef::{self, NdefInput},
    store::{Store, StoreError},
};

impl Store {
    /// Handles a tap: what the app should show, with the engagement event (UUIDv7, card, material version,
    /// verification, device time, visit in progress) stored in the same transaction. Malformed or foreign input
    /// is an outcome, not an error; only a store failure is an error, and then nothing is stored.
    ///
    /// `now` is the device time; its local date in the store's zone (the rule settings' `time_zone`) decides
    /// validity, whatever offset it is written with.
    pub fn handle_tap(
        &self,
        input: NdefInput<'_>,
        now: DateTime<FixedOffset>,
        visit: Option<VisitId>,
    ) -> Result<Tap, StoreError> {
        let decoded = ndef::decode(input);
        self.write(|tx| {
            let zone = crate::validate::load_rules(tx)?.zone();
            let judged = judge::judge(tx, decoded, crate::local_time::local_day(&now, zone))?;
            let id = events::insert(tx, &judged, now.timestamp_millis(), visit)?;
            Ok(Tap {
                event_id: id.to_string(),
                card_id: judged.card_id,
                verification: judged.verification,
                outcome: judged.outcome,
            })
        })
    }
}
