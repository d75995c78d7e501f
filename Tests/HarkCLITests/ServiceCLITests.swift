import Foundation
import Testing

/// Issue 20, Hark as a service, through the real `hark` binary: strict configuration, log levels, no demo
/// under a service manager, the systemd unit, and SIGHUP.
@Suite(.serialized) struct ServiceCLITests {
    static func home(config: String) throws -> HarkProcess {
        let hark = try HarkProcess()
        try config.write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        return hark
    }

    @Test(arguments: [
        ("sesion_timeout: 60\n", ":1: unknown key 'sesion_timeout' (known: audio, buttons, disabled_skills, enabled_skills,"),
        ("wake_phrase: hey hark\nvoice:\n  name: en-us\n  speed: 200\n", ":4: unknown key 'voice.speed' (known in voice: name, pitch, rate)"),
        ("audio: { capture_device: default, playback: hw }\n", ":1: unknown key 'audio.playback' (known in audio: capture_device, playback_device)"),
    ])
    func anUnknownConfigurationKeyIsAnErrorWithFileAndLine(config: String, message: String) throws {
        let hark = try Self.home(config: config)
        let ask = try hark.run(["ask", "what is on my shopping list"])
        #expect(ask.status != 0)
        #expect(ask.stderr.contains(hark.home + "/config.yaml" + message), "\(ask.stderr)")
    }

    @Test func skillSettingsStayTheSkillsOwn() throws {
        let hark = try Self.home(config: "skills:\n  weather: { location: Leeds, anything_else: 1 }\n")
        #expect(try hark.run(["ask", "what is on my shopping list"]).status == 0)
    }

    /// A home with an exec skill that logs "started skill" (debug) and a complaint on stderr (warning).
    static func loggingHome(config: String) throws -> HarkProcess {
        let hark = try Self.home(config: config)
        let program = HardeningCLITests.relayProgram.replacingOccurrences(
            of: "    event = json.loads(line)\n", with: "    event = json.loads(line)\n    print('complaint', file=sys.stderr, flush=True)\n")
        try HardeningCLITests.writeSkill("talker", in: hark, program: program, arguments: ["talker"])
        return hark
    }

    @Test func theLogLevelComesFromTheFlagElseTheConfiguration() throws {
        let fromConfig = try Self.loggingHome(config: "log_level: debug\n")
        let debug = try fromConfig.run(["ask", "relay from talker"])
        #expect(debug.stdout == "talker here.\n", "\(debug.stderr)")
        #expect(debug.stderr.contains("started skill talker"), "\(debug.stderr)")

        let byDefault = try Self.loggingHome(config: "")
        let info = try byDefault.run(["ask", "relay from talker"])
        #expect(!info.stderr.contains("started skill talker"), "\(info.stderr)")
        #expect(info.stderr.contains("talker stderr: complaint"), "\(info.stderr)")

        // The flag wins over the configuration, on any command, before or after the subcommand.
        let quiet = try fromConfig.run(["ask", "relay from talker", "--log-level", "error"])
        #expect(quiet.stdout == "talker here.\n")
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        let loud = try byDefault.run(["--log-level=debug", "ask", "relay from talker"])
        #expect(loud.stderr.contains("started skill talker"), "\(loud.stderr)")
    }

    @Test func aLogLevelThatIsNoLevelIsAnError() throws {
        let hark = try Self.home(config: "log_level: loud\n")
        let ask = try hark.run(["ask", "what is on my shopping list"])
        #expect(ask.status != 0)
        #expect(ask.stderr.contains(hark.home + "/config.yaml: log_level: 'loud' is not one of trace, debug, info"), "\(ask.stderr)")
        let flag = try HarkProcess().run(["ask", "hello", "--log-level", "loud"])
        #expect(flag.status != 0)
        #expect(flag.stderr.contains("--log-level: 'loud' is not one of trace, debug, info"), "\(flag.stderr)")
    }

    @Test func listenWithoutAMicrophoneAndNoDemoFails() throws {
        let root = try HarkProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "pcm.!default { type null }\npcm.nomic { type hw card 7 }\n"
            .write(toFile: root + "/alsa.conf", atomically: true, encoding: .utf8)
        var hark = try HarkProcess()
        hark.environment["ALSA_CONFIG_PATH"] = root + "/alsa.conf"
        let result = try hark.run(["listen", "--device", "nomic", "--no-demo"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("no microphone: capture device 'nomic' cannot be opened"), "\(result.stderr)")
        #expect(!result.stdout.contains("demo"), "\(result.stdout)")
    }

    @Test func theServiceUnitInstallsAndVerifies() throws {
        let root = try HarkProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let script = repository + "/scripts/install-service.sh"
        let installed = try ProcessRunner.start(
            script, ["--binary", HarkProcess.binary, "--unit-dir", root, "--no-start"])
        #expect(installed.wait(timeout: 60) == 0, "\(installed.output)\(installed.errorOutput)")
        let unit = try String(contentsOfFile: root + "/hark.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=\(HarkProcess.binary) listen --no-demo"))
        #expect(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(unit.contains("Restart=on-failure"))
        let missing = try ProcessRunner.start(script, ["--binary", root + "/no-hark", "--unit-dir", root, "--no-start"])
        #expect(missing.wait(timeout: 60) == 1)
        #expect(missing.errorOutput.contains("is not an executable"), "\(missing.errorOutput)")
    }

    @Test func sighupReloadsTheConfigurationAndSkillsAndABadOneIsReported() async throws {
        signal(SIGPIPE, SIG_IGN)
        let hark = try HarkProcess()
        let root = try HarkProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fifo = root + "/mic.raw"
        #expect(mkfifo(fifo, 0o600) == 0)
        let alsaConfig = root + "/alsa.conf"
        try """
            pcm.fakemic { type file slave.pcm { type null } file "/dev/null" infile "\(fifo)" format "raw" }
            pcm.!default fakemic

            """.write(toFile: alsaConfig, atomically: true, encoding: .utf8)
        let listen = try ProcessRunner.start(
            HarkProcess.binary, ["listen", "--no-playback", "--no-demo"],
            environment: ["HARK_HOME": hark.home, "ALSA_CONFIG_PATH": alsaConfig], directory: hark.home)
        defer { listen.terminate() }
        let writer = PacedWriter(path: fifo, segments: [])
        writer.start()
        defer { writer.stop() }
        func waitFor(_ text: String, seconds: Int = 150) async throws {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline, !listen.output.contains(text), listen.isRunning {
                try await Task.sleep(for: .milliseconds(200))
            }
            try #require(listen.output.contains(text), "stdout:\n\(listen.output)\nstderr:\n\(listen.errorOutput)")
        }
        try await waitFor("Listening on")
        #expect(!listen.output.contains("coin-flip"))

        // A skill installed and a new wake phrase: SIGHUP takes both.
        try FileManager.default.createDirectory(atPath: hark.home + "/skills", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: repository + "/Examples/Skills/coin-flip", toPath: hark.home + "/skills/coin-flip")
        try "wake_phrase: hello hark\n".write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        listen.signal(SIGHUP)
        try await waitFor("hark listen: reloaded ")
        #expect(listen.output.contains("coin-flip"), "\(listen.output)")
        #expect(listen.output.contains("wake phrase \"hello hark\""), "\(listen.output)")

        // A configuration with a typo: reported with file and line, and Hark listens on.
        try "wake_phrase: hey hark\nvoice:\n  speed: 3\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        listen.signal(SIGHUP)
        try await waitFor("reload failed")
        #expect(listen.output.contains("\(hark.home)/config.yaml:3: unknown key 'voice.speed'"), "\(listen.output)")
        #expect(listen.isRunning)

        listen.signal(SIGTERM)
        #expect(listen.wait(timeout: 20) == 0, "stdout:\n\(listen.output)\nstderr:\n\(listen.errorOutput)")
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    var repository: String { Self.repositoryRoot }
}
