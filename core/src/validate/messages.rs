//! The Japanese and English message of every finding code.

use super::{Code, Detail};

/// Renders the (Japanese, English) message of `code` with its `detail`.
pub fn render(code: Code, detail: &Detail) -> (String, String) {
    use Detail as D;
    match (code, detail) {
        (Code::Required, D::Field { ja, en }) => {
            (format!("{ja}を入力してください。"), format!("{en} is required."))
        }
        (Code::UnknownReference, D::Reference { ja, en, id }) => (
            format!("{ja}「{id}」はマスタにありません。"),
            format!("The {en} \"{id}\" is not in the master data."),
        ),
        (Code::HcpNotAtInstitution, _) => (
            "この医師はこの施設に所属していません。".into(),
            "This HCP does not belong to this institution.".into(),
        ),
        (Code::DurationRange, D::Range { min, max }) => (
            format!("面談時間は{min}〜{max}分で入力してください。"),
            format!("The duration must be between {min} and {max} minutes."),
        ),
        (Code::FutureStart, D::Limit(minutes)) => (
            format!("開始日時が未来です（許容{minutes}分）。"),
            format!("The visit starts in the future (allowance {minutes} min)."),
        ),
        (Code::BackdateLimit, D::Limit(days)) => (
            format!("{days}日より前の訪問は登録できません。"),
            format!("Visits older than {days} days cannot be recorded."),
        ),
        (Code::Overlap, _) => (
            "同じ担当者の別の訪問と時間が重なっています。".into(),
            "This visit overlaps another visit of the same rep.".into(),
        ),
        (Code::ProductNotInPortfolio, D::Reference { id, .. }) => (
            format!("製品「{id}」は担当製品ではありません。"),
            format!("The product \"{id}\" is not in the rep's portfolio."),
        ),
        (
            Code::MaterialNotApproved,
            D::Material {
                id,
                version,
                why_ja,
                why_en,
            },
        ) => (
            format!("資材「{id}」第{version}版は使用できません（{why_ja}）。"),
            format!("Material \"{id}\" version {version} may not be used ({why_en})."),
        ),
        (Code::ClockRollback, _) => (
            "端末の時計がサーバー時刻より遅れています。時刻設定を確認してください。".into(),
            "The device clock is behind the last server time; check the clock settings.".into(),
        ),
        (Code::EditAfterSubmit, _) => (
            "提出済みの訪問を変更するには修正理由が必要です。".into(),
            "Changing a submitted visit needs an amendment reason.".into(),
        ),
        (Code::DuplicateNotes, D::Similar { percent, .. }) => (
            format!("メモが別の訪問のメモと{percent}%一致しています。内容を確認してください。"),
            format!("The notes are {percent}% identical to another visit's notes; please check them."),
        ),
        (Code::TooManyVisits, D::Count { count, max }) => (
            format!("この日の訪問が{count}件あります（目安は{max}件まで）。"),
            format!("{count} visits on this day (the usual maximum is {max})."),
        ),
        (Code::OffHours, D::When { ja, en }) => (
            format!("{ja}の訪問です。日時を確認してください。"),
            format!("The visit is {en}; please check the date and time."),
        ),
        (
            Code::TravelInfeasible,
            D::Travel {
                km,
                need_min,
                gap_min,
            },
        ) => (
            format!("前後の訪問との間隔が{gap_min}分ですが、移動（{km:.1}km）に約{need_min}分かかります。"),
            format!("Only {gap_min} min between visits, but the {km:.1} km trip takes about {need_min} min."),
        ),
        (Code::MaterialWithoutEvidence, D::Material { id, .. }) => (
            format!("資材「{id}」の提示記録（NFCタップ・閲覧）がありません。"),
            format!("No tap or open of material \"{id}\" was recorded during the visit."),
        ),
        (Code::RoundDurationPattern, D::Pattern { minutes, percent }) => (
            format!("面談時間が{minutes}分の記録が{percent}%を占めています。実際の時間を入力してください。"),
            format!(
                "{percent}% of recent visits last exactly {minutes} min; please enter the actual duration."
            ),
        ),
        (Code::DurationRun, D::Run { minutes, count }) => (
            format!("この日の訪問{count}件が続けて{minutes}分ちょうどです。実際の時間を入力してください。"),
            format!("{count} visits in a row that day last exactly {minutes} min; please enter the actual durations."),
        ),
        (Code::HolidayVisit, D::When { ja, en }) => (
            format!("{ja}の訪問として記録されています。実際の訪問日を確認してください。"),
            format!("The visit is recorded {en}; please confirm the actual date."),
        ),
        (Code::NightVisit, D::Clock(hhmm)) => (
            format!("深夜（{hhmm}）の訪問として記録されています。時刻を確認してください。"),
            format!("The visit is recorded at night ({hhmm}); please confirm the time."),
        ),
        (Code::LateEntry, D::Late { days, allowed }) => (
            format!("訪問の{days}日後に入力されています（目安は{allowed}営業日以内）。"),
            format!("Entered {days} days after the visit (expected within {allowed} working days)."),
        ),
        (Code::EntryBurst, D::Burst { count, gap_s }) => (
            format!("{count}件の訪問が{gap_s}秒以内の間隔で続けて入力されています。"),
            format!("{count} visits were entered in a row, at most {gap_s} s apart."),
        ),
        (Code::NightEntry, D::Clock(hhmm)) => (
            format!("深夜（{hhmm}）に入力されています。"),
            format!("Entered late at night ({hhmm})."),
        ),
        (Code::HcpFrequency, D::Frequency { count, days, max }) => (
            format!("同じ医師への訪問が{days}日間で{count}件あります（目安は{max}件まで）。"),
            format!("{count} visits to this HCP within {days} days (the usual maximum is {max})."),
        ),
        (
            Code::TapShortfall,
            D::Shortfall {
                missed,
                shown,
                usual_percent,
            },
        ) => (
            format!(
                "この担当者は資料を提示した訪問{shown}件のうち{missed}件でタップ記録がなく、通常（{usual_percent}%程度）より大幅に多くなっています。"
            ),
            format!(
                "This rep has no tap on {missed} of {shown} visits that showed materials, far more than usual (about {usual_percent}%)."
            ),
        ),
        (Code::UnknownInsightCode, D::Reference { ja, en, id }) => (
            format!("{ja}「{id}」は定義にありません。"),
            format!("The {en} \"{id}\" is not defined."),
        ),
        (Code::InsightProductNotDiscussed, D::Reference { id, .. }) => (
            format!("製品「{id}」はこの訪問の説明製品にありません。先に説明製品に追加してください。"),
            format!("The product \"{id}\" is not among the products discussed in this visit; add it there first."),
        ),
        (Code::OffLabelAnswered, _) => (
            "適応外の質問にはMRは回答できません。メディカル部門へ回付してください。".into(),
            "An off-label question is answered by Medical, not the rep: route it to Medical.".into(),
        ),
        // A detail that does not fit its code is a programming error: say something true and generic.
        (code, _) => (
            format!("入力を確認してください（{}）。", code.as_str()),
            format!("Please check this entry ({}).", code.as_str()),
        ),
    }
}
