// Bridges the core's VisitObserver callback (called on the thread that made the change) to AsyncStreams.
import Foundation

/// Fans each change out to the open streams; never blocks or throws into Rust.
final class ChangeRelay: VisitObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var continuations: [UUID: AsyncStream<VisitChange>.Continuation] = [:]

    func stream() -> AsyncStream<VisitChange> {
        AsyncStream(bufferingPolicy: .bufferingNewest(256)) { continuation in
            let key = UUID()
            lock.lock()
            continuations[key] = continuation
            lock.unlock()
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.lock.lock()
                self.continuations[key] = nil
                self.lock.unlock()
            }
        }
    }

    func visitChanged(change: VisitChange) {
        lock.lock()
        let targets = Array(continuations.values)
        lock.unlock()
        for continuation in targets {
            continuation.yield(change)
        }
    }
}
