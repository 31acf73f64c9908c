// A java.time.Clock handed to the native store as its device clock.
package jp.mrcompanion

import java.time.Clock
import uniffi.mrc_ffi.DeviceClock

/** The native store reads the time from [clock] (called on the store's threads; `Clock.millis()` never blocks). */
internal class DeviceClockOf(private val clock: Clock) : DeviceClock {
    override fun nowMs(): Long = clock.millis()
}
