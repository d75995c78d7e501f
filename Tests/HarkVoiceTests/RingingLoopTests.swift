import ClockSkill
import Foundation
import HarkAssistant
import HarkAudio
import HarkSkillKit
import HarkSpeech
import HarkVoice
import Testing

/// Issue 19: a timer or alarm that goes off rings in the ``VoiceLoop`` (the chime and its words, again after each
/// pause) until "stop" said without the wake phrase, "snooze" for an alarm, or the time limit. The real clock skill on
/// a real SQLite file, the real recogniser on eSpeak audio; the clock is injected (one assistant sets the timer, a
/// second one on the same file, later, is Hark still listening), and the ringing runs on stream time, so a minute of
/// ringing takes as long as decoding it.
@Suite(.serialized) struct RingingLoopTests {
    struct Fixture {
        var loop: VoiceLoop
        var assistant: Assistant
        var folder: String
        var clock = 0.0

        /// Sets things with the clock at `setAt` (each text asked once), then listens with the clock at `listenAt`.
        init(setting requests: [String], at setAt: String, listeningAt listenAt: String, limit: Double = 300)
            async throws
        {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-ring-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let setter = try Self.assistant(folder: folder, now: setAt)
            for request in requests {
                let reply = await setter.respond(to: request)
                #expect(reply.skill == "clock" && reply.skillError == nil, "\(request): \(reply.reply)")
            }
            await setter.shutdown()
            assistant = try Self.assistant(folder: folder, now: listenAt)
            let recognizer = try await VoiceRecognizer(engine: assistant.intentEngine)
            var settings = VoiceLoopSettings()
            settings.ringing.pause = 2
            settings.ringing.limit = limit
            loop = VoiceLoop(recognizer: recognizer, assistant: assistant, settings: settings, alerts: assistant)
        }

        static func assistant(folder: String, now: String) throws -> Assistant {
            let database = try HarkDatabase(path: folder + "/hark.sqlite")
            var options = AssistantOptions(dataDirectory: folder)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            options.clock = FixedClock(ISO8601DateFormatter().date(from: now)!, calendar: calendar)
            options.variation = .first
            options.statisticalFallback = false
            let clock = InstalledSkill(
                package: try SkillPackage.load(folder: ClockSkill.folder, variation: .first),
                handler: try ClockSkill(database: database.pool), origin: "built-in")
            return try Assistant(skills: [clock], database: database, options: options)
        }

        /// Speaks `text` (after half a second of silence), then `silenceAfter` seconds of silence.
        /// Says `text` into the loop; the wake phrase in eSpeak's en-us+f2 voice (``ListenLoopTests/wakeVoice``).
        mutating func say(_ text: String, voice: String = "en-us", silenceAfter: Double = 1) async throws -> [VoiceTurn] {
            var samples = [Int16](repeating: 0, count: 8_000)
            samples += try await Synthesizer.shared.synthesizeForRecognition(text, voice: Voice(name: voice)).samples
            return try await feed(samples + silence(silenceAfter))
        }

        func silence(_ seconds: Double) -> [Int16] { [Int16](repeating: 0, count: Int(seconds * 16_000)) }

        mutating func feed(_ samples: [Int16]) async throws -> [VoiceTurn] {
            var turns: [VoiceTurn] = []
            for offset in stride(from: 0, to: samples.count, by: 1_600) {
                let chunk = AudioChunk(
                    samples: Array(samples[offset..<min(samples.count, offset + 1_600)]), format: .speech,
                    timestamp: clock)
                clock += chunk.duration
                turns += await loop.hear(chunk)
            }
            return turns
        }

        func finish() async {
            await assistant.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static func rings(_ turns: [VoiceTurn]) -> [String] {
        turns.compactMap { if case .rang(let words) = $0.outcome { words } else { nil } }
    }

    @Test func aDueTimerRingsUntilStopAndThenRequestsAreAnswered() async throws {
        var fixture = try await Fixture(
            setting: ["set a pasta timer for 5 minutes"], at: "2026-01-01T10:00:00Z", listeningAt: "2026-01-01T10:05:02Z")
        let waiting = try await fixture.feed(fixture.silence(14))
        let rings = Self.rings(waiting)
        // Each ring is the chime and the words (about 2 s) with 2 s between: 3 or 4 in 14 s.
        #expect(rings.count >= 3 && rings.allSatisfy { $0 == "Your pasta timer is done." }, "\(waiting.map(\.report))")
        let ring = try #require(waiting.first?.audio)
        let chime = Earcon.ring(format: ring.format)
        #expect(Array(ring.samples.prefix(chime.samples.count)) == chime.samples)
        #expect(ring.duration > chime.duration + 1, "the words follow the chime")
        #expect(await fixture.loop.isRinging)

        let stop = try await fixture.say("stop")
        #expect(stop.map(\.outcome) == [.ringEnded("stop")], "\(stop.map(\.report))")
        #expect(stop.first?.stopsPlayback == true)
        #expect(Self.rings(try await fixture.feed(fixture.silence(8))).isEmpty, "it rang again after stop")

        // Requests need the wake phrase again, and are answered; the timer was said once, so not before the reply.
        let ignored = try await fixture.say("what time is it")
        #expect(ignored.map(\.outcome) == [.ignored("no wake phrase")], "\(ignored.map(\.report))")
        let asked = try await fixture.say("hey hark, what time is it", voice: ListenLoopTests.wakeVoice)
        #expect(asked.first?.reply?.reply == "It's 10:05 AM.", "\(asked.map(\.report))")
        await fixture.finish()
    }

    @Test func ringingNobodyAnswersStopsAtTheTimeLimit() async throws {
        var fixture = try await Fixture(
            setting: ["set a timer for 1 minute"], at: "2026-01-01T10:00:00Z", listeningAt: "2026-01-01T10:01:00Z",
            limit: 8)
        let turns = try await fixture.feed(fixture.silence(20))
        let outcomes = turns.map(\.outcome)
        #expect(Self.rings(turns).count >= 2 && Self.rings(turns).allSatisfy { $0 == "Your 1 minute timer is done." })
        #expect(outcomes.last == .ringEnded("time limit"), "\(turns.map(\.report))")
        #expect(outcomes.filter { $0 == .ringEnded("time limit") }.count == 1)
        let limit = try #require(turns.last)
        #expect(limit.speechStart >= 8 && limit.speechStart < 9.5, "gave up at \(limit.speechStart) s")
        #expect(await !fixture.loop.isRinging)
        await fixture.finish()
    }

    @Test func snoozeSaidWhileAnAlarmRingsSnoozesIt() async throws {
        var fixture = try await Fixture(
            setting: ["set an alarm for 7 am"], at: "2026-01-01T10:00:00Z", listeningAt: "2026-01-02T07:00:00Z")
        let waiting = try await fixture.feed(fixture.silence(3))
        #expect(Self.rings(waiting) == ["It's 7 AM, your alarm."], "\(waiting.map(\.report))")
        let snooze = try await fixture.say("snooze")
        let reply = try #require(snooze.first?.reply, "\(snooze.map(\.report))")
        #expect(reply.intent == "Snooze")
        #expect(reply.reply == "Okay, snoozing your 7 AM alarm for 9 minutes, until 7:09 AM.")
        #expect(snooze.first?.audio != nil, "the snooze is answered aloud")
        #expect(Self.rings(try await fixture.feed(fixture.silence(6))).isEmpty, "it rang again after the snooze")
        await fixture.finish()
    }
}
