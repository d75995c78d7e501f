import Foundation
import HarkAudio
import Testing

/// `POST /v1/run` on a recording eSpeak NG made: heard, understood and answered as `hark run --json` does, or spoken
/// back as WAV. A voice test (the server builds the skills' recognizer): scripts/test.sh runs it in the voice phase.
@Suite(.serialized) struct ServeHTTPVoiceTests {
    @Test func aRecordingIsAnsweredAsJSONAndAsSpeech() async throws {
        let server = try await ServeHTTPServer.start()
        let say = try server.hark.run(["say", "add milk to my shopping list", "--voice", "en-us+f2", "-o", "a.wav"])
        #expect(say.status == 0, "\(say.stderr)")
        let recording = Array(try Data(contentsOf: URL(fileURLWithPath: server.hark.home + "/a.wav")))

        let run = try await server.send(.POST, "/v1/run?session=voice-1", body: recording, headers: [("Content-Type", "audio/wav")])
        #expect(run.status == 200, "\(run.text)")
        #expect(run.contentType.hasPrefix("application/json"))
        let result = try run.object()
        #expect((result["text"] as? String)?.hasPrefix("add milk") == true, "\(result["text"] ?? "")")
        #expect(result["skill"] as? String == "shopping")
        #expect(result["intent"] as? String == "AddItem")
        #expect(result["session"] as? String == "voice-1")
        #expect(result["speech"] as? Bool == true)
        #expect(result["input"] as? String == "request")
        let timings = try #require(result["timings"] as? [String: Double])
        for stage in ["read", "endpoint", "recognize", "understand", "dialog", "skill", "synthesize", "total"] {
            #expect(timings[stage] != nil, "no \(stage) timing")
        }
        let document = try ServeHTTPOpenAPITests.Document.load()
        let operation = try #require(document.operations.first { $0.path == "/v1/run" }).operation
        #expect(ServeHTTPOpenAPITests.check(run, operation, in: document).isEmpty, "\(ServeHTTPOpenAPITests.check(run, operation, in: document))")

        // The same object as `hark run --json` (but `load`, which the server pays once, not per request; and
        // `output`, a file the server does not write).
        let cli = try HarkProcess().run(["run", "--input", server.hark.home + "/a.wav", "--json"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        #expect(Set(printed.keys) == Set(result.keys), "\(printed.keys.sorted()) vs \(result.keys.sorted())")
        for key in ["text", "skill", "intent", "speech", "heardWakePhrase"] {
            #expect("\(printed[key] ?? "nil")" == "\(result[key] ?? "nil")", "\(key)")
        }
        #expect(Set((printed["timings"] as? [String: Double] ?? [:]).keys).subtracting(["load"]) == Set(timings.keys))

        // With Accept: audio/wav, the reply spoken.
        let spoken = try await server.send(
            .POST, "/v1/run?wake=optional", body: recording, headers: [("Accept", "audio/wav")])
        #expect(spoken.status == 200, "\(spoken.text.prefix(300))")
        #expect(spoken.contentType == "audio/wav")
        let audio = try WAVFile.read(data: spoken.body, name: "reply")
        #expect(audio.duration > 0.5)

        // A recording of silence: no speech, Hark's "nothing heard" answer, not an error.
        let silence = WAVFile.encode(
            WAVAudio(format: .speech, encoding: .pcm16, samples: [Float](repeating: 0, count: 16_000)))
        let quiet = try await server.send(.POST, "/v1/run", body: silence)
        #expect(quiet.status == 200, "\(quiet.text)")
        #expect(try quiet.object()["speech"] as? Bool == false)

        let list = try await server.post("/v1/ask", json: ["text": "what is on my shopping list"])
        #expect((try list.object()["reply"] as? String)?.lowercased().contains("milk") == true, "\(list.text)")
        let health = try await server.send(.GET, "/healthz")
        #expect(try health.object()["recognizer"] as? String == "ready")
        let metrics = try await server.send(.GET, "/metrics")
        #expect(metrics.text.contains(#"hark_requests_total{entry="http_run"} 3"#), "\(metrics.text)")
        #expect(metrics.text.contains(#"hark_recognition_seconds_count{entry="http_run"} 2"#), "\(metrics.text)")
        #expect(try await server.stop() == 0)
    }
}
