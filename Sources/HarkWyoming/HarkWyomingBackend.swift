import Foundation
import HarkAssistant
import HarkAudio
import HarkSkillKit
import HarkSpeech
import HarkUnderstanding
import HarkVoice
import Logging

/// What the Wyoming side needs of Hark's configuration.
public struct HarkWyomingSettings: Sendable {
    /// The wake phrase `detect` listens for and satellites are woken with.
    public var wakePhrase: String
    /// The voice replies are spoken with (and `synthesize` uses without a voice of its own).
    public var voice: Voice
    /// PocketSphinx's model files.
    public var speechModels: SpeechModelPaths

    public init(wakePhrase: String, voice: Voice, speechModels: SpeechModelPaths) {
        self.wakePhrase = wakePhrase
        self.voice = voice
        self.speechModels = speechModels
    }
}

/// The ``WyomingBackend`` over Hark itself: PocketSphinx with the active skills' grammar (``VoiceRecognizer``),
/// eSpeak NG (``Synthesizer``), and the ``Assistant``'s understanding, dialog and skills.
///
/// The recognizer is built on first use for the assistant in force and rebuilt when the assistant changes (a
/// configuration reload); one request at a time uses it, since it decodes one utterance at a time.
public final class HarkWyomingBackend: WyomingBackend {
    private let assistant: @Sendable () async -> Assistant
    private let settings: HarkWyomingSettings
    private let logger: Logger
    private let recognizers = RecognizerCache()
    private let recognizerInUse = AsyncExclusion()

    public init(assistant: @escaping @Sendable () async -> Assistant, settings: HarkWyomingSettings, logger: Logger) {
        self.assistant = assistant
        self.settings = settings
        self.logger = logger
    }

    /// Builds the recognizer now, so that the first request does not wait for it.
    public func prepare() async throws {
        _ = try await recognizer(for: await assistant())
    }

    public func wakeName() async -> String { settings.wakePhrase }

    public func info() async -> WyomingInfo {
        let cmu = WyomingInfo.Attribution(name: "CMU Sphinx", url: "https://github.com/cmusphinx/pocketsphinx")
        let espeak = WyomingInfo.Attribution(name: "eSpeak NG", url: "https://github.com/espeak-ng/espeak-ng")
        let hark = WyomingInfo.Attribution(name: "Hark", url: "https://github.com/hark/hark")
        let skills = await assistant().installedSkills
        var info = WyomingInfo()
        info.asr = [
            .init(
                name: "pocketsphinx", description: "PocketSphinx with a grammar of Hark's skills' sentences",
                attribution: cmu, version: nil,
                models: [
                    .init(
                        name: "hark-skills", description: "US English, the active skills' sentences", languages: ["en"],
                        attribution: cmu, version: nil)
                ])
        ]
        info.tts = [
            .init(
                name: "espeak-ng", description: "eSpeak NG", attribution: espeak, version: nil,
                models: await Synthesizer.shared.listVoices().map {
                    .init(name: $0, description: "eSpeak NG \($0)", languages: [$0], attribution: espeak, version: nil)
                })
        ]
        info.intent = [
            .init(
                name: "hark", description: "Hark's skills' intents", attribution: hark, version: nil,
                models: skills.map {
                    .init(
                        name: $0.id, description: $0.package.manifest.name, languages: ["en"], attribution: hark,
                        version: nil)
                })
        ]
        info.handle = [
            .init(
                name: "hark", description: "Hark's skills and dialog as a conversation agent", attribution: hark,
                version: nil,
                models: [
                    .init(
                        name: "hark", description: "Hark's skills and dialog", languages: ["en"], attribution: hark,
                        version: nil)
                ])
        ]
        info.wake = [
            .init(
                name: "hark-wake", description: "PocketSphinx with the wake phrase before the skills' sentences",
                attribution: cmu, version: nil,
                models: [
                    .init(
                        name: settings.wakePhrase, description: "The configured wake phrase", languages: ["en"],
                        attribution: cmu, version: nil, phrase: settings.wakePhrase)
                ])
        ]
        return info
    }

    public func transcribe(_ audio: AudioChunk, language: String?) async throws -> String {
        if let language, !language.lowercased().hasPrefix("en") {
            throw WyomingRequestError("transcribe: Hark recognizes English (en), not \(language)")
        }
        let recognition = try await withRecognizer { try await $0.recognizeRecording(audio, wake: .optional) }
        return recognition.transcript?.text ?? ""
    }

    public func synthesize(_ text: String, voice: String?) async throws -> AudioChunk {
        var chosen = settings.voice
        if let voice { chosen.name = voice }
        do {
            return try await Synthesizer.shared.synthesize(text, voice: chosen)
        } catch let error as SpeechError {
            throw WyomingRequestError("synthesize: \(error)")
        }
    }

    public func recognize(_ text: String) async -> WyomingIntent? {
        guard let best = await assistant().intentEngine.match(text).best else { return nil }
        let entities = best.slots.keys.sorted().compactMap { name -> (name: String, value: JSONValue)? in
            best.slots[name].map { (name, Self.plain($0)) }
        }
        return WyomingIntent(name: best.intent, entities: entities, context: ["skill": .string(best.skill)])
    }

    /// A slot's value as a Wyoming entity value: text as a string, a number as a number, a list of one value as that
    /// value and of several as an array, anything else (dates, times, durations…) as Hark writes it ("19:30").
    static func plain(_ slot: SlotValue) -> JSONValue {
        switch slot {
        case .text(let text): return .string(text)
        case .number(let number): return .number(number)
        case .list(let values) where values.count == 1: return plain(values[0])
        case .list(let values): return .array(values.map(plain))
        default: return .string(slot.description)
        }
    }

    public func handle(_ text: String, conversation: WyomingConversation) async -> WyomingHandled {
        let reply = await assistant().respond(to: text, sessionID: conversation.sessionID, area: conversation.area)
        logger.info(
            "Wyoming handled", metadata: ["skill": "\(reply.skill ?? "-")", "intent": "\(reply.intent ?? "-")"])
        return WyomingHandled(
            text: reply.reply, understood: !reply.fallback, sessionID: reply.endSession ? nil : reply.sessionID)
    }

    public func hearsWakePhrase(in utterance: AudioChunk) async throws -> Bool {
        try await withRecognizer { try await $0.recognize(utterance, requireWake: true) }.heardWakePhrase
    }

    /// Runs `body` with the recognizer of the assistant in force, no other request using it meanwhile.
    private func withRecognizer<T: Sendable>(_ body: (VoiceRecognizer) async throws -> T) async throws -> T {
        await recognizerInUse.acquire()
        do {
            let result = try await body(try await recognizer(for: await assistant()))
            await recognizerInUse.release()
            return result
        } catch {
            await recognizerInUse.release()
            throw error
        }
    }

    private func recognizer(for assistant: Assistant) async throws -> VoiceRecognizer {
        try await recognizers.recognizer(for: assistant) { [settings, logger] assistant in
            let started = ContinuousClock.now
            let recognizer = try await VoiceRecognizer(
                assistant: assistant, models: settings.speechModels, wakePhrase: settings.wakePhrase)
            logger.info("Wyoming recognizer ready", metadata: ["seconds": "\(ContinuousClock.now - started)"])
            return recognizer
        }
    }

    /// A voice loop for a satellite in `area` with its own recognizer (a satellite's conversation state is its own),
    /// and the assistant it answers with.
    public func makeVoiceLoop(area: String?) async throws -> (loop: VoiceLoop, assistant: Assistant) {
        let assistant = await assistant()
        let recognizer = try await VoiceRecognizer(
            assistant: assistant, models: settings.speechModels, wakePhrase: settings.wakePhrase)
        var loopSettings = VoiceLoopSettings()
        loopSettings.area = area
        loopSettings.voice = settings.voice
        var loopLogger = logger
        loopLogger[metadataKey: "area"] = "\(area ?? "-")"
        return (
            VoiceLoop(recognizer: recognizer, assistant: assistant, settings: loopSettings, logger: loopLogger),
            assistant
        )
    }

    /// The assistant in force (for a satellite to notice a reload).
    public func currentAssistant() async -> Assistant { await assistant() }
}

/// The recognizer built for the assistant in force, kept while that assistant is.
private actor RecognizerCache {
    private var current: (assistant: Assistant, build: Task<VoiceRecognizer, any Error>)?

    func recognizer(
        for assistant: Assistant, make: @escaping @Sendable (Assistant) async throws -> VoiceRecognizer
    ) async throws -> VoiceRecognizer {
        if let current, current.assistant === assistant { return try await current.build.value }
        let build = Task { try await make(assistant) }
        current = (assistant, build)
        do {
            return try await build.value
        } catch {
            // Built again on the next request (the models may have been installed meanwhile).
            if current?.build == build { current = nil }
            throw error
        }
    }
}

/// First come, first served exclusive access across tasks.
actor AsyncExclusion {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
