import Foundation

/// An example sentence generated from the templates, with the answer the matcher should give.
public struct SampleSentence: Sendable, Hashable {
    /// The sentence.
    public let text: String
    /// The skill id it was generated from.
    public let skill: String
    /// The intent it was generated from.
    public let intent: String
    /// The slots a match should produce (fixed and context-copied slots included).
    public let slots: [String: SlotValue]
    /// Context values the sentence needs (from `requires_context`), to pass to `match`.
    public let context: [String: String]
    /// The template it came from.
    public let template: TemplateText
}

/// A sentence that more than one intent claims.
public struct TemplateCollision: Sendable, Hashable {
    /// One skill's intent.
    public struct IntentName: Sendable, Hashable, CustomStringConvertible {
        /// Skill id.
        public let skill: String
        /// Intent name.
        public let intent: String
        /// `skill/intent`.
        public var description: String { "\(skill)/\(intent)" }
    }

    /// The sample sentence.
    public let sentence: String
    /// The intent the sentence was generated from.
    public let source: IntentName
    /// Every intent with the top score for it (two or more), in ranking order.
    public let intents: [IntentName]
    /// The shared top score.
    public let score: Double
}

/// A small, seedable random number generator (SplitMix64): the one behind `sampleSentences`, so samples are the
/// same on every machine; benchmarks and tests use it for reproducible data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Walks sentence templates at random to produce example sentences and their expected slots.
struct SentenceSampler {
    let skill: ResolvedSkill
    let reference: DateReference
    var random: SplitMix64
    /// When set, a wildcard is sampled as one to three copies of this word instead of shopping items.
    var wildcardWord: String? = nil

    static let wildcardSamples = ["apples", "green tea", "paper towels", "oat milk", "batteries", "dish soap"]

    struct Draft {
        var words: [String] = []
        var slots: [String: SlotValue] = [:]
        var valueContext: [String: String] = [:]
    }

    /// One sample of `sentence`, or nil when no value of some list fits the block's context conditions.
    mutating func sample(_ sentence: ResolvedSkill.Sentence) -> SampleSentence? {
        let intent = skill.templates.intents[sentence.intentIndex]
        let block = intent.data[sentence.dataIndex]
        var draft = Draft()
        guard walk(sentence.expression, block: block, into: &draft), !draft.words.isEmpty else { return nil }

        var context: [String: String] = [:]
        for key in block.requiresContext.keys.sorted() where draft.valueContext[key] == nil {
            context[key] = block.requiresContext[key]!.values?.first ?? "Sample \(key)"
        }
        var effective = context
        effective.merge(draft.valueContext) { _, new in new }
        for (key, requirement) in block.requiresContext {
            if let slot = requirement.copyToSlot, draft.slots[slot] == nil, let value = effective[key] {
                draft.slots[slot] = .text(value)
            }
        }
        for (name, value) in block.fixedSlots where draft.slots[name] == nil { draft.slots[name] = value }
        return SampleSentence(
            text: draft.words.joined(separator: " "),
            skill: skill.templates.skill,
            intent: intent.name,
            slots: draft.slots,
            context: context,
            template: sentence.template
        )
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    private func allows(_ valueContext: [String: String], _ block: IntentSentences) -> Bool {
        for (key, value) in valueContext {
            if let accepted = block.requiresContext[key]?.values, !accepted.contains(value) { return false }
            if let excluded = block.excludesContext[key], excluded.isEmpty || excluded.contains(value) { return false }
        }
        return true
    }

    private mutating func walk(
        _ expression: TemplateExpression,
        block: IntentSentences,
        into draft: inout Draft
    )
        -> Bool
    {
        switch expression {
        case .empty: return true
        case .words(let words):
            draft.words.append(contentsOf: words)
            return true
        case .sequence(let items):
            for item in items where !walk(item, block: block, into: &draft) { return false }
            return true
        case .alternatives(let items):
            return walk(pick(items), block: block, into: &draft)
        case .rule(let reference):
            return walk(skill.rules[reference.name]!, block: block, into: &draft)
        case .slot(let reference):
            guard let list = skill.list(named: reference.listName) else { return false }
            return fill(reference.slotName, list: list, listName: reference.listName, block: block, into: &draft)
        }
    }

    private mutating func fill(
        _ slot: String,
        list: SlotList,
        listName: String,
        block: IntentSentences,
        into draft: inout Draft
    ) -> Bool {
        switch list.kind {
        case .wildcard:
            if let wildcardWord {
                draft.words.append(contentsOf: Array(repeating: wildcardWord, count: 1 + Int(random.next() % 3)))
                draft.slots[slot] = .text(wildcardWord)
                return true
            }
            if list.multiple && random.next() % 2 == 0 {
                let first = pick(Self.wildcardSamples)
                let second = pick(Self.wildcardSamples.filter { $0 != first })
                draft.words.append(contentsOf: TextNormalizer.words("\(first) and \(second)"))
                draft.slots[slot] = .list([.text(first), .text(second)])
            } else {
                let item = pick(Self.wildcardSamples)
                draft.words.append(contentsOf: TextNormalizer.words(item))
                draft.slots[slot] = list.multiple ? .list([.text(item)]) : .text(item)
            }
            return true
        case .values(let values):
            let fitting = values.indices.filter { allows(values[$0].context, block) }
            guard !fitting.isEmpty else { return false }
            let index = pick(fitting)
            draft.words.append(contentsOf: pick(skill.valueSpellings[listName]![index]))
            draft.slots[slot] = list.multiple ? .list([values[index].value]) : values[index].value
            draft.valueContext.merge(values[index].context) { _, new in new }
            return true
        case .range(let range):
            let count = range.step > 0 ? Int(((range.to - range.from) / range.step).rounded(.down)) + 1 : 101
            let value =
                range.step > 0
                ? range.from + Double(Int(random.next() % UInt64(count))) * range.step
                : range.from + (range.to - range.from) * Double(random.next() % 101) / 100
            draft.words.append(contentsOf: NumberWords.spell(value).split(separator: " ").map(String.init))
            switch range.type {
            case .percentage:
                draft.words.append("percent")
                draft.slots[slot] = .percentage(value)
            case .temperature:
                draft.words.append("degrees")
                draft.slots[slot] = .temperature(value: value, unit: nil)
            default:
                draft.slots[slot] = .number(value)
            }
            return true
        case .builtin(let type):
            let (words, value) = builtinSample(type)
            draft.words.append(contentsOf: words.split(separator: " ").map(String.init))
            draft.slots[slot] = value
            return true
        }
    }

    /// A spoken form of a built-in type and its value, built from the value (not by reading the words).
    private mutating func builtinSample(_ type: BuiltinSlotType) -> (String, SlotValue) {
        switch type {
        case .number:
            let value = Double(random.next() % 1000)
            return (NumberWords.spell(value), .number(value))
        case .percentage:
            let value = Double(random.next() % 101)
            return (NumberWords.spell(value) + " percent", .percentage(value))
        case .temperature:
            let value = Double(random.next() % 40)
            let unit: TemperatureUnit? = random.next() % 2 == 0 ? nil : .celsius
            return (
                NumberWords.spell(value) + " degrees" + (unit == nil ? "" : " celsius"),
                .temperature(value: value, unit: unit)
            )
        case .duration:
            switch random.next() % 4 {
            case 0:
                let minutes = Double(1 + random.next() % 59)
                return (
                    NumberWords.spell(minutes) + (minutes == 1 ? " minute" : " minutes"),
                    .duration(seconds: minutes * 60)
                )
            case 1:
                let hours = Double(2 + random.next() % 10)
                let minutes = Double(1 + random.next() % 59)
                return (
                    NumberWords.spell(hours) + " hours and " + NumberWords.spell(minutes)
                        + (minutes == 1 ? " minute" : " minutes"), .duration(seconds: hours * 3600 + minutes * 60)
                )
            case 2:
                return ("an hour and a half", .duration(seconds: 5400))
            default:
                let seconds = Double(2 + random.next() % 98)
                return (NumberWords.spell(seconds) + " seconds", .duration(seconds: seconds))
            }
        case .time:
            let hour = Int(1 + random.next() % 12)
            switch random.next() % 4 {
            case 0:
                return (NumberWords.spellInteger(Int64(hour)) + " o'clock", .time(hour: hour, minute: 0))
            case 1:
                let minute = Int(10 + random.next() % 50)
                return (
                    NumberWords.spellInteger(Int64(hour)) + " " + NumberWords.spellInteger(Int64(minute)) + " pm",
                    .time(hour: hour == 12 ? 12 : hour + 12, minute: minute)
                )
            case 2:
                return ("half past " + NumberWords.spellInteger(Int64(hour)), .time(hour: hour, minute: 30))
            default:
                return ("noon", .time(hour: 12, minute: 0))
            }
        case .date:
            switch random.next() % 4 {
            case 0: return ("today", .date(DateRange(day: reference.today)))
            case 1: return ("tomorrow", .date(DateRange(day: reference.day(offset: 1))))
            case 2: return ("the day after tomorrow", .date(DateRange(day: reference.day(offset: 2))))
            default:
                let weekday = Int(1 + random.next() % 7)
                return (
                    "on " + DateReader.weekdays[weekday - 1],
                    .date(DateRange(day: reference.day(offset: reference.daysUntil(weekday: weekday))))
                )
            }
        }
    }
}

extension IntentEngine {
    /// Example sentences: up to `perIntent` per intent (cycling through its sentences), at most `limit` in all,
    /// the same for the same `seed`. Dates are relative to `reference.now`.
    public func sampleSentences(
        limit: Int,
        perIntent: Int,
        seed: UInt64,
        reference: MatchContext = MatchContext()
    ) -> [SampleSentence] {
        sampleSentences(limit: limit, perIntent: perIntent, seed: seed, reference: reference, wildcardWord: nil)
    }

    /// ``sampleSentences(limit:perIntent:seed:reference:)`` with every wildcard's words given as `wildcardWord`.
    func sampleSentences(
        limit: Int, perIntent: Int, seed: UInt64, reference: MatchContext = MatchContext(), wildcardWord: String?
    ) -> [SampleSentence] {
        var results: [SampleSentence] = []
        var random = SplitMix64(seed: seed)
        let dateReference = DateReference(now: reference.now, calendar: reference.calendar)
        for skill in compiled.resolved {
            var sampler = SentenceSampler(
                skill: skill,
                reference: dateReference,
                random: SplitMix64(seed: random.next()),
                wildcardWord: wildcardWord
            )
            for intentIndex in skill.templates.intents.indices {
                let sentences = skill.sentences.filter { $0.intentIndex == intentIndex }
                guard !sentences.isEmpty else { continue }
                var seen = Set<String>()
                var attempts = 0
                while seen.count < perIntent && attempts < perIntent * 4 {
                    let sentence = sentences[attempts % sentences.count]
                    attempts += 1
                    guard let sample = sampler.sample(sentence), seen.insert(sample.text).inserted else { continue }
                    results.append(sample)
                    if results.count >= limit { return results }
                }
            }
        }
        return results
    }

    /// Sample sentences (`perIntent` per intent) that two or more intents match with the same top score.
    public func collisions(
        perIntent: Int = 5,
        seed: UInt64 = 1,
        reference: MatchContext = MatchContext()
    )
        -> [TemplateCollision]
    {
        var collisions: [TemplateCollision] = []
        var seen = Set<String>()
        for sample in sampleSentences(limit: Int.max, perIntent: perIntent, seed: seed, reference: reference) {
            guard seen.insert(sample.text).inserted else { continue }
            var context = reference
            context.values.merge(sample.context) { _, new in new }
            let result = match(sample.text, context: context)
            guard let best = result.best else { continue }
            let tied = [best] + result.alternatives.filter { $0.isComplete && $0.score == best.score }
            guard tied.count > 1 else { continue }
            collisions.append(
                TemplateCollision(
                    sentence: sample.text,
                    source: .init(skill: sample.skill, intent: sample.intent),
                    intents: tied.map { .init(skill: $0.skill, intent: $0.intent) },
                    score: best.score
                )
            )
        }
        return collisions
    }
}
