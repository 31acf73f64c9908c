// Opening a store and importing master data through the binding: Japanese text, counts, refusals with a path.
package jp.mrcompanion

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import uniffi.mrc_ffi.MrcException
import org.junit.jupiter.api.assertThrows

class StoreTest {
    @Test
    fun `imports master data and reads kanji and kana back`(): Unit = runBlocking {
        CompanionStore.open(Fixtures.tempDb()).use { store ->
            val counts = store.importMasterJson(Fixtures.masterJson)
            assertEquals(2UL, counts.hcps)
            assertEquals(2UL, counts.materials)
            assertEquals(counts, store.masterCounts())
            val name = store.hcpName("H1")!!
            assertEquals("山田 太郎", name.name)
            assertEquals("やまだ たろう", name.kana)
            assertNull(store.hcpName("H9"))
            assertNull(store.recoveredFrom)
        }
    }

    @Test
    fun `a bad master file is refused with the JSON pointer and nothing is imported`(): Unit = runBlocking {
        CompanionStore.open(Fixtures.tempDb()).use { store ->
            val bad = """{"hcps":[{"id":"H1","name":"山田 太郎","kana":"やまだ","specialty":"内科","institution_id":7}]}"""
            val err = assertThrows<MrcException.Validation> { runBlocking { store.importMasterJson(bad) } }
            assertEquals("/hcps/0/institution_id", err.field)
            assertEquals("invalid_value", err.code)
            assertEquals(0UL, store.masterCounts().hcps)
        }
    }
}
