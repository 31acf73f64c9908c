// Doctor insights proposed from the notes while the MR types: topics, a possible adverse event, an off-label question.
package jp.mrcompanion

import uniffi.mrc_core.InsightSuggestions
import uniffi.mrc_ffi.suggestInsights

object Insights {
    /**
     * What the core proposes for [notes] (pure, a fraction of a millisecond: call it on every pause in typing).
     * Proposals only: show them, and record what the MR accepts; an adverse-event flag prompts for a safety report.
     */
    fun suggest(notes: String): InsightSuggestions = suggestInsights(notes)
}
