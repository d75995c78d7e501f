import Foundation
import HarkSpeech

/// Whether an utterance decoded with the wake grammar really began with the wake phrase.
///
/// The wake grammar forces the wake phrase onto whatever was said; the wake phrase's confidence (a likelihood ratio
/// against a free phone loop, ``VoiceRecognizerOptions/minimumWakeConfidence``) tells a real one from a forced one.
struct WakeCheck: Sendable {
    /// The wake phrase as words.
    let wakeWords: [String]
    let minimumConfidence: Double

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

    /// Judges `transcript`'s wake phrase: it counts when it was decoded first and rates at least the minimum.
    /// - Parameter requireWake: whether the utterance was decoded with the wake grammar (Hark idle): then a wake
    ///   phrase that does not count leaves no request; otherwise (a conversation, a recording) the words after it
    ///   are the request either way.
    func judge(_ transcript: Transcript, requireWake: Bool) -> Verdict {
        let (text, heardWake) = split(transcript.text)
        guard heardWake else { return Verdict(text: text, heardWake: false) }
        let confidence = transcript.words.prefix(wakeWords.count).phraseConfidence
        guard confidence >= minimumConfidence else {
            return Verdict(text: requireWake ? "" : text, heardWake: false, confidence: confidence)
        }
        return Verdict(text: text, heardWake: true, confidence: confidence)
    }
}
