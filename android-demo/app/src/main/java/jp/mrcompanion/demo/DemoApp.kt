// The application object: opens the one store of the app (in the app's private files) and shares it.
package jp.mrcompanion.demo

import android.app.Application
import jp.mrcompanion.CompanionStore
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async

class DemoApp : Application() {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main)
    lateinit var store: Deferred<CompanionStore>
        private set

    override fun onCreate() {
        super.onCreate()
        store = scope.async { CompanionStore.open(filesDir.resolve("mrc.db").path) }
    }
}
