// Comments from Kotlin: the role enum, the time as an Instant, Japanese text, and the refusal codes.
package jp.mrcompanion

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import uniffi.mrc_core.CommentRole
import uniffi.mrc_core.VisitStatus
import uniffi.mrc_ffi.MrcException

class CommentTest {
    @Test
    fun `a manager comments on a submitted visit without changing it`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit())
            store.submit(id, Fixtures.now)
            val before = store.getVisit(id)
            val later = Fixtures.now.plusSeconds(600)
            val added = store.addComment(id, CommentRole.MANAGER, "課長 山本", " 次回は用量の説明をお願いします。 ", later)
            store.addComment(id, CommentRole.REP, "高橋 美咲", "承知しました。", Fixtures.now)

            val comments = store.comments(id)
            assertEquals(listOf("承知しました。", "次回は用量の説明をお願いします。"), comments.map { it.text })
            assertEquals(added, comments[1])
            assertEquals(CommentRole.MANAGER, comments[1].authorRole)
            assertEquals(later, comments[1].at)
            val after = store.getVisit(id)
            assertEquals(VisitStatus.SUBMITTED, after.status)
            assertFalse(after.needsReview)
            assertEquals(before.score, after.score)

            val empty = assertThrows<MrcException.Validation> {
                runBlocking { store.addComment(id, CommentRole.REP, "高橋 美咲", "　", Fixtures.now) }
            }
            assertEquals("comment_empty", empty.code)
            val long = assertThrows<MrcException.Validation> {
                runBlocking { store.addComment(id, CommentRole.REP, "高橋 美咲", "長".repeat(2001), Fixtures.now) }
            }
            assertEquals("comment_too_long", long.code)
        }
    }
}
