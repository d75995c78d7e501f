import Foundation
import HarkAudio
import HarkUnderstanding
import Testing

/// Issue 18, `hark serve`'s HTTP API through the real binary and a real HTTP client: every endpoint, the token rule,
/// bad bodies, the body limit, fuzzed bodies, SIGHUP.
@Suite(.serialized) struct ServeHTTPTests {
    @Test func askSayskillsHealthAndMetricsAnswer() async throws {
        let server = try await ServeHTTPServer.start()
        let ask = try await server.post("/v1/ask", json: ["text": "add eggs to my shopping list", "session": "s1"])
        #expect(ask.status == 200, "\(ask.text)")
        #expect(ask.contentType.hasPrefix("application/json"))
        let answer = try ask.object()
        #expect(answer["skill"] as? String == "shopping")
        #expect(answer["intent"] as? String == "AddItem")
        #expect(answer["session"] as? String == "s1")
        let slots = try #require(answer["slots"] as? [String: Any])
        #expect((slots["item"] as? [String]) == ["eggs"] || (slots["item"] as? String) == "eggs", "\(slots)")

        // The same object as `hark ask --json`: the same fields, and the same understanding.
        let cli = try HarkProcess().run(["ask", "add eggs to my shopping list", "--json"])
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        #expect(Set(printed.keys) == Set(answer.keys), "\(printed.keys.sorted()) vs \(answer.keys.sorted())")
        for key in ["skill", "intent", "endSession", "fallback", "text"] {
            #expect("\(printed[key] ?? "nil")" == "\(answer[key] ?? "nil")", "\(key)")
        }

        // The area travels with the request ("in here").
        let area = try await server.post("/v1/ask", json: ["text": "turn on the lights in here", "area": "Kitchen"])
        #expect(try area.object()["skill"] as? String == "smarthome", "\(area.text)")

        // The session goes on: the list read back has the eggs.
        let list = try await server.post("/v1/ask", json: ["text": "what is on my shopping list"])
        #expect((try list.object()["reply"] as? String)?.lowercased().contains("eggs") == true, "\(list.text)")

        let say = try await server.post("/v1/say", json: ["text": "hello from the kitchen", "voice": "en-us+f2"])
        #expect(say.status == 200, "\(say.text)")
        #expect(say.contentType == "audio/wav")
        let audio = try WAVFile.read(data: say.body, name: "say")
        #expect(audio.duration > 0.5, "\(audio.duration) s")

        let skills = try await server.send(.GET, "/v1/skills")
        #expect(skills.status == 200)
        let list2 = try #require(try skills.object()["skills"] as? [[String: Any]])
        let shopping = try #require(list2.first { $0["id"] as? String == "shopping" })
        #expect((shopping["intents"] as? [String])?.contains("AddItem") == true, "\(shopping)")

        let health = try await server.send(.GET, "/healthz")
        let status = try health.object()
        #expect(health.status == 200)
        #expect(status["status"] as? String == "ok")
        #expect(status["skills"] as? Int == list2.count)
        #expect((status["satellites"] as? [Any])?.isEmpty == true, "\(status)")
        #expect(status["recognizer"] as? String == "not loaded", "no /v1/run yet: \(status)")

        let metrics = try await server.send(.GET, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.contentType.hasPrefix("text/plain"))
        #expect(metrics.text.contains(#"hark_requests_total{entry="http_ask"} 3"#), "\(metrics.text)")
        #expect(metrics.text.contains(#"hark_requests_total{entry="http_say"} 1"#), "\(metrics.text)")
        #expect(metrics.text.contains(#"hark_intents_total{skill="shopping",intent="AddItem"} 1"#), "\(metrics.text)")
        #expect(metrics.text.contains(#"hark_skill_seconds_count{skill="shopping"} 2"#), "\(metrics.text)")

        #expect(try await server.stop() == 0)
        #expect(server.process.output.contains("hark serve: stopped"))
        // One structured log line a request.
        #expect(server.process.errorOutput.contains("path=/v1/ask"), "\(server.process.errorOutput)")
        #expect(server.process.errorOutput.contains("status=200"))
    }

    /// A skill that fails and one that does not answer in time: each is Hark's apology over HTTP, and counted as an
    /// error or a timeout in the metrics.
    @Test func skillErrorsAndTimeoutsAreCounted() async throws {
        let hark = try HarkProcess()
        try HardeningCLITests.writeSkill(
            "crasher", in: hark, program: "import sys\nfor line in sys.stdin:\n    sys.exit(3)\n")
        try HardeningCLITests.writeSkill(
            "sleeper", in: hark, program: "import sys, time\nfor line in sys.stdin:\n    time.sleep(30)\n",
            extraManifest: "timeout: 1\n")
        let server = try await ServeHTTPServer.start(home: hark)
        let crashed = try await server.post("/v1/ask", json: ["text": "relay from crasher"])
        #expect(crashed.status == 200, "\(crashed.text)")
        #expect(try crashed.object()["skill"] as? String == "crasher", "\(crashed.text)")
        let slept = try await server.post("/v1/ask", json: ["text": "relay from sleeper"])
        #expect(try slept.object()["skill"] as? String == "sleeper", "\(slept.text)")
        let metrics = try await server.send(.GET, "/metrics").text
        #expect(metrics.contains(#"hark_skill_errors_total{skill="crasher",kind="error"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"hark_skill_errors_total{skill="sleeper",kind="timeout"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"hark_intents_total{skill="sleeper",intent="Relay"} 1"#), "\(metrics)")
        #expect(try await server.stop() == 0)
    }

    @Test func aNonLoopbackAddressWithoutATokenIsRefused() throws {
        let hark = try HarkProcess()
        let flag = try hark.run(["serve", "--http", "0.0.0.0:0"])
        #expect(flag.status != 0)
        #expect(flag.stderr.contains("refusing to serve HTTP on 0.0.0.0:0 without a token"), "\(flag.stderr)")

        try "serve:\n  http: 0.0.0.0:0\n".write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let config = try hark.run(["serve"])
        #expect(config.status != 0)
        #expect(config.stderr.contains("refusing to serve HTTP on 0.0.0.0:0 without a token"), "\(config.stderr)")

        let wyoming = try HarkProcess().run(["serve", "--http", "127.0.0.1:0", "--wyoming", "[::]:0"])
        #expect(wyoming.status != 0)
        #expect(wyoming.stderr.contains("refusing to serve Wyoming on [::]:0 without a token"), "\(wyoming.stderr)")

        let typo = try HarkProcess().run(["serve", "--http", "8088"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("'8088' is not HOST:PORT"), "\(typo.stderr)")
    }

    @Test func aTokenIsRequiredWhenSet() async throws {
        let server = try await ServeHTTPServer.start(config: "serve:\n  token: \"s3cret-token\"\n")
        let body = ["text": "what is on my shopping list"]
        let missing = try await server.post("/v1/ask", json: body)
        #expect(missing.status == 401)
        #expect(missing.isJSONClientError, "\(missing.text)")
        #expect(missing.headers.first(name: "www-authenticate") == "Bearer")
        let wrong = try await server.post("/v1/ask", json: body, headers: [("Authorization", "Bearer s3cret-tokeN")])
        #expect(wrong.status == 401)
        #expect(try wrong.object()["error"] as? String == "wrong token: send Authorization: Bearer <serve.token>")
        let notBearer = try await server.send(.GET, "/v1/skills", headers: [("Authorization", "Basic czNjcmV0")])
        #expect(notBearer.status == 401)
        let metrics = try await server.send(.GET, "/metrics")
        #expect(metrics.status == 401)
        let right = try await server.post("/v1/ask", json: body, headers: [("Authorization", "Bearer s3cret-token")])
        #expect(right.status == 200, "\(right.text)")
        #expect(try right.object()["skill"] as? String == "shopping")

        // /healthz answers without the token, but says no more than that the server is up.
        let open = try await server.send(.GET, "/healthz")
        #expect(open.status == 200)
        #expect(open.text == "{\"status\":\"ok\"}\n")
        let full = try await server.send(.GET, "/healthz", headers: [("Authorization", "Bearer s3cret-token")])
        #expect(try full.object()["skills"] as? Int ?? 0 > 0, "\(full.text)")
        #expect(try await server.stop() == 0)
    }

    @Test func aNonLoopbackAddressWithATokenServes() async throws {
        let hark = try HarkProcess()
        try "serve:\n  token: t0ken\n  http: 0.0.0.0:0\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let process = try ProcessRunner.start(
            HarkProcess.binary, ["serve"], environment: ["HARK_HOME": hark.home], directory: hark.home)
        defer { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, process.isRunning, !process.output.contains("HTTP API on http://0.0.0.0:") {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(process.output.contains("hark serve: HTTP API on http://0.0.0.0:"), "\(process.output)\(process.errorOutput)")
        process.signal(SIGTERM)
        #expect(process.wait(timeout: 30) == 0)
    }

    /// Bodies an endpoint does not take: each gets a 4xx with a JSON error, and the server answers on.
    @Test func badBodiesGetAClientErrorAsJSON() async throws {
        let server = try await ServeHTTPServer.start()
        let wav = try #require(Self.wav(rate: 16_000, seconds: 0.2))
        let cases: [(String, String, [UInt8], Int, String)] = [
            ("/v1/ask", "not JSON", Array("add milk".utf8), 400, "not JSON"),
            ("/v1/ask", "an array", Array("[\"text\"]".utf8), 400, "must be a JSON object"),
            ("/v1/ask", "empty", [], 400, "empty"),
            ("/v1/ask", "unknown field", Array(#"{"text": "hi", "txet": 1}"#.utf8), 400, "unknown field 'txet'"),
            ("/v1/ask", "missing text", Array(#"{"session": "a"}"#.utf8), 400, "'text' is missing"),
            ("/v1/ask", "text a number", Array(#"{"text": 12}"#.utf8), 400, "'text' must be a string"),
            ("/v1/ask", "blank text", Array(#"{"text": "   "}"#.utf8), 400, "'text' is empty"),
            ("/v1/ask", "a number too large", Array(#"{"text": "hi", "session": 1e400}"#.utf8), 400, "not JSON"),
            ("/v1/ask", "session a number", Array(#"{"text": "hi", "session": 12}"#.utf8), 400, "'session' must be a string"),
            ("/v1/ask", "truncated", Array(#"{"text": "add mi"#.utf8), 400, "not JSON"),
            ("/v1/say", "unknown voice", Array(#"{"text": "hi", "voice": "klingon"}"#.utf8), 400, "not an eSpeak NG voice"),
            ("/v1/say", "unknown variant", Array(#"{"text": "hi", "voice": "en-us+zz9"}"#.utf8), 400, "variant"),
            ("/v1/say", "no text", Array(#"{"voice": "en-us"}"#.utf8), 400, "'text' is missing"),
            ("/v1/run", "not a WAV", Array("hello, this is not audio".utf8), 400, "not a RIFF/WAVE file"),
            ("/v1/run", "a truncated WAV", Array(wav.prefix(30)), 400, "truncated"),
            ("/v1/run", "4 kHz", try #require(Self.wav(rate: 4000, seconds: 0.2)), 400, "at least 8000 Hz"),
            ("/v1/run", "an unknown parameter", wav, 400, "unknown query parameter"),
        ]
        for (path, name, body, status, message) in cases {
            let full = name == "an unknown parameter" ? path + "?sesion=a" : path
            let answer = try await server.send(.POST, full, body: body, headers: [("Content-Type", "application/json")])
            #expect(answer.status == status, "\(path) with \(name): \(answer.status) \(answer.text)")
            #expect(answer.isJSONClientError, "\(path) with \(name): \(answer.text)")
            #expect(answer.text.contains(message), "\(path) with \(name): \(answer.text)")
        }
        let unknown = try await server.send(.GET, "/v1/nothing")
        #expect(unknown.status == 404)
        #expect(unknown.isJSONClientError, "\(unknown.text)")
        let wrongMethod = try await server.send(.GET, "/v1/ask")
        #expect((400..<500).contains(wrongMethod.status), "\(wrongMethod.status)")
        #expect(wrongMethod.isJSONClientError, "\(wrongMethod.text)")
        // Still up, still right.
        let ask = try await server.post("/v1/ask", json: ["text": "add tea to my shopping list"])
        #expect(try ask.object()["intent"] as? String == "AddItem")
        #expect(try await server.stop() == 0)
    }

    @Test func bodiesOverTheLimitAreRefused() async throws {
        let server = try await ServeHTTPServer.start(config: "serve:\n  max_body_bytes: 4096\n")
        let big = try #require(Self.wav(rate: 16_000, seconds: 1))  // 32 KB
        let run = try await server.send(.POST, "/v1/run", body: big)
        #expect(run.status == 413, "\(run.text)")
        #expect(run.isJSONClientError, "\(run.text)")
        #expect(run.text.contains("4096"), "\(run.text)")
        let padded = "{\"text\": \"add milk to my shopping list\", \"area\": \"" + String(repeating: "x", count: 5000) + "\"}"
        let ask = try await server.send(.POST, "/v1/ask", body: Array(padded.utf8))
        #expect(ask.status == 413, "\(ask.text)")
        #expect(ask.isJSONClientError)
        // Under the limit, the same endpoint answers.
        let small = try await server.post("/v1/ask", json: ["text": "add milk to my shopping list"])
        #expect(small.status == 200, "\(small.text)")
        #expect(try await server.stop() == 0)

        let bad = try HarkProcess()
        try "serve:\n  max_body_bytes: 12\n".write(toFile: bad.home + "/config.yaml", atomically: true, encoding: .utf8)
        let refused = try bad.run(["serve"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("serve.max_body_bytes: must be from 1024"), "\(refused.stderr)")
    }

    /// Random bytes, truncated and mangled JSON, huge numbers and deep nesting into every POST endpoint: every one
    /// is a 4xx with a JSON error, and the server stays up.
    @Test func fuzzedBodiesNeverBringTheServerDown() async throws {
        let server = try await ServeHTTPServer.start()
        var random = SplitMix64(seed: 18)
        let valid = Array(#"{"text": "add bread to my shopping list", "session": "fuzz", "area": "Kitchen"}"#.utf8)
        let wav = try #require(Self.wav(rate: 16_000, seconds: 0.1))
        var sent = 0
        for round in 0..<800 {
            var body: [UInt8]
            switch round % 6 {
            case 0: body = (0..<Int.random(in: 1...2000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1: body = Array(valid.prefix(Int.random(in: 0..<valid.count, using: &random)))
            case 2:
                body = valid
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    body[Int.random(in: 0..<body.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                // A mangled byte may leave valid JSON that is a good request: that is a 200, not a crash.
            case 3:
                let number = ["1e999999", "-1e400", String(repeating: "9", count: 5000), "0.0000e-99999", "NaN"]
                body = Array(#"{"text": \#(number[round / 6 % number.count])}"#.utf8)
            case 4:
                let depth = Int.random(in: 100...20_000, using: &random)
                body = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            default:
                body = Array(wav.prefix(Int.random(in: 0..<44, using: &random)))
                body += (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            for path in ["/v1/ask", "/v1/say", "/v1/run"] {
                // A body the fuzz leaves valid would be a real request: only /v1/ask answers those quickly.
                if path != "/v1/ask", round % 6 == 2 { continue }
                let answer = try await server.send(.POST, path, body: body)
                sent += 1
                if answer.status == 200 {
                    #expect(path == "/v1/ask" && round % 6 == 2, "\(path) accepted fuzz round \(round)")
                } else {
                    #expect(answer.isJSONClientError, "\(path) round \(round): \(answer.status) \(answer.text)")
                }
            }
        }
        #expect(sent > 2_000)
        #expect(server.process.isRunning)
        let health = try await server.send(.GET, "/healthz")
        #expect(try health.object()["status"] as? String == "ok")
        #expect(try await server.stop() == 0)
    }

    @Test func sighupReloadsTheSkillsAndABadConfigurationIsReported() async throws {
        let server = try await ServeHTTPServer.start()
        let before = try await server.post("/v1/ask", json: ["text": "flip a coin"])
        #expect(try before.object()["skill"] as? String != "coin-flip", "\(before.text)")

        try FileManager.default.createDirectory(atPath: server.hark.home + "/skills", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: ServiceCLITests.repositoryRoot + "/Examples/Skills/coin-flip",
            toPath: server.hark.home + "/skills/coin-flip")
        server.process.signal(SIGHUP)
        try await Self.waitFor("hark serve: reloaded ", in: server)
        #expect(server.process.output.contains("coin-flip"), "\(server.process.output)")
        let after = try await server.post("/v1/ask", json: ["text": "flip a coin"])
        #expect(try after.object()["skill"] as? String == "coin-flip", "\(after.text)")
        let health = try await server.send(.GET, "/healthz")
        #expect(try health.object()["configurationGeneration"] as? Int == 2)

        try "serve:\n  htp: 127.0.0.1:1\n".write(
            toFile: server.hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        server.process.signal(SIGHUP)
        try await Self.waitFor("reload failed", in: server)
        #expect(
            server.process.output.contains("\(server.hark.home)/config.yaml:2: unknown key 'serve.htp'"),
            "\(server.process.output)")
        let still = try await server.post("/v1/ask", json: ["text": "flip a coin"])
        #expect(try still.object()["skill"] as? String == "coin-flip", "\(still.text)")
        #expect(try await server.stop() == 0)
    }

    /// A request in flight when SIGHUP arrives finishes with the skills it started with: the old assistant is shut
    /// down (its exec skills stopped) only after its last request.
    @Test func aReloadLetsTheRequestsInFlightFinish() async throws {
        let hark = try HarkProcess()
        try HardeningCLITests.writeSkill("waiter", in: hark, program: Self.waiterProgram, extraManifest: "timeout: 120\n")
        let server = try await ServeHTTPServer.start(home: hark)
        let data = hark.home + "/skill-data/waiter"
        let pending = Task { try await server.post("/v1/ask", json: ["text": "relay from waiter"]) }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, !FileManager.default.fileExists(atPath: data + "/got") {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(FileManager.default.fileExists(atPath: data + "/got"), "\(server.process.errorOutput)")
        server.process.signal(SIGHUP)
        try await Self.waitFor("hark serve: reloaded ", in: server)
        #expect(FileManager.default.createFile(atPath: data + "/go", contents: Data()))
        let answer = try await pending.value
        #expect(try answer.object()["reply"] as? String == "finished.", "\(answer.text)")
        // The new generation's own skill process answers too.
        let again = try await server.post("/v1/ask", json: ["text": "relay from waiter"])
        #expect(try again.object()["reply"] as? String == "finished.", "\(again.text)")
        #expect(try await server.stop() == 0)
    }

    /// Requests that continue one session run in turn: "repeat" sent while the session's first request is still in
    /// its skill waits for it, and repeats its answer.
    @Test func requestsOfOneSessionRunInTurn() async throws {
        let hark = try HarkProcess()
        try HardeningCLITests.writeSkill("waiter", in: hark, program: Self.waiterProgram, extraManifest: "timeout: 120\n")
        let server = try await ServeHTTPServer.start(home: hark)
        let data = hark.home + "/skill-data/waiter"
        let first = Task { try await server.post("/v1/ask", json: ["text": "relay from waiter", "session": "one"]) }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, !FileManager.default.fileExists(atPath: data + "/got") {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(FileManager.default.fileExists(atPath: data + "/got"), "\(server.process.errorOutput)")
        let second = Task { try await server.post("/v1/ask", json: ["text": "say that again", "session": "one"]) }
        // Time for the second request to reach the server (were it not held, it would be answered meanwhile).
        try await Task.sleep(for: .seconds(1))
        // Another session is not held up.
        let other = try await server.post("/v1/ask", json: ["text": "add jam to my shopping list", "session": "two"])
        #expect(try other.object()["intent"] as? String == "AddItem")
        #expect(FileManager.default.createFile(atPath: data + "/go", contents: Data()))
        #expect(try await first.value.object()["reply"] as? String == "finished.")
        let repeated = try await second.value
        #expect(try repeated.object()["reply"] as? String == "finished.", "\(repeated.text)")
        #expect(try await server.stop() == 0)
    }

    /// An exec skill that, for each request, leaves `got` in its data folder and answers "finished." once `go` is
    /// there.
    static let waiterProgram = """
        import json, os, sys, time
        data = os.environ["HARK_SKILL_DATA"]
        for line in sys.stdin:
            event = json.loads(line)
            open(os.path.join(data, "got"), "w").close()
            while not os.path.exists(os.path.join(data, "go")):
                time.sleep(0.05)
            response = {"outputSpeech": {"type": "PlainText", "text": "finished."}, "shouldEndSession": True}
            print(json.dumps({"version": "1.0", "requestId": event["request"]["requestId"], "response": response}),
                  flush=True)
        """

    static func waitFor(_ text: String, in server: ServeHTTPServer) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, server.process.isRunning, !server.process.output.contains(text) {
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(server.process.output.contains(text), "\(server.process.output)\n\(server.process.errorOutput)")
    }

    /// A WAV of a quiet tone at `rate`.
    static func wav(rate: Int, seconds: Double) -> [UInt8]? {
        let count = Int(Double(rate) * seconds)
        let samples = (0..<count).map { Float(sin(Double($0) * 0.05) * 0.1) }
        return WAVFile.encode(WAVAudio(format: AudioFormat(sampleRate: rate, channels: 1), encoding: .pcm16, samples: samples))
    }
}
