//! What a tap did: the outcome the app shows, the verification result stored with the event, and the reasons in
//! Japanese and English.

use serde::{Serialize, Serializer};

/// How far the card was verified. Stored as text in `events.verification`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Signature or SUN MAC verified here.
    Verified,
    /// A SUN card tapped where its key is not: verified at sync.
    PendingVerification,
    /// A bad signature or MAC, or a malformed card token on our host.
    Forged,
    /// A SUN URL seen before, or a read counter that did not increase.
    Replay,
    /// Not one of our cards (unreadable, foreign URL, unknown key or card).
    Unknown,
}

crate::text_enum!(Verification {
    Verified => "verified",
    PendingVerification => "pending_verification",
    Forged => "forged",
    Replay => "replay",
    Unknown => "unknown",
});

impl Verification {
    /// Reads the stored text; anything else is [`Verification::Unknown`].
    pub fn parse_or_unknown(text: &str) -> Verification {
        Verification::parse(text).unwrap_or(Verification::Unknown)
    }

    /// Whether the tap counts as evidence that the material was shown (verified, or pending verification).
    pub fn is_evidence(self) -> bool {
        matches!(self, Verification::Verified | Verification::PendingVerification)
    }
}

/// Why a tap did not simply open its material. Serialized as `{"code", "en", "ja"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Unreadable,
    NoUrl,
    ForeignUrl,
    UnsafeUrl,
    NotACardPath,
    UnknownKey,
    UnknownCard,
    BadSignature,
    MalformedCard,
    BadSunMac,
    WrongCard,
    SeenBefore,
    CounterNotIncreased,
    CardExpired,
    MaterialExpired,
    MaterialWithdrawn,
}

impl Reason {
    /// A stable code.
    pub fn code(self) -> &'static str {
        self.texts().0
    }

    /// The English sentence.
    pub fn en(self) -> &'static str {
        self.texts().1
    }

    /// The Japanese sentence.
    pub fn ja(self) -> &'static str {
        self.texts().2
    }

    fn texts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Reason::Unreadable => (
                "unreadable",
                "The card could not be read.",
                "カードを読み取れませんでした。",
            ),
            Reason::NoUrl => (
                "no_url",
                "The card holds no link.",
                "カードにリンクがありません。",
            ),
            Reason::ForeignUrl => (
                "foreign_url",
                "The card points somewhere other than our service; nothing was opened.",
                "当社サービス以外を指すカードのため、開きませんでした。",
            ),
            Reason::UnsafeUrl => (
                "unsafe_url",
                "The card's link contains hidden or control characters; nothing was opened.",
                "リンクに不可視文字や制御文字が含まれているため、開きませんでした。",
            ),
            Reason::NotACardPath => (
                "not_a_card",
                "The link is not a card link.",
                "カードのリンクではありません。",
            ),
            Reason::UnknownKey => (
                "unknown_key",
                "The card was signed with a key this device does not know yet; sync and try again.",
                "この端末が未取得の鍵で署名されたカードです。同期してから再度お試しください。",
            ),
            Reason::UnknownCard => (
                "unknown_card",
                "This card is not registered on this device; sync and try again.",
                "この端末に登録されていないカードです。同期してから再度お試しください。",
            ),
            Reason::BadSignature => (
                "bad_signature",
                "The card's signature is not valid: it was forged or re-written.",
                "カードの署名が無効です（偽造または書き換えの可能性）。",
            ),
            Reason::MalformedCard => (
                "malformed_card",
                "The card's data is damaged or forged.",
                "カードのデータが破損しているか偽造されています。",
            ),
            Reason::BadSunMac => (
                "bad_sun_mac",
                "The secure card's code is not valid: the link was forged.",
                "セキュアカードの認証コードが無効です（偽造の可能性）。",
            ),
            Reason::WrongCard => (
                "wrong_card",
                "The link was copied from another card.",
                "別のカードからコピーされたリンクです。",
            ),
            Reason::SeenBefore => (
                "seen_before",
                "This exact tap was already recorded: the link was replayed.",
                "同じタップが既に記録されています（リンクの再利用）。",
            ),
            Reason::CounterNotIncreased => (
                "counter_not_increased",
                "The card's read counter did not increase: the link was replayed.",
                "カードの読み取りカウンタが増えていません（リンクの再利用）。",
            ),
            Reason::CardExpired => (
                "card_expired",
                "This card has expired; ask your representative for a new one.",
                "このカードは有効期限切れです。担当MRに新しいカードをご依頼ください。",
            ),
            Reason::MaterialExpired => (
                "material_expired",
                "This material is outside its approved period and has no current version.",
                "この資材は承認期間外で、現行版がありません。",
            ),
            Reason::MaterialWithdrawn => (
                "material_withdrawn",
                "This material has been withdrawn.",
                "この資材は取り下げられました。",
            ),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Reason", 3)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("en", self.en())?;
        s.serialize_field("ja", self.ja())?;
        s.end()
    }
}

/// What the app does after a tap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TapOutcome {
    /// Open the card's material from local storage.
    Open {
        material: String,
        version: u32,
        title: String,
        local_path: String,
    },
    /// The card points to another version: open the current approved one.
    Superseded {
        material: String,
        card_version: u32,
        current_version: u32,
        title: String,
        local_path: String,
    },
    /// Show nothing promotional: the material is withdrawn.
    Withdrawn {
        material: String,
        version: u32,
        reason: Reason,
    },
    /// Show nothing promotional: the card or the material is out of date.
    Expired {
        material: String,
        version: u32,
        reason: Reason,
    },
    /// The approved version is not on this device: open the card URL online.
    NotCached {
        material: String,
        version: u32,
        fallback_url: String,
    },
    /// Not one of our cards, or not known here yet.
    UnknownCard { reason: Reason },
    /// A forged, re-written or damaged card.
    Forged { reason: Reason },
    /// A replayed SUN URL.
    Replay { card_id: String, reason: Reason },
}

/// The result of one tap: the outcome and the engagement event stored with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tap {
    /// The engagement event (UUIDv7).
    pub event_id: String,
    pub card_id: Option<String>,
    pub verification: Verification,
    #[serde(flatten)]
    pub outcome: TapOutcome,
}
