// The Swift API of the MR Companion core: a store opened once and called with async/await from any task.
import Foundation

/// An open local store. Every call is `async`: the blocking core call runs on a global dispatch queue, never on
/// the caller's thread or Swift's cooperative pool; the core is safe to call from many threads at once. Errors are
/// `MrcError`. The native store (and its SQLite connections) is released with the last reference.
public final class CompanionStore: Sendable {
    /// The generated object, for calls this wrapper does not cover yet (and for the binding tests).
    public let raw: MrcStore
    /// The device's time for every stamp and check; the default of every `now` parameter below.
    public let clock: @Sendable () -> Date
    private let relay = ChangeRelay()
    private let notesEdits = NotesEditQueue()

    private init(raw: MrcStore, clock: @escaping @Sendable () -> Date) {
        self.raw = raw
        self.clock = clock
        raw.setObserver(observer: relay)
    }

    deinit {
        raw.setObserver(observer: nil)
    }

    /// Opens (creating if needed) the store at `path`. `clock` is the device's time for every stamp and check:
    /// the system clock by default, a fixed one in tests. `key` (32 bytes the app keeps in the Keychain) encrypts
    /// the store: a plain store is encrypted in place at its first open with a key; a key that does not open it
    /// throws `MrcError.WrongKey` and leaves the file as it was.
    public static func open(
        path: String, clock: (@Sendable () -> Date)? = nil, key: Data? = nil
    ) async throws -> CompanionStore {
        try await offMain {
            let native = clock.map { DeviceClockOf($0) }
            let raw = try MrcStore.open(path: path, clock: native, key: key)
            return CompanionStore(raw: raw, clock: clock ?? { Date() })
        }
    }

    /// Re-encrypts the closed store at `path` from `oldKey` (`nil`: a plain store) to `newKey`; crash-safe (a
    /// killed process leaves the store readable with one key or the other). Release every store of `path` first.
    public static func rekey(path: String, oldKey: Data?, newKey: Data) async throws {
        try await offMain { try rekeyStore(path: path, oldKey: oldKey, newKey: newKey) }
    }

    /// Deletes this store's files (database, WAL) and `contentDirectory` (the material files): what the app does
    /// when a sync throws `MrcError.Unauthorized(reason: .revoked)` (a lost or stolen device). Every later call on
    /// this store fails; release it and open a new one if the device is used again.
    public func wipe(contentDirectory: URL? = nil) async throws {
        try await offMain { try self.raw.wipe(contentDir: contentDirectory?.path) }
    }

    /// Exchanges the token `transport` sends for a new one (same rep, same expiry). Store `token` where the old one
    /// is kept, then sync with it; the old one works until the new one is first used, then is refused as
    /// `AuthRefusal.rotated` (never wipe for that).
    public func rotateToken(transport: SyncTransport) async throws -> NewToken {
        try await offMain { try self.raw.rotateToken(transport: transport) }
    }

    /// Whether to rotate the token now: never rotated, or `everyDays` days since the last rotation.
    public func tokenRotationDue(everyDays: UInt32 = 30) async throws -> Bool {
        try await offMain { try self.raw.tokenRotationDue(everyDays: everyDays) }
    }

    /// Moves the write-ahead log into the database file: call when the app goes to the background.
    public func checkpoint() async throws {
        try await offMain { try self.raw.checkpoint() }
    }

    /// Visit changes made through this store, in commit order; each call gives an independent stream.
    public func changes() -> AsyncStream<VisitChange> { relay.stream() }

    /// Where an unreadable database file found at open was moved (tell the user; offer to send it to support).
    public var recoveredFrom: String? { raw.recoveredFrom() }

    public func importMasterJSON(_ json: String) async throws -> MasterCounts {
        try await offMain { try self.raw.importMasterJson(json: json) }
    }

    public func masterCounts() async throws -> MasterCounts {
        try await offMain { try self.raw.masterCounts() }
    }

    /// The adoption ladder (by rank) and topic taxonomy (by code) the visit's insights are coded against.
    public func insightCatalog() async throws -> InsightCatalog {
        try await offMain { try self.raw.insightCatalog() }
    }

    /// The pre-visit screen's profile of doctor `hcpId`, from the visits on this device.
    public func doctorProfile(_ hcpId: String) async throws -> DoctorProfile {
        try await offMain { try self.raw.doctorProfile(hcpId: hcpId) }
    }

    /// The approved, current materials to suggest for doctor `hcpId`, best first, with the needs they answer.
    public func pullSuggestions(_ hcpId: String, now: Date? = nil) async throws -> [MaterialSuggestion] {
        let now = now ?? clock()
        return try await offMain { try self.raw.pullSuggestions(hcpId: hcpId, now: now) }
    }

    public func hcpName(_ hcpId: String) async throws -> HcpName? {
        try await offMain { try self.raw.hcpName(hcpId: hcpId) }
    }

    /// Creates a draft visit entered now and returns its id.
    public func createVisit(_ fields: VisitFields) async throws -> String {
        try await offMain { try self.raw.createVisit(fields: fields) }
    }

    /// Replaces a draft's form; `true` if anything changed.
    @discardableResult
    public func updateVisit(_ id: String, _ fields: VisitFields) async throws -> Bool {
        try await offMain { try self.raw.updateVisit(id: id, fields: fields) }
    }

    public func visit(_ id: String) async throws -> Visit {
        try await offMain { try self.raw.getVisit(id: id) }
    }

    /// Visits starting on the local day of the instant `now` in the store's zone (the rule settings' `time_zone`,
    /// never the device's), newest first.
    public func visitsToday(now: Date? = nil) async throws -> [Visit] {
        let now = now ?? clock()
        return try await offMain { try self.raw.listVisitsToday(now: now) }
    }

    public func visits(hcpId: String) async throws -> [Visit] {
        try await offMain { try self.raw.listVisitsForHcp(hcpId: hcpId) }
    }

    /// Visits starting between two local dates (`"2026-11-20"`, both included) in the store's zone, newest first.
    public func visits(from: String, to: String) async throws -> [Visit] {
        try await offMain { try self.raw.listVisitsBetween(from: from, to: to) }
    }

    /// Validates a form (of the stored visit `id`, if it is one) as of `now`; findings are data, not errors.
    public func validate(
        _ fields: VisitFields, id: String? = nil, amendmentReason: String? = nil, now: Date? = nil
    ) async throws -> Report {
        let now = now ?? clock()
        return try await offMain {
            try self.raw.validate(id: id, fields: fields, amendmentReason: amendmentReason, now: now)
        }
    }

    /// Submits a draft; throws `MrcError.Validation` with every finding if validation finds errors.
    @discardableResult
    public func submit(_ id: String, now: Date? = nil) async throws -> Report {
        let now = now ?? clock()
        return try await offMain { try self.raw.submitVisit(id: id, now: now) }
    }

    /// Changes a submitted visit with a reason, recorded in its history.
    @discardableResult
    public func amend(_ id: String, _ fields: VisitFields, reason: String, now: Date? = nil) async throws -> Report {
        let now = now ?? clock()
        return try await offMain { try self.raw.amendVisit(id: id, fields: fields, reason: reason, now: now) }
    }

    /// Adds a comment as `role` (1–2,000 characters after trimming, else `MrcError.Validation` with
    /// `comment_empty` / `comment_too_long`). Allowed on a submitted visit: it changes no field, status or score.
    @discardableResult
    public func addComment(
        _ id: String, as role: CommentRole, author: String, text: String, now: Date? = nil
    ) async throws -> Comment {
        let now = now ?? clock()
        return try await offMain {
            try self.raw.addComment(id: id, authorRole: role, author: author, text: text, now: now)
        }
    }

    /// The visit's comments, by time then id (the same order on every replica).
    public func comments(_ id: String) async throws -> [Comment] {
        try await offMain { try self.raw.visitComments(id: id) }
    }

    /// Replaces the whole notes text (stored as the minimal edit).
    public func setNotes(_ id: String, _ text: String) async throws {
        try await offMain { try self.raw.setNotes(id: id, text: text) }
    }

    /// Applies an edit a text view reports as a UTF-16 range (`NSRange`) of `before`, the text it showed. Edits of
    /// one visit are applied one after the other, in call order; one made against other text than the stored notes
    /// (an earlier edit failed) throws `MrcError.Validation` with code `stale_edit` and changes nothing.
    public func editNotes(_ id: String, before: String, utf16Range: NSRange, replacement: String) async throws {
        try await queueNotesEdit(id, before: before, utf16Range: utf16Range, replacement: replacement).value
    }

    /// `editNotes` for a text view's delegate, which cannot wait: the edit is queued behind the visit's earlier
    /// edits right now, in call order; the returned task finishes when it is applied (or refused).
    @discardableResult
    public func queueNotesEdit(
        _ id: String, before: String, utf16Range: NSRange, replacement: String
    ) throws -> Task<Void, Error> {
        let edit = try NotesText.scalarEdit(in: before, utf16Range: utf16Range)
        return try queueSplice(
            id, position: edit.position, delete: edit.delete, insert: replacement,
            expectedLength: before.unicodeScalars.count)
    }

    /// Replaces `delete` characters at `position`, both counted in Unicode scalars (as the core counts), after
    /// every earlier notes edit of the same visit. With `expectedLength` (the scalar length of the text the edit
    /// was computed on), an edit made against other text is refused (`stale_edit`).
    public func spliceNotes(
        _ id: String, position: Int, delete: Int, insert: String, expectedLength: Int? = nil
    ) async throws {
        try await queueSplice(id, position: position, delete: delete, insert: insert, expectedLength: expectedLength)
            .value
    }

    private func queueSplice(
        _ id: String, position: Int, delete: Int, insert: String, expectedLength: Int?
    ) throws -> Task<Void, Error> {
        guard let position = UInt32(exactly: position), let delete = UInt32(exactly: delete) else {
            throw NotesText.Failure.outOfRange
        }
        let expected = try expectedLength.map { length -> UInt32 in
            guard let value = UInt32(exactly: length) else { throw NotesText.Failure.outOfRange }
            return value
        }
        return notesEdits.enqueue(id) {
            try await offMain {
                try self.raw.spliceNotes(
                    id: id, position: position, delete: delete, insert: insert, expectedLength: expected)
            }
        }
    }

    /// Handles an NFC tap from NDEF message bytes: what to show, with its engagement event already stored.
    /// `visitId` is the visit in progress, if any; `now` the device time, judged in `timeZone`.
    public func tap(
        ndef: Data, visitId: String? = nil, now: Date? = nil, timeZone: TimeZone = .current
    ) async throws -> TapResult {
        let time = VisitTime.format(now ?? clock(), in: timeZone)
        return try await offMain { try self.raw.handleTapBytes(ndef: ndef, now: time, visitId: visitId) }
    }

    /// Handles an NFC tap from the records Core NFC delivers (`NFCNDEFMessage.records`, converted by the app).
    public func tap(
        records: [NdefRecordInput], visitId: String? = nil, now: Date? = nil, timeZone: TimeZone = .current
    ) async throws -> TapResult {
        let time = VisitTime.format(now ?? clock(), in: timeZone)
        return try await offMain { try self.raw.handleTapRecords(records: records, now: time, visitId: visitId) }
    }

    /// The visit's automerge document, for another device or any automerge implementation.
    public func export(_ id: String) async throws -> Data {
        try await offMain { try self.raw.exportVisit(id: id) }
    }

    /// Merges another replica's document (creating the visit if it is new here).
    @discardableResult
    public func merge(_ document: Data) async throws -> MergeOutcome {
        try await offMain { try self.raw.mergeVisit(document: document) }
    }

    /// Merges another replica's document into the visit `id`, refusing a document of another visit.
    @discardableResult
    public func merge(_ document: Data, into id: String) async throws -> MergeOutcome {
        try await offMain { try self.raw.mergeVisitInto(id: id, document: document) }
    }
}

/// Runs a blocking core call on a global queue and resumes the caller with its result. The call (and the store it
/// holds) is released before the caller resumes: a caller that drops its last reference to a store and then
/// re-keys or re-opens the file must find it closed, not still held by a queue block about to end.
func offMain<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let work = PendingCall(body)
    return try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: work.run())
        }
    }
}

/// A call run once, which lets go of what it captured as soon as it has run.
private final class PendingCall<T>: @unchecked Sendable {
    private var body: (@Sendable () throws -> T)?

    init(_ body: @escaping @Sendable () throws -> T) {
        self.body = body
    }

    func run() -> Result<T, Error> {
        guard let call = body else { return .failure(CancellationError()) }
        body = nil
        return Result { try call() }
    }
}
