// Encryption at rest through the binding: a key from the app encrypts the store, a wrong key is a typed error that
// changes nothing, a plain store is encrypted at its first open with a key, and rekey moves it to a new key.
package jp.mrcompanion

import java.io.File
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.mrc_ffi.MrcException

class EncryptionTest {
    private val keyA = ByteArray(32) { 0x0a }
    private val keyB = ByteArray(32) { 0x0b }

    private fun ByteArray.contains(text: String): Boolean {
        val needle = text.toByteArray(Charsets.UTF_8)
        return (0..size - needle.size).any { start -> needle.indices.all { this[start + it] == needle[it] } }
    }

    private suspend fun writeVisit(path: String, key: ByteArray?) {
        CompanionStore.open(path, clock = Fixtures.clock, key = key).use { store ->
            store.importMasterJson(Fixtures.masterJson)
            store.createVisit(Fixtures.validVisit(notes = "腎機能低下例の用量について質問あり。"))
        }
    }

    @Test
    fun `a stolen file shows no name and a wrong key changes nothing`(): Unit = runBlocking {
        val path = Fixtures.tempDb()
        writeVisit(path, keyA)
        val bytes = File(path).readBytes()
        assertFalse(bytes.contains("山田 太郎"))
        assertFalse(bytes.contains("腎機能低下例"))
        assertFalse(bytes.contains("SQLite format 3"))

        assertThrows<MrcException.WrongKey> { runBlocking { CompanionStore.open(path, key = keyB) } }
        assertThrows<MrcException.WrongKey> { runBlocking { CompanionStore.open(path) } }
        assertArrayEquals(bytes, File(path).readBytes())
        val tooShort = assertThrows<MrcException.Validation> {
            runBlocking { CompanionStore.open(path, key = ByteArray(16)) }
        }
        assertEquals("invalid_key", tooShort.code)

        CompanionStore.open(path, clock = Fixtures.clock, key = keyA).use { store ->
            assertEquals("山田 太郎", store.hcpName("H1")!!.name)
            assertEquals(1, store.visitsForHcp("H1").size)
        }
    }

    @Test
    fun `a plain store is encrypted at its first open with a key, and rekey moves it to a new one`(): Unit =
        runBlocking {
            val path = Fixtures.tempDb()
            writeVisit(path, key = null)
            assertTrue(File(path).readBytes().contains("SQLite format 3"))
            CompanionStore.open(path, clock = Fixtures.clock, key = keyA).use { store ->
                assertEquals("腎機能低下例の用量について質問あり。", store.visitsForHcp("H1").single().fields.notes)
            }
            assertFalse(File(path).readBytes().contains("SQLite format 3"))

            assertThrows<MrcException.WrongKey> { runBlocking { CompanionStore.rekey(path, keyB, keyA) } }
            CompanionStore.rekey(path, keyA, keyB)
            assertThrows<MrcException.WrongKey> { runBlocking { CompanionStore.open(path, key = keyA) } }
            CompanionStore.open(path, clock = Fixtures.clock, key = keyB).use { store ->
                assertEquals(1, store.visitsForHcp("H1").size)
            }
        }
}
