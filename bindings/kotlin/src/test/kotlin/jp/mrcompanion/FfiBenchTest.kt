// The Kotlin side of the FFI overhead benchmark (run by `scripts/bindings.sh --bench`, excluded from the tests):
// the same two calls as bindings/ffi/benches/ffi_calls.rs, through the generated code and JNA. Each sample times a
// batch of Kotlin calls and then the same batch made inside Rust (a probe), so both see the same machine load.
package jp.mrcompanion

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import uniffi.mrc_ffi.BenchCall
import uniffi.mrc_ffi.BenchSetup
import uniffi.mrc_ffi.liveStoreCount
import uniffi.mrc_ffi.ndefUriMessage
import uniffi.mrc_ffi.MrcStore as FfiStore

@Tag("bench")
class FfiBenchTest {
    private fun median(values: List<Double>) = values.sorted()[values.size / 2]

    private fun compare(store: FfiStore, setup: BenchSetup, call: BenchCall, samples: Int = 40, kotlinCall: () -> Unit) {
        val warmUntil = System.nanoTime() + 3_000_000_000L
        var calls = 0
        while (System.nanoTime() < warmUntil) { kotlinCall(); calls++ }
        store.benchInRust(setup, call, calls.toUInt() / 4u)
        val batch = maxOf(1, calls / 30) // about 100 ms per batch
        val kotlin = ArrayList<Double>()
        val rust = ArrayList<Double>()
        repeat(samples) {
            val start = System.nanoTime()
            repeat(batch) { kotlinCall() }
            kotlin.add((System.nanoTime() - start).toDouble() / batch)
            rust.add(store.benchInRust(setup, call, batch.toUInt()))
        }
        val ratios = kotlin.indices.map { kotlin[it] / rust[it] }
        println("ffi_bench/%-8s Kotlin %7.1f µs   Rust %7.1f µs   ratio %.2f× (median of %d paired samples of %d calls)".format(
            call.name.lowercase(), median(kotlin) / 1000, median(rust) / 1000, median(ratios), samples, batch))
    }

    private fun floor(name: String, call: () -> Unit) {
        repeat(20_000) { call() }
        val samples = (1..20).map {
            val start = System.nanoTime()
            repeat(5_000) { call() }
            (System.nanoTime() - start).toDouble() / 5_000
        }
        println("ffi_bench/floor %-20s %6.1f µs per call from Kotlin".format(name, median(samples) / 1000))
    }

    @Test
    fun `validate and tap through the FFI`(): Unit = runBlocking {
        CompanionStore.open(Fixtures.tempDb()).use { store ->
            val raw = store.raw
            val setup = raw.benchSetup(365u)
            println("ffi_bench: seeded ${setup.visits} visits; the form's notes have ${setup.form.notes.length} characters")
            // The raw generated calls: the wrapper's coroutine dispatch is the app's choice, not FFI overhead.
            compare(raw, setup, BenchCall.VALIDATE) { raw.validate(null, setup.form, null, setup.nowUtc) }
            compare(raw, setup, BenchCall.TAP) { raw.handleTapBytes(setup.card, setup.now, null) }
            // The fixed cost of a crossing, for reading the ratios: a call with no arguments, one with small buffers.
            floor("liveStoreCount()") { liveStoreCount() }
            floor("ndefUriMessage(url)") { ndefUriMessage("https://tap.example.jp/c/AQAAEJIAVw") }
        }
    }
}
