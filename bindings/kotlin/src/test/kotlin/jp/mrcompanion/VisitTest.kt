// A visit through its lifecycle from Kotlin: create, validate with Japanese findings, submit, lock, amend.
package jp.mrcompanion

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mrc_ffi.MrcException
import uniffi.mrc_ffi.parseVisitJson
import org.junit.jupiter.api.assertThrows
import uniffi.mrc_core.Channel
import uniffi.mrc_core.Code
import uniffi.mrc_core.Severity
import uniffi.mrc_core.VisitStatus

class VisitTest {
    @Test
    fun `an empty form gets required findings with Japanese and English messages`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val report = store.validate(visitFields(channel = Channel.IN_PERSON), now = Fixtures.now)
            assertFalse(report.ok)
            val required = report.findings.filter { it.code == Code.REQUIRED }
            assertEquals(
                setOf("/rep_id", "/hcp_id", "/institution_id", "/started_at", "/duration_min", "/products"),
                required.map { it.field }.toSet(),
            )
            val hcp = required.first { it.field == "/hcp_id" }
            assertEquals("医師を入力してください。", hcp.messageJa)
            assertEquals("The HCP is required.", hcp.messageEn)
            assertEquals(Severity.ERROR, hcp.severity)
            assertTrue(report.score < 100u)
        }
    }

    @Test
    fun `a visit is created, read back with its times, submitted, locked and amended`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit())
            val visit = store.getVisit(id)
            assertEquals(id, visit.id)
            assertEquals(Fixtures.started, visit.fields.startedAt)
            assertEquals("+09:00", visit.fields.startedAt!!.offset.id)
            assertEquals(VisitStatus.DRAFT, visit.status)
            assertEquals(Fixtures.now, visit.enteredAt, "entered by the store's clock")

            val report = store.validate(visit.fields, id = id, now = Fixtures.now)
            assertTrue(report.ok, "findings: ${report.findings.map { it.code }}")

            store.submit(id, Fixtures.now)
            val submitted = store.getVisit(id)
            assertEquals(VisitStatus.SUBMITTED, submitted.status)
            assertNotNull(submitted.firstSubmittedAt)

            val locked = assertThrows<MrcException.Conflict> {
                runBlocking { store.updateVisit(id, submitted.fields.copy(durationMin = 20u)) }
            }
            assertEquals("edit_after_submit", locked.code)

            store.amend(id, submitted.fields.copy(durationMin = 20u), "面談時間の入力誤り", Fixtures.now)
            val amended = store.getVisit(id)
            assertEquals(VisitStatus.AMENDED, amended.status)
            assertEquals(20u, amended.fields.durationMin)
            assertEquals(1u, amended.amendmentCount)
        }
    }

    @Test
    fun `a submission with errors is refused with every finding attached`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit().copy(hcpId = "H2"))
            val err = assertThrows<MrcException.Validation> { runBlocking { store.submit(id, Fixtures.now) } }
            assertEquals("hcp_not_at_institution", err.code)
            assertEquals("/hcp_id", err.field)
            assertEquals("この医師はこの施設に所属していません。", err.findings.first { it.code == Code.HCP_NOT_AT_INSTITUTION }.messageJa)
            assertEquals(VisitStatus.DRAFT, store.getVisit(id).status)
        }
    }

    @Test
    fun `visit JSON parses into the same form, and a bad value names its path`() {
        val input = parseVisitJson(
            """{"rep_id":"R1","hcp_id":"H1","channel":"in_person","started_at":"2026-11-20T10:00:00+09:00",
               "products":[{"product_id":"P1","priority":1}],"notes":"先生は新データに関心 😊"}""",
        )
        assertEquals(Fixtures.started, input.fields.startedAt)
        assertEquals("先生は新データに関心 😊", input.fields.notes)
        val err = assertThrows<MrcException.Validation> { parseVisitJson("""{"channel":"fax"}""") }
        assertEquals("/channel", err.field)
        val noOffset = assertThrows<MrcException.Validation> {
            parseVisitJson("""{"started_at":"2026-11-20T10:00:00","notes":"先生は関心"}""")
        }
        assertEquals("/started_at" to "missing_offset", noOffset.field to noOffset.code)
        // The same instant in UTC, as Instant.toString() writes it, is the same visit time.
        val utc = parseVisitJson("""{"started_at":"2026-11-20T01:00:00Z"}""")
        assertEquals(Fixtures.started.toInstant(), utc.fields.startedAt!!.toInstant())
    }

    @Test
    fun `lists answer by day, by HCP and by dates`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit())
            assertEquals(listOf(id), store.visitsToday(Fixtures.started.plusHours(3).toInstant()).map { it.id })
            // 23:30 UTC the day before is 08:30 in Tokyo: the same local day.
            assertEquals(listOf(id), store.visitsToday(java.time.Instant.parse("2026-11-19T23:30:00Z")).map { it.id })
            assertEquals(listOf(id), store.visitsForHcp("H1").map { it.id })
            val day = Fixtures.started.toLocalDate()
            assertEquals(listOf(id), store.visitsBetween(day, day).map { it.id })
            assertEquals(emptyList<String>(), store.visitsBetween(day.plusDays(1), day.plusDays(2)).map { it.id })
        }
    }
}
