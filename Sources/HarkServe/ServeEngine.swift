import Foundation
import HarkAssistant
import HarkRuntime
import HarkSpeech
import HarkVoice
import Logging
import Synchronization

/// What `hark serve` answers with: the configuration and assistant in force, and the recognizer built from that
/// assistant's skills. SIGHUP replaces them (``reload()``); a request keeps the generation it started with, and the
/// old assistant is shut down once the last request using it ends.
///
/// The recognizer is built on the first `POST /v1/run` (building it from every skill's sentences takes seconds of
/// CPU, which a server that only answers text never pays) and holds one utterance at a time: ``withRecognizer(_:)``
/// queues the callers.
public actor ServeEngine {
    /// One configuration's assistant and recognizer.
    public struct Generation: Sendable {
        /// Counts up from 1 with each reload.
        public var number: Int
        public var environment: HarkEnvironment
        public var assistant: Assistant
    }

    /// How the recognizer stands.
    public enum RecognizerState: String, Sendable, Codable {
        case notLoaded = "not loaded", loading, ready, failed
    }

    private let load: @Sendable () throws -> HarkEnvironment
    private let devicesFile: String?
    private let logger: Logger
    private var current: Generation
    private var inFlight: [Int: Int] = [:]
    private var retired: [Int: Assistant] = [:]
    private var recognizer: (generation: Int, task: Task<VoiceRecognizer, any Error>)?
    private var recognizerState = RecognizerState.notLoaded
    private let lane = AsyncLock()
    private var stopped = false

    /// Reads the configuration with `load` and builds the assistant.
    /// - Parameter load: reads the configuration and paths (again on every reload), with the command's flags applied.
    public init(
        devicesFile: String? = nil, logger: Logger, load: @escaping @Sendable () throws -> HarkEnvironment
    ) throws {
        self.load = load
        self.devicesFile = devicesFile
        self.logger = logger
        let environment = try load()
        current = Generation(number: 1, environment: environment, assistant: try environment.makeAssistant(devicesFile: devicesFile))
    }

    /// The generation in force now (without holding it: for reading settings).
    public var generation: Generation { current }

    /// How the recognizer of the generation in force stands.
    public var recognizerStatus: RecognizerState {
        recognizer?.generation == current.number ? recognizerState : .notLoaded
    }

    /// Runs `body` with the generation in force; a reload meanwhile does not shut its assistant down under it.
    public func withGeneration<T: Sendable>(
        _ body: @Sendable (Generation) async throws -> T
    ) async throws -> T {
        let held = hold()
        defer { release(held.number) }
        return try await body(held)
    }

    /// Runs `body` with the generation in force and its recognizer, which nobody else uses meanwhile.
    public func withRecognizer<T: Sendable>(
        _ body: @Sendable (Generation, VoiceRecognizer) async throws -> T
    ) async throws -> T {
        await lane.lock()
        defer { lane.unlock() }
        let held = hold()
        defer { release(held.number) }
        let recognizer = try await recognizer(for: held)
        return try await body(held, recognizer)
    }

    /// Builds a new configuration and assistant and puts them in force; returns a line saying what was loaded.
    /// A failure (a malformed configuration, an unknown skill) leaves the current ones in force.
    public func reload() async throws -> String {
        let environment = try load()
        let assistant = try environment.makeAssistant(devicesFile: devicesFile)
        guard !stopped else {
            await assistant.shutdown()
            throw CancellationError()
        }
        let old = current
        current = Generation(number: old.number + 1, environment: environment, assistant: assistant)
        retired[old.number] = old.assistant
        if recognizer?.generation == old.number { recognizer = nil }
        await shutDownRetired()
        let ids = await assistant.installedSkills.map(\.id)
        return "reloaded \(environment.paths.configFile) and \(ids.count) skills (\(ids.joined(separator: ", ")))"
    }

    /// Shuts down every assistant (skills finish their writes); for the end of `hark serve`.
    public func shutdown() async {
        stopped = true
        retired[current.number] = current.assistant
        inFlight = [:]
        await shutDownRetired()
    }

    private func hold() -> Generation {
        inFlight[current.number, default: 0] += 1
        return current
    }

    private func release(_ number: Int) {
        inFlight[number, default: 1] -= 1
        if inFlight[number] == 0 { inFlight[number] = nil }
        if retired[number] != nil { Task { await shutDownRetired() } }
    }

    private func shutDownRetired() async {
        for (number, assistant) in retired where inFlight[number] == nil {
            retired[number] = nil
            await assistant.shutdown()
        }
    }

    private func recognizer(for generation: Generation) async throws -> VoiceRecognizer {
        if let recognizer, recognizer.generation == generation.number { return try await recognizer.task.value }
        let configuration = generation.environment.configuration
        let assistant = generation.assistant
        let logger = self.logger
        recognizerState = .loading
        logger.info("building the recognizer from the skills' sentences")
        let task = Task<VoiceRecognizer, any Error> {
            try await VoiceRecognizer(
                assistant: assistant, models: configuration.speechModels, wakePhrase: configuration.wakePhrase)
        }
        recognizer = (generation.number, task)
        do {
            let built = try await task.value
            if recognizer?.generation == generation.number { recognizerState = .ready }
            return built
        } catch {
            // The next request tries again (the models may have been installed meanwhile).
            if recognizer?.generation == generation.number {
                recognizer = nil
                recognizerState = .failed
            }
            logger.error("the recognizer could not be built", metadata: ["error": "\(error)"])
            throw RecognizerUnavailable(reason: "\(error)")
        }
    }
}

/// The recognizer could not be built (models missing, a grammar error): `/v1/run` answers 503.
public struct RecognizerUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "speech recognition is not available: \(reason)" }
}

/// A lock that waits without blocking a thread, first come first served.
final class AsyncLock: Sendable {
    private let state = Mutex<(held: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let taken = state.withLock { state -> Bool in
                if !state.held {
                    state.held = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if taken { continuation.resume() }
        }
    }

    /// Hands the lock to the next waiter, or frees it.
    func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// One lock per conversation: requests that continue the same session run one after the other (each reads the
/// session, answers and saves it; two at once would lose one's turn), while different sessions run side by side.
final class SessionLocks: Sendable {
    private let locks = Mutex<[String: (lock: AsyncLock, users: Int)]>([:])

    /// Runs `body` holding `session`'s lock (nil: a new session, no lock).
    func withLock<T: Sendable>(_ session: String?, _ body: () async throws -> T) async throws -> T {
        guard let session else { return try await body() }
        let lock = locks.withLock { locks -> AsyncLock in
            let entry = locks[session] ?? (AsyncLock(), 0)
            locks[session] = (entry.lock, entry.users + 1)
            return entry.lock
        }
        await lock.lock()
        defer {
            lock.unlock()
            locks.withLock { locks in
                if let entry = locks[session] {
                    locks[session] = entry.users > 1 ? (entry.lock, entry.users - 1) : nil
                }
            }
        }
        return try await body()
    }
}
