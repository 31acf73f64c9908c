// A SyncTransport for the tests: a minimal blocking HTTP/1.1 client over a loopback socket.
//
// An iOS app implements the same protocol with URLSession. URLSession is not used here: with it, FoundationNetworking
// of Swift 6.0.3 on Linux (the chroot) trapped (SIGILL inside libFoundationNetworking) on the first request of the
// refused-token test, whose answer is a 401.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import MRCompanion

final class HTTPTransport: SyncTransport, @unchecked Sendable {
    private let host: String
    private let port: UInt16
    private let token: String

    /// `base` is `http://127.0.0.1:<port>` (IPv4 loopback, as `mrc serve --listen 127.0.0.1:0` prints it).
    init(_ base: String, token: String) {
        let authority = base.replacingOccurrences(of: "http://", with: "").split(separator: "/").first ?? ""
        let parts = authority.split(separator: ":")
        host = parts.first.map(String.init) ?? "127.0.0.1"
        port = parts.count > 1 ? UInt16(parts[1]) ?? 80 : 80
        self.token = token
    }

    func post(path: String, body: Data) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TransportFailure.Network(reason: "socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw TransportFailure.Network(reason: "bad_host") }
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw TransportFailure.Network(reason: "connect") }

        var request = Data((
            "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/cbor\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        ).utf8)
        request.append(body)
        try request.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var sent = 0
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw TransportFailure.Network(reason: "send") }
                sent += n
            }
        }

        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            guard n > 0 else { throw TransportFailure.Network(reason: "recv") }
            response.append(contentsOf: buffer[0..<n])
        }
        return try Self.parse(response)
    }

    /// The body of a complete `Connection: close` response; a non-2xx status becomes `TransportFailure.Status`.
    private static func parse(_ response: Data) throws -> Data {
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else {
            throw TransportFailure.Network(reason: "truncated")
        }
        let head = String(decoding: response[response.startIndex..<split.lowerBound], as: UTF8.self)
        var body = Data(response[split.upperBound...])
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = UInt16(statusParts[1]) else {
            throw TransportFailure.Network(reason: "bad_status_line")
        }
        let chunked = lines.dropFirst().contains {
            $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked")
        }
        if chunked { body = try dechunk(body) }
        guard (200..<300).contains(status) else {
            throw TransportFailure.Status(status: status, detail: String(decoding: body.prefix(300), as: UTF8.self))
        }
        return body
    }

    private static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = Data(data)
        while true {
            guard let lineEnd = rest.range(of: Data("\r\n".utf8)) else { throw TransportFailure.Network(reason: "chunk") }
            let sizeText = String(decoding: rest[rest.startIndex..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else {
                throw TransportFailure.Network(reason: "chunk")
            }
            if size == 0 { return out }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size + 2 else {
                throw TransportFailure.Network(reason: "chunk")
            }
            let end = rest.index(start, offsetBy: size)
            out.append(rest[start..<end])
            rest = Data(rest[rest.index(end, offsetBy: 2)...])
        }
    }
}
