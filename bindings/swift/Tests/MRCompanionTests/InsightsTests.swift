// Doctor insights from Swift through the real native library: Japanese notes in, topics and flags out; insights
// stored with a visit and checked against the catalog.
import XCTest
@testable import MRCompanion

final class InsightsTests: XCTestCase {
    func testAPatientsRashIsFlaggedAndTheTopicsFollowTheNotes() throws {
        let s = try Insights.suggest("腎機能低下例での用量を質問。７２歳の患者さんで服用２週目に発疹が出たとのこと。")
        XCTAssertEqual(s.adverseEvent?.cue, "発疹")
        XCTAssertEqual(s.adverseEvent?.sentence, 1)
        XCTAssertEqual(s.topics.map(\.code), ["safety", "dosing_renal"])
        XCTAssertNil(s.offLabel)
        XCTAssertEqual(s.lexiconVersion, 5)
    }

    func testANegatedSideEffectIsNotFlaggedAndAnOffLabelQuestionIs() throws {
        let s = try Insights.suggest("副作用の報告は特になし。小児への投与について質問された（適応外）。")
        XCTAssertNil(s.adverseEvent)
        XCTAssertEqual(s.offLabel?.cue, "適応外")
    }

    func testInsightsAreStoredCheckedAgainstTheCatalogAndAnOffLabelAnswerIsRefused() async throws {
        let store = try await Fixtures.openWithMaster()
        let catalog = try await store.insightCatalog()
        XCTAssertEqual(catalog.stages.first?.nameJa, "未認知")
        XCTAssertTrue(catalog.topics.contains { $0.code == "dosing_renal" })

        var form = Fixtures.validVisit()
        form.insights = VisitInsights(
            stages: [ProductStage(productId: "P1", stage: "trial")],
            needs: [InformationNeed(topic: "dosing_renal", productId: "P1")],
            questions: [.asked("透析患者での用量は？", topic: "dosing_renal", productId: "P1")],
            safety: [.mentioned("服用2週目に発疹が出た患者がいたとのこと", productId: "P1")])
        let id = try await store.createVisit(form)
        let stored = try await store.visit(id).fields.insights
        XCTAssertEqual(stored.stages, [ProductStage(productId: "P1", stage: "trial")])
        XCTAssertEqual(stored.questions.first?.status, .open)
        XCTAssertEqual(stored.safety.first?.forwarded, false)

        form.insights.questions = [.asked("小児への投与は？", offLabel: true, status: .answered)]
        let report = try await store.validate(form, now: Fixtures.now)
        XCTAssertFalse(report.ok)
        XCTAssertEqual(
            report.findings.first { $0.code == .offLabelAnswered }?.messageJa,
            "適応外の質問にはMRは回答できません。メディカル部門へ回付してください。")
    }

    func testThePreVisitScreenShowsTheStageAndOpenNeedAndSuggestsTheMaterialAnsweringIt() async throws {
        let store = try await Fixtures.openWithMaster()
        var form = Fixtures.validVisit()
        form.insights = VisitInsights(
            stages: [ProductStage(productId: "P1", stage: "interested")],
            needs: [InformationNeed(topic: "dosing_renal", productId: "P1")],
            questions: [.asked("eGFR 30未満での用量は？", topic: "dosing_renal")],
            safety: [])
        _ = try await store.createVisit(form)
        let profile = try await store.doctorProfile("H1")
        XCTAssertEqual(profile.visits, 1)
        XCTAssertEqual(profile.stages.map(\.stage), ["interested"])
        XCTAssertEqual(profile.openNeeds.map(\.topic), ["dosing_renal"])
        XCTAssertEqual(profile.openQuestions.first?.question.text, "eGFR 30未満での用量は？")
        XCTAssertEqual(profile.lastVisits.first?.startedAt, VisitTime.date(Fixtures.started))

        let suggestions = try await store.pullSuggestions("H1", now: Fixtures.now)
        XCTAssertEqual(suggestions.map(\.materialId), ["M1"])
        XCTAssertEqual(suggestions.first?.answers, ["dosing_renal"])
        XCTAssertEqual(suggestions.first?.newToDoctor, true)
    }
}
