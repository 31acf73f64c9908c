// Notes through the binding: UTF-16 offsets and String.Index become scalar positions (emoji, kanji), concurrent
// edits from many tasks all land, and two replicas merge.
import XCTest
@testable import MRCompanion

final class NotesTests: XCTestCase {
    func testUTF16OffsetsAndIndicesConvertAroundEmojiAndKanji() throws {
        let text = "😊先生👍データ"
        XCTAssertEqual(try NotesText.scalarPosition(in: text, utf16Offset: 3), 2)
        XCTAssertEqual(try NotesText.utf16Offset(in: text, scalarPosition: 2), 3)
        let thumbs = text.range(of: "👍")!
        XCTAssertEqual(try NotesText.scalarPosition(in: text, at: thumbs.lowerBound), 3)
        XCTAssertEqual(try NotesText.scalarEdit(in: text, utf16Range: NSRange(thumbs, in: text)), ScalarEdit(position: 3, delete: 1))
        XCTAssertThrowsError(try NotesText.scalarPosition(in: text, utf16Offset: 1)) { error in
            XCTAssertEqual(error as? NotesText.Failure, .insideScalar)
        }
    }

    func testKeystrokesSentWithoutWaitingLandInOrderAndAStaleEditIsRefused() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit(notes: ""))
        let typed = "先生は腎機能低下例の用量に関心😊"
        // A text view's delegate queues every keystroke at once, each computed on the text it showed, none awaited.
        var shown = ""
        var pending: [Task<Void, Error>] = []
        for key in typed.unicodeScalars.map(String.init) {
            let before = shown
            shown += key
            let range = NSRange(location: before.utf16.count, length: 0)
            pending.append(try store.queueNotesEdit(id, before: before, utf16Range: range, replacement: key))
        }
        for task in pending { try await task.value }
        let notes = try await store.visit(id).fields.notes
        XCTAssertEqual(notes, typed)

        let stale = await assertMrcError {
            try await store.editNotes(id, before: "先生は", utf16Range: NSRange(location: 3, length: 0), replacement: "、")
        }
        guard case .Validation(_, let code, _) = stale else { return XCTFail("\(String(describing: stale))") }
        XCTAssertEqual(code, "stale_edit")
        let unchanged = try await store.visit(id).fields.notes
        XCTAssertEqual(unchanged, typed, "a refused edit changes nothing")
    }

    func testAnEditGivenAsAnNSRangeLandsWhereTheTextViewShowedIt() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit(notes: "😊先生は👍新データに関心"))
        let before = try await store.visit(id).fields.notes
        let range = NSRange(before.range(of: "👍")!, in: before)
        try await store.editNotes(id, before: before, utf16Range: range, replacement: "とても")
        let after = try await store.visit(id).fields.notes
        XCTAssertEqual(after, "😊先生はとても新データに関心")
        try await store.spliceNotes(id, position: 0, delete: 1, insert: "🎉")
        let last = try await store.visit(id).fields.notes
        XCTAssertEqual(last, "🎉先生はとても新データに関心")
        let error = await assertMrcError { try await store.spliceNotes(id, position: 100, delete: 0, insert: "x") }
        guard case .Validation(_, let code, _) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(code, "notes_range")
    }

    func testManyTasksEditTheSameNotesAndEveryEditLands() async throws {
        let store = try await Fixtures.openWithMaster()
        let id = try await store.createVisit(Fixtures.validVisit(notes: ""))
        let perTask = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for mark in ["甲", "乙"] {
                group.addTask {
                    for _ in 0..<perTask { try await store.spliceNotes(id, position: 0, delete: 0, insert: mark) }
                }
            }
            try await group.waitForAll()
        }
        let notes = try await store.visit(id).fields.notes
        XCTAssertEqual(notes.filter { $0 == "甲" }.count, perTask)
        XCTAssertEqual(notes.filter { $0 == "乙" }.count, perTask)
    }

    func testTwoReplicasEditDifferentPartsAndConverge() async throws {
        let tablet = try await Fixtures.openWithMaster()
        let phone = try await Fixtures.openWithMaster()
        let id = try await tablet.createVisit(Fixtures.validVisit(notes: "先生は新データに関心。"))
        let created = try await phone.merge(try await tablet.export(id))
        XCTAssertTrue(created.created)
        try await tablet.setNotes(id, "山田先生は新データに関心。")
        try await phone.setNotes(id, "先生は新データに関心。次回は用量の説明。")
        try await phone.merge(try await tablet.export(id), into: id)
        let outcome = try await tablet.merge(try await phone.export(id))
        XCTAssertTrue(outcome.changed)
        let expected = "山田先生は新データに関心。次回は用量の説明。"
        let onTablet = try await tablet.visit(id).fields.notes
        let onPhone = try await phone.visit(id).fields.notes
        XCTAssertEqual(onTablet, expected)
        XCTAssertEqual(onPhone, expected)
    }
}
