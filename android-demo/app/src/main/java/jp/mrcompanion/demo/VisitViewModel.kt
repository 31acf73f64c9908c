// Screen state: the form as the MR types it, the core's findings for it, the last tap. No rule is decided here:
// every change is sent to the core's validator, and what it says is shown as it is.
package jp.mrcompanion.demo

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import java.time.OffsetDateTime
import jp.mrcompanion.CompanionStore
import jp.mrcompanion.visitFields
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import uniffi.mrc_core.Channel
import uniffi.mrc_core.Report
import uniffi.mrc_core.VisitFields
import uniffi.mrc_ffi.MrcException
import uniffi.mrc_ffi.TapResult

class VisitViewModel(app: Application) : AndroidViewModel(app) {
    private val store = (app as DemoApp).store

    private val _form = MutableStateFlow(visitFields(channel = Channel.IN_PERSON, startedAt = OffsetDateTime.now()))
    val form: StateFlow<VisitFields> = _form
    private val _report = MutableStateFlow<Report?>(null)
    val report: StateFlow<Report?> = _report
    private val _tap = MutableStateFlow<TapResult?>(null)
    val tap: StateFlow<TapResult?> = _tap
    private val _problem = MutableStateFlow<String?>(null)
    val problem: StateFlow<String?> = _problem

    /** The visit being edited, once saved. */
    var visitId: String? = null
        private set
    private var validation: Job? = null

    private suspend fun store(): CompanionStore = store.await()

    /** The form changed: show the core's findings for it (debounced by one frame of typing). */
    fun edit(change: (VisitFields) -> VisitFields) {
        _form.value = change(_form.value)
        validation?.cancel()
        validation = viewModelScope.launch {
            delay(150)
            _report.value = store().validate(_form.value, id = visitId)
        }
    }

    /**
     * A notes edit from the text field, in its UTF-16 indices. Launched undispatched, so edits queue in typing
     * order; a refused edit (e.g. `stale_edit`: an earlier one failed) is shown, and the field gets the stored notes.
     */
    fun editNotes(before: String, start: Int, end: Int, replacement: String) {
        val id = visitId
        edit { it.copy(notes = before.replaceRange(start, end, replacement)) }
        if (id != null) viewModelScope.launch(start = CoroutineStart.UNDISPATCHED) {
            try {
                store().editNotes(id, before, start, end, replacement)
            } catch (refused: MrcException) {
                _problem.value = refused.message
                val stored = store().getVisit(id).fields.notes
                _form.value = _form.value.copy(notes = stored)
            }
        }
    }

    fun save() = viewModelScope.launch {
        val id = visitId
        if (id == null) visitId = store().createVisit(_form.value) else store().updateVisit(id, _form.value)
    }

    fun submit() = viewModelScope.launch {
        val id = visitId ?: store().createVisit(_form.value).also { visitId = it }
        try {
            _report.value = store().submit(id)
            _problem.value = null
        } catch (refused: MrcException.Validation) {
            _report.value = store().validate(_form.value, id = id)
        } catch (failed: MrcException) {
            _problem.value = failed.message
        }
    }

    /** A card (or a card link) was read: the core decides what to show and stores the engagement event. */
    fun tap(ndef: ByteArray) = viewModelScope.launch {
        _tap.value = store().tap(ndef, visitId = visitId)
    }
}
