import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A `hark serve` process on a free loopback port, with a private `HARK_HOME`, and an HTTP client for it.
final class ServeHTTPServer: @unchecked Sendable {
    let hark: HarkProcess
    let process: ProcessRunner
    /// `http://127.0.0.1:PORT`.
    let base: String
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// The line `hark serve` prints when it accepts requests.
    static let readyPrefix = "hark serve: HTTP API on http://"

    /// Starts `hark serve --http 127.0.0.1:0 ARGS` (the configuration `config` written first, when given) and waits
    /// until it says where it listens.
    static func start(config: String? = nil, arguments: [String] = [], home: HarkProcess? = nil) async throws
        -> ServeHTTPServer
    {
        let hark = try home ?? HarkProcess()
        if let config { try config.write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8) }
        let process = try ProcessRunner.start(
            HarkProcess.binary, ["serve", "--http", "127.0.0.1:0"] + arguments,
            environment: ["HARK_HOME": hark.home], directory: hark.home)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, process.isRunning, !process.output.contains(readyPrefix) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let line = process.output.split(separator: "\n").first { $0.hasPrefix(readyPrefix) }
        guard let line else {
            process.terminate()
            throw ServeTestError(message: "hark serve did not start:\n\(process.output)\n\(process.errorOutput)")
        }
        return ServeHTTPServer(hark: hark, process: process, base: "http://" + line.dropFirst(readyPrefix.count))
    }

    private init(hark: HarkProcess, process: ProcessRunner, base: String) {
        self.hark = hark
        self.process = process
        self.base = base
    }

    /// Sends one request; `timeout` is generous (a debug build on a busy machine), never a measurement.
    func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, headers: [(String, String)] = [],
        timeout: Int64 = 300
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(timeout))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return HTTPAnswer(
            status: Int(response.status.code), contentType: response.headers.first(name: "content-type") ?? "",
            headers: response.headers, body: Array(collected.readableBytesView))
    }

    /// POSTs `object` as JSON.
    func post(_ path: String, json object: [String: Any], headers: [(String, String)] = []) async throws -> HTTPAnswer {
        try await send(
            .POST, path, body: Array(try JSONSerialization.data(withJSONObject: object)),
            headers: [("Content-Type", "application/json")] + headers)
    }

    /// SIGTERM, and the exit status (nil: it did not end in time).
    func stop() async throws -> Int32? {
        try await client.shutdown()
        process.signal(SIGTERM)
        return process.wait(timeout: 30)
    }

    deinit {
        process.terminate()
        try? client.syncShutdown()
    }
}

/// One HTTP answer.
struct HTTPAnswer {
    var status: Int
    var contentType: String
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// A 4xx with `{"error": "…"}` (a non-empty sentence) as JSON.
    var isJSONClientError: Bool {
        guard (400..<500).contains(status), contentType.hasPrefix("application/json"),
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let message = object["error"] as? String
        else { return false }
        return !message.isEmpty && object.count == 1
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
