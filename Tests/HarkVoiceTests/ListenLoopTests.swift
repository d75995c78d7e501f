import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech
import HarkVoice
import Testing

/// The ``VoiceLoop`` on eSpeak-spoken audio with the real recogniser and an assistant with Hark's own intents:
/// wake phrase required, the tone after the wake phrase alone, follow-ups without it, barge-in.
@Suite(.serialized) struct ListenLoopTests {
    /// The voice that says the wake phrase: en-us+f5's "hey hark" rates 0.65–0.9 against free phones, like real
    /// people's wake words (at least 0.5 in 291 of 300); most of eSpeak's voices rate it below the minimum of 0.5
    /// (en-us 0.03–0.13, en-us+f2 0.26–0.54, en+m3 0–0.2).
    static let wakeVoice = "en-us+f5"

    struct Fixture {
        var loop: VoiceLoop
        var assistant: Assistant
        var folder: String
        var clock = 0.0

        init(followUp: Double = 8, decodesWhileSpeaking: Bool = true) async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-loop-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            assistant = try Assistant(
                skills: [], database: HarkDatabase(path: folder + "/hark.sqlite"),
                options: AssistantOptions(dataDirectory: folder))
            let recognizer = try await VoiceRecognizer(engine: assistant.intentEngine)
            var settings = VoiceLoopSettings()
            settings.outputDirectory = folder + "/replies"
            settings.followUpWindow = followUp
            settings.decodesWhileSpeaking = decodesWhileSpeaking
            loop = VoiceLoop(recognizer: recognizer, assistant: assistant, settings: settings)
        }

        /// Speaks `text`, feeds it with silence around it in 100 ms chunks, returns the turns.
        mutating func say(_ text: String, voice: String = "en-us", speaking: Bool = false, silenceAfter: Double = 1)
            async throws -> [VoiceTurn]
        {
            var samples = [Int16](repeating: 0, count: 8_000)
            samples += try await Synthesizer.shared.synthesizeForRecognition(text, voice: Voice(name: voice)).samples
            samples += [Int16](repeating: 0, count: Int(silenceAfter * 16_000))
            return try await feed(samples, speaking: speaking)
        }

        mutating func feed(_ samples: [Int16], speaking: Bool = false) async throws -> [VoiceTurn] {
            var turns: [VoiceTurn] = []
            var offset = 0
            while offset < samples.count {
                let end = min(samples.count, offset + 1_600)
                let chunk = AudioChunk(samples: Array(samples[offset..<end]), format: .speech, timestamp: clock)
                clock += chunk.duration
                turns += await loop.hear(chunk, speaking: speaking)
                offset = end
            }
            return turns
        }

        func finish() async {
            await assistant.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    @Test func aRequestWithTheWakePhraseIsAnsweredAndWrittenToAFile() async throws {
        var fixture = try await Fixture()
        let turns = try await fixture.say("hey hark, what can you do", voice: Self.wakeVoice)
        let turn = try #require(turns.first, "no utterance found")
        #expect(turns.count == 1)
        #expect(turn.outcome == .answered, "\(turn.report)")
        #expect(turn.transcript?.heardWakePhrase == true)
        #expect(turn.reply?.intent == "Help")
        let file = try #require(turn.replyFile)
        #expect(try WAVFile.read(path: file).duration > 0.5)
        #expect(turn.audio != nil)
        await fixture.finish()
    }

    @Test func decodingWhileSpeakingHearsWhatDecodingAtTheEndHears() async throws {
        var streaming = try await Fixture()
        var whole = try await Fixture(decodesWhileSpeaking: false)
        let requests = [("hey hark, what can you do", Self.wakeVoice), ("what can you do", "en-us"), ("hey hark", "en-us")]
        for (text, voice) in requests {
            // The same samples for both (eSpeak's output differs by a few samples from one call to the next).
            var samples = [Int16](repeating: 0, count: 8_000)
            samples += try await Synthesizer.shared.synthesizeForRecognition(text, voice: Voice(name: voice)).samples
            samples += [Int16](repeating: 0, count: 16_000)
            let streamed = try #require(try await streaming.feed(samples).first)
            let decoded = try #require(try await whole.feed(samples).first)
            #expect(streamed.outcome == decoded.outcome, "\(streamed.report) vs \(decoded.report)")
            let a = try #require(streamed.transcript)
            let b = try #require(decoded.transcript)
            #expect(a.text == b.text && a.heardWakePhrase == b.heardWakePhrase, "\(a) vs \(b)")
            #expect(
                a.confidence == b.confidence && a.wakeConfidence == b.wakeConfidence && a.doubt == b.doubt,
                "\(a) vs \(b)")
            #expect(a.audioSeconds == b.audioSeconds)
            // Most of the decoding happened before the end-point.
            #expect(streamed.milliseconds["decodedWhileSpeaking"] != nil)
            #expect(decoded.milliseconds["decodedWhileSpeaking"] == nil)
        }
        await streaming.finish()
        await whole.finish()
    }

    @Test func withoutTheWakePhraseNothingHappens() async throws {
        var fixture = try await Fixture()
        let turns = try await fixture.say("what can you do", voice: "en-us+f2")
        let turn = try #require(turns.first)
        #expect(turn.outcome == .ignored("no wake phrase"), "\(turn.report)")
        #expect(turn.reply == nil && turn.audio == nil && turn.replyFile == nil)
        await fixture.finish()
    }

    @Test func theWakePhraseAloneGivesTheToneThenTheRequestNeedsNoWakePhrase() async throws {
        var fixture = try await Fixture()
        let woken = try #require(try await fixture.say("hey hark", voice: Self.wakeVoice).first)
        #expect(woken.outcome == .woken, "\(woken.report)")
        #expect(woken.audio == Earcon.listening)
        #expect(await fixture.loop.inConversation)
        let request = try #require(try await fixture.say("what can you do").first)
        #expect(request.outcome == .answered, "\(request.report)")
        #expect(request.reply?.intent == "Help")
        await fixture.finish()
    }

    @Test func theFollowUpWindowCloses() async throws {
        var fixture = try await Fixture(followUp: 1)
        #expect(try await fixture.say("hey hark", voice: Self.wakeVoice).first?.outcome == .woken)
        _ = try await fixture.feed([Int16](repeating: 0, count: 32_000))
        let late = try #require(try await fixture.say("what can you do").first)
        #expect(late.outcome == .ignored("no wake phrase"), "\(late.report)")
        await fixture.finish()
    }

    @Test func theFollowUpWindowCountsFromTheEndOfALateReply() async throws {
        var fixture = try await Fixture(followUp: 1)
        #expect(try await fixture.say("hey hark", voice: Self.wakeVoice).first?.outcome == .woken)
        // The tone played late and long (a busy machine): 2 s of the microphone captured while it played.
        _ = try await fixture.feed([Int16](repeating: 0, count: 32_000), speaking: true)
        let request = try #require(try await fixture.say("what can you do", silenceAfter: 0.6).first)
        #expect(request.outcome == .answered, "\(request.report)")
        await fixture.finish()
    }

    @Test func stopWhileHarkTalksStopsPlaybackAndOtherSpeechIsIgnored() async throws {
        var fixture = try await Fixture()
        let other = try #require(try await fixture.say("what can you do", speaking: true).first)
        #expect(other.outcome == .ignored("heard while Hark was talking"), "\(other.report)")
        #expect(!other.stopsPlayback)
        let stop = try #require(try await fixture.say("stop talking", voice: "en-us", speaking: true).first)
        #expect(stop.stopsPlayback, "\(stop.report)")
        #expect(stop.audio == nil)
        await fixture.finish()
    }
}
