// Doctor insights from Kotlin: Japanese notes in, topics and flags out, through the real native library.
package jp.mrcompanion

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

class InsightsTest {
    @Test
    fun `a patient's rash is flagged for a safety report and the topics follow the notes`() {
        val s = Insights.suggest("腎機能低下例での用量を質問。７２歳の患者さんで服用２週目に発疹が出たとのこと。")
        assertEquals("発疹", s.adverseEvent?.cue)
        assertEquals(1u, s.adverseEvent?.sentence)
        assertEquals(listOf("safety", "dosing_renal"), s.topics.map { it.code })
        assertNull(s.offLabel)
        assertEquals(2u, s.lexiconVersion)
    }

    @Test
    fun `a negated side effect is not flagged and an off-label question is`() {
        val s = Insights.suggest("副作用の報告は特になし。小児への投与について質問された（適応外）。")
        assertNull(s.adverseEvent)
        assertEquals("適応外", s.offLabel?.cue)
    }
}
