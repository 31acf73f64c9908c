// Encryption at rest through the binding: a key from the app encrypts the store, a wrong key is a typed error that
// changes nothing, a plain store is encrypted at its first open with a key, and rekey moves it to a new key.
import Foundation
import XCTest
@testable import MRCompanion

final class EncryptionTests: XCTestCase {
    private let keyA = Data(repeating: 0x0a, count: 32)
    private let keyB = Data(repeating: 0x0b, count: 32)

    private func writeVisit(_ path: String, key: Data?) async throws {
        let store = try await CompanionStore.open(path: path, clock: Fixtures.clock, key: key)
        _ = try await store.importMasterJSON(Fixtures.masterJSON)
        _ = try await store.createVisit(Fixtures.validVisit(notes: "腎機能低下例の用量について質問あり。"))
        // Everything into the file: the store is released at some point after this returns, and closing it then
        // changes nothing more.
        try await store.checkpoint()
    }

    private func fileContains(_ path: String, _ text: String) throws -> Bool {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return bytes.range(of: Data(text.utf8)) != nil
    }

    func testAStolenFileShowsNoNameAndAWrongKeyChangesNothing() async throws {
        let path = Fixtures.tempDB()
        try await writeVisit(path, key: keyA)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertFalse(try fileContains(path, "山田 太郎"))
        XCTAssertFalse(try fileContains(path, "腎機能低下例"))
        XCTAssertFalse(try fileContains(path, "SQLite format 3"))

        for wrong in [keyB, nil] {
            let error = await assertMrcError { _ = try await CompanionStore.open(path: path, key: wrong) }
            guard case .WrongKey = error else { return XCTFail("\(String(describing: error))") }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)

        let store = try await CompanionStore.open(path: path, clock: Fixtures.clock, key: keyA)
        let name = try await store.hcpName("H1")
        XCTAssertEqual(name?.name, "山田 太郎")
    }

    func testAPlainStoreIsEncryptedAtItsFirstOpenWithAKeyAndRekeyMovesIt() async throws {
        let path = Fixtures.tempDB()
        try await writeVisit(path, key: nil)
        XCTAssertTrue(try fileContains(path, "SQLite format 3"))
        do {
            let store = try await CompanionStore.open(path: path, clock: Fixtures.clock, key: keyA)
            let visits = try await store.visits(hcpId: "H1")
            XCTAssertEqual(visits.map(\.fields.notes), ["腎機能低下例の用量について質問あり。"])
        }
        XCTAssertFalse(try fileContains(path, "SQLite format 3"))

        let refused = await assertMrcError { try await CompanionStore.rekey(path: path, oldKey: self.keyB, newKey: self.keyA) }
        guard case .WrongKey = refused else { return XCTFail("\(String(describing: refused))") }
        try await CompanionStore.rekey(path: path, oldKey: keyA, newKey: keyB)
        let old = await assertMrcError { _ = try await CompanionStore.open(path: path, key: self.keyA) }
        guard case .WrongKey = old else { return XCTFail("\(String(describing: old))") }
        let store = try await CompanionStore.open(path: path, clock: Fixtures.clock, key: keyB)
        let count = try await store.visits(hcpId: "H1").count
        XCTAssertEqual(count, 1)
    }
}
