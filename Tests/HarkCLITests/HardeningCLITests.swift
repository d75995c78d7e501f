import Foundation
import Testing

/// Issue 20 through the real `hark` binary: limits on skills, range-checked numbers, no trap on bad input.
@Suite struct HardeningCLITests {
    static let python =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    /// Writes an exec skill `id` answering "relay from ID" (intent Relay) with `program` (skill.py).
    static func writeSkill(
        _ id: String, in hark: HarkProcess, program: String, arguments: [String] = [], extraManifest: String = ""
    ) throws {
        let folder = hark.home + "/skills/" + id
        try FileManager.default.createDirectory(atPath: folder + "/intents", withIntermediateDirectories: true)
        let command = ([python, "skill.py"] + arguments).joined(separator: ", ")
        try "id: \(id)\nname: \(id)\nentry: exec\ncommand: [\(command)]\n\(extraManifest)"
            .write(toFile: folder + "/skill.yaml", atomically: true, encoding: .utf8)
        try """
            language: en
            intents:
              Relay:
                data:
                  - sentences: ["relay from \(id)"]

            """.write(toFile: folder + "/intents/en.yaml", atomically: true, encoding: .utf8)
        try program.write(toFile: folder + "/skill.py", atomically: true, encoding: .utf8)
    }

    /// A skill that says "ID here." and, when given a next skill, calls its Relay intent.
    static let relayProgram = """
        import json, sys
        me = sys.argv[1]
        nxt = sys.argv[2] if len(sys.argv) > 2 else ""
        for line in sys.stdin:
            event = json.loads(line)
            response = {"outputSpeech": {"type": "PlainText", "text": me + " here."}, "shouldEndSession": True}
            if nxt:
                response["directives"] = [{"type": "Hark.InvokeIntent", "skill": nxt, "intent": "Relay", "slots": {}}]
            print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"], "response": response}),
                  flush=True)
        """

    /// Installs relay skills calling each other along `chain` (the last calls `loopTo`, if given).
    static func relays(_ chain: [String], loopTo: String? = nil) throws -> HarkProcess {
        let hark = try HarkProcess()
        for (index, id) in chain.enumerated() {
            let next = index + 1 < chain.count ? chain[index + 1] : loopTo
            try writeSkill(
                id, in: hark, program: relayProgram, arguments: [id] + (next.map { [$0] } ?? []),
                extraManifest: next.map { "permissions: [\($0).Relay]\n" } ?? "")
        }
        return hark
    }

    @Test func twoSkillsInvokingEachOtherAreStoppedAtTheCycle() throws {
        let hark = try Self.relays(["ping", "pong"], loopTo: "ping")
        let result = try hark.run(["ask", "--batch"], stdin: "relay from ping\nadd milk to my shopping list\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stdout)\(result.stderr)")
        #expect(!(lines.first?.contains("ping here.") ?? true), "\(result.stdout)")
        #expect(result.stderr.contains("InvokeIntent cycle refused: ping → pong → ping"), "\(result.stderr)")
        // The runtime goes on: the next request is answered.
        #expect(lines.last?.contains("milk") == true, "\(result.stdout)")
    }

    @Test func invocationsNestThreeDeepAndNoDeeper() throws {
        let allowed = try Self.relays(["alpha", "bravo", "charlie", "delta"])
        let three = try allowed.run(["ask", "relay from alpha"])
        #expect(three.stdout == "alpha here. bravo here. charlie here. delta here.\n", "\(three.stdout)\(three.stderr)")

        let tooDeep = try Self.relays(["alpha", "bravo", "charlie", "delta", "echo"])
        let four = try tooDeep.run(["ask", "relay from alpha"])
        #expect(!four.stdout.contains("echo here"), "\(four.stdout)")
        #expect(
            four.stderr.contains("InvokeIntent chain refused: alpha → bravo → charlie → delta → echo nests deeper than 3"),
            "\(four.stderr)")
    }

    @Test func aHugeTimeoutInSkillYAMLIsAnErrorNamingTheFileAndField() throws {
        let hark = try HarkProcess()
        try Self.writeSkill("slowpoke", in: hark, program: Self.relayProgram, arguments: ["slowpoke"], extraManifest: "timeout: 1e300\n")
        let list = try hark.run(["skills", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            list.stdout.contains("\(hark.home)/skills/slowpoke/skill.yaml:5: 'timeout' must be a number of seconds from 0.1 to 600.0, not 1e300"),
            "\(list.stdout)")
        // Hark starts and answers with the other skills.
        let ask = try hark.run(["ask", "add milk to my shopping list"])
        #expect(ask.status == 0, "\(ask.stderr)")
        #expect(ask.stdout.contains("milk"), "\(ask.stdout)")
    }

    @Test func aHugeTimeoutInTheConfigurationIsAnErrorNamingTheFileAndField() throws {
        let hark = try HarkProcess()
        try Self.writeSkill("slowpoke", in: hark, program: Self.relayProgram, arguments: ["slowpoke"])
        try "skills:\n  slowpoke: { timeout: 1.0e+300 }\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let list = try hark.run(["skills", "list"])
        #expect(list.stdout.contains("\(hark.home)/config.yaml: skills.slowpoke.timeout: must be a number of seconds"), "\(list.stdout)")
    }

    @Test func anEnormousDurationSlotInASkillsAnswerIsAnErrorNamingTheField() throws {
        let hark = try HarkProcess()
        let program = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                slots = {"length": {"name": "length", "value": "P99999999999999999999D"}}
                response = {"outputSpeech": {"type": "PlainText", "text": "How long?"}, "shouldEndSession": False,
                            "directives": [{"type": "Dialog.ElicitSlot", "slotToElicit": "length",
                                            "updatedIntent": {"name": "Relay", "slots": slots}}]}
                print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"], "response": response}),
                      flush=True)
            """
        try Self.writeSkill("timer", in: hark, program: program)
        let result = try hark.run(["ask", "--batch"], stdin: "relay from timer\nadd milk to my shopping list\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("response.directives[0].updatedIntent.slots.length ('P99999999999999999999D'): a duration"),
            "\(result.stderr)")
        #expect(lines.last?.contains("milk") == true, "\(result.stdout)")
    }

    @Test(arguments: ["1e30", "1.0e+30", "-5", "12345"])
    func aPurchaseCodeOutOfRangeIsNamedNotATrap(code: String) throws {
        let hark = try HarkProcess()
        try "skills:\n  shopping: { purchase_code: \(code) }\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let ask = try hark.run(["ask", "add milk to my shopping list"])
        #expect(ask.status == 0, "\(ask.stderr)")
        #expect(ask.stdout.contains("purchase_code"), "\(ask.stdout)")
        #expect(ask.stderr.contains("skills.shopping.purchase_code"), "\(ask.stderr)")
        #expect(!ask.stderr.contains(code), "\(ask.stderr)")
    }

    @Test(arguments: [
        ("voice: { rate: 100000 }", "voice.rate: must be from 80 to 450, not 100000"),
        ("voice: { pitch: -3 }", "voice.pitch: must be from 0 to 100, not -3"),
        ("session_timeout: 1.0e+300", "session_timeout: must be a number of seconds above 0, at most 604800"),
        ("skills:\n  smarthome: { mqtt: { timeout: 1.0e+300 } }", "skills.smarthome.mqtt.timeout"),
        ("skills:\n  shopping: { spending_cap: 1.0e+300 }", "spending_cap"),
    ])
    func configurationNumbersAreRangeChecked(yaml: String, message: String) throws {
        let hark = try HarkProcess()
        try (yaml + "\n").write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let ask = try hark.run(["ask", "add milk to my shopping list"])
        #expect((ask.stdout + ask.stderr).contains(message), "\(ask.stdout)\(ask.stderr)")
    }

    @Test func unaskedOutputIsDroppedAndCounted() throws {
        let hark = try HarkProcess()
        // Each answer is followed, in the same write, by 1000 lines nobody asked for.
        let program = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                answer = {"version": "1.0", "requestId": event["request"]["requestId"],
                          "response": {"outputSpeech": {"type": "PlainText", "text": "chatty here."}}}
                sys.stdout.write(json.dumps(answer) + "\\n" + "noise\\n" * 1000)
                sys.stdout.flush()
            """
        try Self.writeSkill("chatty", in: hark, program: program)
        let result = try hark.run(["ask", "--batch"], stdin: "relay from chatty\nrelay from chatty\nrelay from chatty\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("chatty here.") }, "\(result.stdout)\(result.stderr)")
        // Counted as they are drained (in as many pieces as the pipe delivers them): at least the noise after the
        // first two answers, which came before the next request.
        let totals = result.stderr.split(separator: "\n").compactMap { line -> Int? in
            guard line.contains("chatty: dropped"), let open = line.lastIndex(of: "("),
                let end = line[open...].firstIndex(of: " ")
            else { return nil }
            return Int(line[line.index(after: open)..<end])
        }
        #expect((totals.max() ?? 0) >= 2000, "\(result.stderr)")
    }

    @Test func standardErrorOfASkillIsRateLimited() throws {
        let hark = try HarkProcess()
        let program = """
            import json, sys
            for line in sys.stdin:
                event = json.loads(line)
                for i in range(500):
                    print("complaint", i, file=sys.stderr)
                sys.stderr.flush()
                print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"],
                                  "response": {"outputSpeech": {"type": "PlainText", "text": "grumpy here."}}}), flush=True)
            """
        try Self.writeSkill("grumpy", in: hark, program: program)
        let result = try hark.run(["ask", "--batch"], stdin: "relay from grumpy\nrelay from grumpy\n")
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.contains("grumpy here.") }, "\(result.stdout)")
        let logged = result.stderr.split(separator: "\n").filter { $0.contains("grumpy stderr: complaint") }
        #expect(logged.count == 20, "\(logged.count) lines logged")
        #expect(result.stderr.contains("grumpy stderr: 480 lines not logged") || result.stderr.contains(" lines not logged (more than 20 in 10"), "\(result.stderr)")
    }
}
