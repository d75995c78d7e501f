import Foundation
import HarkAssistant
import HarkSkillHost
import HarkSkillKit
import HarkSkillTesting

/// Skill folders written by tests into a temporary skills directory.
struct SkillFolders {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hark-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/skills", withIntermediateDirectories: true)
    }

    var skillsDirectory: String { root + "/skills" }

    /// Writes a skill folder: `id` answers "ID test" (intent Probe) and "ID greet {name}" (intent Greet).
    @discardableResult
    func write(
        _ id: String, program: String? = nil, programName: String = "skill.py", manifest: String? = nil,
        intents: String? = nil, timeout: Double? = nil
    ) throws -> String {
        let folder = skillsDirectory + "/" + id
        let words = id.replacingOccurrences(of: "-", with: " ")
        var files: [String: String] = [
            "skill.yaml": manifest ?? """
                id: \(id)
                name: \(id) skill
                entry: exec
                command: [\(Self.python), \(programName)]
                \(timeout.map { "timeout: \($0)" } ?? "")

                """,
            "intents/en.yaml": intents ?? """
                language: en
                intents:
                  Probe:
                    data:
                      - sentences: ["\(words) test"]
                  Greet:
                    data:
                      - sentences: ["\(words) greet {name}"]
                lists:
                  name: { wildcard: true }

                """,
            "responses/en.yaml": "responses:\n  ask_name: \"Who?\"\n",
        ]
        if let program { files[programName] = program }
        for (path, text) in files {
            let full = folder + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// A tester over every skill in the skills directory (each test gets fresh processes).
    func makeTester(options: SkillHostOptions = SkillHostOptions()) throws -> (SkillTester, SkillDirectoryScan) {
        let box = ScanBox()
        let directory = skillsDirectory
        let tester = try SkillTester { _, dataFolder in
            let scan = SkillDirectoryLoader(dataDirectory: dataFolder, options: options).scan([directory])
            box.scan = scan
            return scan.skills
        }
        return (tester, box.scan!)
    }

    /// The Python interpreter itself (not a version manager's shim, which is slow to start and adds variables).
    static let python =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// A well-behaved Python program: echoes ids; "Probe" says "ID is fine", "Greet" says "hello NAME".
    static func goodProgram(_ id: String) -> String {
        """
        import json, sys
        for line in sys.stdin:
            event = json.loads(line)
            intent = event["request"].get("intent") or {}
            name = ((intent.get("slots") or {}).get("name") or {}).get("value")
            text = "hello " + name if intent.get("name") == "Greet" else "\(id) is fine"
            answer = {"version": "1.0", "response": {"outputSpeech": {"type": "PlainText", "text": text}, "shouldEndSession": True},
                      "requestId": event["request"]["requestId"], "sessionId": event["session"]["sessionId"]}
            sys.stdout.write(json.dumps(answer) + "\\n")
            sys.stdout.flush()
        """
    }
}

/// Hands the scan out of the tester's factory.
final class ScanBox: @unchecked Sendable {
    var scan: SkillDirectoryScan?
}

/// Milliseconds since `start`.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

/// The repository's root (for Examples/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
