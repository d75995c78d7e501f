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

    /// The confidence of a phrase rated as one word: the words' log-odds averaged over their time. A word's
    /// confidence is a logistic of its per-frame likelihood ratio against the phone loop, so this is the logistic
    /// of the phrase's own per-frame ratio, the way the utterance's confidence is rated (``Transcript/confidence``);
    /// a one-word phrase keeps its word's. (The geometric mean of the words' confidences it replaces let one weak
    /// word sink a phrase: eSpeak's "hark" rates 0.2–0.4 after a "hey" rated 0.98.) A word not rated counts as 0.
    static func phraseConfidence(_ words: some Collection<WordTiming>) -> Double {
        var logOdds = 0.0
        var seconds = 0.0
        for word in words {
            let confidence = min(1 - 1e-9, max(1e-9, word.confidence ?? 0))
            let length = max(0.01, word.end - word.start)
            logOdds += log(confidence / (1 - confidence)) * length
            seconds += length
        }
        guard seconds > 0 else { return 0 }
        return 1 / (1 + exp(-logOdds / seconds))
    }

    /// Judges `transcript`'s wake phrase: it counts when it was decoded first and rates at least the minimum.
    /// - Parameter requireWake: whether the utterance was decoded with the wake grammar (Hark idle): then a wake
    ///   phrase that does not count leaves no request; otherwise (a conversation, a recording) the words after it
    ///   are the request either way.
    func judge(_ transcript: Transcript, requireWake: Bool) -> Verdict {
        let (text, heardWake) = split(transcript.text)
        guard heardWake else { return Verdict(text: text, heardWake: false) }
        let confidence = Self.phraseConfidence(transcript.words.prefix(wakeWords.count))
        guard confidence >= minimumConfidence else {
            return Verdict(text: requireWake ? "" : text, heardWake: false, confidence: confidence)
        }
        return Verdict(text: text, heardWake: true, confidence: confidence)
    }
}
