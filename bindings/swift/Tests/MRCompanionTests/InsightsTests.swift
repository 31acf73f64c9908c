// Doctor insights from Swift: Japanese notes in, topics and flags out, through the real native library.
import XCTest
@testable import MRCompanion

final class InsightsTests: XCTestCase {
    func testAPatientsRashIsFlaggedAndTheTopicsFollowTheNotes() throws {
        let s = try Insights.suggest("腎機能低下例での用量を質問。７２歳の患者さんで服用２週目に発疹が出たとのこと。")
        XCTAssertEqual(s.adverseEvent?.cue, "発疹")
        XCTAssertEqual(s.adverseEvent?.sentence, 1)
        XCTAssertEqual(s.topics.map(\.code), ["safety", "dosing_renal"])
        XCTAssertNil(s.offLabel)
        XCTAssertEqual(s.lexiconVersion, 2)
    }

    func testANegatedSideEffectIsNotFlaggedAndAnOffLabelQuestionIs() throws {
        let s = try Insights.suggest("副作用の報告は特になし。小児への投与について質問された（適応外）。")
        XCTAssertNil(s.adverseEvent)
        XCTAssertEqual(s.offLabel?.cue, "適応外")
    }
}
