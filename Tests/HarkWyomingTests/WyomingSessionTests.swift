import Foundation
import HarkAudio
import HarkSkillKit
import Logging
import Synchronization
import Testing

@testable import HarkWyoming

/// A backend that records what the session asked of it and answers from its arguments (no speech engines).
final class RecordingBackend: WyomingBackend {
    let calls = Mutex<[String]>([])
    let recordings = Mutex<[AudioChunk]>([])

    func info() async -> WyomingInfo { WyomingInfo() }
    func wakeName() async -> String { "hey test" }
    func transcribe(_ audio: AudioChunk, language: String?) async throws -> String {
        recordings.withLock { $0.append(audio) }
        return "\(audio.samples.count) samples"
    }
    func synthesize(_ text: String, voice: String?) async throws -> AudioChunk {
        AudioChunk(samples: [Int16](repeating: 1000, count: 3000), format: AudioFormat(sampleRate: 22050))
    }
    func recognize(_ text: String) async -> WyomingIntent? {
        text == "nothing" ? nil : WyomingIntent(name: "Echo", entities: [("words", .string(text))], context: [:])
    }
    func handle(_ text: String, conversation: WyomingConversation) async -> WyomingHandled {
        calls.withLock { $0.append("\(text)|\(conversation.sessionID ?? "new")|\(conversation.area ?? "-")") }
        return WyomingHandled(
            text: "reply to \(text)", understood: text != "huh", sessionID: text == "bye" ? nil : "s-\(text)")
    }
    func hearsWakePhrase(in utterance: AudioChunk) async throws -> Bool { utterance.duration > 0.3 }
}

struct WyomingSessionTests {
    let logger = Logger(label: "test")

    private func chunk(_ samples: [Int16], rate: Int = 16000) -> WyomingEvent {
        WyomingEvent(
            type: "audio-chunk", data: ["rate": .number(Double(rate)), "width": .number(2), "channels": .number(1)],
            payload: WyomingAudio.bytes(of: samples[...]))
    }

    @Test func transcribeCollectsTheChunksAndConvertsTo16kHz() async throws {
        let backend = RecordingBackend()
        var session = WyomingSession(backend: backend, logger: logger)
        #expect(await session.handle(WyomingEvent(type: "transcribe")) == [])
        _ = await session.handle(
            WyomingEvent(
                type: "audio-start", data: ["rate": .number(32000), "width": .number(2), "channels": .number(1)]))
        for _ in 0..<4 { #expect(await session.handle(chunk([Int16](repeating: 5, count: 8000), rate: 32000)) == []) }
        let reply = await session.handle(WyomingEvent(type: "audio-stop"))
        #expect(reply == [WyomingEvent(type: "transcript", data: ["text": .string("16000 samples")])])
        #expect(backend.recordings.withLock { $0.first?.format } == .speech)
    }

    @Test func badRequestsGetAnErrorAndTheSessionGoesOn() async throws {
        var session = WyomingSession(backend: RecordingBackend(), logger: logger)
        let eightBit = await session.handle(
            WyomingEvent(
                type: "audio-start", data: ["rate": .number(16000), "width": .number(1), "channels": .number(1)]))
        #expect(eightBit.first?.type == "error")
        #expect(eightBit.first?.string("text")?.contains("width 1") == true)
        #expect(
            await session.handle(WyomingEvent(type: "synthesize")).first?.string("text") == "synthesize: no \"text\"")
        #expect(await session.handle(WyomingEvent(type: "no-such-event")) == [])
        let spoken = await session.handle(WyomingEvent(type: "synthesize", data: ["text": .string("hi")]))
        #expect(spoken.map(\.type) == ["audio-start", "audio-chunk", "audio-chunk", "audio-chunk", "audio-stop"])
        #expect(
            await session.handle(WyomingEvent(type: "ping", data: ["text": .string("x")])) == [
                WyomingEvent(type: "pong", data: ["text": .string("x")])
            ])
    }

    @Test func handleKeepsADialogPerConversation() async throws {
        let backend = RecordingBackend()
        var session = WyomingSession(backend: backend, logger: logger)
        func say(_ text: String, _ conversation: String? = nil) async -> WyomingEvent? {
            var data: [String: JSONValue] = ["text": .string(text)]
            if let conversation {
                data["context"] = .object(["conversation_id": .string(conversation), "area": .string("Hall")])
            }
            return await session.handle(WyomingEvent(type: "transcript", data: data)).first
        }
        #expect(await say("a")?.type == "handled")
        #expect(await say("b")?.string("text") == "reply to b")
        #expect(await say("c", "other")?.data["context"]?.objectValue?["conversation_id"] == .string("other"))
        #expect(await say("bye") != nil)
        #expect(await say("huh")?.type == "not-handled")
        #expect(backend.calls.withLock { $0 } == ["a|new|-", "b|s-a|-", "c|new|Hall", "bye|s-b|-", "huh|new|-"])
    }

    @Test func recognizeAnswersIntentOrNotRecognized() async throws {
        var session = WyomingSession(backend: RecordingBackend(), logger: logger)
        let intent = await session.handle(WyomingEvent(type: "recognize", data: ["text": .string("hello there")]))
        #expect(intent.first?.type == "intent")
        #expect(intent.first?.string("name") == "Echo")
        #expect(
            intent.first?.data["entities"]
                == .array([.object(["name": .string("words"), "value": .string("hello there")])]))
        let none = await session.handle(WyomingEvent(type: "recognize", data: ["text": .string("nothing")]))
        #expect(none == [WyomingEvent(type: "not-recognized", data: ["text": .string("nothing")])])
    }

    /// Wake detection works on utterances the endpointer cuts from the stream: speech (a tone) after silence is
    /// reported as it ends; silence alone is `not-detected` at `audio-stop`.
    @Test func detectReportsTheWakePhraseAsItIsHeard() async throws {
        var session = WyomingSession(backend: RecordingBackend(), logger: logger)
        _ = await session.handle(WyomingEvent(type: "detect"))
        let silence = [Int16](repeating: 0, count: 1600)
        let tone = (0..<1600).map { Int16(8000 * sin(Double($0) * 2 * .pi * 440 / 16000)) }
        var events: [WyomingEvent] = []
        for _ in 0..<10 { events += await session.handle(chunk(silence)) }
        for _ in 0..<8 { events += await session.handle(chunk(tone)) }
        for _ in 0..<10 { events += await session.handle(chunk(silence)) }
        #expect(events.map(\.type) == ["detection"])
        #expect(events.first?.string("name") == "hey test")
        #expect((events.first?.integer("timestamp") ?? 0) >= 900)
        #expect(await session.handle(WyomingEvent(type: "audio-stop")) == [])

        _ = await session.handle(WyomingEvent(type: "detect"))
        for _ in 0..<10 { _ = await session.handle(chunk(silence)) }
        #expect(await session.handle(WyomingEvent(type: "audio-stop")) == [WyomingEvent(type: "not-detected")])
    }
}
