// Text positions: Kotlin strings index UTF-16 code units; the core counts Unicode scalar values (ADR 0002).
package jp.mrcompanion

/** A notes edit in the core's units: replace [delete] scalar values at [position]. */
data class ScalarEdit(val position: Int, val delete: Int)

object NotesText {
    /** The scalar-value position of the UTF-16 index [utf16Index] of [text]; refuses an index inside a surrogate pair. */
    fun scalarPosition(text: String, utf16Index: Int): Int {
        require(utf16Index in 0..text.length) { "index $utf16Index is outside the text (length ${text.length})" }
        require(!splitsSurrogatePair(text, utf16Index)) { "index $utf16Index is inside a surrogate pair" }
        return text.codePointCount(0, utf16Index)
    }

    /** The UTF-16 index of the scalar-value position [scalarPosition] of [text]. */
    fun utf16Index(text: String, scalarPosition: Int): Int = text.offsetByCodePoints(0, scalarPosition)

    /** The core's edit for "replace UTF-16 range [start, end) of [before]". */
    fun toScalarEdit(before: String, start: Int, end: Int): ScalarEdit {
        require(start <= end) { "start $start is after end $end" }
        val position = scalarPosition(before, start)
        return ScalarEdit(position, scalarPosition(before, end) - position)
    }

    private fun splitsSurrogatePair(text: String, index: Int): Boolean =
        index in 1 until text.length && text[index - 1].isHighSurrogate() && text[index].isLowSurrogate()
}
