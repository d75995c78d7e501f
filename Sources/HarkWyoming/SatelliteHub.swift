import HarkAudio
import HarkSkillKit
import HarkVoice
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A `wyoming-satellite` Hark is the hub for: where it listens, and the room it is in.
public struct SatelliteEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The area requests from it are about ("turn on the lights in here"), nil for none.
    public var area: String?

    public init(host: String, port: Int, area: String?) {
        self.host = host
        self.port = port
        self.area = area
    }

    /// `tcp://HOST:PORT`.
    public var uri: String { "tcp://\(host):\(port)" }
}

/// A satellite's state, for health reports.
public struct SatelliteStatus: Sendable, Equatable {
    public var endpoint: SatelliteEndpoint
    /// True while Hark is connected to it.
    public var connected: Bool
    /// Why the last connection failed or ended, nil when none did.
    public var lastError: String?
}

/// How long to wait before connecting again to a satellite that refused or dropped the connection: doubling from
/// `initial` up to `maximum`, back to `initial` after a connection that worked.
public struct SatelliteBackoff: Sendable, Equatable {
    public var initial: Duration = .seconds(1)
    public var maximum: Duration = .seconds(30)

    public init() {}
}

/// Hark as the hub of `wyoming-satellite` devices, as Home Assistant is: connects to each satellite, sends
/// `run-satellite`, and runs the pipelines it asks for (`run-pipeline`) on the audio it streams.
///
/// A satellite without its own wake detection streams all the time and asks for `wake` → `tts`: Hark listens for
/// the wake phrase and the request in the stream (``VoiceLoop``), and answers with `detection`, `transcript`,
/// `synthesize` and the reply's audio (`audio-start`, `audio-chunk`…, `audio-stop`, in the satellite's `snd_format`
/// when it gave one), then goes on listening. One that detects the wake phrase itself asks for `asr` → `tts` after it:
/// the request needs no wake phrase, and after the `transcript` Hark waits for the next `run-pipeline`. Requests use
/// the satellite's area. Each satellite has its own connection, recognizer and conversation; one that disconnects or
/// refuses is retried (``SatelliteBackoff``) and the others go on.
public final class SatelliteHub: Service, Sendable {
    /// A satellite's voice loop and the identity of the assistant it was built for (the loop holds that assistant,
    /// so the identity is not reused while the loop lives).
    public typealias Voice = (loop: VoiceLoop, assistant: ObjectIdentifier)

    private let satellites: [SatelliteEndpoint]
    private let makeVoice: @Sendable (String?) async throws -> Voice
    private let currentAssistant: @Sendable () async -> ObjectIdentifier
    private let wakeName: String
    private let backoff: SatelliteBackoff
    private let logger: Logger
    private let states: Mutex<[SatelliteStatus]>

    /// - Parameters:
    ///   - makeVoice: builds a voice loop for a satellite's area (its recognizer takes a while to build).
    ///   - currentAssistant: the identity of the assistant in force; a satellite's loop is rebuilt when it changes (a
    ///     reload).
    public init(
        satellites: [SatelliteEndpoint], wakeName: String, backoff: SatelliteBackoff = SatelliteBackoff(),
        logger: Logger, makeVoice: @escaping @Sendable (String?) async throws -> Voice,
        currentAssistant: @escaping @Sendable () async -> ObjectIdentifier
    ) {
        self.satellites = satellites
        self.wakeName = wakeName
        self.backoff = backoff
        self.logger = logger
        self.makeVoice = makeVoice
        self.currentAssistant = currentAssistant
        states = Mutex(satellites.map { SatelliteStatus(endpoint: $0, connected: false, lastError: nil) })
    }

    /// Every satellite's state, in configuration order.
    public func statuses() -> [SatelliteStatus] { states.withLock { $0 } }

    public func run() async throws {
        Gauge(label: "hark_satellites_connected").record(0)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for index in self.satellites.indices {
                    group.addTask { await self.keepConnected(index) }
                }
            }
        }
        logger.notice("satellite hub stopped")
    }

    private func update(_ index: Int, connected: Bool, error: String?) {
        let count = states.withLock { states in
            states[index].connected = connected
            if let error { states[index].lastError = error } else if connected { states[index].lastError = nil }
            return states.filter(\.connected).count
        }
        Gauge(label: "hark_satellites_connected").record(count)
    }

    /// Connects to one satellite again and again until cancelled.
    private func keepConnected(_ index: Int) async {
        let endpoint = satellites[index]
        var logger = self.logger
        logger[metadataKey: "satellite"] = "\(endpoint.uri)"
        var delay = backoff.initial
        var voice: Voice?
        while !Task.isCancelled {
            var worked = false
            do {
                try await connect(endpoint, index: index, voice: &voice, worked: &worked, logger: logger)
                update(index, connected: false, error: "the satellite closed the connection")
                logger.warning("satellite disconnected")
            } catch {
                let problem = Self.describe(error)
                update(index, connected: false, error: problem)
                if !Task.isCancelled { logger.warning("satellite unavailable", metadata: ["error": "\(problem)"]) }
            }
            if worked { delay = backoff.initial }
            guard !Task.isCancelled else { break }
            logger.info("connecting to the satellite again", metadata: ["in": "\(delay)"])
            do { try await Task.sleep(for: delay) } catch { break }
            delay = min(delay * 2, backoff.maximum)
        }
    }

    /// A connection failure as a person reads it in `/healthz` ("cannot connect: … Connection refused (errno: 111)").
    static func describe(_ error: any Error) -> String {
        if let failure = error as? NIOConnectionError {
            if let first = failure.connectionErrors.first { return "cannot connect: \(first.error)" }
            if let dns = failure.dnsAError ?? failure.dnsAAAAError { return "cannot find \(failure.host): \(dns)" }
        }
        if case .connectTimeout? = error as? ChannelError {
            return "cannot connect: no answer within 10 s"
        }
        return "\(error)"
    }

    private func connect(
        _ endpoint: SatelliteEndpoint, index: Int, voice: inout Voice?, worked: inout Bool, logger: Logger
    ) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(WyomingEventDecoder()), MessageToByteHandler(WyomingEventEncoder()),
                    ])
                    return try NIOAsyncChannel<WyomingEvent, WyomingEvent>(wrappingChannelSynchronously: channel)
                }
            }
        try await withTaskCancellationHandler {
            try await channel.executeThenClose { inbound, outbound in
                update(index, connected: true, error: nil)
                worked = true
                logger.notice("satellite connected", metadata: ["area": "\(endpoint.area ?? "-")"])
                try await outbound.write(WyomingEvent(type: "run-satellite"))
                var pipeline = SatellitePipeline(wakeName: wakeName, logger: logger)
                // When the assistant was last compared with the loop's (a satellite that streams all the time asks
                // for one pipeline per connection, so a reload is also looked for while it streams, once a second).
                var checked: ContinuousClock.Instant?
                for try await event in inbound {
                    let due = checked.map { ContinuousClock.now - $0 > .seconds(1) } ?? true
                    if event.type == "run-pipeline" || (event.type == "audio-chunk" && pipeline.isRunning && due) {
                        checked = ContinuousClock.now
                        let assistant = await currentAssistant()
                        if voice?.assistant != assistant {
                            logger.info("building the satellite's recognizer")
                            voice = try await makeVoice(endpoint.area)
                            if let loop = voice?.loop { await pipeline.restart(with: loop) }
                        }
                    }
                    guard let loop = voice?.loop else { continue }
                    for reply in await pipeline.handle(event, loop: loop) { try await outbound.write(reply) }
                }
            }
        } onCancel: {
            channel.channel.close(promise: nil)
        }
    }
}

/// One satellite connection's pipeline: which stages run, where the stream is, and what to send back.
struct SatellitePipeline {
    private enum Stage: String {
        case wake, asr, intent, handle, tts
    }

    private let wakeName: String
    private let logger: Logger
    private let converter = AudioConverter()
    private var start: Stage?
    private var end: Stage = .tts
    private var sound: AudioFormat?
    private var format: AudioFormat?
    /// Seconds of audio received on this connection.
    private var streamTime = 0.0
    /// Until when (stream time) the satellite is playing Hark's reply.
    private var speakingUntil = 0.0
    /// How long a request may take to start after a wake phrase detected on the satellite (seconds).
    private let requestWindow = 8.0

    init(wakeName: String, logger: Logger) {
        self.wakeName = wakeName
        self.logger = logger
    }

    /// True while a pipeline runs (between `run-pipeline` and its end).
    var isRunning: Bool { start != nil }

    /// Goes on with a new loop (the assistant was reloaded): a request expected without the wake phrase still is.
    func restart(with loop: VoiceLoop) async {
        if start == .asr { await loop.listenWithoutWake(until: streamTime + requestWindow) }
    }

    mutating func handle(_ event: WyomingEvent, loop: VoiceLoop) async -> [WyomingEvent] {
        switch event.type {
        case "run-pipeline":
            return await runPipeline(event, loop: loop)
        case "audio-start":
            do {
                format = try WyomingAudio.format(of: event)
            } catch {
                return [WyomingSession.error(error.message, code: "bad-request")]
            }
            return []
        case "audio-chunk":
            guard start != nil else { return [] }
            do {
                let chunkFormat = event.data["rate"] == nil ? format : try WyomingAudio.format(of: event)
                guard let chunkFormat else { throw WyomingRequestError("audio-chunk: no audio format") }
                let samples = try WyomingAudio.samples(of: event, format: chunkFormat)
                let chunk = converter.toSpeechFormat(
                    AudioChunk(samples: samples, format: chunkFormat, timestamp: streamTime))
                let speaking = streamTime < speakingUntil
                streamTime += chunk.duration
                var out: [WyomingEvent] = []
                for turn in await loop.hear(chunk, speaking: speaking) { out += await events(for: turn) }
                return out
            } catch {
                logger.warning("satellite audio refused", metadata: ["error": "\(error)"])
                return [WyomingSession.error("\(error)", code: "bad-request")]
            }
        case "audio-stop":
            guard start != nil else { return [] }
            var out: [WyomingEvent] = []
            for turn in await loop.finish() { out += await events(for: turn) }
            start = nil
            return out
        case "ping":
            return [WyomingEvent(type: "pong", data: event.data["text"].map { ["text": $0] } ?? [:])]
        case "error":
            logger.warning("the satellite reported an error", metadata: ["text": "\(event.string("text") ?? "")"])
            return []
        default:
            return []
        }
    }

    private mutating func runPipeline(_ event: WyomingEvent, loop: VoiceLoop) async -> [WyomingEvent] {
        guard let first = event.string("start_stage").flatMap(Stage.init), first == .wake || first == .asr,
            let last = event.string("end_stage").flatMap(Stage.init), last == .handle || last == .tts
        else {
            let stages = "\(event.string("start_stage") ?? "?") → \(event.string("end_stage") ?? "?")"
            logger.warning("satellite pipeline refused", metadata: ["stages": "\(stages)"])
            return [
                WyomingSession.error(
                    "run-pipeline: Hark runs pipelines from wake or asr to handle or tts, not \(stages)",
                    code: "bad-request")
            ]
        }
        start = first
        end = last
        if let snd = event.data["snd_format"]?.objectValue {
            let formatEvent = WyomingEvent(type: "snd_format", data: snd)
            sound = try? WyomingAudio.format(of: formatEvent)
        }
        if first == .asr { await loop.listenWithoutWake(until: streamTime + requestWindow) }
        logger.info("satellite pipeline", metadata: ["start": "\(first.rawValue)", "end": "\(last.rawValue)"])
        return []
    }

    private mutating func events(for turn: VoiceTurn) async -> [WyomingEvent] {
        var out: [WyomingEvent] = []
        let detection = WyomingEvent(
            type: "detection",
            data: ["name": .string(wakeName), "timestamp": .number((turn.speechStart * 1000).rounded())])
        switch turn.outcome {
        case .woken:
            Counter(label: "hark_wake_detections_total", dimensions: [("entry", "satellite")]).increment()
            logger.info("satellite heard the wake phrase")
            out.append(detection)
        case .answered:
            Counter(label: "hark_requests_total", dimensions: [("entry", "satellite")]).increment()
            if let recognize = turn.milliseconds["recognize"] {
                Timer(label: "hark_recognition_seconds", dimensions: [("entry", "satellite")])
                    .recordNanoseconds(Int64(recognize * 1_000_000))
            }
            if turn.transcript?.heardWakePhrase == true {
                Counter(label: "hark_wake_detections_total", dimensions: [("entry", "satellite")]).increment()
                out.append(detection)
            }
            let text = turn.reply?.redaction ?? turn.transcript?.text ?? ""
            out.append(WyomingEvent(type: "transcript", data: ["text": .string(text)]))
            let reply = turn.reply?.reply ?? ""
            logger.notice(
                "satellite request answered",
                metadata: [
                    "heard": "\(text)", "skill": "\(turn.reply?.skill ?? "-")",
                    "intent": "\(turn.reply?.intent ?? "-")",
                    "reply": "\(reply)",
                ])
            if end == .tts, let audio = turn.audio {
                out.append(WyomingEvent(type: "synthesize", data: ["text": .string(reply)]))
                let played = sound.map { converter.convert(audio, to: $0) } ?? audio
                out += WyomingAudio.events(for: played)
                speakingUntil = streamTime + audio.duration
            }
            if start == .asr { start = nil }
        case .failed(let reason):
            logger.error("satellite request failed", metadata: ["reason": "\(reason)"])
            out.append(WyomingSession.error(reason, code: "failed"))
            if start == .asr {
                out.append(WyomingEvent(type: "transcript", data: ["text": .string("")]))
                start = nil
            }
        case .ignored, .stopped, .rang, .ringEnded:  // a satellite's loop has no alert source: nothing rings
            if start == .asr {
                // The satellite goes back to its own wake detection on a transcript.
                out.append(WyomingEvent(type: "transcript", data: ["text": .string("")]))
                start = nil
            }
        }
        return out
    }
}
