// Material content: the files of the current materials, fetched after a sync through the app's ranged downloader
// (URLSession), with byte progress forwarded to a Swift closure (ADR 0013).
import Foundation

/// Calls `body` with each progress report; never blocks or throws into Rust.
final class ContentProgressForwarder: ContentProgressListener, @unchecked Sendable {
    private let body: @Sendable (ContentProgress) -> Void

    init(_ body: @escaping @Sendable (ContentProgress) -> Void) {
        self.body = body
    }

    func progress(progress: ContentProgress) {
        body(progress)
    }
}

extension CompanionStore {
    /// Fetches the files of the materials current on `today` (`"2026-11-25"`, default: today here) into
    /// `directory` through `downloader`, off the caller's thread: partial downloads resume, a file is used only once
    /// its size and SHA-256 match the catalog, files no current material references are removed. `progress` gets
    /// bytes done/total on the fetching thread (it must return quickly). No network throws `MrcError.Network`;
    /// nothing verified is lost and calling it again resumes.
    @discardableResult
    public func fetchContent(
        _ downloader: ContentDownloader, into directory: URL, today: String? = nil,
        progress: @escaping @Sendable (ContentProgress) -> Void = { _ in }
    ) async throws -> ContentReport {
        let day = today ?? CompanionStore.localDay(clock())
        let listener = ContentProgressForwarder(progress)
        return try await offMain {
            try self.raw.fetchContent(downloader: downloader, dir: directory.path, today: day, listener: listener)
        }
    }

    /// `date` as a local calendar day, `yyyy-MM-dd` (Gregorian, this device's time zone).
    static func localDay(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
