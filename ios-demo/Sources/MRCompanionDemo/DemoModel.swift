// Screen state: the form as the MR types it, the core's findings for it, the last tap. No rule is decided here:
// every change goes to the core's validator and what it says is shown as it is.
import Foundation
import MRCompanion

@MainActor
public final class DemoModel: ObservableObject {
    @Published public var form = VisitFields.draft(channel: .inPerson, startedAt: VisitTime.format(Date(), in: .current))
    @Published public private(set) var report: Report?
    @Published public private(set) var tap: TapResult?
    @Published public private(set) var visitId: String?
    /// The last refused call, shown to the MR (never swallowed).
    @Published public private(set) var problem: String?
    private let store: CompanionStore
    private var validation: Task<Void, Never>?

    public init(store: CompanionStore) {
        self.store = store
    }

    /// Opens the app's store in Application Support.
    public static func open() async throws -> DemoModel {
        let dir = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        return DemoModel(store: try await CompanionStore.open(path: dir.appendingPathComponent("mrc.db").path))
    }

    /// The form changed: ask the core for its findings (debounced while typing).
    public func edited() {
        validation?.cancel()
        let form = self.form, id = visitId
        validation = Task {
            try? await Task.sleep(nanoseconds: 150_000_000)
            guard !Task.isCancelled else { return }
            report = try? await store.validate(form, id: id)
        }
    }

    /// A notes edit from a UITextView, as the NSRange it reports on the text it showed.
    public func editNotes(before: String, range: NSRange, replacement: String) {
        if let swiftRange = Range(range, in: before) {
            form.notes = before.replacingCharacters(in: swiftRange, with: replacement)
        }
        edited()
        guard let id = visitId else { return }
        do {
            // Queued now, in typing order; a refused edit (e.g. `stale_edit`) is shown and the stored notes return.
            let applied = try store.queueNotesEdit(id, before: before, utf16Range: range, replacement: replacement)
            Task {
                do {
                    try await applied.value
                } catch {
                    problem = "\(error)"
                    if let stored = try? await store.visit(id) { form.notes = stored.fields.notes }
                }
            }
        } catch {
            problem = "\(error)"
        }
    }

    public func save() async throws {
        if let id = visitId { try await store.updateVisit(id, form) } else { visitId = try await store.createVisit(form) }
    }

    public func submit() async throws {
        try await save()
        guard let id = visitId else { return }
        do {
            report = try await store.submit(id)
        } catch MrcError.Validation {
            report = try await store.validate(form, id: id)
        }
    }

    /// A card was read by Core NFC.
    public func tapped(records: [NdefRecordInput]) async {
        tap = try? await store.tap(records: records, visitId: visitId)
    }

    /// A card URL arrived as a Universal Link: the core judges it exactly like a tapped card.
    public func opened(url: URL) async {
        guard let ndef = try? ndefUriMessage(url: url.absoluteString) else { return }
        tap = try? await store.tap(ndef: ndef, visitId: visitId)
    }
}
