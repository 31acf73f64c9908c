// Callbacks from Rust into Kotlin: the VisitObserver, as a Flow, hears changes made on any thread.
package jp.mrcompanion

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.onSubscription
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import uniffi.mrc_ffi.ChangeKind
import uniffi.mrc_ffi.VisitChange
import uniffi.mrc_ffi.VisitObserver

class CallbackTest {
    @Test
    fun `changes arrive as a Flow in commit order`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val subscribed = CompletableDeferred<Unit>()
            val collected = async(Dispatchers.Default) {
                store.changes.onSubscription { subscribed.complete(Unit) }.take(4).toList()
            }
            subscribed.await()
            val id = store.createVisit(Fixtures.validVisit())
            store.updateVisit(id, Fixtures.validVisit().copy(durationMin = 25u))
            store.setNotes(id, "面談メモ ✍️")
            store.submit(id, Fixtures.now)
            val changes = withTimeout(10_000) { collected.await() }
            assertEquals(
                listOf(ChangeKind.CREATED, ChangeKind.UPDATED, ChangeKind.NOTES_EDITED, ChangeKind.SUBMITTED),
                changes.map { it.kind },
            )
            assertEquals(setOf(id), changes.map { it.id }.toSet())
        }
    }

    @Test
    fun `the raw callback is called on the thread that made the change`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val threads = java.util.concurrent.ConcurrentLinkedQueue<String>()
            store.raw.setObserver(object : VisitObserver {
                override fun visitChanged(change: VisitChange) {
                    threads.add(Thread.currentThread().name)
                }
            })
            val worker = Thread({ store.raw.createVisit(Fixtures.validVisit()) }, "worker-甲")
            worker.start()
            worker.join()
            withContext(Dispatchers.IO) { store.raw.createVisit(Fixtures.validVisit()) }
            assertEquals("worker-甲", threads.first())
            assertEquals(2, threads.size)
        }
    }
}
