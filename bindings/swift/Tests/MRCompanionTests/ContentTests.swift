// Material content from Swift: a downloader implemented in Swift serves ranges, the file lands verified in the
// content directory; no network is a typed error.
import Foundation
import XCTest
@testable import MRCompanion

final class ContentTests: XCTestCase {
    /// Serves bindings/testdata's material M1 version 2, whose file is the four bytes "test".
    private final class FakeServer: ContentDownloader, @unchecked Sendable {
        let file = Data("test".utf8)
        let online: Bool
        init(online: Bool) { self.online = online }

        func getRange(path: String, start: UInt64, end: UInt64) throws -> RangeReply {
            guard online else { throw TransportFailure.Network(reason: "offline") }
            let last = min(end, UInt64(file.count - 1))
            return RangeReply(
                status: 206, contentRange: "bytes \(start)-\(last)/\(file.count)",
                body: file.subdata(in: Int(start)..<Int(last + 1)))
        }
    }

    private func contentDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mrc-swift-content-\(UUID().uuidString)")
    }

    func testTheCurrentMaterialsFileIsFetchedVerifiedAndKept() async throws {
        let store = try await Fixtures.openWithMaster()
        let dir = contentDir()
        let report = try await store.fetchContent(FakeServer(online: true), into: dir, today: "2026-11-25")
        XCTAssertEqual(report.downloaded, 1)
        XCTAssertTrue(report.failed.isEmpty)
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent(sha)), Data("test".utf8))
        XCTAssertEqual(CompanionStore.localDay(Date(timeIntervalSince1970: 0)).count, 10)
    }

    func testNoNetworkIsANetworkErrorWithStatusZero() async throws {
        let store = try await Fixtures.openWithMaster()
        let error = await assertMrcError {
            try await store.fetchContent(FakeServer(online: false), into: self.contentDir(), today: "2026-11-25")
        }
        guard case let .Network(kind, status, _) = error else { return XCTFail("expected Network, got \(String(describing: error))") }
        XCTAssertEqual(status, 0)
        XCTAssertEqual(kind, .offline)
    }
}
