// Doctor insights: proposed from the notes while the MR types (topics, a possible adverse event, an off-label
// question), and recorded in the visit (stages, needs, questions, safety mentions).
import Foundation

public enum Insights {
    /// What the core proposes for `notes` (pure, a fraction of a millisecond: call it on every pause in typing).
    /// Proposals only: show them, and record what the MR accepts; an adverse-event flag prompts for a safety report.
    public static func suggest(_ notes: String) throws -> InsightSuggestions {
        try suggestInsights(notes: notes)
    }
}

extension VisitInsights {
    /// A visit without insights.
    public static let none = VisitInsights(stages: [], needs: [], questions: [], safety: [])
}

extension DoctorQuestion {
    /// A question the doctor asked; `id` is made once by the app. Off-label questions start routed to Medical.
    public static func asked(
        _ text: String, id: String = UUID().uuidString, topic: String? = nil, productId: String? = nil,
        offLabel: Bool = false, status: QuestionStatus? = nil
    ) -> DoctorQuestion {
        DoctorQuestion(
            id: id, text: text, topic: topic, productId: productId, offLabel: offLabel,
            status: status ?? (offLabel ? .routed : .open))
    }
}

extension SafetyMention {
    /// Safety information the doctor mentioned (a possible adverse event), not yet forwarded unless `forwarded`.
    public static func mentioned(
        _ text: String, id: String = UUID().uuidString, productId: String? = nil, forwarded: Bool = false
    ) -> SafetyMention {
        SafetyMention(id: id, text: text, productId: productId, forwarded: forwarded)
    }
}
