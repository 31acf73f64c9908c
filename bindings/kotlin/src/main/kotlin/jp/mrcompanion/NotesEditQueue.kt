// Notes edits of one visit, applied one after the other in the order they were asked for.
package jp.mrcompanion

import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * One fair [Mutex] per visit: an edit starts only once the previous edit of the same visit has returned, so a
 * position computed on the text after edit n is never applied before edit n (edits of other visits do not wait).
 */
internal class NotesEditQueue {
    private val locks = ConcurrentHashMap<String, Mutex>()

    suspend fun <T> inOrder(visitId: String, edit: suspend () -> T): T =
        locks.computeIfAbsent(visitId) { Mutex() }.withLock { edit() }
}
