import Foundation
import HarkAudio
import Testing

/// How the tests start Hark's Wyoming server (`hark serve --wyoming`): the one place that names its arguments.
enum WyomingLaunch {
    /// The arguments that run the Wyoming server on 127.0.0.1 at a free port (0), and satellites from the config.
    static func arguments(wyoming: Bool = true) -> [String] {
        // `hark serve` always runs its HTTP API too: on a free port, so that suites running at once never collide.
        ["serve", "--http", "127.0.0.1:0"] + (wyoming ? ["--wyoming", "127.0.0.1:0"] : [])
    }

    /// What the server logs once it listens, before the port.
    static let listeningMarker = "Wyoming server listening on tcp://127.0.0.1:"

    /// The repository's root (for the fixtures and `.build/wyoming-venv`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The Python with `wyoming` and `wyoming-satellite` (scripts/setup.sh installs them): WYOMING_PYTHON, else
    /// `.build/wyoming-venv/bin/python`.
    static let python =
        ProcessInfo.processInfo.environment["WYOMING_PYTHON"] ?? root + "/.build/wyoming-venv/bin/python"

    static let fixtures = root + "/Tests/HarkCLITests/Fixtures/wyoming"

    /// A TCP port on 127.0.0.1 that nothing listens on now (for a satellite the test starts).
    static func freePort() throws -> Int {
        let port =
            try Int(
                commandOutput(
                    python,
                    ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"]
                ).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        try #require(port > 0)
        return port
    }

    /// Starts Hark with `arguments` and waits until its Wyoming server listens; returns the process and the port.
    static func start(
        _ hark: HarkProcess, arguments: [String] = arguments(), extra: [String] = []
    ) throws -> (
        ProcessRunner, Int
    ) {
        let server = try ProcessRunner.start(
            HarkProcess.binary, arguments + extra, environment: ["HARK_HOME": hark.home], directory: hark.home)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, server.isRunning {
            if let range = server.errorOutput.range(of: listeningMarker) {
                let digits = server.errorOutput[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return (server, port) }
            }
            usleep(50_000)
        }
        server.terminate()
        throw WyomingTestError(message: "the Wyoming server did not start: \(server.errorOutput)")
    }

    /// Runs the `wyoming` client fixture; returns its JSON lines, parsed.
    static func client(port: Int, _ arguments: [String]) throws -> [[String: Any]] {
        let runner = try ProcessRunner.start(python, [fixtures + "/client.py", "127.0.0.1", "\(port)"] + arguments)
        guard let status = runner.wait(timeout: 600) else {
            runner.terminate()
            throw WyomingTestError(message: "client.py \(arguments) did not finish")
        }
        guard status == 0 else {
            throw WyomingTestError(message: "client.py \(arguments) failed (\(status)): \(runner.errorOutput)")
        }
        return try runner.output.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }
}

/// The whole standard output of a command (read to its end, unlike `ProcessRunner.output`, which takes what arrived
/// within its wait).
func commandOutput(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

struct WyomingTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Hark's Wyoming server through the real binary, with the `wyoming` package from PyPI as the client (as Home
/// Assistant's Wyoming integration uses it): every answer checked exactly.
@Suite(.serialized) struct ServeWyomingTests {
    /// A WAV of `text` spoken by eSpeak (`hark say`), in the hark home.
    private func speak(_ hark: HarkProcess, _ text: String, to name: String, voice: String = "en-us") throws -> String {
        let said = try hark.run(["say", text, "--voice", voice, "-o", name])
        try #require(said.status == 0, "\(said.stderr)")
        return hark.home + "/" + name
    }

    @Test func describeAdvertisesWhatHarkOffers() throws {
        let hark = try HarkProcess()
        let (server, port) = try WyomingLaunch.start(hark)
        defer { server.terminate() }
        let info = try #require(try WyomingLaunch.client(port: port, ["describe"]).first)

        func programs(_ kind: String) -> [[String: Any]] { info[kind] as? [[String: Any]] ?? [] }
        func names(_ list: [[String: Any]]) -> [String] { list.compactMap { $0["name"] as? String } }
        #expect(names(programs("asr")) == ["pocketsphinx"])
        #expect(names(programs("tts")) == ["espeak-ng"])
        #expect(names(programs("intent")) == ["hark"])
        #expect(names(programs("handle")) == ["hark"])
        #expect(names(programs("wake")) == ["hark-wake"])
        for kind in ["asr", "tts", "intent", "handle", "wake"] {
            for program in programs(kind) {
                #expect(program["installed"] as? Bool == true, "\(kind)")
                #expect((program["attribution"] as? [String: Any])?["name"] is String, "\(kind)")
            }
        }
        let asrModels = programs("asr").first?["models"] as? [[String: Any]] ?? []
        #expect(names(asrModels) == ["hark-skills"])
        #expect(asrModels.first?["languages"] as? [String] == ["en"])
        // The voices are eSpeak NG's own: the languages `espeak-ng --voices` lists.
        let voices = programs("tts").first?["voices"] as? [[String: Any]] ?? []
        let listed = try commandOutput("/usr/bin/espeak-ng", ["--voices"]).split(separator: "\n").dropFirst()
            .compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) }
        #expect(Set(names(voices)) == Set(listed))
        #expect(names(voices).contains("en-us"))
        // Intents: one model per active skill.
        let skills = try hark.run(["skills", "list"]).stdout
        let intentModels = names(programs("intent").first?["models"] as? [[String: Any]] ?? [])
        #expect(intentModels.contains("shopping") && intentModels.contains("smarthome"))
        for id in intentModels { #expect(skills.contains(id), "\(id)") }
        let wakeModels = programs("wake").first?["models"] as? [[String: Any]] ?? []
        #expect(names(wakeModels) == ["hey hark"])
        #expect(wakeModels.first?["phrase"] as? String == "hey hark")
    }

    @Test func transcribeRecognizeHandleAndDetect() throws {
        let hark = try HarkProcess()
        let (server, port) = try WyomingLaunch.start(hark)
        defer { server.terminate() }

        // Speech to text: an eSpeak WAV (22 050 Hz, converted by Hark) streamed in chunks.
        // (In this voice; "en-us" is heard as "add yogurt to shopping list", by `hark run` too.)
        let request = try speak(hark, "add milk to my shopping list", to: "request.wav", voice: "en-us+f2")
        let transcript = try WyomingLaunch.client(port: port, ["transcribe", request])
        #expect(transcript.first?["type"] as? String == "transcript")
        #expect(transcript.first?["text"] as? String == "add milk to my shopping list")

        // Intent recognition: the name and the slot.
        let intent = try #require(
            try WyomingLaunch.client(port: port, ["recognize", "add eggs to my shopping list"]).first)
        #expect(intent["type"] as? String == "intent")
        #expect(intent["name"] as? String == "AddItem")
        #expect((intent["entities"] as? [String: Any])?["item"] as? String == "eggs")
        #expect((intent["context"] as? [String: Any])?["skill"] as? String == "shopping")
        let nonsense = try WyomingLaunch.client(port: port, ["recognize", "purple elephants sing loudly tonight"])
        #expect(nonsense.first?["type"] as? String == "not-recognized")

        // Conversation agent: the reply, the dialog kept on the connection (a question and its answer), and the
        // items in the SQLite file.
        let handled = try WyomingLaunch.client(
            port: port,
            [
                "handle", "add bread to my shopping list", "what's on my shopping list", "purple elephants sing",
                "add to my shopping list", "eggs",
            ])
        #expect(handled.count == 5)
        #expect(handled[0]["type"] as? String == "handled")
        // Exactly one of the shopping skill's wordings for "added" (responses/en.yaml picks one at random).
        let added = [
            "I've added bread to your shopping list.", "Added bread to your list.",
            "Okay, bread on your shopping list.",
        ]
        #expect(added.contains(handled[0]["text"] as? String ?? ""), "\(handled[0])")
        #expect(handled[1]["type"] as? String == "handled")
        #expect((handled[1]["text"] as? String)?.contains("bread") == true)
        #expect(handled[2]["type"] as? String == "not-handled")
        #expect(handled[3]["type"] as? String == "handled")
        #expect((handled[3]["text"] as? String)?.hasSuffix("?") == true, "\(handled[3])")
        #expect((handled[4]["text"] as? String)?.contains("eggs") == true, "\(handled[4])")
        let items = try commandOutput(
            "/usr/bin/sqlite3", [hark.home + "/hark.sqlite", "SELECT key FROM shopping_list_item"])
        #expect(Set(items.split(separator: "\n")) == ["bread", "egg"])  // the list's keys are singular

        // Wake word: the wake phrase in an eSpeak clip, and a clip without it.
        let wake = try speak(hark, "hey hark", to: "wake.wav", voice: "en-us+f5")  // rates like people's wake words
        let detected = try #require(try WyomingLaunch.client(port: port, ["detect", wake]).first)
        #expect(detected["type"] as? String == "detection")
        #expect(detected["name"] as? String == "hey hark")
        let notWake = try WyomingLaunch.client(port: port, ["detect", request])
        #expect(notWake.first?["type"] as? String == "not-detected")
    }

    @Test func synthesizeSpeaksInTheAdvertisedFormat() throws {
        let hark = try HarkProcess()
        let (server, port) = try WyomingLaunch.start(hark)
        defer { server.terminate() }
        let out = hark.home + "/spoken.wav"
        let result = try #require(
            try WyomingLaunch.client(port: port, ["synthesize", "add milk to my shopping list", out, "en-us+f2"]).first)
        #expect(result["rate"] as? Int == 22050)
        #expect(result["width"] as? Int == 2)
        #expect(result["channels"] as? Int == 1)
        #expect((result["chunks"] as? Int ?? 0) > 1)
        let audio = try WAVFile.read(path: out)
        #expect(audio.duration > 0.5)
        #expect(audio.chunk().levelDBFS > -40)
        // What arrived is that sentence: sent back for speech to text, it is heard as said.
        let heard = try WyomingLaunch.client(port: port, ["transcribe", out])
        #expect(heard.first?["text"] as? String == "add milk to my shopping list")

        let unknown = try WyomingLaunch.client(port: port, ["synthesize", "hello", out, "xx-nonexistent"])
        #expect(unknown.first?["type"] as? String == "error")
        #expect((unknown.first?["text"] as? String)?.contains("synthesize") == true)
    }

    /// Bytes that are not Wyoming events get an error event and the connection is closed; the server goes on.
    @Test func garbageClosesOnlyThatConnection() throws {
        let hark = try HarkProcess()
        let (server, port) = try WyomingLaunch.start(hark)
        defer { server.terminate() }
        let lines = try WyomingLaunch.client(port: port, ["garbage"])
        #expect(lines.count == 3)
        #expect(lines.first?["type"] as? String == "error")
        let data = lines.first?["data"] as? [String: Any]
        #expect((data?["text"] as? String)?.contains("not a JSON object") == true)
        #expect(lines[1]["closed"] as? Bool == true)
        #expect(lines[2]["asr"] != nil)
        #expect(server.isRunning)
    }
}

/// Hark as the hub of a real `wyoming-satellite` (PyPI) on loopback: its microphone a script that plays eSpeak
/// requests in real time, its speaker a command that appends to a file.
@Suite(.serialized) struct ServeWyomingSatelliteTests {
    @Test func aSatelliteInTheKitchenIsHeardAndAnswered() throws {
        let hark = try HarkProcess()
        let dir = hark.home
        let port = try WyomingLaunch.freePort()
        try """
        satellites:
          - { uri: tcp://127.0.0.1:\(port), area: Kitchen }
        """.write(toFile: dir + "/config.yaml", atomically: true, encoding: .utf8)

        // The microphone: two requests with the wake phrase, silence between them (16 kHz raw PCM).
        var raw = [Int16]()
        // eSpeak's "milk" after "add" rates 0.66 in a file and fell below 0.5 streamed, and an item heard worse than
        // the rest of its request is asked back (`VoiceRecognizerOptions.minimumValueConfidence`); its "eggs" rates
        // 0.997.
        for (index, text) in ["hey hark, add eggs to my shopping list", "hey hark, turn on the lights in here"]
            .enumerated()
        {
            // en-us+f5 says "hey hark" the way people say a wake word (0.65–0.9; most eSpeak voices below 0.5); at
            // its default rate "add milk" streamed was heard as "add two milk".
            let said = try hark.run(["say", text, "--voice", "en-us+f5", "--rate", "160", "-o", "request-\(index).wav"])
            try #require(said.status == 0, "\(said.stderr)")
            raw += try WAVFile.read(path: dir + "/request-\(index).wav").speechChunk().samples
            raw += [Int16](repeating: 0, count: 16_000 * 8)
        }
        try Data(raw.withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: dir + "/mic.raw"))

        // Hark first: the satellite is not there yet, so Hark retries until it is.
        let serve = try ProcessRunner.start(
            HarkProcess.binary, WyomingLaunch.arguments(wyoming: false), environment: ["HARK_HOME": dir], directory: dir
        )
        defer { serve.terminate() }
        try waitFor("Hark to find the satellite missing", timeout: 120) {
            serve.errorOutput.contains("satellite unavailable") || !serve.isRunning
        }
        try #require(serve.isRunning, "\(serve.errorOutput)")

        let satellite = try ProcessRunner.start(
            WyomingLaunch.python,
            [
                "-m", "wyoming_satellite", "--uri", "tcp://127.0.0.1:\(port)", "--name", "kitchen", "--area", "Kitchen",
                "--no-zeroconf", "--mic-command",
                "\(WyomingLaunch.python) \(WyomingLaunch.fixtures)/mic.py \(dir)/mic.raw 1",
                "--snd-command", "sh -c 'cat >> \(dir)/speaker.raw'",
                "--transcript-command", "sh -c 'cat >> \(dir)/heard.txt; echo >> \(dir)/heard.txt'",
                "--synthesize-command", "sh -c 'cat >> \(dir)/replies.txt; echo >> \(dir)/replies.txt'",
            ], directory: dir)
        defer { satellite.terminate() }

        func lines(_ name: String) -> [String] {
            ((try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }
        try waitFor("both replies at the satellite", timeout: 600) {
            lines("replies.txt").count >= 2 || !serve.isRunning || !satellite.isRunning
        }
        #expect(serve.isRunning, "\(serve.errorOutput)")
        // What the satellite was told it heard, and what it was told Hark said.
        let heard = lines("heard.txt")
        #expect(heard.first == "add eggs to my shopping list", "\(heard)")
        // This clip is read as "…lights in here" or as "…lighting here" (the grammar's synonym; which one depends on
        // where the satellite's first chunk fell), both the same request.
        #expect(heard.count >= 2 && heard[1].hasPrefix("turn on the light"), "\(heard)")
        let replies = lines("replies.txt")
        #expect(replies.count == 2, "\(replies)")
        #expect(replies.first?.lowercased().contains("eggs") == true, "\(replies)")
        // "In here" is the satellite's area: the kitchen.
        #expect(replies.last?.lowercased().contains("kitchen") == true, "\(replies)")
        let items = try commandOutput(
            "/usr/bin/sqlite3", [dir + "/hark.sqlite", "SELECT key FROM shopping_list_item"])
        #expect(items.split(separator: "\n").contains("egg"))  // the list's keys are singular
        // The replies' audio reached the speaker: 22 050 Hz 16-bit mono, a second or more, not silence.
        try waitFor("the speaker's audio", timeout: 30) {
            ((try? FileManager.default.attributesOfItem(atPath: dir + "/speaker.raw")[.size] as? Int) ?? 0) > 44_100
        }
        let played = try Data(contentsOf: URL(fileURLWithPath: dir + "/speaker.raw"))
        let samples = played.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(AudioChunk(samples: samples, format: AudioFormat(sampleRate: 22_050)).levelDBFS > -40)
        #expect(serve.errorOutput.contains("satellite connected"))
    }

    /// A satellite that detects the wake phrase itself (`--wake-command`) streams only the request after it: Hark
    /// hears it without the wake phrase, answers, and the satellite goes back to its own wake detection.
    @Test func aSatelliteWithItsOwnWakeDetectionStreamsTheRequestOnly() throws {
        let hark = try HarkProcess()
        let dir = hark.home
        let port = try WyomingLaunch.freePort()
        try """
        satellites:
          - { uri: tcp://127.0.0.1:\(port), area: Bedroom }
        """.write(toFile: dir + "/config.yaml", atomically: true, encoding: .utf8)
        let said = try hark.run(["say", "add eggs to my shopping list", "--voice", "en-us+f2", "-o", "request.wav"])
        try #require(said.status == 0, "\(said.stderr)")
        // One second of silence more before the request: the wake service "detects" after 1.5 s of audio.
        let raw =
            [Int16](repeating: 0, count: 16_000) + (try WAVFile.read(path: dir + "/request.wav").speechChunk().samples)
            + [Int16](repeating: 0, count: 16_000 * 3)
        try Data(raw.withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: dir + "/mic.raw"))

        let satellite = try ProcessRunner.start(
            WyomingLaunch.python,
            [
                "-m", "wyoming_satellite", "--uri", "tcp://127.0.0.1:\(port)", "--name", "bedroom", "--no-zeroconf",
                "--mic-command", "\(WyomingLaunch.python) \(WyomingLaunch.fixtures)/mic.py \(dir)/mic.raw 1",
                "--wake-command", "\(WyomingLaunch.python) \(WyomingLaunch.fixtures)/wake.py hey_hark 1.5",
                "--snd-command", "sh -c 'cat >> \(dir)/speaker.raw'",
                "--transcript-command", "sh -c 'cat >> \(dir)/heard.txt; echo >> \(dir)/heard.txt'",
                "--synthesize-command", "sh -c 'cat >> \(dir)/replies.txt; echo >> \(dir)/replies.txt'",
            ], directory: dir)
        defer { satellite.terminate() }
        let serve = try ProcessRunner.start(
            HarkProcess.binary, WyomingLaunch.arguments(wyoming: false), environment: ["HARK_HOME": dir], directory: dir
        )
        defer { serve.terminate() }

        func lines(_ name: String) -> [String] {
            ((try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }
        try waitFor("the reply at the satellite", timeout: 600) {
            !lines("replies.txt").isEmpty || !serve.isRunning || !satellite.isRunning
        }
        #expect(serve.isRunning, "\(serve.errorOutput)")
        #expect(lines("heard.txt").first == "add eggs to my shopping list", "\(serve.errorOutput)")
        #expect(lines("replies.txt").first?.lowercased().contains("egg") == true, "\(lines("replies.txt"))")
        #expect(serve.errorOutput.contains("start=asr"))
        let items = try commandOutput(
            "/usr/bin/sqlite3", [dir + "/hark.sqlite", "SELECT key FROM shopping_list_item"])
        #expect(items.split(separator: "\n") == ["egg"])
        try waitFor("the speaker's audio", timeout: 30) {
            ((try? FileManager.default.attributesOfItem(atPath: dir + "/speaker.raw")[.size] as? Int) ?? 0) > 22_050
        }
    }

    private func waitFor(_ what: String, timeout: Double, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return }
            usleep(100_000)
        }
        throw WyomingTestError(message: "timed out waiting for \(what)")
    }
}
