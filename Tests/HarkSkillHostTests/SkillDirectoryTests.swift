import Foundation
import HarkAssistant
import HarkSkillHost
import HarkSkillKit
import HarkSkillTesting
import Testing

/// Broken skill folders are reported precisely and skipped; the others are installed and answer.
@Suite struct SkillDirectoryTests {
    static func problems(writing write: (SkillFolders) throws -> Void) async throws -> [SkillLoadProblem] {
        let folders = try SkillFolders()
        defer { folders.remove() }
        try folders.write("good", program: SkillFolders.goodProgram("good"))
        try write(folders)
        let (tester, scan) = try folders.makeTester()
        defer { tester.close() }
        #expect(scan.skills.map(\.id) == ["good"])
        #expect(await tester.ask("good test").reply == "good is fine")
        return scan.problems
    }

    @Test func manifestWithMissingFields() async throws {
        let problems = try await Self.problems {
            try $0.write("broken", manifest: "id: broken\nentry: exec\ncommand: [python3, x.py]\n")
        }
        #expect(problems.count == 1)
        #expect(problems[0].message.hasSuffix("broken/skill.yaml:1: missing 'name'"), "\(problems[0])")
    }

    @Test func manifestWithAnUnknownKey() async throws {
        let problems = try await Self.problems {
            try $0.write(
                "broken",
                manifest: "id: broken\nname: Broken\nentry: exec\ncommand: [python3, x.py]\nlanguage: klingon\n")
        }
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("broken/skill.yaml:5: unknown key 'language'"), "\(problems[0])")
    }

    @Test func templateThatDoesNotParse() async throws {
        let problems = try await Self.problems {
            try $0.write(
                "broken", program: "",
                intents: "language: en\nintents:\n  Probe:\n    data:\n      - sentences: [\"broken (test\"]\n")
        }
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("broken/intents/en.yaml"), "\(problems[0])")
        #expect(problems[0].message.contains("'('"), "\(problems[0])")
    }

    @Test func programThatDoesNotExist() async throws {
        let problems = try await Self.problems {
            try $0.write(
                "broken", manifest: "id: broken\nname: Broken\nentry: exec\ncommand: [./missing-program, --fast]\n")
        }
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("program './missing-program' not found"), "\(problems[0])")
        #expect(problems[0].message.contains("broken/missing-program does not exist"), "\(problems[0])")
    }

    @Test func programNotOnPath() async throws {
        let problems = try await Self.problems {
            try $0.write(
                "broken", manifest: "id: broken\nname: Broken\nentry: exec\ncommand: [no-such-interpreter-xyz, a.py]\n")
        }
        #expect(
            problems.map(\.message).first?.contains("program 'no-such-interpreter-xyz' not found (not on PATH)") == true
        )
    }

    @Test func anIdAlreadyTaken() async throws {
        let problems = try await Self.problems {
            try $0.write(
                "zz-copy", program: "", manifest: "id: good\nname: Copy\nentry: exec\ncommand: [python3, skill.py]\n")
        }
        #expect(problems.first?.message.contains("id 'good' is already installed") == true)
    }

    @Test func timeoutFromSettingsWinsOverTheManifest() throws {
        let options = try SkillHostOptions().applying(manifestTimeout: 3, settings: ["timeout": 0.5])
        #expect(options.timeout == .milliseconds(500))
        #expect(try SkillHostOptions().applying(manifestTimeout: 3, settings: [:]).timeout == .seconds(3))
        #expect(SkillHostOptions().timeout == .seconds(8))
    }

    @Test func manifestTimeoutMustBePositive() {
        #expect(throws: ManifestError.self) {
            try SkillManifest.parse("id: a\nname: A\nentry: exec\ncommand: x\ntimeout: -1\n", file: "skill.yaml")
        }
    }
}
