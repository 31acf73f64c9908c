// Material content from Kotlin against a real `mrc serve`: a file added with `mrc admin content add` is fetched
// in ranges through a Kotlin downloader after a sync, verified and linked; offline is a typed error.
package jp.mrcompanion

import java.io.File
import java.nio.file.Files
import java.security.MessageDigest
import java.time.LocalDate
import java.util.Collections
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import uniffi.mrc_core.ContentProgress
import uniffi.mrc_core.RangeReply
import uniffi.mrc_ffi.ContentDownloader
import uniffi.mrc_ffi.MrcException
import uniffi.mrc_ffi.TransportFailure

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentTest {
    private val mrc: String = System.getProperty("mrc.bin")
        ?: File(System.getProperty("user.dir"), "../../target/debug/mrc").canonicalPath
    private val data = Files.createTempDirectory("mrc-kotlin-content").toFile()
    private val leaflet = "グルコバランス錠 製品情報概要 — 用法・用量\n".repeat(40_000).toByteArray()
    private val sha = MessageDigest.getInstance("SHA-256").digest(leaflet).joinToString("") { "%02x".format(it) }
    private lateinit var server: Process
    private lateinit var url: String

    private fun admin(vararg args: String): String {
        val process = ProcessBuilder(mrc, "admin", *args).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val out = process.inputStream.readBytes().toString(Charsets.UTF_8).trim()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "mrc admin ${args.first()}")
        return out
    }

    @BeforeAll
    fun startServer() {
        val master = File(data, "master.json")
        master.writeText(
            """{"products":[{"id":"P1","name":"グルコバランス錠"}],
               "reps":[{"id":"R1","name":"佐藤 花子","products":["P1"]}],
               "materials":[{"id":"M1","version":1,"title":"製品情報概要","product_id":"P1",
                 "approval_code":"GB-2026-001","valid_from":"2020-01-01","valid_until":"2099-12-31",
                 "status":"approved","sha256":"$sha","size":${leaflet.size}}]}""",
        )
        val file = File(data, "leaflet.pdf").also { it.writeBytes(leaflet) }
        admin("import", "--data", data.path, master.path)
        admin("content", "add", "--data", data.path, file.path, "--material", "M1", "--version", "1")
        server = ProcessBuilder(mrc, "serve", "--data", data.path, "--listen", "127.0.0.1:0", "--now", Fixtures.now.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val line = server.inputStream.bufferedReader().readLine() ?: error("mrc serve printed nothing")
        url = line.trim().removePrefix("listening on ")
    }

    @AfterAll
    fun stopServer() {
        if (::server.isInitialized) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
        }
        data.deleteRecursively()
    }

    @Test
    fun `after a sync the material's file is fetched in ranges, verified and kept`(): Unit = runBlocking {
        val token = admin("token", "--data", data.path, "--rep", "R1")
        val dir = Files.createTempDirectory("mrc-kotlin-device").toFile()
        CompanionStore.open(File(dir, "device.db").path, clock = Fixtures.clock).use { store ->
            store.sync(HttpTransport(url, token))
            val downloader = HttpDownloader(url, token)
            val progress = Collections.synchronizedList(mutableListOf<ContentProgress>())
            val content = File(dir, "content")
            val report = store.fetchContent(downloader, content, LocalDate.of(2026, 11, 25)) { progress += it }
            assertEquals(1uL, report.downloaded)
            assertEquals(leaflet.size.toULong(), report.bytes)
            assertTrue(report.failed.isEmpty())
            assertArrayEquals(leaflet, File(content, sha).readBytes())
            assertEquals("bytes=0-1048575", downloader.ranges.first())
            assertEquals(progress.last().totalBytes, progress.last().doneBytes)

            val again = store.fetchContent(downloader, content, LocalDate.of(2026, 11, 25))
            assertEquals(1uL, again.present)
            assertEquals(0uL, again.downloaded)
        }
        dir.deleteRecursively()
    }

    @Test
    fun `offline is a network error and nothing is used`(): Unit = runBlocking {
        val token = admin("token", "--data", data.path, "--rep", "R1")
        val dir = Files.createTempDirectory("mrc-kotlin-offline").toFile()
        CompanionStore.open(File(dir, "device.db").path, clock = Fixtures.clock).use { store ->
            store.sync(HttpTransport(url, token))
            val offline = object : ContentDownloader {
                override fun getRange(path: String, start: ULong, end: ULong): RangeReply =
                    throw TransportFailure.Network("offline")
            }
            val error = assertThrows<MrcException.Network> {
                runBlocking { store.fetchContent(offline, File(dir, "content")) }
            }
            assertEquals(0.toUShort(), error.status)
            assertTrue(!File(dir, "content/$sha").exists())
        }
        dir.deleteRecursively()
    }
}
