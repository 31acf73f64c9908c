//! The pages that show no material: why, in Japanese and English, with the status a browser and a log expect.

use axum::{http::StatusCode, response::Response};

use crate::web::{html::notice, lang::Lang};

/// Every landing-page notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The server failed (logged).
    Internal,
    /// Too many taps from one address.
    RateLimited,
    /// A forged, re-written or damaged card (logged).
    Forged,
    /// A single-use SUN URL opened again (logged).
    Replayed,
    /// Not one of our cards.
    Unknown,
    /// The material was revised or withdrawn.
    Withdrawn,
    /// The material or the card is out of date.
    Expired,
    /// A view link that expired, was changed or never existed.
    LinkExpired,
    /// Approved and valid, but its file is not on the server yet.
    Preparing,
    /// A gate form without a valid CSRF token.
    FormExpired,
    /// The visitor said they are not a healthcare professional.
    NotHcp,
    /// The file was asked for before the HCP question was answered.
    GateFirst,
}

impl Notice {
    /// The page in `lang`.
    pub fn page(self, lang: Lang) -> Response {
        let (status, kind, heading, text) = match self {
            Notice::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "error",
                lang.pick("ただいま表示できません", "This page cannot be shown right now"),
                lang.pick("しばらくしてからもう一度カードをタップしてください。", "Please tap the card again in a moment."),
            ),
            Notice::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "limit",
                lang.pick("しばらくしてから再度お試しください", "Too many requests"),
                lang.pick("短時間に多くのアクセスがありました。少し待ってからカードをタップしてください。", "This address made too many requests. Please wait a moment and tap the card again."),
            ),
            Notice::Forged => (
                StatusCode::FORBIDDEN,
                "warning",
                lang.pick("このカードは正規のものではない可能性があります", "This card may not be genuine"),
                lang.pick("カードが改ざん・複製された可能性があるため、資材は表示しません。担当MRにお知らせください。", "The card may have been altered or copied, so no material is shown. Please tell the \
                     medical representative."),
            ),
            Notice::Replayed => (
                StatusCode::FORBIDDEN,
                "warning",
                lang.pick("このリンクは既に使用されています", "This link has already been used"),
                lang.pick("カードのリンクは一度だけ有効です。もう一度カードをタップしてください。転送・複製されたリンクは開けません。", "A card link works once. Please tap the card again; forwarded or copied links do not open."),
            ),
            Notice::Unknown => (
                StatusCode::NOT_FOUND,
                "unknown",
                lang.pick("登録されていないカードです", "This card is not registered"),
                lang.pick("このカードからは資材を開けません。担当MRにお問い合わせください。", "No material opens from this card. Please ask the medical representative."),
            ),
            Notice::Withdrawn => (
                StatusCode::GONE,
                "withdrawn",
                lang.pick("この資材は現在公開されていません", "This material is no longer available"),
                lang.pick("改訂または取り下げにより、この資材は表示できません。担当MRにお問い合わせください。", "The material was revised or withdrawn and cannot be shown. Please ask the medical representative."),
            ),
            Notice::Expired => (
                StatusCode::GONE,
                "expired",
                lang.pick("この資材は有効期限が切れています", "This material has expired"),
                lang.pick("有効期間を過ぎた資材は表示できません。担当MRに最新の資材をお尋ねください。", "Expired material cannot be shown. Please ask the medical representative for the current one."),
            ),
            Notice::LinkExpired => (
                StatusCode::NOT_FOUND,
                "expired-link",
                lang.pick("リンクの有効期限が切れました", "This link has expired"),
                lang.pick("もう一度カードをタップしてください。", "Please tap the card again."),
            ),
            Notice::Preparing => (
                StatusCode::SERVICE_UNAVAILABLE,
                "preparing",
                lang.pick("資材を準備中です", "The material is being prepared"),
                lang.pick("しばらくしてからもう一度カードをタップしてください。", "Please tap the card again later."),
            ),
            Notice::FormExpired => (
                StatusCode::FORBIDDEN,
                "warning",
                lang.pick("フォームの有効期限が切れました", "The form has expired"),
                lang.pick("もう一度カードをタップしてください。", "Please tap the card again."),
            ),
            Notice::NotHcp => (
                StatusCode::OK,
                "not-hcp",
                lang.pick("この情報は医療関係者向けです", "This information is for healthcare professionals"),
                lang.pick("一般の方への情報提供は行っておりません。ご理解ください。", "It is not provided to the general public. Thank you for understanding."),
            ),
            Notice::GateFirst => (
                StatusCode::FORBIDDEN,
                "gate",
                lang.pick("医療関係者の方ですか？", "Are you a healthcare professional?"),
                lang.pick("カードをもう一度タップしてください。", "Please tap the card again."),
            ),
        };
        notice(status, lang, kind, heading, text)
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;

    use super::*;

    const ALL: [Notice; 12] = [
        Notice::Internal,
        Notice::RateLimited,
        Notice::Forged,
        Notice::Replayed,
        Notice::Unknown,
        Notice::Withdrawn,
        Notice::Expired,
        Notice::LinkExpired,
        Notice::Preparing,
        Notice::FormExpired,
        Notice::NotHcp,
        Notice::GateFirst,
    ];

    async fn text(response: Response) -> String {
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn every_notice_speaks_japanese_and_english_and_shows_no_material() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for notice in ALL {
            let (ja, en) = (notice.page(Lang::Ja), notice.page(Lang::En));
            assert_eq!(ja.status(), en.status(), "{notice:?}");
            let (ja, en) = (runtime.block_on(text(ja)), runtime.block_on(text(en)));
            assert!(
                ja.contains("lang=\"ja\"") && en.contains("lang=\"en\""),
                "{notice:?}"
            );
            assert!(
                ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                "{notice:?}: {ja}"
            );
            assert!(
                !en.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                "{notice:?}: {en}"
            );
            assert!(!ja.contains("/content") && !en.contains("<object"), "{notice:?}");
        }
    }
}
