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

/// What `hark listen` runs after SIGHUP: the voice loop and assistant built afresh from the configuration
/// and the skill folders, and a line saying what was loaded.
public struct ReloadedListener: Sendable {
    public var loop: VoiceLoop
    public var assistant: Assistant
    public var summary: String

    public init(loop: VoiceLoop, assistant: Assistant, summary: String) {
        self.loop = loop
        self.assistant = assistant
        self.summary = summary
    }
}

/// How ``ListenService`` reloads on SIGHUP: `build` makes the new loop (it may throw, e.g. for a malformed
/// configuration: the old loop then goes on), `report` hears the outcome.
public struct ListenReload: Sendable {
    public var build: @Sendable () async throws -> ReloadedListener
    public var report: @Sendable (Result<String, any Error>) -> Void

    public init(
        build: @escaping @Sendable () async throws -> ReloadedListener,
        report: @escaping @Sendable (Result<String, any Error>) -> Void
    ) {
        self.build = build
        self.report = report
    }
}

/// A reload built in the background, waiting to be swapped in between two chunks.
final class ReloadMailbox: Sendable {
    private let state = Mutex<(running: Bool, ready: ReloadedListener?)>((false, nil))

    /// Starts `reload` unless one is already being built.
    func start(_ reload: ListenReload) {
        let starting = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            return true
        }
        guard starting else { return }
        Task {
            do {
                let built = try await reload.build()
                state.withLock { $0 = (false, built) }
            } catch {
                state.withLock { $0.running = false }
                reload.report(.failure(error))
            }
        }
    }

    /// The reload built, once.
    func take() -> ReloadedListener? {
        state.withLock { state in
            defer { state.ready = nil }
            return state.ready
        }
    }
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
///
/// With a ``ListenReload``, SIGHUP builds a new loop and assistant from the configuration and the skill folders
/// while the old ones go on listening; the new ones take over between two chunks (the old assistant's skills are
/// shut down). A reload that fails leaves the old ones running.
public struct ListenService: Service {
    private let microphone: MicrophoneReader
    private let loop: VoiceLoop
    private let player: ReplyPlayer?
    private let assistant: Assistant
    private let report: @Sendable (VoiceTurn) -> Void
    private let reload: ListenReload?
    private let hangups: UnixSignalsSequence?

    /// - Parameters:
    ///   - capture: the opened microphone (16 kHz mono).
    ///   - player: where replies are played; nil to play nothing (replies only go to files).
    ///   - report: called with every turn (the CLI prints it).
    ///   - reload: how to reload on SIGHUP; `hangups` must then be SIGHUP trapped (before the caller said it
    ///     is ready, so that a SIGHUP never finds the default action, which ends the process).
    public init(
        capture: AudioCapture, loop: VoiceLoop, player: ReplyPlayer?, assistant: Assistant,
        reload: ListenReload? = nil, hangups: UnixSignalsSequence? = nil,
        report: @escaping @Sendable (VoiceTurn) -> Void
    ) {
        microphone = MicrophoneReader(capture: capture, chunkSeconds: 0.1) { player?.isPlaying ?? false }
        self.loop = loop
        self.player = player
        self.assistant = assistant
        self.reload = reload
        self.hangups = hangups
        self.report = report
    }

    public func run() async throws {
        let (chunks, continuation) = AsyncStream<CapturedChunk>.makeStream()
        let stop = StopFlag()
        let failure = Mutex<(any Error)?>(nil)
        let mailbox = ReloadMailbox()
        let watcher: Task<Void, Never>? = reload.flatMap { reload in
            hangups.map { hangups in Task { for await _ in hangups { mailbox.start(reload) } } }
        }
        defer { watcher?.cancel() }
        microphone.start(into: continuation, stop: stop) { error in failure.withLock { $0 = error } }
        var loop = self.loop
        var assistant = self.assistant
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                for await chunk in chunks {
                    if let fresh = mailbox.take() {
                        for turn in await loop.finish() { deliver(turn) }
                        await assistant.shutdown()
                        (loop, assistant) = (fresh.loop, fresh.assistant)
                        reload?.report(.success(fresh.summary))
                    }
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
        if let fresh = mailbox.take() { await fresh.assistant.shutdown() }
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
    /// - Parameters:
    ///   - reload: what SIGHUP does (nil: SIGHUP is not trapped).
    ///   - ready: called once signals are trapped, just before listening starts.
    public static func run(
        capture: AudioCapture, loop: VoiceLoop, player: ReplyPlayer?, assistant: Assistant, logger: Logger,
        reload: ListenReload? = nil, ready: @Sendable () -> Void = {},
        report: @escaping @Sendable (VoiceTurn) -> Void
    ) async throws {
        let hangups = reload == nil ? nil : await UnixSignalsSequence(trapping: .sighup)
        let listen = ListenService(
            capture: capture, loop: loop, player: player, assistant: assistant, reload: reload, hangups: hangups,
            report: report)
        ready()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: listen, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
