//! A short Japanese and English name of every finding code, for lists where the full message (which needs the
//! finding's detail) does not fit: the head-office tables, exports, summaries.

use super::Code;

impl Code {
    /// (Japanese, English) short name.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Code::Required => ("必須項目の未入力", "Required field missing"),
            Code::UnknownReference => ("マスタにない参照", "Not in the master data"),
            Code::HcpNotAtInstitution => ("医師と施設の不一致", "HCP not at the institution"),
            Code::DurationRange => ("面談時間の範囲外", "Duration out of range"),
            Code::FutureStart => ("未来の開始日時", "Starts in the future"),
            Code::BackdateLimit => ("遡り期限超え", "Too far in the past"),
            Code::Overlap => ("他の訪問と重複", "Overlaps another visit"),
            Code::ProductNotInPortfolio => ("担当外の製品", "Product not in portfolio"),
            Code::MaterialNotApproved => ("使用できない資材", "Material not approved"),
            Code::ClockRollback => ("端末時計の巻き戻り", "Device clock behind"),
            Code::EditAfterSubmit => ("理由なしの提出後変更", "Edited after submission"),
            Code::DuplicateNotes => ("メモの流用", "Copied notes"),
            Code::TooManyVisits => ("1日の訪問が多すぎる", "Too many visits in a day"),
            Code::OffHours => ("勤務時間外", "Off hours"),
            Code::TravelInfeasible => ("移動が不可能", "Travel impossible"),
            Code::MaterialWithoutEvidence => ("資材提示のタップなし", "Material shown, no tap"),
            Code::RoundDurationPattern => ("切りのよい時間ばかり", "Always round durations"),
            Code::DurationRun => ("同じ面談時間の連続", "Same duration in a row"),
            Code::HolidayVisit => ("休日の訪問", "Holiday visit"),
            Code::NightVisit => ("深夜の訪問", "Night visit"),
            Code::LateEntry => ("遅れた入力", "Entered late"),
            Code::EntryBurst => ("まとめて入力", "Entered in a burst"),
            Code::NightEntry => ("深夜の入力", "Entered at night"),
            Code::HcpFrequency => ("同じ医師への過剰訪問", "Same HCP too often"),
            Code::TapShortfall => ("タップ不足", "Too few taps"),
            Code::UnknownInsightCode => ("定義にない段階・トピック", "Unknown stage or topic"),
            Code::InsightProductNotDiscussed => ("話題にしていない製品の記録", "Product not discussed"),
            Code::OffLabelAnswered => ("適応外質問へのMR回答", "Off-label question answered by the rep"),
        }
    }

    /// The code named `text` (as [`Code::as_str`] writes it).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_japanese_and_an_english_label_and_parses_back() {
        for &code in Code::ALL {
            let (ja, en) = code.label();
            assert!(ja.chars().any(|c| c as u32 > 0x3000), "{ja}");
            assert!(!en.is_empty() && en.is_ascii(), "{en}");
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
        assert_eq!(Code::parse("訪問"), None);
    }
}
