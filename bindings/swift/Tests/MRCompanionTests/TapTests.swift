// NFC taps from Swift: a signed card read as NDEF records (as Core NFC delivers them), foreign tags, evidence.
import XCTest
@testable import MRCompanion

final class TapTests: XCTestCase {
    /// A URI record as Core NFC's NFCNDEFPayload gives it (well-known type "U", prefix 0x04 = "https://").
    private func uriRecord(_ rest: String) -> NdefRecordInput {
        NdefRecordInput(tnf: 1, recordType: Data("U".utf8), id: Data(), payload: Data([0x04]) + Data(rest.utf8))
    }

    func testASignedCardIsVerifiedAndNamesItsMaterial() async throws {
        let store = try await Fixtures.openWithMaster()
        let ndef = try store.raw.issueTestCard(material: "M1", version: 2)
        let tap = try await store.tap(ndef: ndef, now: VisitTime.date("2026-11-20T10:05:00+09:00")!, timeZone: Fixtures.tokyo)
        XCTAssertEqual(tap.verification, .verified)
        XCTAssertEqual(tap.cardId, "4242")
        guard case .notCached(let material, let version, let url) = tap.action else { return XCTFail("\(tap.action)") }
        XCTAssertEqual(material, "M1")
        XCTAssertEqual(version, 2)
        XCTAssertTrue(url.hasPrefix("https://tap.example.jp/c/"))
    }

    func testForeignRecordsAreAnOutcomeWithAJapaneseReason() async throws {
        let store = try await Fixtures.openWithMaster()
        let tap = try await store.tap(records: [uriRecord("evil.example.com/c/abc")])
        guard case .unknownCard(let reason) = tap.action else { return XCTFail("\(tap.action)") }
        XCTAssertEqual(reason.code, "foreign_url")
        XCTAssertEqual(reason.messageJa, "当社サービス以外を指すカードのため、開きませんでした。")
        let bad = await assertMrcError {
            try await store.tap(records: [NdefRecordInput(tnf: 7, recordType: Data(), id: Data(), payload: Data())])
        }
        guard case .Validation(let field, _, _) = bad else { return XCTFail("\(String(describing: bad))") }
        XCTAssertEqual(field, "/records/0/tnf")
    }

    func testAVerifiedTapDuringTheVisitIsEvidenceForTheMaterialShown() async throws {
        let store = try await Fixtures.openWithMaster()
        var fields = Fixtures.validVisit()
        fields.materialsShown = [MaterialShown(materialId: "M1", version: 2)]
        let id = try await store.createVisit(fields)
        let before = try await store.validate(fields, id: id, now: Fixtures.now)
        XCTAssertTrue(before.findings.contains { $0.code == .materialWithoutEvidence })
        let card = try store.raw.issueTestCard(material: "M1", version: 2)
        let tapTime = VisitTime.date(Fixtures.started)!.addingTimeInterval(300)
        _ = try await store.tap(ndef: card, visitId: id, now: tapTime, timeZone: Fixtures.tokyo)
        let after = try await store.validate(fields, id: id, now: Fixtures.now)
        XCTAssertFalse(after.findings.contains { $0.code == .materialWithoutEvidence })
        XCTAssertTrue(after.reasons.contains { $0.code == "verified_tap" })
    }
}
