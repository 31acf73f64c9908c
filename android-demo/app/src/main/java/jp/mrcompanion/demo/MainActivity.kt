// NFC and links: foreground dispatch while the app is open, NDEF_DISCOVERED and App Link intents otherwise.
// The NDEF bytes (or the link, wrapped by the core into the same NDEF form) go to the core unchanged.
package jp.mrcompanion.demo

import android.app.PendingIntent
import android.content.Intent
import android.nfc.NdefMessage
import android.nfc.NfcAdapter
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import uniffi.mrc_ffi.ndefUriMessage

class MainActivity : ComponentActivity() {
    private val model: VisitViewModel by viewModels()
    private var nfc: NfcAdapter? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        nfc = NfcAdapter.getDefaultAdapter(this)
        setContent { DemoScreens(model, nfcEnabled = nfc?.isEnabled == true) }
        handle(intent)
    }

    override fun onResume() {
        super.onResume()
        val pending = PendingIntent.getActivity(
            this, 0, Intent(this, javaClass).addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP), PendingIntent.FLAG_MUTABLE,
        )
        nfc?.enableForegroundDispatch(this, pending, null, null)
    }

    override fun onPause() {
        super.onPause()
        nfc?.disableForegroundDispatch(this)
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handle(intent)
    }

    private fun handle(intent: Intent) {
        when (intent.action) {
            NfcAdapter.ACTION_NDEF_DISCOVERED, NfcAdapter.ACTION_TAG_DISCOVERED, NfcAdapter.ACTION_TECH_DISCOVERED -> {
                @Suppress("DEPRECATION") // the typed overload needs API 33; minSdk is 26
                val messages = intent.getParcelableArrayExtra(NfcAdapter.EXTRA_NDEF_MESSAGES)
                val bytes = (messages?.firstOrNull() as? NdefMessage)?.toByteArray() ?: ByteArray(0)
                model.tap(bytes) // an empty or unreadable tag is an outcome the core reports, not an error
            }
            Intent.ACTION_VIEW -> intent.dataString?.let { url ->
                runCatching { ndefUriMessage(url) }.onSuccess { model.tap(it) }
            }
        }
    }
}
