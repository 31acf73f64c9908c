// The Kotlin API of the MR Companion core: a store an app opens once, closes once, and calls from coroutines.
package jp.mrcompanion

import java.io.File
import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.withContext
import uniffi.mrc_core.Comment
import uniffi.mrc_core.CommentRole
import uniffi.mrc_core.ContentProgress
import uniffi.mrc_core.ContentReport
import uniffi.mrc_core.DoctorProfile
import uniffi.mrc_core.InsightCatalog
import uniffi.mrc_core.MasterCounts
import uniffi.mrc_core.MaterialSuggestion
import uniffi.mrc_core.MergeOutcome
import uniffi.mrc_core.NewToken
import uniffi.mrc_core.Report
import uniffi.mrc_core.SyncProgress
import uniffi.mrc_core.SyncReport
import uniffi.mrc_core.Visit
import uniffi.mrc_core.VisitFields
import uniffi.mrc_ffi.ContentDownloader
import uniffi.mrc_ffi.ContentProgressListener
import uniffi.mrc_ffi.HcpName
import uniffi.mrc_ffi.SyncTransport
import uniffi.mrc_ffi.TapResult
import uniffi.mrc_ffi.VisitChange
import uniffi.mrc_ffi.rekeyStore
import uniffi.mrc_ffi.MrcStore as FfiStore

/**
 * An open local store. Every call is a `suspend` function that runs the (blocking) core call on [dispatcher]
 * (default [Dispatchers.IO]), so it may be called from the main thread; the core itself is safe to call from any
 * number of threads at once. Errors are `uniffi.mrc_ffi.MrcException`s. [close] releases the SQLite connections once calls in
 * flight have returned; a closed store refuses further calls with `IllegalStateException`.
 */
class CompanionStore private constructor(
    private val ffi: FfiStore,
    private val dispatcher: CoroutineDispatcher,
    /** The clock the store stamps and judges by; the default of every `now` parameter below. */
    val clock: Clock,
) : AutoCloseable {
    private val observer = VisitChanges()
    private val syncRelay = SyncProgressRelay()
    private val closed = AtomicBoolean(false)
    private val notesEdits = NotesEditQueue()

    init {
        ffi.setObserver(observer)
    }

    companion object {
        /**
         * Opens (creating if needed) the store at [path]. [clock] is the device's time for every stamp and check
         * (the system clock by default; a `Clock.fixed(…)` in tests). [key] (32 bytes the app keeps in the Android
         * Keystore) encrypts the store: a plain store is encrypted in place at its first open with a key; a key
         * that does not open it throws `MrcException.WrongKey` and leaves the file as it was.
         */
        suspend fun open(
            path: String,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
            clock: Clock = Clock.systemDefaultZone(),
            key: ByteArray? = null,
        ): CompanionStore = withContext(dispatcher) {
            val native = if (clock == Clock.systemDefaultZone()) null else DeviceClockOf(clock)
            CompanionStore(FfiStore.open(path, native, key), dispatcher, clock)
        }

        /**
         * Re-encrypts the closed store at [path] from [oldKey] (`null`: a plain store) to [newKey]; crash-safe (a
         * killed process leaves the store readable with one key or the other). Close every store of [path] first.
         */
        suspend fun rekey(
            path: String,
            oldKey: ByteArray?,
            newKey: ByteArray,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
        ): Unit = withContext(dispatcher) { rekeyStore(path, oldKey, newKey) }
    }

    /** Visit changes made through this store (any thread), newest last; collectors that fall behind lose the oldest. */
    val changes: SharedFlow<VisitChange> get() = observer.flow

    /** Where an unreadable database file found at open was moved (tell the user and offer to send it to support). */
    val recoveredFrom: String? get() = ffi.recoveredFrom()

    private suspend fun <T> io(call: FfiStore.() -> T): T = withContext(dispatcher) { ffi.call() }

    /** Imports master data (JSON), all or nothing; returns the number of records of each kind. */
    suspend fun importMasterJson(json: String): MasterCounts = io { importMasterJson(json) }

    suspend fun masterCounts(): MasterCounts = io { masterCounts() }

    /**
     * Exchanges the token [transport] sends for a new one (same rep, same expiry). Store [NewToken.token] where the
     * old token is kept, then sync with it; the old one works until the new one is first used, then is refused as
     * `AuthRefusal.ROTATED` (never wipe for that).
     */
    suspend fun rotateToken(transport: SyncTransport): NewToken = io { rotateToken(transport) }

    /** Whether to rotate the token now: never rotated, or [everyDays] days since the last rotation. */
    suspend fun tokenRotationDue(everyDays: UInt = 30u): Boolean = io { tokenRotationDue(everyDays) }

    /** Moves the write-ahead log into the database file: call when the app goes to the background. */
    suspend fun checkpoint(): Unit = io { checkpoint() }

    suspend fun hcpName(hcpId: String): HcpName? = io { hcpName(hcpId) }

    /** The adoption ladder (by rank) and topic taxonomy (by code) the visit's insights are coded against. */
    suspend fun insightCatalog(): InsightCatalog = io { insightCatalog() }

    /** The pre-visit screen's profile of doctor [hcpId], from the visits on this device. */
    suspend fun doctorProfile(hcpId: String): DoctorProfile = io { doctorProfile(hcpId) }

    /** The approved, current materials to suggest for doctor [hcpId], best first, with the needs they answer. */
    suspend fun pullSuggestions(hcpId: String, now: Instant = clock.instant()): List<MaterialSuggestion> =
        io { pullSuggestions(hcpId, now) }

    /** Creates a draft visit entered now and returns its id. */
    suspend fun createVisit(fields: VisitFields): String = io { createVisit(fields) }

    /** Replaces a draft's form; `true` if anything changed. */
    suspend fun updateVisit(id: String, fields: VisitFields): Boolean = io { updateVisit(id, fields) }

    suspend fun getVisit(id: String): Visit = io { getVisit(id) }

    /** Visits starting on the local day of the instant [now] in the store's zone (the rule settings' `time_zone`). */
    suspend fun visitsToday(now: Instant = clock.instant()): List<Visit> = io { listVisitsToday(now) }

    suspend fun visitsForHcp(hcpId: String): List<Visit> = io { listVisitsForHcp(hcpId) }

    /** Visits starting between two local dates (both included) in the store's zone. */
    suspend fun visitsBetween(from: LocalDate, to: LocalDate): List<Visit> = io { listVisitsBetween(from, to) }

    /** Validates a form (of the stored visit [id], if it is one) as of [now]; findings are data, not errors. */
    suspend fun validate(
        fields: VisitFields,
        id: String? = null,
        amendmentReason: String? = null,
        now: Instant = clock.instant(),
    ): Report = io { validate(id, fields, amendmentReason, now) }

    /** Submits a draft; throws `MrcException.Validation` with every finding if validation finds errors. */
    suspend fun submit(id: String, now: Instant = clock.instant()): Report = io { submitVisit(id, now) }

    /** Changes a submitted visit with a [reason], recorded in its history. */
    suspend fun amend(id: String, fields: VisitFields, reason: String, now: Instant = clock.instant()): Report =
        io { amendVisit(id, fields, reason, now) }

    /**
     * Adds a comment as [role] (1–2,000 characters after trimming, else `MrcException.Validation` with
     * `comment_empty` / `comment_too_long`). Allowed on a submitted visit: it changes no field, status or score.
     */
    suspend fun addComment(id: String, role: CommentRole, author: String, text: String, now: Instant = clock.instant()): Comment =
        io { addComment(id, role, author, text, now) }

    /** The visit's comments, by time then id (the same order on every replica). */
    suspend fun comments(id: String): List<Comment> = io { visitComments(id) }

    /** Replaces the whole notes text (stored as the minimal edit). */
    suspend fun setNotes(id: String, text: String) = io { setNotes(id, text) }

    /**
     * Applies an edit the text field reports in Kotlin (UTF-16) indices: the characters [start] until [end] of
     * [before] (the notes as the field showed them) are replaced by [replacement]. Edits of one visit are applied
     * one after the other, in call order; one made against other text than the stored notes (an earlier edit
     * failed) is refused with `MrcException.Validation` code `stale_edit`, and changes nothing.
     */
    suspend fun editNotes(id: String, before: String, start: Int, end: Int, replacement: String) {
        val edit = NotesText.toScalarEdit(before, start, end)
        spliceNotes(id, edit.position, edit.delete, replacement, expectedLength = before.codePointCount(0, before.length))
    }

    /**
     * Replaces [delete] characters at [position] (both in Unicode scalar values, as the core counts), after every
     * earlier notes edit of the same visit. With [expectedLength] (the scalar length of the text the edit was
     * computed on), an edit made against other text is refused (`stale_edit`).
     */
    suspend fun spliceNotes(id: String, position: Int, delete: Int, insert: String, expectedLength: Int? = null) {
        require(position >= 0 && delete >= 0) { "position and delete must not be negative" }
        notesEdits.inOrder(id) { io { spliceNotes(id, position.toUInt(), delete.toUInt(), insert, expectedLength?.toUInt()) } }
    }

    /** The visit's automerge document, for another device or any automerge implementation. */
    suspend fun export(id: String): ByteArray = io { exportVisit(id) }

    /** Merges another replica's document (creating the visit if it is new here). */
    suspend fun merge(document: ByteArray): MergeOutcome = io { mergeVisit(document) }

    /** Merges another replica's document into the visit [id], refusing a document of another visit. */
    suspend fun mergeInto(id: String, document: ByteArray): MergeOutcome = io { mergeVisitInto(id, document) }

    /**
     * Handles an NFC tap from the NDEF message bytes (`NdefMessage.toByteArray()`): what to show, with its
     * engagement event already stored. [visitId] is the visit in progress, if any; [now] the device time.
     */
    suspend fun tap(ndef: ByteArray, visitId: String? = null, now: OffsetDateTime = OffsetDateTime.now(clock)): TapResult =
        io { handleTapBytes(ndef, now, visitId) }

    /** Progress of every sync run through this store (any thread); collectors that fall behind lose the oldest. */
    val syncProgress: SharedFlow<SyncProgress> get() = syncRelay.flow

    /**
     * Pushes local changes and pulls the server's through [transport] (the app's HTTP client, e.g. OkHttp), on
     * [dispatcher]. [onProgress] is called on that thread as the pull advances (it must not block); the same
     * progress goes to [syncProgress]. A failed request is `MrcException.Network`, whose `kind` says what to do
     * (`OFFLINE`, `SERVER`: repeat later; `FORBIDDEN`: retrying will not help; `PROTOCOL`: update the app), or
     * `MrcException.Unauthorized` for a refused token; nothing local is lost and the sync may simply be repeated.
     */
    suspend fun sync(transport: SyncTransport, onProgress: (SyncProgress) -> Unit = {}): SyncReport =
        withContext(dispatcher) { ffi.sync(transport, syncRelay.listener(onProgress)) }

    /**
     * Fetches the files of the current materials into [dir] after a [sync] (ADR 0013), through [downloader] (one
     * ranged GET, e.g. OkHttp), on [dispatcher]: partial downloads resume, a file is used only once its size and
     * SHA-256 match the catalog, files no current material references are removed. [onProgress] gets bytes
     * done/total on that thread (it must not block). A network failure is `MrcException.Network`; nothing verified
     * is lost and calling it again resumes.
     */
    suspend fun fetchContent(
        downloader: ContentDownloader,
        dir: File,
        today: LocalDate = LocalDate.now(clock),
        onProgress: (ContentProgress) -> Unit = {},
    ): ContentReport = withContext(dispatcher) {
        val listener = object : ContentProgressListener {
            override fun progress(progress: ContentProgress) {
                runCatching { onProgress(progress) }
            }
        }
        ffi.fetchContent(downloader, dir.path, today, listener)
    }

    /**
     * Deletes this store's files (database, WAL) and [contentDir] (the material files), then closes the store:
     * what the app does when a sync throws `MrcException.Unauthorized` with `AuthRefusal.REVOKED` (a lost or
     * stolen device). Open a new store if the device is used again.
     */
    suspend fun wipe(contentDir: File? = null) {
        io { wipe(contentDir?.path) }
        close()
    }

    /** The generated object, for calls the wrapper does not cover yet (and for the binding tests). */
    internal val raw: FfiStore get() = ffi

    /** Releases the native store; closing twice is harmless. */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            ffi.setObserver(null)
            ffi.close()
        }
    }
}
