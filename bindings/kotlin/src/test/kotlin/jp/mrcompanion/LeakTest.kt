// Closing releases everything: no live native store, no open file of the database, no use after close.
package jp.mrcompanion

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.mrc_ffi.liveStoreCount

class LeakTest {
    /** Files of [dir] this process holds open (Linux: the targets of /proc/self/fd). */
    private fun openFilesUnder(dir: Path): List<String> =
        File("/proc/self/fd").listFiles().orEmpty().mapNotNull { fd ->
            runCatching { Files.readSymbolicLink(fd.toPath()).toString() }.getOrNull()
        }.filter { it.startsWith(dir.toString()) }

    @Test
    fun `closing stores releases the native objects and their SQLite connections`(): Unit = runBlocking {
        val before = liveStoreCount()
        repeat(25) {
            val path = Fixtures.tempDb()
            val dir = Path.of(path).parent
            val store = Fixtures.openWithMaster(path)
            store.createVisit(Fixtures.validVisit())
            store.visitsForHcp("H1")
            assertEquals(before + 1UL, liveStoreCount())
            assert(openFilesUnder(dir).isNotEmpty())
            store.close()
            assertEquals(emptyList<String>(), openFilesUnder(dir), "a connection outlived close()")
        }
        assertEquals(before, liveStoreCount())
    }

    @Test
    fun `a closed store refuses calls instead of crashing`(): Unit = runBlocking {
        val store = Fixtures.openWithMaster()
        store.close()
        assertThrows<IllegalStateException> { runBlocking { store.masterCounts() } }
        store.close() // closing twice is harmless
    }
}
