// Shared test fixtures: a temporary store with the master data of bindings/testdata, and a valid visit form.
import Foundation
import XCTest
@testable import MRCompanion

enum Fixtures {
    static let masterJSON: String = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../../testdata/master.json").standardized
        return (try? String(contentsOf: url, encoding: .utf8)) ?? "missing \(url.path)"
    }()

    static let tokyo = TimeZone(secondsFromGMT: 9 * 3600)!
    /// A Friday morning in Yokohama.
    static let started = "2026-11-20T10:00:00+09:00"
    /// One hour after the visit started: when the rep validates and submits.
    static let now = VisitTime.date(started)!.addingTimeInterval(3600)

    /// The device clock of every test store: standing at `now` (no test here is about the wall clock).
    static let clock: @Sendable () -> Date = { now }

    static func tempDB() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mrc-swift-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("store.db").path
    }

    static func openWithMaster(_ path: String = tempDB()) async throws -> CompanionStore {
        let store = try await CompanionStore.open(path: path, clock: clock)
        _ = try await store.importMasterJSON(masterJSON)
        return store
    }

    static func validVisit(notes: String = "先生は新しい臨床データに関心。次回は用量の説明 😊") -> VisitFields {
        .draft(
            repId: "R1", hcpId: "H1", institutionId: "I1", channel: .inPerson, startedAt: started, durationMin: 15,
            products: [ProductDiscussed(productId: "P1", priority: 1)], reaction: .positive,
            nextObjective: "次回は用量の説明", notes: notes)
    }
}

/// Asserts that `body` throws an `MrcError` and returns it.
func assertMrcError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> MrcError? {
    do {
        _ = try await body()
        XCTFail("expected an MrcError", file: file, line: line)
    } catch let error as MrcError {
        return error
    } catch {
        XCTFail("expected an MrcError, got \(error)", file: file, line: line)
    }
    return nil
}
