// Error mapping across the boundary: typed errors, no PII in messages, a panic in the core is an error.
import XCTest
@testable import MRCompanion

final class ErrorTests: XCTestCase {
    func testUnknownAndMalformedIdsAreTypedErrors() async throws {
        let store = try await Fixtures.openWithMaster()
        let missing = await assertMrcError { try await store.visit("0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b") }
        guard case .NotFound(let what, _) = missing else { return XCTFail("\(String(describing: missing))") }
        XCTAssertEqual(what, "visit")
        let bad = await assertMrcError { try await store.visit("訪問-1") }
        guard case .Validation(_, let code, _) = bad else { return XCTFail("\(String(describing: bad))") }
        XCTAssertEqual(code, "bad_id")
    }

    func testARefusedDocumentNamesNoDoctor() async throws {
        let store = try await Fixtures.openWithMaster()
        let error = await assertMrcError { try await store.merge(Data("山田先生".utf8)) }
        guard case .Validation(_, let code, _) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(code, "bad_document")
        XCTAssertFalse("\(error!)".contains("山田"))
    }

    func testAPanicInsideTheCoreIsAnInternalErrorAndTheStoreKeepsWorking() async throws {
        let store = try await Fixtures.openWithMaster()
        XCTAssertThrowsError(try store.raw.panicProbe()) { error in
            guard case .Internal(let reason) = error as? MrcError else { return XCTFail("\(error)") }
            XCTAssertFalse(reason.contains("panic probe"))
        }
        let counts = try await store.masterCounts()
        XCTAssertEqual(counts.hcps, 2)
        _ = try await store.createVisit(Fixtures.validVisit())
    }
}
