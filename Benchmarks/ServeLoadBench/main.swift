// ServeLoadBench: many HTTP clients asking `hark serve` at once, on loopback, against the real binary with a private
// HARK_HOME. Prints latency (p50, p90, p99, max), requests a second and errors (the goal is none), then checks that
// every shopping item the server acknowledged adding is in the SQLite database. Prints figures; asserts nothing.
//
//   swift build -c release --product hark && swift build --package-path Benchmarks -c release --product ServeLoadBench
//   Benchmarks/.build/release/ServeLoadBench [--clients 50] [--seconds 60] [--hark PATH]
//   (HARK_LOAD_SECONDS and HARK_LOAD_CLIENTS set the same.)
//
// Each client loops over three requests: add an item (from the shopping skill's catalogue, its own share of them)
// to the list, ask what is on the list, and turn a light on or off: writes, a read that grows with the list, and
// another skill.
import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1

/// Where the package is: two folders above this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

struct Options {
    var clients = Int(ProcessInfo.processInfo.environment["HARK_LOAD_CLIENTS"] ?? "") ?? 50
    var seconds = Double(ProcessInfo.processInfo.environment["HARK_LOAD_SECONDS"] ?? "") ?? 60
    /// The `hark` binary: by default the one built beside this benchmark.
    var hark = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hark").path

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--clients": clients = Int(value()) ?? clients
            case "--seconds": seconds = Double(value()) ?? seconds
            case "--hark": hark = value()
            default: fail("unknown option \(arguments[index]) (--clients N, --seconds S, --hark PATH)")
            }
            index += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ServeLoadBench: \(message)\n".utf8))
    exit(2)
}

/// The shopping catalogue's item names ("milk", "spreadable butter"), each once.
func catalogueItems() -> [String] {
    let path = packageRoot + "/Skills/Shopping/data/catalogue.yaml"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
    var seen: Set<String> = []
    var items: [String] = []
    for line in text.split(separator: "\n") where line.hasPrefix("- {") {
        guard let range = line.range(of: "item: ") else { continue }
        let item = line[range.upperBound...].prefix { $0 != "," }.trimmingCharacters(in: .whitespaces)
        if !item.isEmpty, seen.insert(item).inserted { items.append(item) }
    }
    return items
}

/// The `hark serve` process and the address it printed.
final class Server: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var output = ""

    func start(hark: String, home: String) throws -> String {
        process.executableURL = URL(fileURLWithPath: hark)
        process.arguments = ["serve", "--http", "127.0.0.1:0", "--log-level", "warning"]
        var environment = ProcessInfo.processInfo.environment
        environment["HARK_HOME"] = home
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self.lock.withLock { self.output += text }
        }
        try process.run()
        let prefix = "hark serve: HTTP API on "
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let line = lock.withLock { output.split(separator: "\n").first { $0.hasPrefix(prefix) } }
            if let line { return String(line.dropFirst(prefix.count)) }
            usleep(50_000)
        }
        fail("hark serve did not start: \(lock.withLock { output })")
    }

    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// What one client saw.
struct ClientTally: Sendable {
    var latencies: [Double] = []
    var errors: [String] = []
    var added: Set<String> = []
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func runClient(
    _ number: Int, items: [String], base: String, client: HTTPClient, until deadline: ContinuousClock.Instant
) async -> ClientTally {
    var tally = ClientTally()
    var turn = 0
    let mine = items.enumerated().filter { $0.offset % 50 == number % 50 }.map(\.element)
    while ContinuousClock.now < deadline {
        let text: String
        var item: String?
        switch turn % 3 {
        case 0:
            item = mine.isEmpty ? "milk" : mine[(turn / 3) % mine.count]
            text = "add \(item!) to my shopping list"
        case 1: text = "what is on my shopping list"
        default: text = "turn \(turn % 2 == 0 ? "on" : "off") the kitchen light"
        }
        turn += 1
        var request = HTTPClientRequest(url: base + "/v1/ask")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try! JSONSerialization.data(withJSONObject: ["text": text, "session": "load-\(number)-\(turn)"])
        request.body = .bytes(ByteBuffer(bytes: body))
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let elapsed = ContinuousClock.now - started
            tally.latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            guard response.status == .ok,
                let object = try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
            else {
                tally.errors.append("\(response.status.code) for '\(text)': \(String(buffer: bytes).prefix(200))")
                continue
            }
            if item != nil {
                // What the skill says it put on the list (its own reading of the item: "gram flour" may be flour).
                let data = object["data"] as? [String: Any] ?? [:]
                let names = ["added", "updated", "already"].flatMap { data[$0] as? [String] ?? [] }
                if object["intent"] as? String == "AddItem", !names.isEmpty {
                    tally.added.formUnion(names)
                } else {
                    tally.errors.append("'\(text)' was not an AddItem: \(object["reply"] ?? "")")
                }
            }
        } catch {
            tally.errors.append("'\(text)': \(error)")
        }
    }
    return tally
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
guard FileManager.default.isExecutableFile(atPath: options.hark) else { fail("no hark binary at \(options.hark) (--hark PATH)") }
let items = catalogueItems()
let home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-load-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: home) }

let server = Server()
let base = try server.start(hark: options.hark, home: home)
print("ServeLoadBench: \(options.clients) clients for \(options.seconds) s against \(base) (\(options.hark))")
print("  \(items.count) catalogue items; requests: add an item / read the list / switch a light, in turn")

var configuration = HTTPClient.Configuration()
configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: options.clients)
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let started = ContinuousClock.now
let deadline = started + .milliseconds(Int(options.seconds * 1000))
let tallies = await withTaskGroup(of: ClientTally.self) { group in
    for number in 0..<options.clients {
        group.addTask { await runClient(number, items: items, base: base, client: client, until: deadline) }
    }
    var all: [ClientTally] = []
    for await tally in group { all.append(tally) }
    return all
}
let wall = ContinuousClock.now - started
let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
try await client.shutdown().get()
let status = server.stop()

let latencies = tallies.flatMap(\.latencies).sorted()
let errors = tallies.flatMap(\.errors)
let added = tallies.reduce(into: Set<String>()) { $0.formUnion($1.added) }
print(String(format: "  requests: %d in %.1f s = %.1f requests/s", latencies.count, wallSeconds, Double(latencies.count) / wallSeconds))
print(
    String(
        format: "  latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", percentile(latencies, 0.5),
        percentile(latencies, 0.9), percentile(latencies, 0.99), latencies.last ?? .nan))
print("  errors: \(errors.count)")
for error in errors.prefix(5) { print("    \(error)") }
print("  hark serve exited with status \(status) after SIGTERM")

// Every item the server acknowledged adding is in the database, read after the server stopped.
let database = try DatabaseQueue(path: home + "/hark.sqlite")
let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT key, name FROM shopping_list_item") }
let stored = Set(rows.flatMap { [($0["key"] as String).lowercased(), ($0["name"] as String).lowercased()] })
// The skill acknowledges "1 bar of soap" for the row "soap" (quantity 1, unit bar).
let missing = added.filter { phrase in
    let phrase = phrase.lowercased()
    return !stored.contains { phrase == $0 || phrase.hasSuffix(" " + $0) }
}
print("  shopping items acknowledged: \(added.count); rows in the database: \(rows.count); missing: \(missing.count)")
for item in missing.sorted().prefix(10) { print("    missing: \(item)") }
