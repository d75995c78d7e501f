import Foundation
import HarkAssistant
import HarkSkillKit

/// Talks to skills in-process, the way a user would in `hark chat`, for skill authors' own tests.
///
/// Each tester has a private temporary database and data folder, a fixed clock, and the first wording of
/// every reply, so tests are reproducible:
///
/// ```swift
/// let tester = try SkillTester(skill: HelloSkill(), folder: "Skills/Hello")
/// let reply = await tester.ask("say hello to Ada")
/// #expect(reply.reply == "Hello, Ada!")
/// try await tester.expectTranscript([("add something", "what should i add"), ("milk", "added milk")])
/// ```
public final class SkillTester: Sendable {
    /// The assistant the tester talks to.
    public let assistant: Assistant
    /// The tester's private folder (database and skill data); removed by ``close()``.
    public let folder: String
    /// The session `ask` continues.
    public let sessionID: String
    /// The skills under test.
    public let skills: [InstalledSkill]

    /// A tester for one skill folder and its handler.
    public convenience init(
        skill: any Skill, folder skillFolder: String, now: Date = Date(timeIntervalSince1970: 1_767_261_600)
    ) throws {
        try self.init(now: now) { _, _ in
            [InstalledSkill(package: try SkillPackage.load(folder: skillFolder, variation: .first), handler: skill, origin: skillFolder)]
        }
    }

    /// A tester for skills made from the tester's own database and data folder (skills that keep tables);
    /// `settings` are the skills' settings as `skills:` in the configuration gives them (by skill id).
    public init(
        now: Date = Date(timeIntervalSince1970: 1_767_261_600), area: String? = nil,
        settings: [String: [String: JSONValue]] = [:], makeSkills: @escaping SkillTestRunner.SkillFactory
    ) throws {
        self.makeSkills = makeSkills
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-tester-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try HarkDatabase(path: folder + "/hark.sqlite")
        var options = AssistantOptions(dataDirectory: folder)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        options.clock = FixedClock(now, calendar: calendar)
        options.variation = .first
        options.skillSettings = settings
        skills = try makeSkills(database, folder)
        assistant = try Assistant(skills: skills, database: database, options: options)
        sessionID = "tester-\(UUID().uuidString)"
        defaultArea = area
    }

    private let defaultArea: String?
    private let makeSkills: SkillTestRunner.SkillFactory

    /// One utterance in the tester's session (or another session, or from an area).
    public func ask(_ text: String, session: String? = nil, area: String? = nil) async -> AssistantReply {
        await assistant.respond(to: text, sessionID: session ?? sessionID, area: area ?? defaultArea)
    }

    /// Runs the turns in order; each reply must contain its expected pattern (a case-insensitive regular
    /// expression). Throws ``TranscriptMismatch`` at the first turn that differs.
    public func expectTranscript(_ turns: [(user: String, reply: String)], session: String? = nil) async throws {
        let id = session ?? "transcript-\(UUID().uuidString)"
        for (index, turn) in turns.enumerated() {
            let reply = await ask(turn.user, session: id)
            let regex = try NSRegularExpression(pattern: turn.reply, options: [.caseInsensitive])
            if regex.firstMatch(in: reply.reply, range: NSRange(reply.reply.startIndex..., in: reply.reply)) == nil {
                throw TranscriptMismatch(turn: index + 1, user: turn.user, expected: turn.reply, actual: reply.reply)
            }
        }
    }

    /// Runs the skill folder's `tests/en.yaml`; each dialog gets fresh skills from the tester's factory.
    public func runTestFile(of skill: InstalledSkill) async throws -> SkillTestRunner.Report {
        guard let path = skill.package.testsFile else {
            throw SkillError.invalid("\(skill.package.folder): no tests/en.yaml")
        }
        let runner = SkillTestRunner(skillID: skill.id, makeSkills: makeSkills)
        return try await runner.run(try SkillTestFile.load(path: path))
    }

    /// Removes the tester's folder.
    public func close() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// A transcript turn whose reply did not match.
public struct TranscriptMismatch: Error, CustomStringConvertible {
    public var turn: Int
    public var user: String
    public var expected: String
    public var actual: String

    public var description: String {
        "turn \(turn) (\"\(user)\"): expected a reply matching /\(expected)/, got \"\(actual)\""
    }
}
