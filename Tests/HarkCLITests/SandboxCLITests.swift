import Foundation
import Testing

/// Issue 20, skills in a sandbox, through the real `hark` binary: an exec skill cannot see Hark's files, has no
/// network unless its manifest asks, and leaves no process behind.
@Suite struct SandboxCLITests {
    static let bubblewrap = FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")

    /// A skill that tries what a hostile skill would and says what happened.
    static let prober = """
        import errno, json, os, socket, sys
        def attempt(action):
            try:
                action()
                return "allowed"
            except OSError as error:
                return errno.errorcode.get(error.errno, str(error.errno))
        data = os.environ["HARK_SKILL_DATA"]
        hark_home = os.path.dirname(os.path.dirname(data))
        def connect():
            socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2).close()
        for line in sys.stdin:
            event = json.loads(line)
            report = {
                "database": attempt(lambda: open(os.path.join(hark_home, "hark.sqlite"), "rb").read(16)),
                "config": attempt(lambda: open(os.path.join(hark_home, "config.yaml")).read()),
                "own folder": attempt(lambda: open("written-by-skill", "w").write("x")),
                "data folder": attempt(lambda: open(os.path.join(data, "note"), "w").write("x")),
                "network": attempt(connect),
            }
            text = "; ".join(k + " " + v for k, v in report.items())
            print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"],
                              "response": {"outputSpeech": {"type": "PlainText", "text": text}}}), flush=True)
        """

    /// A listening socket on loopback for the skill to reach; its port.
    static func listener() throws -> (ProcessRunner, Int) {
        let server = try ProcessRunner.start(
            "/usr/bin/python3",
            ["-c", "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()\n"
                + "print(s.getsockname()[1], flush=True)\nwhile True: s.accept()[0].close()\n"])
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, Int(server.output.trimmingCharacters(in: .whitespacesAndNewlines)) == nil { usleep(20_000) }
        return (server, Int(server.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
    }

    @Test(.enabled(if: bubblewrap)) func aSkillSeesNeitherHarksFilesNorTheNetwork() throws {
        let (server, port) = try Self.listener()
        defer { server.terminate() }
        let hark = try HarkProcess()
        try "skills:\n  shopping: { purchase_code: \"4827\" }\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        #expect(try hark.run(["ask", "add milk to my shopping list"]).status == 0)
        try HardeningCLITests.writeSkill("prober", in: hark, program: Self.prober, arguments: ["prober", "\(port)"])
        try HardeningCLITests.writeSkill(
            "netprober", in: hark, program: Self.prober, arguments: ["netprober", "\(port)"],
            extraManifest: "permissions: [network]\n")

        let closed = try hark.run(["ask", "relay from prober"])
        // The loopback inside has no listener: the one outside cannot be reached.
        #expect(
            closed.stdout == "database ENOENT; config ENOENT; own folder EROFS; data folder allowed; network ECONNREFUSED\n",
            "\(closed.stdout)\(closed.stderr)")
        let open = try hark.run(["ask", "relay from netprober"])
        #expect(open.stdout.contains("database ENOENT; config ENOENT;"), "\(open.stdout)\(open.stderr)")
        #expect(open.stdout.contains("network allowed"), "\(open.stdout)\(open.stderr)")

        let list = try hark.run(["skills", "list"])
        #expect(list.stdout.contains("netprober  netprober 1.0.0") && list.stdout.contains("    permissions: network"), "\(list.stdout)")
    }

    @Test func aSkillsChildIgnoringSIGTERMDiesWithIt() throws {
        let marker = "hark-orphan-\(UUID().uuidString)"
        let program = """
            import json, subprocess, sys, time
            child = "import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\ntime.sleep(300)\\n"
            for line in sys.stdin:
                subprocess.Popen([sys.executable, "-c", child, "\(marker)"])
                time.sleep(300)  # never answers: the time limit kills it
            """
        let hark = try HarkProcess()
        try HardeningCLITests.writeSkill("forker", in: hark, program: program, extraManifest: "timeout: 1\n")
        let started = ContinuousClock.now
        let ask = try hark.run(["ask", "relay from forker"])
        #expect(ask.stderr.contains("no answer within"), "\(ask.stderr)")
        #expect(ContinuousClock.now - started < .seconds(30))
        usleep(300_000)
        let survivors = Self.processes(containing: marker)
        for pid in survivors { kill(pid, SIGKILL) }
        #expect(survivors.isEmpty, "processes left behind: \(survivors)")
    }

    /// Pids whose command line contains `text`.
    static func processes(containing text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), pid != getpid(),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            return String(decoding: data, as: UTF8.self).contains(text) ? pid : nil
        }
    }
}
