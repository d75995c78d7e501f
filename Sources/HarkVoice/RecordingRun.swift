import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech

/// How one recording is heard: whether the wake phrase is in it, the conversation and area it belongs to, and the
/// voice the reply is spoken with.
public struct RecordingRunOptions: Sendable {
    /// The recording holds a request said after the wake phrase, not the wake phrase itself.
    public var noWake = false
    /// Only a recording that starts with the wake phrase is heard.
    public var wakeRequired = false
    /// The conversation to continue (nil: a new one).
    public var session: String?
    /// The area the request comes from.
    public var area: String?
    /// The voice the reply is spoken with.
    public var voice = Voice()

    public init() {}
}

/// What one recording gave: the recognizer's transcript (nil when there was no speech), the assistant's reply,
/// the reply spoken, and milliseconds per stage.
public struct RecordingOutcome: Sendable {
    public var transcript: VoiceTranscript?
    public var reply: AssistantReply
    public var spoken: AudioChunk
    public var timings: [String: Double]
}

/// The whole voice pipeline on one recording, as `hark run` and `POST /v1/run` both run it: endpoint (from the first
/// speech to the last) → recognise while the speech is fed in 100 ms chunks, as the microphone loop does → understand,
/// dialog, skill → synthesise the reply.
///
/// The recognizer holds one utterance at a time: the caller must not run two recordings through one recognizer at
/// once.
public enum RecordingRun {
    /// Runs `audio` (already read; `readMilliseconds` is what reading it took) through `recognizer` and `assistant`.
    public static func run(
        _ audio: WAVAudio, readMilliseconds: Double, recognizer: VoiceRecognizer, assistant: Assistant,
        options: RecordingRunOptions
    ) async throws -> RecordingOutcome {
        let started = ContinuousClock.now
        var timings: [String: Double] = [:]
        var stage = ContinuousClock.now
        let wav = audio.speechChunk(converter: AudioConverter())
        timings["read"] = readMilliseconds + milliseconds(since: stage)

        let wake: RecordingWake = options.noWake ? .absent : options.wakeRequired ? .required : .optional
        let recognition = try await recognizer.recognizeRecording(wav, wake: wake)
        timings["endpoint"] = milliseconds(recognition.endpointing)
        let transcript = recognition.transcript
        let speechEnded = recognition.speechEnded
        if transcript != nil { timings["recognize"] = milliseconds(recognition.decoding) }

        let reply = await assistant.respond(
            to: transcript?.text ?? "", sessionID: options.session, area: options.area,
            misheard: transcript?.doubt != nil)
        for key in ["understand", "dialog", "skill"] { timings[key] = reply.timings[key] ?? 0 }

        stage = ContinuousClock.now
        let spoken = try await Synthesizer.shared.synthesize(reply.reply, voice: options.voice, ssml: reply.isSSML)
        timings["synthesize"] = milliseconds(since: stage)
        timings["afterSpeech"] = milliseconds(since: speechEnded)
        timings["total"] = milliseconds(since: started) + readMilliseconds
        return RecordingOutcome(transcript: transcript, reply: reply, spoken: spoken, timings: timings)
    }

    /// The JSON object of `hark run --json` (and `POST /v1/run`): the reply's fields (skill, intent, slots, reply,
    /// endSession…, its `confidence` renamed `understandingConfidence` and `alternatives` renamed
    /// `intentAlternatives`) with the recording's: input, speech, text, heardWakePhrase, confidence (the
    /// recognizer's), alternatives (n-best), doubt, firstPassText, valueConfidence, timings (read, endpoint, load on
    /// the first recording, recognize, understand, dialog, skill, synthesize, afterSpeech, total).
    public static func report(
        input: String, transcript: VoiceTranscript?, reply: AssistantReply, output: String?, timings: [String: Double]
    ) throws -> String {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(reply)) as? [String: Any] ?? [:]
        object["understandingConfidence"] = object.removeValue(forKey: "confidence")
        object["intentAlternatives"] = object.removeValue(forKey: "alternatives")
        object["input"] = input
        object["speech"] = transcript != nil
        object["text"] = reply.redaction ?? transcript?.text ?? ""
        object["heardWakePhrase"] = transcript?.heardWakePhrase ?? false
        if let wake = transcript?.wakeConfidence { object["wakeConfidence"] = (wake * 1000).rounded() / 1000 }
        object["confidence"] = ((transcript?.confidence ?? 0) * 1000).rounded() / 1000
        // The recognizer's other readings of a sensitive answer are as secret as the words.
        object["alternatives"] = reply.redaction == nil ? transcript?.alternatives ?? [] : []
        if let audio = transcript?.audioSeconds { object["audioSeconds"] = (audio * 1000).rounded() / 1000 }
        if let doubt = transcript?.doubt {
            object["doubt"] = ["reason": doubt.reason.rawValue, "competing": reply.redaction == nil ? doubt.competing : []]
        }
        if let firstPass = transcript?.firstPassText, reply.redaction == nil { object["firstPassText"] = firstPass }
        if let value = transcript?.valueConfidence { object["valueConfidence"] = (value * 1000).rounded() / 1000 }
        if let output { object["output"] = output }
        object["timings"] = timings.mapValues { ($0 * 1000).rounded() / 1000 }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        milliseconds(ContinuousClock.now - start)
    }

    private static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
