import Foundation
import HarkSpeech

/// Whether an utterance decoded with the wake grammar really began with the wake phrase.
///
/// The wake grammar forces the wake phrase onto whatever was said; the wake phrase's confidence (a likelihood ratio
/// against a free phone loop, ``VoiceRecognizerOptions/minimumWakeConfidence``) tells a real one from a forced one.
/// It also lets words said before a forced wake phrase pass as silence, so the silence and noise before the wake
/// phrase must rate as well (``Transcript/fillers``: rated where the phone loop heard speech in them).
struct WakeCheck: Sendable {
    /// The wake phrase as words.
    let wakeWords: [String]
    let minimumConfidence: Double

    /// The verdict on one decoded utterance.
    struct Verdict {
        /// The request after the wake phrase ("" when the wake phrase does not count).
        var text: String
        var heardWake: Bool
        /// The wake phrase's confidence (its words' rated as one, or what the decoder put before them where that
        /// rates lower), when the decoder put the wake phrase first.
        var confidence: Double?
    }

    /// Splits the wake phrase off the front of a decoded text.
    func split(_ decoded: String) -> (text: String, heardWake: Bool) {
        let words = decoded.split(separator: " ").map(String.init)
        guard !wakeWords.isEmpty, words.count >= wakeWords.count, Array(words.prefix(wakeWords.count)) == wakeWords
        else { return (words.joined(separator: " "), false) }
        return (words.dropFirst(wakeWords.count).joined(separator: " "), true)
    }

    /// Judges `transcript`'s wake phrase: it counts when it was decoded first and it, and whatever the decoder put
    /// before it, rate at least the minimum.
    /// - Parameter requireWake: whether the utterance was decoded with the wake grammar (Hark idle): then a wake
    ///   phrase that does not count leaves no request; otherwise (a conversation, a recording) the words after it
    ///   are the request either way.
    func judge(_ transcript: Transcript, requireWake: Bool) -> Verdict {
        let (text, heardWake) = split(transcript.text)
        guard heardWake else { return Verdict(text: text, heardWake: false) }
        let wake = transcript.words.prefix(wakeWords.count)
        var confidence = wake.phraseConfidence
        // Whatever the decoder put before the wake phrase must be what it says it was, silence or noise: the wake
        // grammar lets speech before a forced wake phrase pass as silence.
        let before = transcript.fillers.filter { $0.confidence != nil && $0.end <= (wake.last?.end ?? 0) }
        if !before.isEmpty { confidence = min(confidence, before.phraseConfidence) }
        guard confidence >= minimumConfidence else {
            return Verdict(text: requireWake ? "" : text, heardWake: false, confidence: confidence)
        }
        return Verdict(text: text, heardWake: true, confidence: confidence)
    }
}
