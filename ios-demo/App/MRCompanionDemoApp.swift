// The app target's entry point (add to an Xcode iOS App target together with Info.plist and the entitlements).
// Universal Links for card URLs arrive through onOpenURL; Core NFC sessions start from the material panel.
import MRCompanion
import MRCompanionDemo
import SwiftUI

@main
struct MRCompanionDemoApp: App {
    @State private var model: DemoModel?
    @State private var reader: NFCReader?

    var body: some Scene {
        WindowGroup {
            Group {
                if let model {
                    DemoScreens(model: model) { reader?.begin(prompt: "カードをiPhoneの上部にかざしてください") }
                        .onOpenURL { url in Task { await model.opened(url: url) } }
                } else {
                    ProgressView()
                }
            }
            .task {
                guard model == nil, let opened = try? await DemoModel.open() else { return }
                model = opened
                reader = NFCReader { records in Task { await opened.tapped(records: records) } }
            }
        }
    }
}
