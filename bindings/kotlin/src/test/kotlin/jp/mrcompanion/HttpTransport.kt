// A SyncTransport over java.net.http.HttpClient for the tests (an Android app would use OkHttp the same way).
package jp.mrcompanion

import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import uniffi.mrc_core.RangeReply
import uniffi.mrc_ffi.ContentDownloader
import uniffi.mrc_ffi.SyncTransport
import uniffi.mrc_ffi.TransportFailure

class HttpTransport(baseUrl: String, private val token: String) : SyncTransport {
    private val base = baseUrl.trimEnd('/')
    private val client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    override fun post(path: String, body: ByteArray): ByteArray {
        val request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer $token")
            .header("Content-Type", "application/cbor")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build()
        val response = try {
            client.send(request, HttpResponse.BodyHandlers.ofByteArray())
        } catch (e: IOException) {
            throw TransportFailure.Network(e.javaClass.simpleName)
        }
        val status = response.statusCode()
        if (status !in 200..299) {
            val message = String(response.body(), Charsets.UTF_8).take(300).trim()
            throw TransportFailure.Status(status.toUShort(), message)
        }
        return response.body()
    }
}

/** A ContentDownloader over java.net.http.HttpClient: one ranged GET per call. */
class HttpDownloader(baseUrl: String, private val token: String) : ContentDownloader {
    private val base = baseUrl.trimEnd('/')
    private val client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    val ranges: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    override fun getRange(path: String, start: ULong, end: ULong): RangeReply {
        val range = "bytes=$start-$end"
        ranges += range
        val request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer $token")
            .header("Range", range)
            .GET()
            .build()
        val response = try {
            client.send(request, HttpResponse.BodyHandlers.ofByteArray())
        } catch (e: IOException) {
            throw TransportFailure.Network(e.javaClass.simpleName)
        }
        val status = response.statusCode()
        if (status != 200 && status != 206) {
            val message = String(response.body(), Charsets.UTF_8).take(300).trim()
            throw TransportFailure.Status(status.toUShort(), message)
        }
        val contentRange = response.headers().firstValue("content-range").orElse(null)
        return RangeReply(status.toUShort(), contentRange, response.body())
    }
}
