// Error mapping across the boundary: typed exceptions, no PII in messages, a panic in the core is an error.
package jp.mrcompanion

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import uniffi.mrc_ffi.MrcException
import org.junit.jupiter.api.assertThrows

class ErrorTest {
    @Test
    fun `unknown and malformed ids are typed errors`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val missing = assertThrows<MrcException.NotFound> {
                runBlocking { store.getVisit("0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b") }
            }
            assertEquals("visit", missing.what)
            val bad = assertThrows<MrcException.Validation> { runBlocking { store.getVisit("訪問-1") } }
            assertEquals("bad_id", bad.code)
        }
    }

    @Test
    fun `a refused document names no doctor and quotes no notes`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val json = """{"reps":[{"id":"R1","name":"佐藤 花子","products":"山田 太郎の所見"}]}"""
            val err = assertThrows<MrcException.Validation> { runBlocking { store.importMasterJson(json) } }
            assertEquals("/reps/0/products", err.field)
            assertFalse(err.message!!.contains("山田"), err.message)
            val merge = assertThrows<MrcException.Validation> { runBlocking { store.merge("山田先生".toByteArray()) } }
            assertEquals("bad_document", merge.code)
        }
    }

    @Test
    fun `a panic inside the core surfaces as an Internal error and the store keeps working`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val err = assertThrows<MrcException.Internal> { store.raw.panicProbe() }
            assertFalse(err.message!!.contains("panic probe"))
            assertEquals(2UL, store.masterCounts().hcps)
            store.createVisit(Fixtures.validVisit())
        }
    }
}
