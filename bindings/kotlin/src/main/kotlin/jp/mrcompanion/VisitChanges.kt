// Bridges the core's VisitObserver callback (called on the thread that made the change) to a Kotlin SharedFlow.
package jp.mrcompanion

import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow
import uniffi.mrc_ffi.VisitChange
import uniffi.mrc_ffi.VisitObserver

/** Never blocks nor throws into Rust: tryEmit on a buffered flow that drops the oldest change when full. */
internal class VisitChanges : VisitObserver {
    private val changes = MutableSharedFlow<VisitChange>(
        extraBufferCapacity = 256,
        onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )

    val flow: SharedFlow<VisitChange> = changes.asSharedFlow()

    override fun visitChanged(change: VisitChange) {
        changes.tryEmit(change)
    }
}
