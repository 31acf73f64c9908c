// Doctor insights proposed from the notes while the MR types: topics, a possible adverse event, an off-label question.

public enum Insights {
    /// What the core proposes for `notes` (pure, a fraction of a millisecond: call it on every pause in typing).
    /// Proposals only: show them, and record what the MR accepts; an adverse-event flag prompts for a safety report.
    public static func suggest(_ notes: String) throws -> InsightSuggestions {
        try suggestInsights(notes: notes)
    }
}
