// SwiftUI screens: the visit form with the core's findings, the notes editor, the material shown after a tap.
// Finding and tap texts come from the core in Japanese and English; labels are in Localizable strings.
import MRCompanion
import SwiftUI

private var japanese: Bool { Locale.current.language.languageCode?.identifier == "ja" }
private func text(_ finding: Finding) -> String { japanese ? finding.messageJa : finding.messageEn }
private func text(_ reason: TapReason) -> String { japanese ? reason.messageJa : reason.messageEn }

public struct DemoScreens: View {
    @ObservedObject var model: DemoModel
    let scan: () -> Void

    public init(model: DemoModel, scan: @escaping () -> Void) {
        self.model = model
        self.scan = scan
    }

    public var body: some View {
        Form {
            Section("資材") { MaterialPanel(tap: model.tap, scan: scan) }
            Section("訪問記録") {
                TextField("医師ID", text: binding(\.hcpId))
                TextField("施設ID", text: binding(\.institutionId))
                TextField("面談時間（分）", value: $model.form.durationMin, format: .number)
                    .onChange(of: model.form.durationMin) { _ in model.edited() }
            }
            Section("面談メモ") { NotesEditor(model: model) }
            Section("確認事項") { FindingsList(report: model.report) }
            Button("提出") { Task { try? await model.submit() } }
        }
    }

    private func binding(_ key: WritableKeyPath<VisitFields, String?>) -> Binding<String> {
        Binding(
            get: { model.form[keyPath: key] ?? "" },
            set: { model.form[keyPath: key] = $0; model.edited() })
    }
}

struct FindingsList: View {
    let report: Report?

    var body: some View {
        if let report {
            Text("信頼度 \(report.score)")
            if report.findings.isEmpty { Text("問題はありません") }
            ForEach(Array(report.findings.enumerated()), id: \.offset) { _, finding in
                Label(text(finding), systemImage: finding.severity == .error ? "xmark.octagon" : "exclamationmark.triangle")
                    .foregroundStyle(finding.severity == .error ? .red : .orange)
            }
        }
    }
}

struct MaterialPanel: View {
    let tap: TapResult?
    let scan: () -> Void

    var body: some View {
        switch tap?.action {
        case nil: Button("カードを読み取る", action: scan)
        case .open(_, let version, let title, let localPath)?: Text("\(title)（第\(version)版）\n\(localPath)")
        case .superseded(_, _, let current, let title, let localPath)?: Text("\(title)（第\(current)版）\n\(localPath)")
        case .notCached(_, _, let url)?: Link("オンラインで開く", destination: URL(string: url)!)
        case .withdrawn(_, _, let reason)?, .expired(_, _, let reason)?, .unknownCard(let reason)?:
            Text(text(reason))
        case .forged(let reason)?, .replay(_, let reason)?: Text(text(reason)).foregroundStyle(.red)
        }
    }
}
