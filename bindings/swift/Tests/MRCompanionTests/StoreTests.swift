// Opening a store and importing master data through the binding: Japanese text, counts, refusals with a path.
import XCTest
@testable import MRCompanion

final class StoreTests: XCTestCase {
    func testImportsMasterDataAndReadsKanjiAndKanaBack() async throws {
        let store = try await CompanionStore.open(path: Fixtures.tempDB())
        let counts = try await store.importMasterJSON(Fixtures.masterJSON)
        XCTAssertEqual(counts.hcps, 2)
        XCTAssertEqual(counts.materials, 2)
        let stored = try await store.masterCounts()
        XCTAssertEqual(stored, counts)
        let name = try await store.hcpName("H1")
        XCTAssertEqual(name, HcpName(name: "山田 太郎", kana: "やまだ たろう"))
        let unknown = try await store.hcpName("H9")
        XCTAssertNil(unknown)
        XCTAssertNil(store.recoveredFrom)
    }

    func testABadMasterFileIsRefusedWithItsJSONPointer() async throws {
        let store = try await CompanionStore.open(path: Fixtures.tempDB())
        let bad = #"{"hcps":[{"id":"H1","name":"山田 太郎","kana":"やまだ","specialty":"内科","institution_id":7}]}"#
        let error = await assertMrcError { try await store.importMasterJSON(bad) }
        guard case .Validation(let field, let code, _) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(field, "/hcps/0/institution_id")
        XCTAssertEqual(code, "invalid_value")
        XCTAssertFalse("\(error!)".contains("山田"))
        let counts = try await store.masterCounts()
        XCTAssertEqual(counts.hcps, 0)
    }
}
