// Doctor insights from Kotlin through the real native library: Japanese notes in, topics and flags out; insights
// stored with a visit and checked against the catalog.
package jp.mrcompanion

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mrc_core.Code
import uniffi.mrc_core.InformationNeed
import uniffi.mrc_core.ProductStage
import uniffi.mrc_core.QuestionStatus

class InsightsTest {
    @Test
    fun `a patient's rash is flagged for a safety report and the topics follow the notes`() {
        val s = Insights.suggest("腎機能低下例での用量を質問。７２歳の患者さんで服用２週目に発疹が出たとのこと。")
        assertEquals("発疹", s.adverseEvent?.cue)
        assertEquals(1u, s.adverseEvent?.sentence)
        assertEquals(listOf("safety", "dosing_renal"), s.topics.map { it.code })
        assertNull(s.offLabel)
        assertEquals(5u, s.lexiconVersion)
    }

    @Test
    fun `a negated side effect is not flagged and an off-label question is`() {
        val s = Insights.suggest("副作用の報告は特になし。小児への投与について質問された（適応外）。")
        assertNull(s.adverseEvent)
        assertEquals("適応外", s.offLabel?.cue)
    }
}

class VisitInsightsTest {
    @Test
    fun `insights are stored with the visit, checked against the catalog, and an off-label answer is refused`(): Unit =
        runBlocking {
            Fixtures.openWithMaster().use { store ->
                val catalog = store.insightCatalog()
                assertEquals("未認知", catalog.stages.first().nameJa)
                assertTrue(catalog.topics.any { it.code == "dosing_renal" })

                val question = doctorQuestion("透析患者での用量は？", topic = "dosing_renal", productId = "P1")
                val mention = safetyMention("服用2週目に発疹が出た患者がいたとのこと", productId = "P1")
                val form = Fixtures.validVisit().copy(
                    insights = visitInsights(
                        stages = listOf(ProductStage("P1", "trial")),
                        needs = listOf(InformationNeed("dosing_renal", "P1")),
                        questions = listOf(question),
                        safety = listOf(mention),
                    ),
                )
                val id = store.createVisit(form)
                val stored = store.getVisit(id).fields.insights
                assertEquals(listOf(ProductStage("P1", "trial")), stored.stages)
                assertEquals(QuestionStatus.OPEN, stored.questions.single().status)
                assertEquals(false, stored.safety.single().forwarded)

                val offLabel = doctorQuestion("小児への投与は？", offLabel = true, status = QuestionStatus.ANSWERED)
                val answered = form.copy(insights = form.insights.copy(questions = listOf(offLabel)))
                val report = store.validate(answered, now = Fixtures.now)
                assertFalse(report.ok)
                val finding = report.findings.single { it.code == Code.OFF_LABEL_ANSWERED }
                assertEquals("適応外の質問にはMRは回答できません。メディカル部門へ回付してください。", finding.messageJa)
            }
        }
}

class DoctorProfileTest {
    @Test
    fun `the pre-visit screen shows the doctor's stage and open need and suggests the material answering it`(): Unit =
        runBlocking {
            Fixtures.openWithMaster().use { store ->
                val form = Fixtures.validVisit().copy(
                    insights = visitInsights(
                        stages = listOf(ProductStage("P1", "interested")),
                        needs = listOf(InformationNeed("dosing_renal", "P1")),
                        questions = listOf(doctorQuestion("eGFR 30未満での用量は？", topic = "dosing_renal")),
                    ),
                )
                store.createVisit(form)
                val profile = store.doctorProfile("H1")
                assertEquals(1u, profile.visits)
                assertEquals("interested", profile.stages.single().stage)
                assertEquals("dosing_renal", profile.openNeeds.single().topic)
                assertEquals("eGFR 30未満での用量は？", profile.openQuestions.single().question.text)
                assertEquals(Fixtures.started.toInstant(), profile.lastVisits.single().startedAt)

                val suggestion = store.pullSuggestions("H1", Fixtures.now).single()
                assertEquals("M1" to 2u, suggestion.materialId to suggestion.version)
                assertEquals(listOf("dosing_renal"), suggestion.answers)
                assertTrue(suggestion.newToDoctor)
            }
        }
}
