import Foundation
import HarkAssistant
import HarkAudio
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Reads the microphone on a dedicated thread (ALSA reads block) in 100 ms chunks and passes them on.
///
/// On graceful shutdown (SIGINT/SIGTERM through the `ServiceGroup`) it stops after the read in progress,
/// closes the device and finishes the stream, so the ``ListenService`` drains what was captured.
public struct CaptureService: Service {
    private let capture: AudioCapture
    private let chunks: AsyncStream<AudioChunk>.Continuation
    private let chunkSeconds: Double

    /// Captures from an opened device into `chunks`.
    public init(capture: AudioCapture, chunks: AsyncStream<AudioChunk>.Continuation, chunkSeconds: Double = 0.1) {
        self.capture = capture
        self.chunks = chunks
        self.chunkSeconds = chunkSeconds
    }

    public func run() async throws {
        let stop = StopFlag()
        let capture = self.capture
        let chunks = self.chunks
        let frames = max(1, Int(chunkSeconds * Double(capture.format.sampleRate)))
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        var failure: (any Error)?
                        while !stop.isSet {
                            do {
                                chunks.yield(try capture.read(frames: frames))
                            } catch {
                                if !stop.isSet { failure = error }
                                break
                            }
                        }
                        capture.close()
                        chunks.finish()
                        if let failure { done.resume(throwing: failure) } else { done.resume() }
                    }
                    thread.name = "hark.capture"
                    thread.start()
                }
            } onCancel: {
                stop.set()
            }
        } onGracefulShutdown: {
            stop.set()
        }
    }
}

/// A flag one thread sets and another polls.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}

/// Plays replies on an ALSA playback device, one at a time, on its own thread, and can be stopped midway
/// (barge-in). Each reply opens the device afresh, so a `file`-plugin speaker writes one WAV per reply.
public final class ReplyPlayer: Sendable {
    /// The ALSA playback device.
    public let device: String
    private let logger: Logger
    private let state = Mutex(PlayerState())

    private struct PlayerState {
        var playing = false
        var generation = 0
        var stopped = false
    }

    /// A player for `device`; nothing is opened until the first reply.
    public init(device: String, logger: Logger) {
        self.device = device
        self.logger = logger
    }

    /// True while a reply is being played.
    public var isPlaying: Bool { state.withLock { $0.playing } }

    /// Stops what is playing (if anything) and plays `audio` in its place.
    public func play(_ audio: AudioChunk) {
        let generation = state.withLock { state -> Int in
            state.generation += 1
            state.stopped = false
            state.playing = true
            return state.generation
        }
        let device = self.device
        let logger = self.logger
        let thread = Thread {
            let current = { self.state.withLock { !$0.stopped && $0.generation == generation } }
            do {
                let playback = try AudioPlayback(device: device, format: audio.format)
                defer { playback.close() }
                let slice = max(1, audio.format.sampleRate / 10) * audio.format.channels
                var offset = 0
                while offset < audio.samples.count, current() {
                    let end = min(audio.samples.count, offset + slice)
                    try playback.write(AudioChunk(samples: Array(audio.samples[offset..<end]), format: audio.format))
                    offset = end
                }
                if current() { try playback.drain() }
            } catch {
                logger.error("cannot play the reply", metadata: ["device": "\(device)", "error": "\(error)"])
            }
            self.state.withLock { if $0.generation == generation { $0.playing = false } }
        }
        thread.name = "hark.playback"
        thread.start()
    }

    /// Stops the reply being played after the 100 ms slice in progress.
    public func stop() {
        state.withLock { $0.stopped = true }
    }

    /// Waits (up to `timeout` seconds) for the reply in progress to finish.
    public func waitUntilDone(timeout: Double = 30) async {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while isPlaying, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }
}

/// The listening loop as a service: captured chunks through the ``VoiceLoop``, replies to the player, each
/// turn reported. It ends when the capture stream ends (shutdown), then finishes the reply in progress and
/// shuts the assistant down.
public struct ListenService: Service {
    private let loop: VoiceLoop
    private let chunks: AsyncStream<AudioChunk>
    private let player: ReplyPlayer?
    private let assistant: Assistant
    private let report: @Sendable (VoiceTurn) -> Void

    /// - Parameters:
    ///   - player: where replies are played; nil to play nothing (replies only go to files).
    ///   - report: called with every turn (the CLI prints it).
    public init(
        loop: VoiceLoop, chunks: AsyncStream<AudioChunk>, player: ReplyPlayer?, assistant: Assistant,
        report: @escaping @Sendable (VoiceTurn) -> Void
    ) {
        self.loop = loop
        self.chunks = chunks
        self.player = player
        self.assistant = assistant
        self.report = report
    }

    public func run() async throws {
        for await chunk in chunks {
            for turn in await loop.hear(chunk, speaking: player?.isPlaying ?? false) { deliver(turn) }
        }
        for turn in await loop.finish() { deliver(turn) }
        await player?.waitUntilDone()
        await assistant.shutdown()
    }

    private func deliver(_ turn: VoiceTurn) {
        if turn.stopsPlayback { player?.stop() }
        report(turn)
        if let audio = turn.audio { player?.play(audio) }
    }
}

/// `hark listen`'s services, run in one `ServiceGroup` that shuts down gracefully on SIGINT and SIGTERM.
public enum Listener {
    /// Runs capture → ``VoiceLoop`` → player until a signal arrives or the capture fails; returns after the
    /// reply in progress is finished and the assistant is shut down.
    public static func run(
        capture: AudioCapture, loop: VoiceLoop, player: ReplyPlayer?, assistant: Assistant, logger: Logger,
        report: @escaping @Sendable (VoiceTurn) -> Void
    ) async throws {
        let (chunks, continuation) = AsyncStream<AudioChunk>.makeStream()
        let listen = ListenService(loop: loop, chunks: chunks, player: player, assistant: assistant, report: report)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: listen, successTerminationBehavior: .gracefullyShutdownGroup),
                    // Last in the list, so the first to be told to shut down: the loop drains what it captured.
                    .init(service: CaptureService(capture: capture, chunks: continuation),
                          successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
