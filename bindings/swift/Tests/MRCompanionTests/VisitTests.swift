// A visit through its lifecycle from Swift: create, validate with Japanese findings, submit, lock, amend.
import XCTest
@testable import MRCompanion

final class VisitTests: XCTestCase {
    func testAnEmptyFormGetsRequiredFindingsInJapaneseAndEnglish() async throws {
        let store = try await Fixtures.openWithMaster()
        let report = try await store.validate(.draft(channel: .inPerson), now: Fixtures.now)
        XCTAssertFalse(report.ok)
        let required = report.findings.filter { $0.code == .required }
        XCTAssertEqual(
            Set(required.map(\.field)),
            ["/rep_id", "/hcp_id", "/institution_id", "/started_at", "/duration_min", "/products"])
        let hcp = try XCTUnwrap(required.first { $0.field == "/hcp_id" })
        XCTAssertEqual(hcp.messageJa, "医師を入力してください。")
        XCTAssertEqual(hcp.messageEn, "The HCP is required.")
        XCTAssertEqual(hcp.severity, .error)
    }

    func testAVisitIsCreatedSubmittedLockedAndAmended() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit())
        let visit = try await store.visit(id)
        XCTAssertEqual(visit.id, id)
        XCTAssertEqual(visit.fields.startedAt, Fixtures.started)
        XCTAssertEqual(visit.fields.startedAtDate, VisitTime.date(Fixtures.started))
        XCTAssertEqual(visit.status, .draft)
        XCTAssertEqual(visit.enteredAt, Fixtures.now, "entered by the store's clock")

        let report = try await store.validate(visit.fields, id: id, now: Fixtures.now)
        XCTAssertTrue(report.ok, "\(report.findings.map(\.code))")
        try await store.submit(id, now: Fixtures.now)
        let submitted = try await store.visit(id)
        XCTAssertEqual(submitted.status, .submitted)
        XCTAssertNotNil(submitted.firstSubmittedAt)

        var changed = submitted.fields
        changed.durationMin = 20
        let locked = await assertMrcError { try await store.updateVisit(id, changed) }
        guard case .Conflict(let code, _) = locked else { return XCTFail("\(String(describing: locked))") }
        XCTAssertEqual(code, "edit_after_submit")

        try await store.amend(id, changed, reason: "面談時間の入力誤り", now: Fixtures.now)
        let amended = try await store.visit(id)
        XCTAssertEqual(amended.status, .amended)
        XCTAssertEqual(amended.fields.durationMin, 20)
        XCTAssertEqual(amended.amendmentCount, 1)
    }

    func testASubmissionWithErrorsIsRefusedWithEveryFinding() async throws {
        let store = try await Fixtures.openWithMaster()
        var fields = Fixtures.validVisit()
        fields.hcpId = "H2"
        let id = try await store.createVisit(fields)
        let error = await assertMrcError { try await store.submit(id, now: Fixtures.now) }
        guard case .Validation(let field, let code, let findings) = error else {
            return XCTFail("\(String(describing: error))")
        }
        XCTAssertEqual(code, "hcp_not_at_institution")
        XCTAssertEqual(field, "/hcp_id")
        XCTAssertEqual(
            findings.first { $0.code == .hcpNotAtInstitution }?.messageJa, "この医師はこの施設に所属していません。")
        let visit = try await store.visit(id)
        XCTAssertEqual(visit.status, .draft)
    }

    func testListsAnswerByDayAndByHCP() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit())
        let today = try await store.visitsToday(now: Fixtures.now)
        XCTAssertEqual(today.map(\.id), [id])
        // 23:30 UTC the day before is 08:30 in Tokyo: the same local day.
        let earlyUTC = try await store.visitsToday(now: VisitTime.date("2026-11-19T23:30:00Z")!)
        XCTAssertEqual(earlyUTC.map(\.id), [id])
        let byHCP = try await store.visits(hcpId: "H1")
        XCTAssertEqual(byHCP.map(\.id), [id])
        let byDates = try await store.visits(from: "2026-11-20", to: "2026-11-20")
        XCTAssertEqual(byDates.map(\.id), [id])
        let later = try await store.visits(from: "2026-11-21", to: "2026-11-22")
        XCTAssertTrue(later.isEmpty)
    }

    func testVisitJSONParsesIntoTheSameFormAndABadValueNamesItsPath() throws {
        let input = try parseVisitJson(json: #"""
            {"rep_id":"R1","hcp_id":"H1","channel":"in_person","started_at":"2026-11-20T10:00:00+09:00",
             "products":[{"product_id":"P1","priority":1}],"notes":"先生は新データに関心 😊"}
            """#)
        XCTAssertEqual(input.fields.startedAt, Fixtures.started)
        XCTAssertEqual(input.fields.notes, "先生は新データに関心 😊")
        XCTAssertThrowsError(try parseVisitJson(json: #"{"channel":"fax"}"#)) { error in
            guard case .Validation(let field, _, _) = error as? MrcError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "/channel")
        }
        XCTAssertThrowsError(try parseVisitJson(json: #"{"started_at":"2026-11-20T10:00:00","notes":"先生は関心"}"#)) {
            error in
            guard case .Validation(let field, let code, _) = error as? MrcError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "/started_at")
            XCTAssertEqual(code, "missing_offset")
        }
    }
}
