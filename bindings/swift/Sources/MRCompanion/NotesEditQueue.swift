// Notes edits of one visit, applied one after the other in the order they were asked for.
import Foundation

/// Chains the edits of each visit: an edit is queued at once, when it is asked for (no suspension before), and
/// starts only once the previous edit of the same visit has finished, so a position computed on the text after
/// edit n is never applied before edit n. Edits of other visits do not wait.
final class NotesEditQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var tails: [String: Task<Void, Never>] = [:]

    func enqueue(_ visitId: String, _ edit: @escaping @Sendable () async throws -> Void) -> Task<Void, Error> {
        lock.lock()
        defer { lock.unlock() }
        let previous = tails[visitId]
        let task = Task<Void, Error> {
            await previous?.value
            try await edit()
        }
        tails[visitId] = Task { _ = await task.result }
        return task
    }
}
