// Core NFC: reads a card's NDEF records and hands them to the core unchanged (the core decodes and judges them).
#if canImport(CoreNFC)
import CoreNFC
import MRCompanion

/// One reader session per "scan" button press.
final class NFCReader: NSObject, NFCNDEFReaderSessionDelegate {
    private var session: NFCNDEFReaderSession?
    private let onRecords: ([NdefRecordInput]) -> Void

    init(onRecords: @escaping ([NdefRecordInput]) -> Void) {
        self.onRecords = onRecords
    }

    func begin(prompt: String) {
        guard NFCNDEFReaderSession.readingAvailable else { return }
        session = NFCNDEFReaderSession(delegate: self, queue: nil, invalidateAfterFirstRead: true)
        session?.alertMessage = prompt
        session?.begin()
    }

    func readerSession(_ session: NFCNDEFReaderSession, didDetectNDEFs messages: [NFCNDEFMessage]) {
        let records = (messages.first?.records ?? []).map {
            NdefRecordInput(
                tnf: UInt8(truncatingIfNeeded: $0.typeNameFormat.rawValue), recordType: $0.type, id: $0.identifier,
                payload: $0.payload)
        }
        onRecords(records)
    }

    func readerSession(_ session: NFCNDEFReaderSession, didInvalidateWithError error: Error) {
        self.session = nil
    }
}
#endif
