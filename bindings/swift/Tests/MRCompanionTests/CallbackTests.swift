// Callbacks from Rust into Swift: the VisitObserver, as an AsyncStream, hears changes made on any thread; releasing
// the last reference frees the native store.
import XCTest
@testable import MRCompanion

final class CallbackTests: XCTestCase {
    func testChangesArriveAsAnAsyncStreamInCommitOrder() async throws {
        let store = try await Fixtures.openWithMaster()
        let stream = store.changes()
        let id = try await store.createVisit(Fixtures.validVisit())
        var fields = Fixtures.validVisit()
        fields.durationMin = 25
        try await store.updateVisit(id, fields)
        try await store.setNotes(id, "面談メモ ✍️")
        try await store.submit(id, now: Fixtures.now)
        var kinds: [ChangeKind] = []
        for await change in stream {
            XCTAssertEqual(change.id, id)
            kinds.append(change.kind)
            if kinds.count == 4 { break }
        }
        XCTAssertEqual(kinds, [.created, .updated, .notesEdited, .submitted])
    }

    func testReleasingTheLastReferenceFreesTheNativeStore() async throws {
        // Stores of earlier tests are released once their last dispatch block has finished.
        let settled = await eventually { liveStoreCount() == 0 }
        XCTAssertTrue(settled, "stores of earlier tests were never released")
        let before = liveStoreCount()
        for _ in 0..<25 {
            var store: CompanionStore? = try await Fixtures.openWithMaster()
            _ = try await store!.createVisit(Fixtures.validVisit())
            XCTAssertEqual(liveStoreCount(), before + 1)
            store = nil
            // The dispatch block of the last call may still hold its reference for a moment after resuming us.
            let released = await eventually { liveStoreCount() == before }
            XCTAssertTrue(released, "the native store outlived its last reference")
        }
    }

    private func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return condition()
    }
}
