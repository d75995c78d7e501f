import HarkAudio
import HarkSkillKit
import HarkVoice
import Logging
import Metrics

/// One client connection's conversation with the server: the events it sent so far decide what the next ones mean.
///
/// - `describe` → `info`
/// - `transcribe`, `audio-start`, `audio-chunk`…, `audio-stop` → `transcript`
/// - `synthesize` → `audio-start`, `audio-chunk`…, `audio-stop`
/// - `recognize` → `intent` or `not-recognized`
/// - `transcript` → `handled` or `not-handled` (the dialog goes on per connection and `context.conversation_id`)
/// - `detect`, `audio-chunk`… → `detection` as soon as the wake phrase is heard; `not-detected` at `audio-stop` if it
///   never was
/// - `ping` → `pong`
///
/// A request it cannot act on gets an `error` event and the connection goes on; other event types are ignored, as
/// Wyoming services do.
public struct WyomingSession: Sendable {
    private let backend: any WyomingBackend
    private let logger: Logger
    private let converter = AudioConverter()
    /// The longest recording `transcribe` takes (seconds).
    public var maxRecordingSeconds = 60.0

    private enum Mode {
        case idle
        case transcribing(language: String?)
        case detecting(Endpointer, detected: Bool, streamTime: Double)
    }

    private var mode = Mode.idle
    private var format: AudioFormat?
    private var recording: [Int16] = []
    private var recordingFormat: AudioFormat?
    /// Assistant sessions by `context.conversation_id` ("" without one).
    private var sessions: [String: String] = [:]

    public init(backend: any WyomingBackend, logger: Logger) {
        self.backend = backend
        self.logger = logger
    }

    /// Acts on one event from the client; returns the events to send back, in order.
    public mutating func handle(_ event: WyomingEvent) async -> [WyomingEvent] {
        do {
            return try await respond(to: event)
        } catch let error as WyomingRequestError {
            logger.warning("Wyoming request refused", metadata: ["event": "\(event.type)", "error": "\(error)"])
            return [Self.error(error.message, code: "bad-request")]
        } catch {
            logger.error("Wyoming request failed", metadata: ["event": "\(event.type)", "error": "\(error)"])
            return [Self.error("\(event.type): \(error)", code: "failed")]
        }
    }

    /// An `error` event.
    public static func error(_ text: String, code: String) -> WyomingEvent {
        WyomingEvent(type: "error", data: ["text": .string(text), "code": .string(code)])
    }

    private mutating func respond(to event: WyomingEvent) async throws -> [WyomingEvent] {
        switch event.type {
        case "describe":
            return [await backend.info().event]
        case "ping":
            return [WyomingEvent(type: "pong", data: event.data["text"].map { ["text": $0] } ?? [:])]
        case "transcribe":
            mode = .transcribing(language: event.string("language"))
            recording = []
            recordingFormat = nil
            return []
        case "detect":
            mode = .detecting(Endpointer(), detected: false, streamTime: 0)
            return []
        case "audio-start":
            format = try WyomingAudio.format(of: event)
            return []
        case "audio-chunk":
            return try await audioChunk(event)
        case "audio-stop":
            return try await audioStop()
        case "synthesize":
            return try await synthesize(event)
        case "recognize":
            return try await recognize(event)
        case "transcript":
            return try await handleTranscript(event)
        default:
            logger.debug("Wyoming event ignored", metadata: ["event": "\(event.type)"])
            return []
        }
    }

    private mutating func audioChunk(_ event: WyomingEvent) async throws -> [WyomingEvent] {
        let chunkFormat = event.data["rate"] == nil ? format : try WyomingAudio.format(of: event)
        guard let chunkFormat else {
            throw WyomingRequestError("audio-chunk: no audio format (send audio-start, or rate/width/channels)")
        }
        let samples = try WyomingAudio.samples(of: event, format: chunkFormat)
        switch mode {
        case .idle:
            return []
        case .transcribing:
            if let recordingFormat, recordingFormat != chunkFormat {
                throw WyomingRequestError("audio-chunk: the format changed within one recording")
            }
            recordingFormat = chunkFormat
            recording += samples
            let seconds = Double(recording.count / chunkFormat.channels) / Double(chunkFormat.sampleRate)
            if seconds > maxRecordingSeconds {
                mode = .idle
                recording = []
                throw WyomingRequestError("transcribe: the recording is longer than \(Int(maxRecordingSeconds)) s")
            }
            return []
        case .detecting(var endpointer, let detected, let streamTime):
            let chunk = converter.toSpeechFormat(
                AudioChunk(samples: samples, format: chunkFormat, timestamp: streamTime))
            var events: [WyomingEvent] = []
            var heard = detected
            for happened in endpointer.process(
                AudioChunk(samples: chunk.samples, format: .speech, timestamp: streamTime))
            {
                if case .utterance(let utterance) = happened, try await wake(in: utterance) {
                    heard = true
                    events.append(await detection(at: utterance.speechStart))
                }
            }
            mode = .detecting(endpointer, detected: heard, streamTime: streamTime + chunk.duration)
            return events
        }
    }

    private mutating func audioStop() async throws -> [WyomingEvent] {
        defer {
            mode = .idle
            format = nil
        }
        switch mode {
        case .idle:
            return []
        case .transcribing(let language):
            let started = ContinuousClock.now
            let audio = converter.toSpeechFormat(
                AudioChunk(samples: recording, format: recordingFormat ?? .speech, timestamp: 0))
            recording = []
            Counter(label: "hark_requests_total", dimensions: [("entry", "wyoming_asr")]).increment()
            let text = try await backend.transcribe(audio, language: language)
            Timer(label: "hark_recognition_seconds", dimensions: [("entry", "wyoming_asr")])
                .recordNanoseconds(Self.nanoseconds(since: started))
            logger.info("Wyoming transcript", metadata: ["text": "\(text)", "audioSeconds": "\(audio.duration)"])
            return [WyomingEvent(type: "transcript", data: ["text": .string(text)])]
        case .detecting(var endpointer, let detected, _):
            var events: [WyomingEvent] = []
            var heard = detected
            if case .utterance(let utterance)? = endpointer.finish(), try await wake(in: utterance) {
                heard = true
                events.append(await detection(at: utterance.speechStart))
            }
            if !heard { events.append(WyomingEvent(type: "not-detected")) }
            return events
        }
    }

    private func wake(in utterance: Endpointer.Utterance) async throws -> Bool {
        let started = ContinuousClock.now
        Counter(label: "hark_requests_total", dimensions: [("entry", "wyoming_wake")]).increment()
        let heard = try await backend.hearsWakePhrase(in: utterance.audio)
        Timer(label: "hark_recognition_seconds", dimensions: [("entry", "wyoming_wake")])
            .recordNanoseconds(Self.nanoseconds(since: started))
        return heard
    }

    private func detection(at seconds: Double) async -> WyomingEvent {
        Counter(label: "hark_wake_detections_total", dimensions: [("entry", "wyoming_wake")]).increment()
        let name = await backend.wakeName()
        logger.info("Wyoming wake phrase detected", metadata: ["name": "\(name)", "at": "\(seconds)"])
        return WyomingEvent(
            type: "detection", data: ["name": .string(name), "timestamp": .number((seconds * 1000).rounded())])
    }

    private func synthesize(_ event: WyomingEvent) async throws -> [WyomingEvent] {
        guard let text = event.string("text") else { throw WyomingRequestError("synthesize: no \"text\"") }
        Counter(label: "hark_requests_total", dimensions: [("entry", "wyoming_tts")]).increment()
        let voice = event.data["voice"]?.objectValue?["name"]?.stringValue
        let audio = try await backend.synthesize(text, voice: voice)
        return WyomingAudio.events(for: audio)
    }

    private func recognize(_ event: WyomingEvent) async throws -> [WyomingEvent] {
        guard let text = event.string("text") else { throw WyomingRequestError("recognize: no \"text\"") }
        Counter(label: "hark_requests_total", dimensions: [("entry", "wyoming_intent")]).increment()
        var context = event.data["context"]?.objectValue
        guard let intent = await backend.recognize(text) else {
            var data: [String: JSONValue] = ["text": .string(text)]
            if let context { data["context"] = .object(context) }
            return [WyomingEvent(type: "not-recognized", data: data)]
        }
        context = (context ?? [:]).merging(intent.context) { _, ours in ours }
        var data: [String: JSONValue] = ["name": .string(intent.name), "text": .string(text)]
        data["entities"] = .array(
            intent.entities.map { .object(["name": .string($0.name), "value": $0.value]) })
        if let context, !context.isEmpty { data["context"] = .object(context) }
        return [WyomingEvent(type: "intent", data: data)]
    }

    private mutating func handleTranscript(_ event: WyomingEvent) async throws -> [WyomingEvent] {
        guard let text = event.string("text") else { throw WyomingRequestError("transcript: no \"text\"") }
        Counter(label: "hark_requests_total", dimensions: [("entry", "wyoming_handle")]).increment()
        let context = event.data["context"]?.objectValue
        let key = context?["conversation_id"]?.stringValue ?? ""
        let conversation = WyomingConversation(sessionID: sessions[key], area: context?["area"]?.stringValue)
        let handled = await backend.handle(text, conversation: conversation)
        sessions[key] = handled.sessionID
        var data: [String: JSONValue] = ["text": .string(handled.text)]
        if let context { data["context"] = .object(context) }
        return [WyomingEvent(type: handled.understood ? "handled" : "not-handled", data: data)]
    }

    static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }
}
