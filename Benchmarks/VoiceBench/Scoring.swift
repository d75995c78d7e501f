import Foundation
import HarkAssistant
import HarkUnderstanding

/// Accumulates the figures of one system (Hark, or a peer) over the corpus.
struct Tally {
    var clips = 0
    var intentRight = 0
    var intentAndSlotsRight = 0
    var wordErrors = 0
    var referenceWords = 0
    var audioSeconds = 0.0
    var decodeMilliseconds = 0.0
    var latencies: [Double] = []
    /// The latency's parts (milliseconds after the end-point): decoding what was left, the assistant, the reply's
    /// synthesis.
    var stages: [String: [Double]] = [:]
    /// Wrong readings that were flagged as doubtful (a "did you mean" instead of a wrong action).
    var wrongDoubted = 0
    /// Right readings that were flagged as doubtful (an unneeded question).
    var rightDoubted = 0
    /// Every reading that means some intent: its confidence, whether it was right, and whether it was doubted for a
    /// reason other than its confidence (competing n-best readings: doubted at any threshold).
    var understood: [(confidence: Double, right: Bool, doubted: Bool)] = []

    mutating func add(
        reference: [String], heard: [String], meaningRight: (intent: Bool, slots: Bool), audioSeconds: Double,
        decodeMilliseconds: Double, doubted: Bool = false
    ) {
        clips += 1
        if meaningRight.intent { intentRight += 1 }
        let right = meaningRight.intent && meaningRight.slots
        if right { intentAndSlotsRight += 1 }
        if doubted { if right { rightDoubted += 1 } else { wrongDoubted += 1 } }
        wordErrors += Self.editDistance(reference, heard)
        referenceWords += reference.count
        self.audioSeconds += audioSeconds
        self.decodeMilliseconds += decodeMilliseconds
    }

    var accuracy: Double { clips == 0 ? 0 : Double(intentAndSlotsRight) / Double(clips) }
    var intentAccuracy: Double { clips == 0 ? 0 : Double(intentRight) / Double(clips) }
    var wordErrorRate: Double { referenceWords == 0 ? 0 : Double(wordErrors) / Double(referenceWords) }
    var realTimeFactor: Double { audioSeconds == 0 ? 0 : decodeMilliseconds / 1000 / audioSeconds }

    func percentile(_ p: Double) -> Double { Self.percentile(p, of: latencies) }

    /// With readings below `threshold` doubted too: wrong actions left (a reading meaning another intent or other
    /// slots, acted on without a question) and right readings asked back.
    func doubting(below threshold: Double) -> (wrongActions: Int, rightAsked: Int) {
        var wrongActions = 0
        var rightAsked = 0
        for reading in understood {
            let doubted = reading.doubted || reading.confidence < threshold
            if reading.right && doubted { rightAsked += 1 }
            if !reading.right && !doubted { wrongActions += 1 }
        }
        return (wrongActions, rightAsked)
    }

    static func percentile(_ p: Double, of values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    static func editDistance(_ a: [String], _ b: [String]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Wake-phrase figures: detection on requests said after the wake phrase, false alarms on requests said without it
/// (both decoded with the wake-required decoder).
struct WakeTally {
    var positives = 0
    var detected = 0
    /// Woken recordings whose request was also understood right (intent and slots).
    var requestsRight = 0
    var negatives = 0
    var falseAlarms = 0
    var wakeSeconds = 0.0
    var nonWakeSeconds = 0.0
    var milliseconds = 0.0
    /// The same recordings' requests said without the wake phrase (request decoder) and understood right.
    var requestsRightUnwoken = 0
    /// The wake confidences of the phrases detected, and of the false alarms.
    var detectedConfidences: [Double] = []
    var falseAlarmConfidences: [Double] = []

    mutating func add(
        detected: Bool, requestRight: Bool, requestRightUnwoken: Bool, falseAlarm: Bool, wakeConfidence: Double?,
        falseAlarmConfidence: Double?, wakeSeconds: Double, nonWakeSeconds: Double, milliseconds: Double
    ) {
        positives += 1
        negatives += 1
        if detected { self.detected += 1 }
        if detected && requestRight { requestsRight += 1 }
        if requestRightUnwoken { requestsRightUnwoken += 1 }
        if detected, let wakeConfidence { detectedConfidences.append(wakeConfidence) }
        if falseAlarm, let falseAlarmConfidence { falseAlarmConfidences.append(falseAlarmConfidence) }
        if falseAlarm { falseAlarms += 1 }
        self.wakeSeconds += wakeSeconds
        self.nonWakeSeconds += nonWakeSeconds
        self.milliseconds += milliseconds
    }

    var summary: String {
        String(
            format: "detected %d/%d (%.1f %%), request then right %d/%d (without the wake phrase %d/%d); false alarms "
                + "%d/%d on %.1f min of non-wake speech = %.0f per hour; RTF %.4f",
            detected, positives, 100 * Double(detected) / Double(max(1, positives)), requestsRight, positives,
            requestsRightUnwoken, positives, falseAlarms, negatives, nonWakeSeconds / 60,
            Double(falseAlarms) / max(1e-9, nonWakeSeconds / 3600),
            milliseconds / 1000 / max(1e-9, wakeSeconds + nonWakeSeconds))
    }

    /// The wake confidences of detected phrases (lowest, 10th percentile, median) and of false alarms.
    var confidences: String {
        let sorted = detectedConfidences.sorted()
        func at(_ fraction: Double) -> String {
            sorted.isEmpty ? "–" : String(format: "%.3f", sorted[min(sorted.count - 1, Int(fraction * Double(sorted.count)))])
        }
        return "wake confidence of detected phrases: lowest \(at(0)), p10 \(at(0.1)), median \(at(0.5)); of false alarms: "
            + (falseAlarmConfidences.isEmpty
                ? "none" : falseAlarmConfidences.sorted().map { String(format: "%.3f", $0) }.joined(separator: ", "))
    }
}

/// Checks a heard text against a test sentence's expected intent and slots, with the matcher.
struct MeaningChecker {
    let engine: IntentEngine
    let context: MatchContext

    init(engine: IntentEngine) {
        self.engine = engine
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // The instant the skills' test files are written against (SkillTestRunner's default).
        context = MatchContext(now: Date(timeIntervalSince1970: 1_767_261_600), calendar: calendar)
    }

    /// The context of one test sentence: the bench's instant and the test's area.
    func context(for sentence: CorpusSentence) -> MatchContext {
        var context = context
        if let area = sentence.area { context.values["area"] = area }
        return context
    }

    /// The normalised words of a text, as the matcher reads it (digits spelled out, contractions expanded).
    func words(_ text: String) -> [String] { engine.match(text, context: context).words }

    /// Whether `heard` means any intent (Hark would act on it, or ask).
    func understands(_ heard: String) -> Bool { engine.match(heard, context: context).best != nil }

    /// Whether `heard` means the sentence's intent, and whether every expected slot has its value.
    func check(_ heard: String, against sentence: CorpusSentence) -> (intent: Bool, slots: Bool) {
        guard let best = engine.match(heard, context: context(for: sentence)).best, best.skill == sentence.skill,
            best.intent == sentence.intent
        else { return (false, false) }
        let slots = sentence.slots.allSatisfy { name, expected in best.slots[name].map(expected.matches) ?? false }
        return (true, slots)
    }
}

/// Peak resident memory of this process (VmHWM), in megabytes.
func peakMemoryMegabytes() -> Double { memoryMegabytes("VmHWM:") }

/// The process's resident memory now (VmRSS), in megabytes.
func residentMemoryMegabytes() -> Double { memoryMegabytes("VmRSS:") }

private func memoryMegabytes(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? .nan
        return kilobytes / 1024
    }
    return .nan
}

/// Milliseconds elapsed since `start`.
func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}
