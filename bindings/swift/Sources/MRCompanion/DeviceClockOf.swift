// A Swift clock (a closure returning the current Date) handed to the native store as its device clock.
import Foundation

/// The native store reads the time from `now` (called on the store's threads; it must return at once).
final class DeviceClockOf: DeviceClock, @unchecked Sendable {
    private let now: @Sendable () -> Date

    init(_ now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    func nowMs() -> Int64 {
        Int64((now().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
