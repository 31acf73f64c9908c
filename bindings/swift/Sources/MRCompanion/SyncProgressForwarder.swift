// Bridges the core's SyncProgressListener callback (called on the thread running the sync) to a Swift closure.
import Foundation

/// Calls `body` with each progress report; never blocks or throws into Rust.
final class SyncProgressForwarder: SyncProgressListener, @unchecked Sendable {
    private let body: @Sendable (SyncProgress) -> Void

    init(_ body: @escaping @Sendable (SyncProgress) -> Void) {
        self.body = body
    }

    func progress(progress: SyncProgress) {
        body(progress)
    }
}

extension CompanionStore {
    /// Pushes local changes and pulls the server's through `transport` (the app's HTTP client, e.g. URLSession),
    /// off the caller's thread. `progress` is called on the syncing thread as the pull advances (it must return
    /// quickly). A failed request throws `MrcError.Network`, whose `kind` says what to do (`.offline`, `.server`:
    /// repeat later; `.forbidden`: retrying will not help; `.protocol`: update the app), or `MrcError.Unauthorized`
    /// for a refused token; nothing local is lost and the sync may simply be repeated.
    @discardableResult
    public func sync(
        _ transport: SyncTransport, progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) async throws -> SyncReport {
        let listener = SyncProgressForwarder(progress)
        return try await offMain { try self.raw.sync(transport: transport, listener: listener) }
    }

    /// The same sync, with its progress as an `AsyncStream` that finishes when the sync does.
    public func syncWithProgress(_ transport: SyncTransport) -> (
        progress: AsyncStream<SyncProgress>, report: Task<SyncReport, Error>
    ) {
        let (stream, continuation) = AsyncStream<SyncProgress>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let report = Task {
            defer { continuation.finish() }
            return try await self.sync(transport) { continuation.yield($0) }
        }
        return (stream, report)
    }
}
