import Foundation
import HarkAssistant
import HarkSkillHost
import HarkSkillKit
import HarkSkillTesting
import Testing

/// `entry: exec` skills that misbehave: each costs one apology, is reported precisely, marks the skill
/// unhealthy, and never delays another skill.
@Suite struct ExecSkillTests {
    static let apology = "ran into a problem"

    /// A misbehaving skill `bad` beside the good skill `good`.
    static func scenario(
        _ program: String, timeout: Double? = nil, options: SkillHostOptions = SkillHostOptions()
    ) async throws -> (
        reply: AssistantReply, health: SkillHealth, good: AssistantReply, goodMs: Double, folders: SkillFolders
    ) {
        let folders = try SkillFolders()
        try folders.write("bad", program: program, timeout: timeout)
        try folders.write("good", program: SkillFolders.goodProgram("good"))
        var options = options
        options.startupAllowance = .zero  // the time limits below are the whole story
        let (tester, scan) = try folders.makeTester(options: options)
        _ = await tester.ask("good test", session: "warm-up")  // the good program is running
        #expect(scan.problems.isEmpty, "\(scan.problems)")
        let reply = await tester.ask("bad test", session: "s-bad")
        let bad = try #require(scan.skills.first { $0.id == "bad" })
        let health = await SkillDirectoryScan.health(of: bad)
        let start = ContinuousClock.now
        let good = await tester.ask("good test", session: "s-good")
        let goodMs = milliseconds(since: start)
        tester.close()
        return (reply, health, good, goodMs, folders)
    }

    static func expectIsolated(
        _ result: (
            reply: AssistantReply, health: SkillHealth, good: AssistantReply, goodMs: Double, folders: SkillFolders
        ), reason: String
    ) {
        #expect(result.reply.reply.contains(apology), "\(result.reply.reply)")
        #expect(result.reply.skill == "bad")
        #expect(!result.health.isHealthy)
        #expect("\(result.health)".contains(reason), "\(result.health)")
        #expect(result.good.reply == "good is fine")
        let skillMs = result.good.timings["skill"] ?? .infinity
        #expect(
            skillMs < 3000 && result.goodMs < 5000, "the good skill took \(skillMs) ms (\(result.goodMs) ms in all)")
        result.folders.remove()
    }

    @Test func aGoodSkillAnswersAndIsHealthy() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        try folders.write("good", program: SkillFolders.goodProgram("good"))
        let (tester, scan) = try folders.makeTester()
        defer { tester.close() }
        #expect(await SkillDirectoryScan.health(of: scan.skills[0]) == .ready)
        let reply = await tester.ask("good greet ada lovelace")
        #expect(reply.reply == "hello ada lovelace")
        #expect(reply.intent == "Greet")
        #expect(await SkillDirectoryScan.health(of: scan.skills[0]) == .healthy)
        // The same process answers again (one long-lived process).
        #expect(await tester.ask("good test").reply == "good is fine")
    }

    @Test func programThatExitsAtOnce() async throws {
        let result = try await Self.scenario(
            "import sys\nprint('cannot start: no config', file=sys.stderr)\nsys.exit(3)\n")
        Self.expectIsolated(
            result, reason: "exited with status 3 before answering (last error output: cannot start: no config)")
    }

    @Test func programThatPrintsNonJSON() async throws {
        let result = try await Self.scenario(
            "import sys\nfor line in sys.stdin:\n    print('Loading model...', flush=True)\n")
        Self.expectIsolated(result, reason: "answered 'Loading model...', which is not a JSON response")
    }

    @Test func programThatNeverAnswers() async throws {
        let result = try await Self.scenario(
            "import sys, time\nfor line in sys.stdin:\n    time.sleep(60)\n", timeout: 0.3)
        Self.expectIsolated(result, reason: "no answer within 0.3 s")
    }

    /// Where bubblewrap cannot run, the process group still goes whole: a child ignoring SIGTERM dies with the skill.
    @Test(arguments: [false, true])
    func aTimedOutProgramTakesItsChildrenWithIt(bubblewrap: Bool) async throws {
        let marker = "hark-child-\(UUID().uuidString)"
        let program = """
            import subprocess, sys, time
            child = "import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\ntime.sleep(300)\\n"
            for line in sys.stdin:
                subprocess.Popen([sys.executable, "-c", child, "\(marker)"])
                time.sleep(300)
            """
        var options = SkillHostOptions()
        if !bubblewrap { options.sandbox = SkillSandbox(bubblewrap: nil) }
        let result = try await Self.scenario(program, timeout: 0.5, options: options)
        Self.expectIsolated(result, reason: "no answer within 0.5 s")
        usleep(300_000)
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
            Int32(entry) != nil
                && String(decoding: FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") ?? Data(), as: UTF8.self)
                    .contains(marker)
        }
        for pid in left { kill(Int32(pid)!, SIGKILL) }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func sandboxCommandsConfineOrOnlyLimit() {
        let confined = SkillSandbox(bubblewrap: "/usr/bin/bwrap").command(
            executable: "/usr/bin/python3", arguments: ["skill.py"], folder: "/skills/x", dataDirectory: "/data/skill-data/x",
            network: false)
        #expect(confined.executable == "/usr/bin/prlimit")
        #expect(confined.arguments.contains("/usr/bin/bwrap") && confined.arguments.contains("--unshare-all"))
        #expect(!confined.arguments.contains("--share-net"))
        #expect(confined.arguments.suffix(2) == ["/usr/bin/python3", "skill.py"])
        let networked = SkillSandbox(bubblewrap: "/usr/bin/bwrap").command(
            executable: "/usr/bin/python3", arguments: [], folder: "/skills/x", dataDirectory: "/d", network: true)
        #expect(networked.arguments.contains("--share-net"))
        let limited = SkillSandbox(bubblewrap: nil).command(
            executable: "/usr/bin/python3", arguments: ["skill.py"], folder: "/skills/x", dataDirectory: "/d", network: false)
        #expect(limited.arguments == ["--as=4294967296", "--nproc=4096", "--nofile=256", "--", "/usr/bin/python3", "skill.py"])
    }

    @Test func programThatAnswersTenMegabytes() async throws {
        let program =
            "import sys\nfor line in sys.stdin:\n    sys.stdout.write('{\"version\":\"' + 'x' * 10_000_000 + '\"}\\n')\n    sys.stdout.flush()\n"
        let result = try await Self.scenario(program)
        Self.expectIsolated(result, reason: "answer larger than 1048576 bytes")
    }

    @Test func programThatAnswersForAnotherSession() async throws {
        let program = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                answer = {"version": "1.0", "requestId": event["request"]["requestId"], "sessionId": "someone-else",
                          "response": {"outputSpeech": {"type": "PlainText", "text": "your bank balance is"}}}
                print(json.dumps(answer), flush=True)
            """
        let result = try await Self.scenario(program)
        Self.expectIsolated(result, reason: "answered for session someone-else, not s-bad")
    }

    @Test func programThatAnswersAnotherRequest() async throws {
        let program = """
            import json, sys
            for line in sys.stdin:
                print(json.dumps({"version": "1.0", "requestId": "old", "response": {}}), flush=True)
            """
        let result = try await Self.scenario(program)
        Self.expectIsolated(result, reason: "answered request old, not hark.request.")
    }

    @Test func programThatReportsAnError() async throws {
        let program = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"], "error": "database locked"}), flush=True)
            """
        let result = try await Self.scenario(program)
        Self.expectIsolated(result, reason: "skill bad reported an error: database locked")
    }

    @Test func aHangingSkillDoesNotDelayAnotherSkill() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        try folders.write("slow", program: "import sys, time\nfor line in sys.stdin:\n    time.sleep(60)\n", timeout: 6)
        try folders.write("good", program: SkillFolders.goodProgram("good"))
        var options = SkillHostOptions()
        options.startupAllowance = .zero
        let (tester, _) = try folders.makeTester(options: options)
        defer { tester.close() }
        _ = await tester.ask("good test", session: "warm-up")  // start the good program first
        let start = ContinuousClock.now
        async let slow = tester.ask("slow test", session: "a")
        try await Task.sleep(for: .milliseconds(100))
        let good = await tester.ask("good test", session: "b")
        let goodMs = milliseconds(since: start)
        #expect(good.reply == "good is fine")
        #expect(goodMs < 4000, "the good skill answered after \(goodMs) ms while the slow one hung")
        let slowReply = await slow
        #expect(slowReply.reply.contains(Self.apology))
        #expect(milliseconds(since: start) >= 2900)
    }

    @Test func aCrashedSkillRestsThenRestarts() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        // Crashes on its first start only (it leaves a mark in its own data folder, which is its HOME).
        let program = """
            import os, sys
            mark = os.path.join(os.environ["HOME"], "started-once")
            if not os.path.exists(mark):
                open(mark, "w").close()
                sys.exit(1)
            \(SkillFolders.goodProgram("phoenix").replacingOccurrences(of: "\n", with: "\n"))
            """
        try folders.write("phoenix", program: program)
        var options = SkillHostOptions()
        options.firstBackoff = .seconds(3)
        let (tester, scan) = try folders.makeTester(options: options)
        defer { tester.close() }
        let first = await tester.ask("phoenix test")
        #expect(first.reply.contains(Self.apology))
        // During the pause: the apology at once, without starting the program.
        let second = await tester.ask("phoenix test")
        #expect(second.reply.contains(Self.apology))
        let skillMs = try #require(second.timings["skill"])
        #expect(skillMs < 200, "the skill stage took \(skillMs) ms")  // no process was started, nothing waited
        #expect("\(await SkillDirectoryScan.health(of: scan.skills[0]))".contains("restarting in"))
        try await Task.sleep(for: .milliseconds(3100))
        let third = await tester.ask("phoenix test")
        #expect(third.reply == "phoenix is fine")
        #expect(await SkillDirectoryScan.health(of: scan.skills[0]) == .healthy)
    }

    @Test func theProgramSeesAScrubbedEnvironment() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        let program = """
            import json, os, sys
            for line in sys.stdin:
                event = json.loads(line)
                text = " ".join(sorted(os.environ)) + " | " + os.environ["HOME"] + " | " + os.getcwd()
                print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"],
                                  "response": {"outputSpeech": {"type": "PlainText", "text": text}}}), flush=True)
            """
        let folder = try folders.write("env", program: program)
        setenv("HARK_TEST_SECRET", "s3cret", 1)
        let (tester, _) = try folders.makeTester()
        defer { tester.close() }
        let reply = await tester.ask("env test").reply
        let parts = reply.components(separatedBy: " | ")
        #expect(parts.count == 3)
        let names = Set(parts[0].split(separator: " ").map(String.init))
        #expect(names == ["HARK_SKILL_DATA", "HARK_SKILL_ID", "HOME", "LANG", "PATH"])
        #expect(parts[1].hasSuffix("/skill-data/env"))
        #expect(parts[2] == folder)
    }

    @Test func sessionAttributesSSMLAndDirectivesPassThrough() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        let program = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                request = event["request"]
                seen = (event["session"].get("attributes") or {}).get("count", 0)
                name = ((request["intent"].get("slots") or {}).get("name") or {}).get("value")
                if name and seen == 1:
                    response = {"outputSpeech": {"type": "SSML", "ssml": "<speak>Hi <emphasis>" + name + "</emphasis></speak>"},
                                "shouldEndSession": True}
                else:
                    response = {"outputSpeech": {"type": "PlainText", "text": "Who?"},
                                "directives": [{"type": "Dialog.ElicitSlot", "slotToElicit": "name",
                                                "updatedIntent": {"name": "Probe", "slots": {}}}]}
                print(json.dumps({"version": "1.0", "requestId": request["requestId"], "sessionAttributes": {"count": seen + 1},
                                  "response": response}), flush=True)
            """
        try folders.write("talk", program: program)
        let (tester, _) = try folders.makeTester()
        defer { tester.close() }
        let ask = await tester.ask("talk test", session: "t")
        #expect(ask.reply == "Who?")
        #expect(!ask.endSession)
        let answer = await tester.ask("ada", session: "t")
        #expect(answer.intent == "Probe")
        #expect(answer.slots["name"] == .text("ada"))
        #expect(answer.isSSML)
        #expect(answer.reply == "<speak>Hi <emphasis>ada</emphasis></speak>")
    }

    @Test func invokeIntentNeedsThePermission() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        func caller(_ id: String) -> String {
            """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"],
                    "response": {"outputSpeech": {"type": "PlainText", "text": "Asking."},
                                 "directives": [{"type": "Hark.InvokeIntent", "skill": "good", "intent": "Greet",
                                                 "slots": {"name": "grace"}}]}}), flush=True)
            """
        }
        try folders.write("good", program: SkillFolders.goodProgram("good"))
        try folders.write(
            "allowed", program: caller("allowed"),
            manifest:
                "id: allowed\nname: Allowed\nentry: exec\ncommand: [\(SkillFolders.python), skill.py]\npermissions: [good.Greet]\n"
        )
        try folders.write("denied", program: caller("denied"))
        let (tester, _) = try folders.makeTester()
        defer { tester.close() }
        #expect(await tester.ask("allowed test").reply == "Asking. hello grace")
        #expect(await tester.ask("denied test").reply.contains(Self.apology))
    }
}
