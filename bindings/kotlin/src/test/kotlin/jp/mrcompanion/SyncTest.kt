// Sync from Kotlin against a real `mrc serve` started by the test: two devices of one rep, a Kotlin transport,
// progress callbacks, and a refused token as a typed error.
package jp.mrcompanion

import java.io.File
import java.security.MessageDigest
import java.nio.file.Files
import java.util.Collections
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.onSubscription
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import uniffi.mrc_core.AuthRefusal
import uniffi.mrc_core.SyncFailureKind
import uniffi.mrc_core.SyncProgress
import uniffi.mrc_ffi.ChangeKind
import uniffi.mrc_ffi.MrcException

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncTest {
    private val mrc: String = System.getProperty("mrc.bin")
        ?: File(System.getProperty("user.dir"), "../../target/debug/mrc").canonicalPath
    private val data = Files.createTempDirectory("mrc-kotlin-server").toFile()
    private lateinit var server: Process
    private lateinit var url: String

    private fun admin(vararg args: String): String {
        val process = ProcessBuilder(mrc, "admin", *args).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val out = process.inputStream.readBytes().toString(Charsets.UTF_8).trim()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "mrc admin ${args.first()}")
        return out
    }

    private fun token(rep: String): String = admin("token", "--data", data.path, "--rep", rep)

    @BeforeAll
    fun startServer() {
        admin("import", "--data", data.path, File(System.getProperty("user.dir"), "../testdata/master.json").path)
        server = ProcessBuilder(mrc, "serve", "--data", data.path, "--listen", "127.0.0.1:0", "--now", Fixtures.now.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val line = server.inputStream.bufferedReader().readLine() ?: error("mrc serve printed nothing")
        url = line.trim().removePrefix("listening on ")
        assertTrue(url.startsWith("http://"), "unexpected first line: $line")
    }

    @AfterAll
    fun stopServer() {
        if (::server.isInitialized) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
        }
        data.deleteRecursively()
    }

    @Test
    fun `a visit made on one device reaches another device of the same rep`(): Unit = runBlocking {
        val notes = "先生は新しい臨床データに関心。次回は用量の説明 😊"
        Fixtures.openWithMaster().use { a ->
            Fixtures.openWithMaster().use { b ->
                val id = a.createVisit(Fixtures.validVisit(notes))
                val pushed = a.sync(HttpTransport(url, token("R1")))
                assertEquals(1uL, pushed.pushed)
                assertTrue(pushed.roundTrips >= 1uL && pushed.bytesUp > 0uL)
                assertEquals(32, pushed.serverId?.length, "the server names its identity")
                assertFalse(pushed.reconciled)

                val progress = Collections.synchronizedList(mutableListOf<SyncProgress>())
                val callbackThreads = Collections.synchronizedSet(mutableSetOf<String>())
                val pulled = b.sync(HttpTransport(url, token("R1"))) {
                    progress += it
                    callbackThreads += Thread.currentThread().name
                }
                assertTrue(pulled.pulled >= 1uL, "other tests' visits of R1 may come along")
                assertTrue(progress.isNotEmpty(), "no progress reported")
                val last = progress.last()
                assertEquals(last.total, last.done)
                assertTrue(progress.all { it.done <= it.total })
                assertFalse(Thread.currentThread().name in callbackThreads, "progress on the caller's thread")

                val seen = b.getVisit(id)
                assertEquals(notes, seen.fields.notes)
                assertEquals(Fixtures.started, seen.fields.startedAt)

                // A second sync has nothing new either way.
                val again = b.sync(HttpTransport(url, token("R1")))
                assertEquals(0uL, again.pulled)
            }
        }
    }

    @Test
    fun `changes after sync are announced on the changes Flow`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { a ->
            Fixtures.openWithMaster().use { b ->
                val id = a.createVisit(Fixtures.validVisit())
                a.sync(HttpTransport(url, token("R1")))
                val subscribed = CompletableDeferred<Unit>()
                val announced = async(Dispatchers.Default) {
                    // Other tests' visits of R1 on the same server arrive too: this visit's changes are the point.
                    b.changes.onSubscription { subscribed.complete(Unit) }.filter { it.id == id }.take(2).toList()
                }
                subscribed.await()
                b.sync(HttpTransport(url, token("R1"))) // the visit arrives
                a.setNotes(id, "先生は用量の資料を希望された。")
                a.sync(HttpTransport(url, token("R1")))
                b.sync(HttpTransport(url, token("R1"))) // the other device's edit arrives
                val changes = withTimeout(10_000) { announced.await() }
                assertEquals(listOf(ChangeKind.SYNCED, ChangeKind.SYNCED), changes.map { it.kind })
                assertEquals(listOf(id, id), changes.map { it.id })
                assertEquals("先生は用量の資料を希望された。", b.getVisit(id).fields.notes)
            }
        }
    }

    /** A token's public id, as `mrc admin token list` shows it: the first 12 hex digits of its SHA-256. */
    private fun tokenId(token: String): String =
        MessageDigest.getInstance("SHA-256").digest(token.toByteArray()).take(6).joinToString("") { "%02x".format(it) }

    @Test
    fun `a revoked token is refused as revoked, and wipe leaves no file behind`(): Unit = runBlocking {
        val dir = Files.createTempDirectory("mrc-kotlin-wipe").toFile()
        val content = File(dir, "content").also { it.mkdirs() }
        File(content, "leaflet.pdf").writeText("グルコバランス錠 製品情報概要")
        val store = Fixtures.openWithMaster(File(dir, "tablet.db").path)
        val token = token("R1")
        store.createVisit(Fixtures.validVisit())
        assertEquals(1uL, store.sync(HttpTransport(url, token)).pushed)
        admin("token", "revoke", "--data", data.path, tokenId(token))
        val refused = assertThrows<MrcException.Unauthorized> {
            runBlocking { store.sync(HttpTransport(url, token)) }
        }
        assertEquals(AuthRefusal.REVOKED, refused.reason)
        store.wipe(content)
        assertEquals(emptyList<String>(), dir.list()!!.toList(), "nothing of the tablet is left")
        assertThrows<IllegalStateException> { runBlocking { store.masterCounts() } }
    }

    @Test
    fun `a rotated token replaces the handed-over one once it is used`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val handedOver = token("R1")
            assertTrue(store.tokenRotationDue())
            val new = store.rotateToken(HttpTransport(url, handedOver))
            assertEquals(tokenId(new.token), new.id)
            assertFalse(store.tokenRotationDue(), "just rotated")
            // Until the new token is used, the old one still works (the app may not have stored the new one yet).
            store.createVisit(Fixtures.validVisit())
            assertEquals(1uL, store.sync(HttpTransport(url, handedOver)).pushed)
            store.sync(HttpTransport(url, new.token))
            val refused = assertThrows<MrcException.Unauthorized> {
                runBlocking { store.sync(HttpTransport(url, handedOver)) }
            }
            assertEquals(AuthRefusal.ROTATED, refused.reason, "not REVOKED: nothing to wipe")
        }
    }

    @Test
    fun `a refused token is a typed error and the store keeps working`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            val id = store.createVisit(Fixtures.validVisit())
            val refused = assertThrows<MrcException.Unauthorized> {
                runBlocking { store.sync(HttpTransport(url, "not-a-token")) }
            }
            assertEquals(AuthRefusal.UNKNOWN_TOKEN, refused.reason)
            assertEquals(id, store.getVisit(id).id)
            // The visit is still pushed by the next, authorised sync.
            assertEquals(1uL, store.sync(HttpTransport(url, token("R1"))).pushed)
        }
    }

    @Test
    fun `no answer at all is a network error with status 0`(): Unit = runBlocking {
        Fixtures.openWithMaster().use { store ->
            store.createVisit(Fixtures.validVisit())
            val unreachable = assertThrows<MrcException.Network> {
                runBlocking { store.sync(HttpTransport("http://127.0.0.1:9", "token")) }
            }
            assertEquals(0.toUShort(), unreachable.status)
            assertEquals(SyncFailureKind.OFFLINE, unreachable.kind)
        }
    }
}
