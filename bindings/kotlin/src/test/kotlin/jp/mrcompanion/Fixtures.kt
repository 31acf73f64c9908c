// Shared test fixtures: a temporary store with the master data of bindings/testdata, and a valid visit form.
package jp.mrcompanion

import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.OffsetDateTime
import java.time.Clock
import java.time.ZoneOffset
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import uniffi.mrc_core.Channel
import uniffi.mrc_core.Reaction
import uniffi.mrc_core.VisitFields

object Fixtures {
    val masterJson: String =
        File(System.getProperty("user.dir"), "../testdata/master.json").readText(Charsets.UTF_8)

    /** A Friday morning in Yokohama. */
    val started: OffsetDateTime = OffsetDateTime.parse("2026-11-20T10:00:00+09:00")

    /** One hour after the visit started: when the rep validates and submits. */
    val now: Instant = started.plusHours(1).toInstant()

    /** The device clock of every test store: standing at [now] (no test here is about the wall clock). */
    val clock: Clock = Clock.fixed(now, ZoneOffset.ofHours(9))

    fun tempDb(): String = Files.createTempDirectory("mrc-kotlin").resolve("store.db").toString()

    suspend fun openWithMaster(
        path: String = tempDb(),
        dispatcher: CoroutineDispatcher = Dispatchers.IO,
    ): CompanionStore = CompanionStore.open(path, dispatcher, clock).also { it.importMasterJson(masterJson) }

    fun validVisit(notes: String = "先生は新しい臨床データに関心。次回は用量の説明 😊"): VisitFields = visitFields(
        repId = "R1",
        hcpId = "H1",
        institutionId = "I1",
        channel = Channel.IN_PERSON,
        startedAt = started,
        durationMin = 15,
        products = listOf(product("P1")),
        reaction = Reaction.POSITIVE,
        nextObjective = "次回は用量の説明",
        notes = notes,
    )
}
