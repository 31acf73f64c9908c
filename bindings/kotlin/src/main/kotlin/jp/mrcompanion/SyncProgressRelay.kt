// Bridges the core's SyncProgressListener callback (called on the thread running the sync) to a SharedFlow and an
// optional per-call callback.
package jp.mrcompanion

import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow
import uniffi.mrc_core.SyncProgress
import uniffi.mrc_ffi.SyncProgressListener

/** Progress of every sync run through one store; never blocks nor throws into Rust. */
internal class SyncProgressRelay {
    private val progress = MutableSharedFlow<SyncProgress>(
        extraBufferCapacity = 64,
        onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )

    val flow: SharedFlow<SyncProgress> = progress.asSharedFlow()

    /** A listener for one sync call: emits to [flow] and calls [onProgress], swallowing whatever it throws. */
    fun listener(onProgress: (SyncProgress) -> Unit): SyncProgressListener = object : SyncProgressListener {
        override fun progress(progress: SyncProgress) {
            this@SyncProgressRelay.progress.tryEmit(progress)
            runCatching { onProgress(progress) }
        }
    }
}
