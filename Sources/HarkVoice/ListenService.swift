import Foundation
import HarkAssistant
import HarkAudio
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// A chunk of microphone audio and whether Hark's reply was playing when it was captured.
struct CapturedChunk: Sendable {
    var audio: AudioChunk
    /// Taken when the read returned, not when the chunk is handled: a loop running behind the microphone must not
    /// take what was said after the reply for something said over it.
    var duringPlayback: Bool
}

/// Reads the microphone on a dedicated thread (ALSA reads block) in 100 ms chunks into a stream, until stopped;
/// then closes the device and finishes the stream.
struct MicrophoneReader: Sendable {
    let capture: AudioCapture
    let chunkSeconds: Double
    /// Whether a reply is playing now (asked as each chunk is captured).
    let playing: @Sendable () -> Bool

    /// Starts the reading thread; `finished` is called once with the error that stopped it, if any.
    func start(
        into chunks: AsyncStream<CapturedChunk>.Continuation, stop: StopFlag,
        finished: @escaping @Sendable ((any Error)?) -> Void
    ) {
        let playing = self.playing
        let capture = self.capture
        let frames = max(1, Int(chunkSeconds * Double(capture.format.sampleRate)))
        let thread = Thread {
            var failure: (any Error)?
            while !stop.isSet {
                do {
                    let audio = try capture.read(frames: frames)
                    chunks.yield(CapturedChunk(audio: audio, duringPlayback: playing()))
                } catch {
                    if !stop.isSet { failure = error }
                    break
                }
            }
            capture.close()
            chunks.finish()
            finished(failure)
        }
        thread.name = "hark.capture"
        thread.start()
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

/// The listening loop as one service: the microphone read on its own thread, the chunks through the
/// ``VoiceLoop``, replies to the player, each turn reported.
///
/// On graceful shutdown (SIGINT/SIGTERM through the `ServiceGroup`) it stops reading after the chunk in progress,
/// handles what was captured, waits for the reply being played and shuts the assistant down (skills finish their
/// writes). A capture error ends it with that error, after the same clean-up.
public struct ListenService: Service {
    private let microphone: MicrophoneReader
    private let loop: VoiceLoop
    private let player: ReplyPlayer?
    private let assistant: Assistant
    private let report: @Sendable (VoiceTurn) -> Void

    /// - Parameters:
    ///   - capture: the opened microphone (16 kHz mono).
    ///   - player: where replies are played; nil to play nothing (replies only go to files).
    ///   - report: called with every turn (the CLI prints it).
    public init(
        capture: AudioCapture, loop: VoiceLoop, player: ReplyPlayer?, assistant: Assistant,
        report: @escaping @Sendable (VoiceTurn) -> Void
    ) {
        microphone = MicrophoneReader(capture: capture, chunkSeconds: 0.1) { player?.isPlaying ?? false }
        self.loop = loop
        self.player = player
        self.assistant = assistant
        self.report = report
    }

    public func run() async throws {
        let (chunks, continuation) = AsyncStream<CapturedChunk>.makeStream()
        let stop = StopFlag()
        let failure = Mutex<(any Error)?>(nil)
        microphone.start(into: continuation, stop: stop) { error in failure.withLock { $0 = error } }
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                for await chunk in chunks {
                    for turn in await loop.hear(chunk.audio, speaking: chunk.duringPlayback) { deliver(turn) }
                }
            } onCancel: {
                stop.set()
            }
        } onGracefulShutdown: {
            stop.set()
        }
        for turn in await loop.finish() { deliver(turn) }
        await player?.waitUntilDone()
        await assistant.shutdown()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    private func deliver(_ turn: VoiceTurn) {
        if turn.stopsPlayback { player?.stop() }
        report(turn)
        if let audio = turn.audio { player?.play(audio) }
    }
}

/// `hark listen`'s service, run in a `ServiceGroup` that shuts it down gracefully on SIGINT and SIGTERM.
public enum Listener {
    /// Runs microphone → ``VoiceLoop`` → player until a signal arrives or the capture fails; returns after the
    /// reply in progress is finished and the assistant is shut down.
    public static func run(
        capture: AudioCapture, loop: VoiceLoop, player: ReplyPlayer?, assistant: Assistant, logger: Logger,
        report: @escaping @Sendable (VoiceTurn) -> Void
    ) async throws {
        let listen = ListenService(capture: capture, loop: loop, player: player, assistant: assistant, report: report)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: listen, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
