import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech
import Logging

/// Settings of the ``VoiceLoop``.
public struct VoiceLoopSettings: Sendable {
    /// After a reply that awaits an answer (or after the wake phrase alone), how long Hark listens for a
    /// follow-up without the wake phrase (seconds, counted from the end of the reply).
    public var followUpWindow: Double = 8
    /// The satellite's area, passed to the assistant ("turn on the light" means this room's light).
    public var area: String?
    /// The voice Hark answers with.
    public var voice: Voice = Voice()
    /// What Hark does after the wake phrase alone.
    public var acknowledgement: Acknowledgement = .tone
    /// When set, every spoken reply is also written to `reply-NNN.wav` in this folder.
    public var outputDirectory: String?
    /// Voice activity detection.
    public var endpointer = EndpointerSettings()
    /// Whether utterances are decoded while they are spoken (the recognizer is fed the endpointer's audio as it
    /// comes), leaving only the last block to decode at the end-point; otherwise the whole utterance is decoded then.
    public var decodesWhileSpeaking = true
    /// How timers and alarms ring (when the loop has an ``AlertSource``).
    public var ringing = RingSettings()

    /// Hark's answer to the wake phrase said alone.
    public enum Acknowledgement: Sendable, Equatable {
        /// A short tone (``Earcon/listening``).
        case tone
        /// These words, spoken ("yes?").
        case words(String)
    }

    public init() {}
}

/// What became of one utterance: what was heard, what Hark did, and the audio it wants played.
public struct VoiceTurn: Sendable {
    /// What Hark did with the utterance.
    public enum Outcome: Sendable, Equatable {
        /// Nothing: the reason (no wake phrase, nothing recognised, heard while Hark was talking).
        case ignored(String)
        /// The wake phrase alone: Hark acknowledged it and listens for the request.
        case woken
        /// The request was answered.
        case answered
        /// "Stop" or "cancel" while Hark was talking: playback must stop.
        case stopped
        /// The request failed (recognition or synthesis); the loop goes on.
        case failed(String)
        /// A timer or alarm rang: these words, after the chime (``Earcon/ring(format:)``), are in `audio`.
        case rang(String)
        /// Ringing stopped: why ("stop", or "time limit"; a snooze or a request with the wake phrase also ends it,
        /// and is answered).
        case ringEnded(String)
    }

    /// What Hark did.
    public var outcome: Outcome
    /// Stream time where speech started and ended (seconds).
    public var speechStart: Double
    public var speechEnd: Double
    /// The recognizer's reading, when it ran.
    public var transcript: VoiceTranscript?
    /// The assistant's answer, when it was asked.
    public var reply: AssistantReply?
    /// Audio to play now (the tone or the spoken reply), nil for none.
    public var audio: AudioChunk?
    /// The WAV file the reply was written to (`outputDirectory`).
    public var replyFile: String?
    /// A problem that did not stop the turn (e.g. the WAV file could not be written).
    public var problem: String?
    /// Milliseconds per stage after the end-point: `recognize`, `respond`, `synthesize`, `write`. When decoding
    /// while the person spoke, `recognize` is what was left to do at the end-point and `decodedWhileSpeaking` what
    /// was done before it.
    public var milliseconds: [String: Double] = [:]

    /// True when whatever Hark is saying must stop.
    public var stopsPlayback: Bool {
        switch outcome {
        case .stopped, .ringEnded: return true
        default: return false
        }
    }

    /// True for a turn of the ringing itself (a ring, or its time limit), not of something said.
    public var isRing: Bool {
        switch outcome {
        case .rang, .ringEnded: return transcript == nil
        default: return false
        }
    }

    /// Lines that tell a person what happened (`heard:`, `intent:`, `reply:`, `file:`).
    public var report: [String] {
        var lines: [String] = []
        if isRing, case .rang(let words) = outcome { return ["rang:   \(words)"] }
        if isRing, case .ringEnded(let why) = outcome { return ["ringing stopped (\(why))"] }
        let heard = transcript.map { t in
            // A sensitive answer (a purchase code) is shown as its label, never as the words.
            (t.heardWakePhrase ? "[wake] " : "") + (reply?.redaction ?? (t.text.isEmpty ? "(no request)" : t.text))
                + String(format: "  (confidence %.2f, %.0f ms)", t.confidence, t.decodeMilliseconds)
        }
        lines.append("heard:  " + (heard ?? "(not recognised)"))
        switch outcome {
        case .ignored(let reason): lines.append("        ignored: \(reason)")
        case .woken: lines.append("        woken: \(audio == nil ? "" : "acknowledged, ")listening for the request")
        case .stopped: lines.append("        stop: playback stopped")
        case .failed(let reason): lines.append("        failed: \(reason)")
        case .rang(let words): lines.append("        rang: \(words)")
        case .ringEnded(let why): lines.append("        ringing stopped (\(why))")
        case .answered: break
        }
        if let reply {
            let slots = reply.slots.keys.sorted().map { "\($0)=\(reply.slots[$0].map { "\($0)" } ?? "")" }
            lines.append("intent: \(reply.skill ?? "-")/\(reply.intent ?? "-") \(slots.joined(separator: " "))")
            lines.append("reply:  \(reply.reply)\(reply.endSession ? "" : "  (awaiting an answer)")")
        }
        if let replyFile { lines.append("file:   \(replyFile)") }
        if let problem { lines.append("        problem: \(problem)") }
        return lines
    }
}

/// The heart of `hark listen` and `hark demo`: audio in, answers out.
///
/// Receives 16 kHz mono audio (from the microphone or from synthesised requests), cuts it into utterances
/// with the ``Endpointer``, and for each one: recognises it (the wake phrase required unless a conversation is
/// open), asks the ``Assistant`` (one session per conversation), speaks the reply and hands back what to play.
/// A conversation stays open while the skill awaits an answer, until ``VoiceLoopSettings/followUpWindow``
/// passes after the reply. While Hark is talking, only "stop"/"cancel" are taken (barge-in). A failure in
/// one utterance is reported in its ``VoiceTurn`` and never ends the loop.
public actor VoiceLoop {
    private let recognizer: VoiceRecognizer
    private let assistant: Assistant
    private let settings: VoiceLoopSettings
    private let synthesizer: Synthesizer
    private let logger: Logger
    private var endpointer: Endpointer
    /// The utterance being decoded while it is spoken (``VoiceLoopSettings/decodesWhileSpeaking``).
    private var open: OpenUtterance?
    private var sessionID: String?
    private var listeningUntil: Double?
    /// The switch of the recognizer's grammar to the answers of the question just asked: made while the question is
    /// played (building a question's grammar takes up to a third of a second), awaited before the next utterance.
    private var answersGrammar: Task<Void, Never>?
    private var repliesWritten = 0
    /// Where timers and alarms that go off come from; nil: nothing rings.
    private let alerts: (any AlertSource)?
    private var ringing: Ringing

    /// Creates a loop around a recognizer and an assistant.
    /// - Parameter alerts: what rings while the loop listens (``VoiceLoopSettings/ringing``); nil for nothing.
    public init(
        recognizer: VoiceRecognizer, assistant: Assistant, settings: VoiceLoopSettings = VoiceLoopSettings(),
        alerts: (any AlertSource)? = nil, synthesizer: Synthesizer = .shared,
        logger: Logger = Logger(label: "hark.listen")
    ) {
        self.recognizer = recognizer
        self.assistant = assistant
        self.settings = settings
        self.alerts = alerts
        self.ringing = Ringing(settings: settings.ringing)
        self.synthesizer = synthesizer
        self.logger = logger
        self.endpointer = Endpointer(settings: settings.endpointer, streamsSpeech: settings.decodesWhileSpeaking)
    }

    /// An utterance the recognizer is decoding while it is spoken, and what was decided when it started.
    private struct OpenUtterance {
        var requireWake: Bool
        var speaking: Bool
        /// Why the stream cannot be finished (the recognizer failed to start or decode).
        var failure: String?
        var decodeMilliseconds = 0.0
    }

    /// True while a conversation is open: the next utterance needs no wake phrase.
    public var inConversation: Bool { listeningUntil != nil }

    /// True while a timer or alarm rings: "stop" (or its snooze intent) needs no wake phrase.
    public var isRinging: Bool { ringing.current != nil }

    /// Whether the next utterance needs the wake phrase.
    private func requiresWake(speaking: Bool) -> Bool { !speaking && listeningUntil == nil && !isRinging }

    /// Hears utterances that start before stream time `time` without the wake phrase, as in a conversation: for audio
    /// that follows a wake phrase detected elsewhere (a satellite that detects it itself streams only the request).
    public func listenWithoutWake(until time: Double) {
        listeningUntil = max(listeningUntil ?? time, time)
    }

    /// Feeds captured 16 kHz mono audio; returns a turn for every utterance that ended in it.
    /// - Parameter speaking: whether Hark's own reply was playing when the chunk was captured (then only
    ///   "stop"/"cancel" count, and an open conversation's follow-up window cannot close).
    public func hear(_ chunk: AudioChunk, speaking: Bool = false) async -> [VoiceTurn] {
        if speaking, let until = listeningUntil {
            // The follow-up window counts from the end of the reply as played, however late it started.
            listeningUntil = max(until, chunk.timestamp + chunk.duration + settings.followUpWindow)
        }
        var turns: [VoiceTurn] = []
        for event in endpointer.process(chunk) {
            if let turn = await take(event, speaking: speaking) { turns.append(turn) }
        }
        if let turn = await ring(at: chunk.timestamp + chunk.duration) { turns.append(turn) }
        return turns
    }

    /// Asks the ``AlertSource`` when a poll is due and rings what it has, again after each pause, until "stop", the
    /// alert's snooze intent, a request with the wake phrase, or ``RingSettings/limit``.
    private func ring(at time: Double) async -> VoiceTurn? {
        if let alerts, ringing.pollDue(at: time) {
            let due = await alerts.dueAlerts()
            if !due.isEmpty {
                let words = ringing.words(adding: due)
                do {
                    let spoken = try await synthesizer.synthesize(words, voice: settings.voice)
                    ringing.add(due, audio: Earcon.ring(then: spoken), at: time)
                } catch {
                    logger.error("cannot speak what rings", metadata: ["error": "\(error)"])
                    ringing.add(due, audio: Earcon.ring(format: .speech), at: time)
                }
            }
        }
        switch ringing.tick(at: time) {
        case .ring(let audio, let words)?:
            return VoiceTurn(outcome: .rang(words), speechStart: time, speechEnd: time, audio: audio)
        case .gaveUp?:
            return VoiceTurn(outcome: .ringEnded("time limit"), speechStart: time, speechEnd: time)
        case nil:
            return nil
        }
    }

    /// Ends the stream: an utterance still open is handled.
    public func finish() async -> [VoiceTurn] {
        guard let event = endpointer.finish(), let turn = await take(event, speaking: false) else { return [] }
        return [turn]
    }

    /// Acts on one endpointer event: starts, feeds or drops the decoding of an utterance while it is spoken, or
    /// handles an utterance that ended.
    private func take(_ event: Endpointer.Event, speaking: Bool) async -> VoiceTurn? {
        switch event {
        case .speechStarted(let time):
            guard settings.decodesWhileSpeaking else { return nil }
            if let until = listeningUntil, time > until { await endConversation() }
            await answersGrammarReady()
            var utterance = OpenUtterance(requireWake: requiresWake(speaking: speaking), speaking: speaking)
            let started = ContinuousClock.now
            do {
                try await recognizer.startUtterance(requireWake: utterance.requireWake)
            } catch {
                utterance.failure = "\(error)"
            }
            utterance.decodeMilliseconds += Self.milliseconds(since: started)
            open = utterance
        case .speechAudio(let audio):
            guard var utterance = open, utterance.failure == nil else { return nil }
            let started = ContinuousClock.now
            do {
                try await recognizer.feed(audio)
            } catch {
                utterance.failure = "\(error)"
            }
            utterance.decodeMilliseconds += Self.milliseconds(since: started)
            open = utterance
        case .speechDiscarded:
            open = nil
            await recognizer.cancelUtterance()
        case .utterance(let utterance):
            guard let streamed = open else { return await handle(utterance, speaking: speaking) }
            open = nil
            return await finishStream(utterance, streamed: streamed)
        }
        return nil
    }

    /// Handles one endpointed utterance, decoding it whole.
    public func handle(_ utterance: Endpointer.Utterance, speaking: Bool) async -> VoiceTurn {
        var turn = VoiceTurn(outcome: .ignored(""), speechStart: utterance.speechStart, speechEnd: utterance.speechEnd)
        if let until = listeningUntil, utterance.speechStart > until { await endConversation() }
        await answersGrammarReady()
        let requireWake = requiresWake(speaking: speaking)
        let started = ContinuousClock.now
        do {
            let transcript = try await recognizer.recognize(utterance.audio, requireWake: requireWake)
            turn.transcript = try await retryWithWake(
                transcript, utterance: utterance, requireWake: requireWake, speaking: speaking)
        } catch {
            return failed(turn, recognition: error)
        }
        turn.milliseconds["recognize"] = Self.milliseconds(since: started)
        return await respond(turn, utterance: utterance, requireWake: requireWake, speaking: speaking)
    }

    /// Handles an utterance decoded while it was spoken: the rest of its audio decoded, the stream ended.
    private func finishStream(_ utterance: Endpointer.Utterance, streamed: OpenUtterance) async -> VoiceTurn {
        var turn = VoiceTurn(outcome: .ignored(""), speechStart: utterance.speechStart, speechEnd: utterance.speechEnd)
        let started = ContinuousClock.now
        do {
            if let failure = streamed.failure {
                await recognizer.cancelUtterance()
                throw VoiceError.utteranceState(failure)
            }
            let samples = utterance.audio.samples
            if utterance.streamedSamples < samples.count {
                try await recognizer.feed(
                    AudioChunk(
                        samples: Array(samples[utterance.streamedSamples...]), format: .speech,
                        timestamp: utterance.audio.timestamp + Double(utterance.streamedSamples) / 16_000))
            }
            let transcript = try await recognizer.endUtterance()
            turn.transcript = try await retryWithWake(
                transcript, utterance: utterance, requireWake: streamed.requireWake, speaking: streamed.speaking)
        } catch {
            return failed(turn, recognition: error)
        }
        turn.milliseconds["recognize"] = Self.milliseconds(since: started)
        turn.milliseconds["decodedWhileSpeaking"] = streamed.decodeMilliseconds
        return await respond(turn, utterance: utterance, requireWake: streamed.requireWake, speaking: streamed.speaking)
    }

    /// In a conversation the person may still say the wake phrase first ("hey hark, turn on the light"): the request
    /// grammar has no wake phrase, so a reading it cannot make sense of is tried with it.
    private func retryWithWake(
        _ transcript: VoiceTranscript, utterance: Endpointer.Utterance, requireWake: Bool, speaking: Bool
    ) async throws -> VoiceTranscript {
        guard !requireWake && !speaking && !makesSense(transcript) else { return transcript }
        let woken = try await recognizer.recognize(utterance.audio, requireWake: true)
        return woken.heardWakePhrase ? woken : transcript
    }

    private func failed(_ turn: VoiceTurn, recognition error: any Error) -> VoiceTurn {
        var turn = turn
        turn.outcome = .failed("recognition: \(error)")
        logger.error("recognition failed", metadata: ["error": "\(error)"])
        return turn
    }

    /// What follows recognition: the wake rules, the assistant's answer, the reply spoken and written.
    private func respond(
        _ turn: VoiceTurn, utterance: Endpointer.Utterance, requireWake: Bool, speaking: Bool
    ) async -> VoiceTurn {
        var turn = turn
        guard let transcript = turn.transcript else { return turn }
        var speaking = speaking

        if isRinging, !transcript.text.isEmpty {
            if isStopOrCancel(transcript.text) {
                ringing.stop()
                turn.outcome = .ringEnded("stop")
                return turn
            }
            if let best = assistant.intentEngine.match(transcript.text).best,
                ringing.snoozes(intent: "\(best.skill)/\(best.intent)")
            {
                // Heard over the ring or between two: the snooze is answered, whatever was playing.
                ringing.stop()
                speaking = false
            } else if transcript.heardWakePhrase && !speaking {
                ringing.stop()
            } else {
                turn.outcome = .ignored("ringing: say stop")
                return turn
            }
        }
        if speaking {
            guard !transcript.text.isEmpty, isStopOrCancel(transcript.text) else {
                turn.outcome = .ignored("heard while Hark was talking")
                return turn
            }
            // Tell the dialog (it ends the session) but say nothing: the user asked for silence.
            turn.reply = await assistant.respond(to: transcript.text, sessionID: sessionID, area: settings.area)
            await endConversation()
            turn.outcome = .stopped
            return turn
        }
        if requireWake && !transcript.heardWakePhrase {
            turn.outcome = .ignored("no wake phrase")
            return turn
        }
        if transcript.text.isEmpty {
            guard transcript.heardWakePhrase else {
                turn.outcome = .ignored("nothing recognised")
                return turn
            }
            turn.outcome = .woken
            turn.audio = await acknowledgement()
            listeningUntil = utterance.speechEnd + (turn.audio?.duration ?? 0) + settings.followUpWindow
            return turn
        }

        let asked = ContinuousClock.now
        let reply = await assistant.respond(
            to: transcript.text, sessionID: sessionID, area: settings.area, misheard: transcript.doubt != nil)
        turn.milliseconds["respond"] = Self.milliseconds(since: asked)
        turn.reply = reply
        turn.outcome = .answered
        if reply.endSession {
            await endConversation()
        } else {
            sessionID = reply.sessionID
            answersGrammar = Task { await self.awaitAnswer(reply) }
        }
        if !reply.reply.isEmpty {
            let spoken = ContinuousClock.now
            do {
                turn.audio = try await synthesizer.synthesize(reply.reply, voice: settings.voice, ssml: reply.isSSML)
            } catch {
                turn.outcome = .failed("speaking the reply: \(error)")
                logger.error("synthesis failed", metadata: ["error": "\(error)"])
            }
            turn.milliseconds["synthesize"] = Self.milliseconds(since: spoken)
        }
        if !reply.endSession {
            listeningUntil = utterance.speechEnd + (turn.audio?.duration ?? 0) + settings.followUpWindow
        }
        if let audio = turn.audio, let folder = settings.outputDirectory {
            let written = ContinuousClock.now
            repliesWritten += 1
            let file = "\(folder)/reply-\(String(format: "%03d", repliesWritten)).wav"
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try WAVFile.write(audio, to: file)
                turn.replyFile = file
            } catch {
                turn.problem = "cannot write \(file): \(error)"
                logger.error("cannot write the reply", metadata: ["file": "\(file)", "error": "\(error)"])
            }
            turn.milliseconds["write"] = Self.milliseconds(since: written)
        }
        return turn
    }

    private func endConversation() async {
        sessionID = nil
        listeningUntil = nil
        await answersGrammarReady()
        await awaitAnswer(nil)
    }

    private func answersGrammarReady() async {
        guard let switching = answersGrammar else { return }
        answersGrammar = nil
        await switching.value
    }

    /// Lets the recognizer hear the answers to the question `reply` asked ("Which room?": "the kitchen"), or
    /// commands again (nil).
    private func awaitAnswer(_ reply: AssistantReply?) async {
        // A slot's value: the intent's sentences and its lists' values alone. Yes or no to a question, or the
        // skill's next request in a conversation it keeps open: the skill's sentences ("yes" and "no" are Hark's).
        var intent: String?
        if let reply, !reply.endSession {
            let questionSkill = reply.questionIntent?.split(separator: "/").first.map(String.init)
            if reply.awaitedSlot != nil {
                intent = reply.questionIntent
            } else if let skill = questionSkill ?? reply.skill {
                intent = "\(skill)/*"
            }
        }
        do {
            try await recognizer.expectAnswer(to: intent)
        } catch {
            logger.error("cannot switch the recognizer's grammar", metadata: ["error": "\(error)"])
        }
    }

    private func acknowledgement() async -> AudioChunk? {
        switch settings.acknowledgement {
        case .tone:
            return Earcon.listening
        case .words(let words):
            do {
                return try await synthesizer.synthesize(words, voice: settings.voice)
            } catch {
                logger.error("cannot speak the acknowledgement", metadata: ["error": "\(error)"])
                return Earcon.listening
            }
        }
    }

    /// Whether a reading can be acted on as it is: some words, a complete match, no doubt.
    private func makesSense(_ transcript: VoiceTranscript) -> Bool {
        !transcript.text.isEmpty && transcript.doubt == nil && assistant.intentEngine.match(transcript.text).best != nil
    }

    private func isStopOrCancel(_ text: String) -> Bool {
        guard let best = assistant.intentEngine.match(text).best else { return false }
        return best.skill == Assistant.builtinSkillID && (best.intent == "Stop" || best.intent == "Cancel")
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
