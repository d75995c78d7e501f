import Foundation
import HarkSpeech

/// Whether an utterance decoded with the wake grammar really began with the wake phrase.
///
/// The wake grammar forces the wake phrase onto whatever was said; two tests tell a real one from a forced one:
/// the wake words' confidence (``VoiceRecognizerOptions/minimumWakeConfidence``), and, below
/// ``VoiceRecognizerOptions/certainWakeConfidence``, whether the wake grammar explained the audio better than the
/// request grammar, which has no wake phrase (the same audio, so the path scores compare).
struct WakeCheck: Sendable {
    /// The wake phrase as words.
    let wakeWords: [String]
    let minimumConfidence: Double
    let certainConfidence: Double

    /// The verdict on one decoded utterance.
    struct Verdict {
        /// The request after the wake phrase ("" when the wake phrase does not count).
        var text: String
        var heardWake: Bool
        /// The wake words' confidence, when the decoder put the wake phrase first.
        var confidence: Double?
    }

    /// Splits the wake phrase off the front of a decoded text.
    func split(_ decoded: String) -> (text: String, heardWake: Bool) {
        let words = decoded.split(separator: " ").map(String.init)
        guard !wakeWords.isEmpty, words.count >= wakeWords.count, Array(words.prefix(wakeWords.count)) == wakeWords
        else { return (words.joined(separator: " "), false) }
        return (words.dropFirst(wakeWords.count).joined(separator: " "), true)
    }

    /// Judges `transcript`'s wake phrase.
    /// - Parameters:
    ///   - requireWake: whether the utterance was decoded with the wake grammar (Hark idle).
    ///   - unwoken: the request grammar's transcript of the same audio, decoded only when the comparison is needed.
    func judge(_ transcript: Transcript, requireWake: Bool, unwoken: () async throws -> Transcript) async throws
        -> Verdict
    {
        var (text, heardWake) = split(transcript.text)
        guard heardWake else { return Verdict(text: text, heardWake: false) }
        let wakeTimings = transcript.words.prefix(wakeWords.count)
        // The geometric mean of the words' confidences: the phone loop rates single words erratically (a real
        // "hark" from eSpeak scored 0.08–0.43, a forced one 4e-6), the phrase as a whole separates better.
        let logSum = wakeTimings.map { log(max(1e-12, $0.confidence ?? 0)) }.reduce(0, +)
        let confidence = exp(logSum / Double(max(1, wakeTimings.count)))
        if confidence < minimumConfidence {
            heardWake = false
            text = ""
        } else if requireWake && confidence < certainConfidence {
            let request = try await unwoken()
            if !request.text.isEmpty && request.score > transcript.score {
                heardWake = false
                text = ""
            }
        }
        return Verdict(text: text, heardWake: heardWake, confidence: confidence)
    }
}
