// Notes through the binding: UTF-16 indices from Kotlin become scalar positions in the core (emoji, kanji),
// concurrent edits from two threads all land, and two replicas merge.
package jp.mrcompanion

import java.util.concurrent.atomic.AtomicBoolean
import kotlin.concurrent.thread
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mrc_ffi.MrcException
import org.junit.jupiter.api.assertThrows

class NotesTest {
    @Test
    fun `UTF-16 indices convert to scalar positions around emoji and kanji`() {
        val text = "😊先生👍データ"
        assertEquals(2, NotesText.scalarPosition(text, 3)) // after 😊 (2 code units) and 先
        assertEquals(3, NotesText.utf16Index(text, 2))
        assertEquals(ScalarEdit(position = 3, delete = 1), NotesText.toScalarEdit(text, 4, 6)) // 👍
        assertThrows<IllegalArgumentException> { NotesText.scalarPosition(text, 1) } // inside 😊
    }

    /** Runs what was dispatched to it in batches, newest first: calls in flight at once run out of order. */
    private class ReversingDispatcher : CoroutineDispatcher() {
        private val pending = ArrayDeque<Runnable>()

        override fun dispatch(context: CoroutineContext, block: Runnable) {
            synchronized(pending) { pending.addLast(block) }
        }

        fun runBatch() {
            val batch = synchronized(pending) { pending.toList().also { pending.clear() } }
            batch.asReversed().forEach { it.run() }
        }
    }

    @Test
    fun `keystrokes sent without waiting land in order, and an edit against other text is refused`(): Unit = runBlocking {
        val reversing = ReversingDispatcher()
        val pumping = AtomicBoolean(true)
        val pump = thread(isDaemon = true) {
            while (pumping.get()) {
                reversing.runBatch()
                Thread.sleep(5)
            }
        }
        Fixtures.openWithMaster(dispatcher = reversing).use { store ->
            val id = store.createVisit(Fixtures.validVisit(notes = ""))
            // A field that sends every keystroke at once, each computed on the text it showed, none awaited.
            var shown = ""
            val typed = "先生は腎機能低下例の用量に関心😊"
            val keystrokes = typed.codePoints().toArray().map { String(Character.toChars(it)) }.map { key ->
                val before = shown
                shown += key
                launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
                    store.editNotes(id, before, before.length, before.length, key)
                }
            }
            keystrokes.joinAll()
            assertEquals(typed, store.getVisit(id).fields.notes)

            val stale = assertThrows<MrcException.Validation> {
                runBlocking { store.editNotes(id, "先生は", 3, 3, "、") }
            }
            assertEquals("stale_edit", stale.code)
            assertEquals(typed, store.getVisit(id).fields.notes, "a refused edit changes nothing")
        }
        pumping.set(false)
        pump.join()
    }

    @Test
    fun `an edit given in UTF-16 indices lands where the text field showed it`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit(notes = "😊先生は👍新データに関心"))
            val before = store.getVisit(id).fields.notes
            val start = before.indexOf("👍")
            store.editNotes(id, before, start, start + "👍".length, "とても")
            assertEquals("😊先生はとても新データに関心", store.getVisit(id).fields.notes)
            store.spliceNotes(id, 0, 1, "🎉")
            assertEquals("🎉先生はとても新データに関心", store.getVisit(id).fields.notes)
            val err = assertThrows<MrcException.Validation> { runBlocking { store.spliceNotes(id, 100, 0, "x") } }
            assertEquals("notes_range", err.code)
        }
    }

    @Test
    fun `two threads edit the same notes and every edit lands`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit(notes = ""))
            val perThread = 40
            listOf("甲", "乙").map { mark ->
                async(Dispatchers.Default) {
                    repeat(perThread) { store.spliceNotes(id, 0, 0, mark) }
                }
            }.awaitAll()
            val notes = store.getVisit(id).fields.notes
            assertEquals(perThread, notes.count { it == '甲' })
            assertEquals(perThread, notes.count { it == '乙' })
        }
    }

    @Test
    fun `two replicas edit different parts of the notes and converge`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { tablet ->
            Fixtures.openWithMaster().use { phone ->
                val id = tablet.createVisit(Fixtures.validVisit(notes = "先生は新データに関心。"))
                assertTrue(phone.merge(tablet.export(id)).created)
                tablet.setNotes(id, "山田先生は新データに関心。")
                phone.setNotes(id, "先生は新データに関心。次回は用量の説明。")
                phone.mergeInto(id, tablet.export(id))
                val outcome = tablet.merge(phone.export(id))
                assertTrue(outcome.changed)
                val expected = "山田先生は新データに関心。次回は用量の説明。"
                assertEquals(expected, tablet.getVisit(id).fields.notes)
                assertEquals(expected, phone.getVisit(id).fields.notes)
                assertFalse(tablet.merge(phone.export(id)).changed)
            }
        }
    }
}
