// Sync from Swift against a real `mrc serve`, started by scripts/bindings.sh on the host (loopback is shared with
// the chroot) with master data imported; its URL and two device tokens of rep R1 come in MRC_SYNC_URL,
// MRC_SYNC_TOKEN_A and MRC_SYNC_TOKEN_B.
import Foundation
import XCTest
@testable import MRCompanion

final class SyncTests: XCTestCase {
    private var url = ""
    private var tokenA = ""
    private var tokenB = ""

    override func setUpWithError() throws {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["MRC_SYNC_URL"], let a = env["MRC_SYNC_TOKEN_A"], let b = env["MRC_SYNC_TOKEN_B"] else {
            throw XCTSkip("MRC_SYNC_URL / MRC_SYNC_TOKEN_A / MRC_SYNC_TOKEN_B not set: run scripts/bindings.sh")
        }
        (self.url, tokenA, tokenB) = (url, a, b)
    }

    private final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [SyncProgress] = []
        func add(_ item: SyncProgress) { lock.lock(); items.append(item); lock.unlock() }
        var all: [SyncProgress] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func testAVisitMadeOnOneDeviceReachesAnotherDeviceOfTheSameRep() async throws {
        let notes = "先生は新しい臨床データに関心。次回は用量の説明 😊"
        let a = try await Fixtures.openWithMaster()
        let b = try await Fixtures.openWithMaster()
        let id = try await a.createVisit(Fixtures.validVisit(notes: notes))

        let pushed = try await a.sync(HTTPTransport(url, token: tokenA))
        XCTAssertEqual(pushed.pushed, 1)
        XCTAssertGreaterThan(pushed.bytesUp, 0)

        let progress = Progress()
        let pulled = try await b.sync(HTTPTransport(url, token: tokenB)) { progress.add($0) }
        XCTAssertGreaterThanOrEqual(pulled.pulled, 1)
        let reports = progress.all
        XCTAssertFalse(reports.isEmpty, "no progress reported")
        XCTAssertEqual(reports.last?.done, reports.last?.total)
        XCTAssertTrue(reports.allSatisfy { $0.done <= $0.total })

        let seen = try await b.visit(id)
        XCTAssertEqual(seen.fields.notes, notes)
        XCTAssertEqual(seen.fields.startedAt, Fixtures.started)
    }

    func testChangesAfterSyncAreAnnouncedOnTheChangesStream() async throws {
        let a = try await Fixtures.openWithMaster()
        let b = try await Fixtures.openWithMaster()
        let id = try await a.createVisit(Fixtures.validVisit())
        try await a.sync(HTTPTransport(url, token: tokenA))
        let stream = b.changes()
        try await b.sync(HTTPTransport(url, token: tokenB))  // the visit arrives
        try await a.setNotes(id, "先生は用量の資料を希望された。")
        try await a.sync(HTTPTransport(url, token: tokenA))
        try await b.sync(HTTPTransport(url, token: tokenB))  // the other device's edit arrives
        var changes: [VisitChange] = []
        // Other tests' visits of R1 on the same server arrive too: this visit's changes are the point.
        for await change in stream where change.id == id {
            changes.append(change)
            if changes.count == 2 { break }
        }
        XCTAssertEqual(changes.map(\.kind), [.synced, .synced])
        XCTAssertEqual(changes.map(\.id), [id, id])
        let seen = try await b.visit(id)
        XCTAssertEqual(seen.fields.notes, "先生は用量の資料を希望された。")
    }

    func testProgressAsAStreamFinishesWithTheSync() async throws {
        let a = try await Fixtures.openWithMaster()
        _ = try await a.createVisit(Fixtures.validVisit())
        try await a.sync(HTTPTransport(url, token: tokenA))

        let b = try await Fixtures.openWithMaster()
        let (stream, report) = b.syncWithProgress(HTTPTransport(url, token: tokenB))
        var count = 0
        for await item in stream {
            XCTAssertLessThanOrEqual(item.done, item.total)
            count += 1
        }
        let done = try await report.value
        XCTAssertGreaterThanOrEqual(done.pulled, 1)
        XCTAssertGreaterThan(count, 0)
    }

    func testARevokedTokenIsRefusedAsRevokedAndWipeLeavesNoFileBehind() async throws {
        guard let revoked = ProcessInfo.processInfo.environment["MRC_SYNC_TOKEN_REVOKED"] else {
            throw XCTSkip("MRC_SYNC_TOKEN_REVOKED not set: run scripts/bindings.sh")
        }
        let dir = URL(fileURLWithPath: Fixtures.tempDB()).deletingLastPathComponent()
        let content = dir.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try Data("グルコバランス錠 製品情報概要".utf8).write(to: content.appendingPathComponent("leaflet.pdf"))
        let store = try await Fixtures.openWithMaster(dir.appendingPathComponent("tablet.db").path)
        _ = try await store.createVisit(Fixtures.validVisit())
        let error = await assertMrcError { try await store.sync(HTTPTransport(self.url, token: revoked)) }
        guard case let .Unauthorized(reason) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(reason, .revoked)
        try await store.wipe(contentDirectory: content)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(left, [], "nothing of the tablet is left")
    }

    func testARotatedTokenReplacesTheHandedOverOneOnceItIsUsed() async throws {
        guard let handedOver = ProcessInfo.processInfo.environment["MRC_SYNC_TOKEN_ROTATE"] else {
            throw XCTSkip("MRC_SYNC_TOKEN_ROTATE not set: run scripts/bindings.sh")
        }
        let store = try await Fixtures.openWithMaster()
        let due = try await store.tokenRotationDue()
        XCTAssertTrue(due)
        let new = try await store.rotateToken(transport: HTTPTransport(url, token: handedOver))
        XCTAssertNotEqual(new.token, handedOver)
        let dueAfter = try await store.tokenRotationDue()
        XCTAssertFalse(dueAfter, "just rotated")
        // Until the new token is used, the old one still works (the app may not have stored the new one yet).
        _ = try await store.createVisit(Fixtures.validVisit())
        let pushed = try await store.sync(HTTPTransport(url, token: handedOver)).pushed
        XCTAssertEqual(pushed, 1)
        _ = try await store.sync(HTTPTransport(url, token: new.token))
        let error = await assertMrcError { try await store.sync(HTTPTransport(self.url, token: handedOver)) }
        guard case let .Unauthorized(reason) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(reason, .rotated, "not revoked: nothing to wipe")
    }

    func testARefusedTokenIsATypedErrorAndTheStoreKeepsWorking() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit())
        let error = await assertMrcError { try await store.sync(HTTPTransport(self.url, token: "not-a-token")) }
        guard case let .Unauthorized(reason) = error else { return XCTFail("expected Unauthorized, got \(String(describing: error))") }
        XCTAssertEqual(reason, .unknownToken)
        let visit = try await store.visit(id)
        XCTAssertEqual(visit.id, id)
        let report = try await store.sync(HTTPTransport(url, token: tokenA))
        XCTAssertEqual(report.pushed, 1)
        XCTAssertEqual(report.serverId?.count, 32, "the server names its identity")
        XCTAssertFalse(report.reconciled)
    }

    func testNoAnswerIsANetworkErrorWithStatusZero() async throws {
        let store = try await Fixtures.openWithMaster()
        _ = try await store.createVisit(Fixtures.validVisit())
        let error = await assertMrcError { try await store.sync(HTTPTransport("http://127.0.0.1:9", token: "t")) }
        guard case let .Network(kind, status, _) = error else { return XCTFail("expected Network, got \(String(describing: error))") }
        XCTAssertEqual(status, 0)
        XCTAssertEqual(kind, .offline)
    }
}
