// A UITextView wrapper: UIKit reports each edit as an NSRange (UTF-16) of the text it showed; the wrapper converts
// it to the core's scalar positions (NotesText), so an emoji or a kanji is one character to the core.
#if canImport(UIKit)
import MRCompanion
import SwiftUI
import UIKit

struct NotesEditor: UIViewRepresentable {
    @ObservedObject var model: DemoModel

    func makeUIView(context: Context) -> UITextView {
        let view = UITextView()
        view.font = .preferredFont(forTextStyle: .body)
        view.delegate = context.coordinator
        return view
    }

    func updateUIView(_ view: UITextView, context: Context) {
        if view.text != model.form.notes { view.text = model.form.notes }
    }

    func makeCoordinator() -> Coordinator { Coordinator(model: model) }

    final class Coordinator: NSObject, UITextViewDelegate {
        let model: DemoModel
        init(model: DemoModel) { self.model = model }

        func textView(_ view: UITextView, shouldChangeTextIn range: NSRange, replacementText text: String) -> Bool {
            let before = view.text ?? ""
            Task { @MainActor in model.editNotes(before: before, range: range, replacement: text) }
            return true
        }
    }
}
#endif
