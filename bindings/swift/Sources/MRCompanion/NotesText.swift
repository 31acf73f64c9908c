// Text positions: Swift text views report UTF-16 offsets or String.Index; the core counts Unicode scalars.
import Foundation

/// A notes edit in the core's units: replace `delete` scalars at `position`.
public struct ScalarEdit: Equatable, Sendable {
    public let position: Int
    public let delete: Int
}

public enum NotesText {
    public enum Failure: Error, Equatable {
        /// The offset is outside the text.
        case outOfRange
        /// The offset falls inside a character's UTF-16 surrogate pair.
        case insideScalar
    }

    /// The scalar position of a String.Index (which must fall on a scalar boundary).
    public static func scalarPosition(in text: String, at index: String.Index) throws -> Int {
        guard let scalarIndex = index.samePosition(in: text.unicodeScalars) else { throw Failure.insideScalar }
        return text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: scalarIndex)
    }

    /// The scalar position of a UTF-16 offset (UIKit/AppKit `NSRange` units).
    public static func scalarPosition(in text: String, utf16Offset: Int) throws -> Int {
        guard utf16Offset >= 0, utf16Offset <= text.utf16.count else { throw Failure.outOfRange }
        let index = text.utf16.index(text.utf16.startIndex, offsetBy: utf16Offset)
        return try scalarPosition(in: text, at: index)
    }

    /// The UTF-16 offset of a scalar position.
    public static func utf16Offset(in text: String, scalarPosition: Int) throws -> Int {
        let scalars = text.unicodeScalars
        guard scalarPosition >= 0, scalarPosition <= scalars.count else { throw Failure.outOfRange }
        let index = scalars.index(scalars.startIndex, offsetBy: scalarPosition)
        return text.utf16.distance(from: text.utf16.startIndex, to: index)
    }

    /// The core's edit for "replace this UTF-16 range of `before`".
    public static func scalarEdit(in before: String, utf16Range: NSRange) throws -> ScalarEdit {
        let start = try scalarPosition(in: before, utf16Offset: utf16Range.location)
        let end = try scalarPosition(in: before, utf16Offset: utf16Range.location + utf16Range.length)
        return ScalarEdit(position: start, delete: end - start)
    }
}
