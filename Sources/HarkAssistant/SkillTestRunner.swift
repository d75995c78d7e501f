import Foundation
import HarkSkillKit
import HarkUnderstanding

/// Runs a skill's `tests/LANG.yaml`: each sentence through the matcher, each dialog transcript through a
/// fresh assistant (its own temporary database, so dialogs do not see each other's state).
public struct SkillTestRunner: Sendable {
    /// Makes the skills for one dialog from a fresh database and data folder.
    public typealias SkillFactory = @Sendable (HarkDatabase, String) throws -> [InstalledSkill]

    /// One failed expectation, with where it is written and what came back.
    public struct Failure: Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var test: String
        public var expected: String
        public var actual: String

        public var description: String { "\(file):\(line): \(test)\n    expected: \(expected)\n    got:      \(actual)" }
    }

    /// The outcome of one file.
    public struct Report: Sendable {
        public var sentencesRun = 0
        public var dialogsRun = 0
        public var failures: [Failure] = []
        /// Number of sentence and dialog tests that passed.
        public var passed: Int { sentencesRun + dialogsRun - Set(failures.map(\.test)).count }
        public var succeeded: Bool { failures.isEmpty }
    }

    /// The skill whose file this is.
    public var skillID: String
    public var makeSkills: SkillFactory
    /// The fixed instant dialogs and dates run at, so transcripts are reproducible.
    public var now: Date
    public var calendar: Calendar

    public init(skillID: String, now: Date = Date(timeIntervalSince1970: 1_767_261_600), calendar: Calendar? = nil,
                makeSkills: @escaping SkillFactory) {
        self.skillID = skillID
        self.makeSkills = makeSkills
        self.now = now
        self.calendar = calendar ?? {
            var c = Calendar(identifier: .gregorian)
            c.timeZone = TimeZone(identifier: "UTC")!
            return c
        }()
    }

    /// Runs every test of `file`.
    public func run(_ file: SkillTestFile) async throws -> Report {
        var report = Report()
        let (assistant, folder) = try makeAssistant()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = assistant.intentEngine
        await assistant.shutdown()
        for test in file.sentences {
            report.sentencesRun += 1
            let context = MatchContext(test.area.map { ["area": $0] } ?? [:], now: now, calendar: calendar)
            let best = engine.match(test.text, context: context).best
            let name = "sentence \"\(test.text)\""
            let got = best.map { "\($0.skill)/\($0.intent) \(Self.describe($0.slots))" } ?? "no match"
            guard let expectedIntent = test.intent else {
                if let best, best.skill == skillID {
                    report.failures.append(Failure(file: file.file, line: test.line, test: name, expected: "no match", actual: got))
                }
                continue
            }
            guard let best, best.skill == skillID, best.intent == expectedIntent else {
                report.failures.append(
                    Failure(file: file.file, line: test.line, test: name, expected: "\(skillID)/\(expectedIntent)", actual: got))
                continue
            }
            if let expected = test.slots, let problem = Self.compare(expected, best.slots) {
                report.failures.append(
                    Failure(file: file.file, line: test.line, test: name,
                            expected: "\(skillID)/\(expectedIntent) \(Self.describe(expected))", actual: got + " — " + problem))
            }
        }
        if !file.paraphrases.isEmpty {
            let (assistant, folder) = try makeAssistant()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            for test in file.paraphrases {
                report.sentencesRun += 1
                if let failure = await run(paraphrase: test, file: file.file, on: assistant) { report.failures.append(failure) }
            }
            await assistant.shutdown()
        }
        for dialog in file.dialogs {
            report.dialogsRun += 1
            report.failures += try await run(dialog, file: file.file)
        }
        return report
    }

    /// One paraphrase through the whole assistant, in a session of its own: the intent it acts on or asks about.
    private func run(paraphrase test: SkillTestFile.SentenceTest, file: String, on assistant: Assistant) async -> Failure? {
        let reply = await assistant.respond(to: test.text, sessionID: "paraphrase-\(UUID().uuidString)", area: test.area)
        let asked = reply.skill == nil ? reply.questionIntent : nil
        let understood = asked ?? reply.skill.map { skill in "\(skill)/\(reply.intent ?? "")" }
        let slots = asked == nil ? reply.slots : reply.questionSlots
        let acted = reply.skill == skillID && reply.questionIntent == nil
        let name = "paraphrase \"\(test.text)\""
        let got = "\(understood ?? "not understood") \(Self.describe(slots))\(asked == nil ? "" : " (asked back)")"
        guard let expectedIntent = test.intent else {
            return acted ? Failure(file: file, line: test.line, test: name, expected: "no action of \(skillID)", actual: got) : nil
        }
        guard understood == "\(skillID)/\(expectedIntent)" else {
            return Failure(file: file, line: test.line, test: name, expected: "\(skillID)/\(expectedIntent)", actual: got)
        }
        if let expected = test.slots, let problem = Self.compare(expected, slots) {
            return Failure(
                file: file, line: test.line, test: name,
                expected: "\(skillID)/\(expectedIntent) \(Self.describe(expected))", actual: got + " — " + problem)
        }
        return nil
    }

    /// Runs one transcript in a fresh assistant; returns its failures (stopping at the first failing turn).
    public func run(_ dialog: SkillTestFile.DialogTest, file: String) async throws -> [Failure] {
        let (assistant, folder) = try makeAssistant()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let failures = try await run(dialog, file: file, on: assistant)
        await assistant.shutdown()
        return failures
    }

    private func run(_ dialog: SkillTestFile.DialogTest, file: String, on assistant: Assistant) async throws -> [Failure] {
        let session = "test-\(UUID().uuidString)"
        for (index, turn) in dialog.turns.enumerated() {
            let reply = await assistant.respond(to: turn.user, sessionID: session, area: turn.area)
            let name = "dialog \"\(dialog.name)\", turn \(index + 1) (\"\(turn.user)\")"
            var problems: [String] = []
            var expected: [String] = []
            if let pattern = turn.reply {
                expected.append("reply ~ /\(pattern)/")
                let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                let range = NSRange(reply.reply.startIndex..., in: reply.reply)
                if regex.firstMatch(in: reply.reply, range: range) == nil { problems.append("reply") }
            }
            if let intent = turn.intent {
                expected.append("intent \(intent)")
                if reply.intent != intent { problems.append("intent") }
            }
            if let skill = turn.skill {
                expected.append("skill \(skill)")
                if reply.skill != skill { problems.append("skill") }
            }
            if let slots = turn.slots {
                expected.append("slots \(Self.describe(slots))")
                if let problem = Self.compare(slots, reply.slots) { problems.append(problem) }
            }
            if let open = turn.open {
                expected.append(open ? "session open" : "session ended")
                if reply.endSession == open { problems.append("session state") }
            }
            if !problems.isEmpty {
                let actual = "\"\(reply.reply)\" (\(reply.skill ?? "hark")/\(reply.intent ?? "-") "
                    + "\(Self.describe(reply.slots)), \(reply.endSession ? "session ended" : "session open"))"
                return [Failure(file: file, line: turn.line, test: name, expected: expected.joined(separator: ", "), actual: actual)]
            }
        }
        return []
    }

    private func makeAssistant() throws -> (Assistant, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-skilltest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try HarkDatabase(path: folder + "/hark.sqlite")
        var options = AssistantOptions(dataDirectory: folder)
        options.clock = FixedClock(now, calendar: calendar)
        options.variation = .first
        return (try Assistant(skills: makeSkills(database, folder), database: database, options: options), folder)
    }

    /// Nil when the slots are exactly the expected ones, else what differs.
    static func compare(_ expected: [String: SkillTestFile.ExpectedValue], _ actual: [String: SlotValue]) -> String? {
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
            guard let got = actual[name] else { return "slot \(name) missing" }
            if !value.matches(got) { return "slot \(name) is \(got.description), not \(value)" }
        }
        let extra = Set(actual.keys).subtracting(expected.keys).sorted()
        return extra.isEmpty ? nil : "unexpected slot\(extra.count == 1 ? "" : "s") \(extra.joined(separator: ", "))"
    }

    static func describe(_ slots: [String: SlotValue]) -> String {
        "{" + slots.keys.sorted().map { "\($0): \(slots[$0]!.description)" }.joined(separator: ", ") + "}"
    }

    static func describe(_ slots: [String: SkillTestFile.ExpectedValue]) -> String {
        "{" + slots.keys.sorted().map { "\($0): \(slots[$0]!)" }.joined(separator: ", ") + "}"
    }
}
