import Foundation
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import HarkUnderstanding
import Logging
import WeatherSkill

/// Shared pieces of the weather tests: settings that point at a fixture server, skills that are shut
/// down afterwards, a context with a capturing logger for calling the skill directly.
enum WeatherTestSupport {
    /// The instant every test runs at (the `SkillTester` default): Thursday 2026-01-01 10:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_767_261_600)

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Settings for a skill that asks `server` and lives in London.
    static func settings(_ server: OpenMeteoFixtureServer, _ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var settings: [String: JSONValue] = [
            "forecast_url": .string(server.forecastURL), "geocoding_url": .string(server.geocodingURL),
            "location": "London", "timeout_ms": 2000,
        ]
        settings.merge(extra) { _, new in new }
        return settings
    }

    /// Runs `body` with a tester whose weather skills ask a fresh fixture server (settings `extra` over
    /// ``settings(_:_:)``), then shuts the skills and the server down.
    static func withTester(
        _ extra: [String: JSONValue] = [:], _ body: (SkillTester, OpenMeteoFixtureServer) async throws -> Void
    ) async throws {
        try await withTester(extra, alongside: { _ in [] }, body)
    }

    /// The same with `others`, skills made on the tester's database, beside the weather skill (the shopping skill's
    /// advice and the morning briefing ask it); `skillSettings` are the skills' settings by id.
    static func withTester(
        _ extra: [String: JSONValue] = [:], skillSettings: [String: [String: JSONValue]] = [:],
        alongside others: @escaping @Sendable (HarkDatabase) throws -> [InstalledSkill],
        _ body: (SkillTester, OpenMeteoFixtureServer) async throws -> Void
    ) async throws {
        let server = try await OpenMeteoFixtureServer.start()
        let skills = WeatherSkills()
        let tester = try skills.makeTester(settings: settings(server, extra), skillSettings: skillSettings, others: others)
        var failure: (any Error)?
        do { try await body(tester, server) } catch { failure = error }
        tester.close()
        try await skills.shutdownAll()
        try await server.stop()
        if let failure { throw failure }
    }

    /// A context for calling the skill directly, with the skill's real responses (first wordings) and a
    /// logger that keeps what it is given.
    static func context(
        settings: [String: JSONValue], logs: CapturedLogs = CapturedLogs(), now: Date = now,
        storage: MemoryStorage = MemoryStorage()
    ) throws -> SkillContext {
        SkillContext(
            skillID: "weather", storage: storage, dataDirectory: FileManager.default.temporaryDirectory.path,
            settings: settings, clock: FixedClock(now, calendar: utc),
            logger: Logger(label: "test.weather") { _ in CapturingLogHandler(logs: logs) },
            responses: try ResponseTemplates.load(path: WeatherSkill.folder + "/responses/en.yaml", variation: .first))
    }

    /// A `GetWeather` request with these slots.
    static func request(_ utterance: String, _ slots: [String: SlotValue] = [:]) -> SkillRequest {
        SkillRequest(kind: .intent, intent: "GetWeather", slots: Slots(slots), utterance: utterance)
    }

    /// A date slot value for one day of January 2026.
    static func january(_ day: Int) -> SlotValue {
        .date(DateRange(day: CalendarDay(year: 2026, month: 1, day: day)))
    }
}

/// Makes weather skills for a tester's factory and shuts every one of them down at the end.
final class WeatherSkills: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [WeatherSkill] = []

    func make(settings: [String: JSONValue]) -> WeatherSkill {
        let skill = WeatherSkill(settings: settings)
        lock.withLock { made.append(skill) }
        return skill
    }

    /// A tester whose every assistant gets a fresh weather skill with `settings`.
    func makeTester(
        settings: [String: JSONValue], now: Date = WeatherTestSupport.now,
        skillSettings: [String: [String: JSONValue]] = [:],
        others: @escaping @Sendable (HarkDatabase) throws -> [InstalledSkill] = { _ in [] }
    ) throws -> SkillTester {
        try SkillTester(now: now, settings: skillSettings) { database, _ in
            [
                InstalledSkill(
                    package: try SkillPackage.load(folder: WeatherSkill.folder, variation: .first),
                    handler: self.make(settings: settings), origin: "built-in")
            ] + (try others(database))
        }
    }

    func shutdownAll() async throws {
        for skill in lock.withLock({ made }) { try await skill.shutdown() }
    }
}

/// Skill storage in memory.
actor MemoryStorage: SkillStorage {
    private var values: [String: JSONValue] = [:]

    func value(forKey key: String) async throws -> JSONValue? { values[key] }
    func setValue(_ value: JSONValue?, forKey key: String) async throws { values[key] = value }
    func keys() async throws -> [String] { values.keys.sorted() }
}

/// Log lines a test can read back.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(level: Logger.Level, message: String)] = []

    func append(_ level: Logger.Level, _ message: String) { lock.withLock { lines.append((level, message)) } }

    /// Messages logged at `error` level or worse.
    var errors: [String] { lock.withLock { lines.filter { $0.level >= .error }.map(\.message) } }
}

/// A `LogHandler` that writes into ``CapturedLogs``.
struct CapturingLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        logs.append(event.level, event.message.description)
    }
}
