// Comments from Swift: the role enum, the time as a Date, Japanese text, and the refusal codes.
import XCTest
@testable import MRCompanion

final class CommentTests: XCTestCase {
    func testAManagerCommentsOnASubmittedVisitWithoutChangingIt() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit())
        try await store.submit(id, now: Fixtures.now)
        let before = try await store.visit(id)
        let later = Fixtures.now.addingTimeInterval(600)
        let added = try await store.addComment(
            id, as: .manager, author: "課長 山本", text: " 次回は用量の説明をお願いします。 ", now: later)
        try await store.addComment(id, as: .rep, author: "高橋 美咲", text: "承知しました。", now: Fixtures.now)

        let comments = try await store.comments(id)
        XCTAssertEqual(comments.map(\.text), ["承知しました。", "次回は用量の説明をお願いします。"])
        XCTAssertEqual(comments[1], added)
        XCTAssertEqual(comments[1].authorRole, .manager)
        XCTAssertEqual(comments[1].at.timeIntervalSince1970, later.timeIntervalSince1970, accuracy: 0.001)
        let after = try await store.visit(id)
        XCTAssertEqual(after.status, .submitted)
        XCTAssertFalse(after.needsReview)
        XCTAssertEqual(after.score, before.score)

        let empty = await assertMrcError { try await store.addComment(id, as: .rep, author: "高橋 美咲", text: "　") }
        guard case .Validation(_, let code, _) = empty else { return XCTFail("\(String(describing: empty))") }
        XCTAssertEqual(code, "comment_empty")
        let long = await assertMrcError {
            try await store.addComment(id, as: .rep, author: "高橋 美咲", text: String(repeating: "長", count: 2001))
        }
        guard case .Validation(_, let tooLong, _) = long else { return XCTFail("\(String(describing: long))") }
        XCTAssertEqual(tooLong, "comment_too_long")
    }
}
