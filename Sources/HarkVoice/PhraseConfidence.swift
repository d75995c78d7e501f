import Foundation
import HarkSpeech

extension Collection where Element == WordTiming {
    /// The confidence of these words rated as one word: their log-odds averaged over their time. A word's
    /// confidence is a logistic of its per-frame likelihood ratio against the phone loop, so this is the logistic of
    /// the phrase's own per-frame ratio, the way the utterance's confidence is rated (``Transcript/confidence``); one
    /// word keeps its own. (The geometric mean of the words' confidences it replaced for the wake phrase let one weak
    /// word sink a phrase: eSpeak's "hark" rates 0.2–0.4 after a "hey" rated 0.98.) A word not rated counts as 0;
    /// no words rate 0.
    var phraseConfidence: Double {
        var logOdds = 0.0
        var seconds = 0.0
        for word in self {
            let confidence = Swift.min(1 - 1e-9, Swift.max(1e-9, word.confidence ?? 0))
            let length = Swift.max(0.01, word.end - word.start)
            logOdds += log(confidence / (1 - confidence)) * length
            seconds += length
        }
        guard seconds > 0 else { return 0 }
        return 1 / (1 + exp(-logOdds / seconds))
    }
}
