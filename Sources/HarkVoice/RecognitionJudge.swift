import HarkUnderstanding

/// Why a reading should be confirmed before Hark acts on it.
public struct RecognitionDoubt: Sendable, Codable, Equatable {
    /// What made the reading doubtful.
    public enum Reason: String, Sendable, Codable {
        /// The recognizer's confidence is below ``VoiceRecognizerOptions/minimumConfidence``.
        case lowConfidence
        /// Another n-best reading means a different intent or different slot values.
        case competingReadings
        /// The words that spell the slot values rate below ``VoiceRecognizerOptions/minimumValueConfidence``: the
        /// utterance was heard, what to act on perhaps not.
        case doubtfulValue
    }

    /// What made the reading doubtful.
    public var reason: Reason
    /// Other readings that mean something else, best first.
    public var competing: [String]
}

/// Weighs the recognizer's confidence and n-best readings against the matcher: a reading whose alternatives
/// mean something else (another intent, other slot values), or that the recognizer itself doubts, is to be
/// confirmed ("Did you mean …?") rather than acted on.
public struct RecognitionJudge: Sendable {
    /// The matcher the readings are understood with.
    public let engine: IntentEngine
    /// Below this confidence every reading is doubted.
    public let minimumConfidence: Double
    /// Competing readings only count while the confidence is below this.
    public let competingReadingsBelow: Double
    /// Below this confidence of the slot values' words the reading is doubted (0: never).
    public let minimumValueConfidence: Double

    public init(
        engine: IntentEngine, minimumConfidence: Double, competingReadingsBelow: Double = 0.8,
        minimumValueConfidence: Double = 0
    ) {
        self.engine = engine
        self.minimumConfidence = minimumConfidence
        self.competingReadingsBelow = competingReadingsBelow
        self.minimumValueConfidence = minimumValueConfidence
    }

    /// The judgement of one utterance: the confidence to report and the doubt, if any.
    public struct Verdict: Sendable, Equatable {
        public var confidence: Double
        public var doubt: RecognitionDoubt?
    }

    /// Judges `text` (the best reading) given all n-best `readings` (best first), the recognizer's confidence and
    /// that of the words that spell the slot values (nil: not rated).
    public func judge(text: String, readings: [String], confidence: Double, valueConfidence: Double? = nil) -> Verdict {
        judge(
            text: text, matched: engine.match(text), readings: readings, confidence: confidence,
            valueConfidence: valueConfidence)
    }

    /// ``judge(text:readings:confidence:valueConfidence:)`` with `text` already matched (`matched`), so that a
    /// caller that needed the match first does not match it twice.
    public func judge(
        text: String, matched: MatchResult, readings: [String], confidence: Double, valueConfidence: Double? = nil
    ) -> Verdict {
        guard !text.isEmpty else { return Verdict(confidence: confidence, doubt: nil) }
        let meaning = Self.meaning(of: matched)
        var competing: [String] = []
        for reading in readings.prefix(5) where reading != text {
            let other = Self.meaning(of: engine.match(reading))
            if other != nil && other != meaning { competing.append(reading) }
        }
        // Readings that disagree about the meaning lower the confidence in proportion.
        let considered = max(1, min(readings.count, 5))
        let agreeing = Double(considered - competing.count) / Double(considered)
        let combined = competing.isEmpty ? confidence : confidence * agreeing
        if confidence < minimumConfidence {
            return Verdict(confidence: combined, doubt: RecognitionDoubt(reason: .lowConfidence, competing: competing))
        }
        if let valueConfidence, valueConfidence < minimumValueConfidence {
            return Verdict(confidence: combined, doubt: RecognitionDoubt(reason: .doubtfulValue, competing: competing))
        }
        if !competing.isEmpty && confidence < competingReadingsBelow {
            return Verdict(
                confidence: combined, doubt: RecognitionDoubt(reason: .competingReadings, competing: competing))
        }
        return Verdict(confidence: combined, doubt: nil)
    }

    /// Skill, intent and canonical slot values of the best complete match, or nil.
    static func meaning(of result: MatchResult) -> String? {
        guard let best = result.best else { return nil }
        let slots = best.slots.keys.sorted().map { "\($0)=\(best.slots[$0]!.description)" }
        return ([best.skill, best.intent] + slots).joined(separator: "|")
    }
}
