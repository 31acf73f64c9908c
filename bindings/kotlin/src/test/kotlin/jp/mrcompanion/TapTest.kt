// NFC taps from Kotlin: a signed card read as NDEF bytes, foreign and unreadable tags, evidence for validation.
package jp.mrcompanion

import java.time.OffsetDateTime
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mrc_core.Code
import uniffi.mrc_ffi.TapAction
import uniffi.mrc_ffi.TapVerification
import uniffi.mrc_ffi.ndefUriMessage

class TapTest {
    /** An NDEF message with one URI record, written by hand (prefix 0x04 = "https://"). */
    private fun uriMessage(rest: String): ByteArray {
        val payload = byteArrayOf(0x04) + rest.toByteArray(Charsets.UTF_8)
        return byteArrayOf(0xD1.toByte(), 0x01, payload.size.toByte(), 'U'.code.toByte()) + payload
    }

    @Test
    fun `a signed card is verified and names its material`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val ndef = store.raw.issueTestCard("M1", 2u)
            val tap = store.tap(ndef, now = OffsetDateTime.parse("2026-11-20T10:05:00+09:00"))
            assertEquals(TapVerification.VERIFIED, tap.verification)
            assertEquals("4242", tap.cardId)
            val action = tap.action as TapAction.NotCached
            assertEquals("M1", action.material)
            assertEquals(2u, action.version)
            assertTrue(action.fallbackUrl.startsWith("https://tap.example.jp/c/"))
            assertEquals(36, tap.eventId.length)
        }
    }

    @Test
    fun `foreign and unreadable tags are outcomes with Japanese reasons, not errors`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val foreign = store.tap(uriMessage("evil.example.com/c/abc")).action as TapAction.UnknownCard
            assertEquals("foreign_url", foreign.reason.code)
            assertEquals("当社サービス以外を指すカードのため、開きませんでした。", foreign.reason.messageJa)
            val garbage = store.tap(byteArrayOf(0x00, 0x7F, 0x13)).action as TapAction.UnknownCard
            assertEquals("unreadable", garbage.reason.code)
            // An App Link opens the same judgement as a tap: the core wraps the URL in an NDEF message.
            val link = store.tap(ndefUriMessage("https://tap.example.jp/c/not-a-token")).action
            assertTrue(link is TapAction.Forged || link is TapAction.UnknownCard, "$link")
        }
    }

    @Test
    fun `a verified tap during the visit is evidence for the material shown`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val fields = Fixtures.validVisit().copy(materialsShown = listOf(material("M1", 2)))
            val id = store.createVisit(fields)
            val before = store.validate(fields, id = id, now = Fixtures.now)
            assertTrue(before.findings.any { it.code == Code.MATERIAL_WITHOUT_EVIDENCE })
            store.tap(store.raw.issueTestCard("M1", 2u), visitId = id, now = Fixtures.started.plusMinutes(5))
            val after = store.validate(fields, id = id, now = Fixtures.now)
            assertTrue(after.findings.none { it.code == Code.MATERIAL_WITHOUT_EVIDENCE }, "${after.findings}")
            assertTrue(after.reasons.any { it.code == "verified_tap" })
        }
    }
}
