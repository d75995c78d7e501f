import Foundation

/// How much each kind of explained word adds to a path's score (per word). Integers keep ties exact.
enum MatchWeight {
    static let literal: Int32 = 100
    static let skip: Int32 = 95
    static let listValue: Int32 = 90
    static let typedValue: Int32 = 85
    static let wildcard: Int32 = 50
    /// Near misses: a word read as an unknown slot value.
    static let unresolved: Int32 = 10
    /// Near misses: a template word or slot that was not said.
    static let missing: Int32 = -40
    /// Near misses: the longest run of words taken as one unknown slot value.
    static let maxUnresolvedWords = 5
}

/// One way a slot edge can read words starting at a position.
struct SlotReading {
    let end: Int32
    let weight: Int32
    let value: SlotValue
    let context: [String: String]
}

/// The work of one `match` call: the input, caches of slot readings, and the dynamic-programming tables.
///
/// The table has one cell per (sentence node, word position). Every edge goes to a higher node, and skip words
/// move to a later position on the same node, so visiting cells node by node, position by position sees every
/// cell after all its predecessors: one pass computes the best path, with no backtracking search.
struct MatchSession {
    private enum Step {
        static let epsilon: Int32 = -1
        static let word: Int32 = -2
        static let skip: Int32 = -3
        static let wildcard: Int32 = -4
        static let inserted: Int32 = -5
        static let missingWord: Int32 = -6
        static let missingSlot: Int32 = -7
        static let unresolved: Int32 = -8
    }

    let compiled: CompiledTemplates
    let text: NormalizedText
    let context: MatchContext
    let ids: [Int32]
    let words: [String]
    let commaAfter: [Bool]
    let n: Int
    let present: Set<Int32>

    private var reference: DateReference?
    private var readings: [SlotReading] = []
    private var readingRanges: [Int: Range<Int>] = [:]
    private var skipMaskCache: [Int32: [UInt32]] = [:]
    private let table = DPTable()

    init(compiled: CompiledTemplates, text: NormalizedText, context: MatchContext) {
        self.compiled = compiled
        self.text = text
        self.context = context
        self.words = text.words
        self.ids = words.map { compiled.wordId($0) }
        self.commaAfter = text.tokens.map(\.commaAfter)
        self.n = words.count
        self.present = Set(ids.filter { $0 >= 0 })
    }

    // MARK: Complete matches

    /// Every sentence that explains the whole text, with its rank key (sentence index).
    mutating func completeMatches() -> [(IntentMatch, Int32)] {
        var candidates = compiled.unanchored
        for word in present { candidates.append(contentsOf: compiled.anchored[word] ?? []) }
        candidates.sort()
        let starts = startPositions()
        var results: [(IntentMatch, Int32)] = []
        for index in candidates {
            let sentence = compiled.sentences[Int(index)]
            guard sentence.required.allSatisfy({ present.contains($0) }),
                externalContextAllows(compiled.blocks[Int(sentence.block)]),
                canStart(sentence, at: starts)
            else { continue }
            if let final = run(sentence, relaxed: false),
                let match = assemble(sentence, final: final, complete: true)
            {
                results.append((match, index))
            }
        }
        return results
    }

    /// Positions where the first template word may sit: 0, and after any run of skip words.
    private func startPositions() -> [Int] {
        var reachable = [0]
        var seen: Set<Int> = [0]
        var index = 0
        while index < reachable.count {
            let position = reachable[index]
            index += 1
            for phrase in compiled.allSkipPhrases where matches(phrase, at: position) {
                let next = position + phrase.count
                if next < n, seen.insert(next).inserted { reachable.append(next) }
            }
        }
        return reachable
    }

    private func matches(_ phrase: [Int32], at position: Int) -> Bool {
        guard position + phrase.count <= n else { return false }
        for (offset, word) in phrase.enumerated() where ids[position + offset] != word { return false }
        return true
    }

    private mutating func canStart(_ sentence: CompiledTemplates.Sentence, at starts: [Int]) -> Bool {
        for position in starts {
            if sentence.firstWords.contains(ids[position]) { return true }
            for slotEdge in sentence.firstSlots {
                if compiled.slotEdges[Int(slotEdge)].isWildcard { return true }
                if !readings(list: compiled.slotEdges[Int(slotEdge)].list, at: position).isEmpty { return true }
            }
        }
        return false
    }

    /// `requires_context`/`excludes_context` checked against the caller's context before matching.
    private func externalContextAllows(_ block: CompiledTemplates.Block) -> Bool {
        guard block.hasContextRules else { return true }
        for (key, requirement) in block.requiresContext {
            if let actual = context.values[key], let accepted = requirement.values, !accepted.contains(actual) {
                return false
            }
        }
        for (key, excluded) in block.excludesContext {
            if let actual = context.values[key], excluded.isEmpty || excluded.contains(actual) { return false }
        }
        return true
    }

    /// A list value's own context (e.g. the device's area) must not contradict the sentence block's conditions.
    private func valueContextAllows(_ valueContext: [String: String], _ block: CompiledTemplates.Block) -> Bool {
        for (key, value) in valueContext {
            if let accepted = block.requiresContext[key]?.values, !accepted.contains(value) { return false }
            if let excluded = block.excludesContext[key], excluded.isEmpty || excluded.contains(value) { return false }
        }
        return true
    }

    // MARK: Slot readings (cached per list and position)

    /// For each position, a bit mask of the skip phrase lengths (bit k: a phrase of k words) of `skill`.
    private mutating func skipMasks(skill: Int32) -> [UInt32] {
        if let masks = skipMaskCache[skill] { return masks }
        var masks = [UInt32](repeating: 0, count: n + 1)
        for position in 0..<n {
            for phrase in compiled.skipPhrases[Int(skill)] where phrase.count < 32 && matches(phrase, at: position) {
                masks[position] |= 1 << UInt32(phrase.count)
            }
        }
        skipMaskCache[skill] = masks
        return masks
    }

    private mutating func readings(list: Int32, at position: Int) -> Range<Int> {
        let key = Int(list) &* 4096 &+ position
        if let range = readingRanges[key] { return range }
        let start = readings.count
        let compiledList = compiled.lists[Int(list)]
        switch compiledList.kind {
        case .wildcard: break
        case .values(let root):
            if compiledList.multiple {
                readMultipleValues(root: root, at: position)
            } else {
                for (end, value) in valueMatches(root: root, at: position) {
                    let compiledValue = compiled.values[Int(value)]
                    readings.append(
                        SlotReading(
                            end: Int32(end),
                            weight: MatchWeight.listValue,
                            value: compiledValue.value,
                            context: compiledValue.context
                        )
                    )
                }
            }
        case .range(let range):
            for (end, value) in range.type.read(words, from: position, reference: dateReference())
            where range.contains(value.numericValue ?? .nan) {
                readings.append(
                    SlotReading(end: Int32(end), weight: MatchWeight.typedValue, value: value, context: [:])
                )
            }
        case .builtin(let type):
            for (end, value) in type.read(words, from: position, reference: dateReference()) {
                readings.append(
                    SlotReading(end: Int32(end), weight: MatchWeight.typedValue, value: value, context: [:])
                )
            }
        }
        let range = start..<readings.count
        readingRanges[key] = range
        return range
    }

    private mutating func dateReference() -> DateReference {
        if let reference { return reference }
        let created = DateReference(now: context.now, calendar: context.calendar)
        reference = created
        return created
    }

    /// Values of a trie that the words from `position` spell: `(end, value index)`.
    private func valueMatches(root: Int32, at position: Int) -> [(Int, Int32)] {
        var results: [(Int, Int32)] = []
        var node = root
        var index = position
        while index < n, ids[index] >= 0, let child = compiled.trieChildren[CompiledTemplates.trieKey(node, ids[index])]
        {
            node = child
            index += 1
            for value in compiled.trieValues[Int(node)] { results.append((index, value)) }
        }
        return results
    }

    /// "milk, eggs and bread": values separated by commas and/or "and". Values may also run together when "and"
    /// comes before the last one ("chicken rice and garlic"): that is how speech gives "chicken, rice and garlic" (the
    /// recognizer hears no commas, and its grammar writes several values as `value [value* and value]`).
    private mutating func readMultipleValues(root: Int32, at position: Int) {
        let andId = compiled.wordId("and")
        // `open`: some values ran together without a separator, and no "and" has closed the list yet.
        var frontier: [(end: Int, values: [Int32], open: Bool)] = valueMatches(root: root, at: position).map {
            ($0.0, [$0.1], false)
        }
        var produced = 0
        var depth = 0
        while !frontier.isEmpty && depth < 12 && produced < 256 {
            var next: [(end: Int, values: [Int32], open: Bool)] = []
            for item in frontier {
                if !item.open {
                    let listValues = item.values.map { compiled.values[Int($0)] }
                    var mergedContext: [String: String] = [:]
                    for value in listValues { mergedContext.merge(value.context) { _, new in new } }
                    readings.append(
                        SlotReading(
                            end: Int32(item.end),
                            weight: MatchWeight.listValue,
                            value: .list(listValues.map(\.value)),
                            context: mergedContext
                        )
                    )
                    produced += 1
                }
                var separators: [(start: Int, open: Bool)] = []
                if commaAfter[item.end - 1] {
                    separators.append((item.end, item.open))
                } else if item.end < n, ids[item.end] != andId {
                    separators.append((item.end, true))
                }
                if item.end < n, ids[item.end] == andId { separators.append((item.end + 1, false)) }
                for separator in separators where separator.start < n {
                    for (end, value) in valueMatches(root: root, at: separator.start) {
                        next.append((end, item.values + [value], separator.open))
                    }
                }
            }
            frontier = Array(next.prefix(64))
            depth += 1
        }
    }

    // MARK: Dynamic programming

    /// Fills the table for `sentence`; returns the final cell when the whole text was explained (or, relaxed,
    /// when any path reached the end with a positive score).
    private mutating func run(_ sentence: CompiledTemplates.Sentence, relaxed: Bool) -> Int? {
        let nodeCount = Int(sentence.nodeCount)
        let width = n + 1
        let cells = nodeCount * width
        table.reserve(cells)
        let score = table.score
        let unreached = Int32.min
        score.update(repeating: unreached, count: cells)
        score[0] = 0
        let block = compiled.blocks[Int(sentence.block)]
        let base = Int(sentence.nodeBase)
        let skipMask = skipMasks(skill: sentence.skill)
        let edges = compiled.edges
        let edgeStart = compiled.edgeStart
        let slotEdges = compiled.slotEdges
        let ids = self.ids
        let n = self.n
        let table = self.table

        for node in 0..<nodeCount {
            let edgeRange = Int(edgeStart[base + node])..<Int(edgeStart[base + node + 1])
            for position in 0...n {
                let cell = node * width + position
                let current = score[cell]
                if current == unreached { continue }
                if position < n {
                    var mask = skipMask[position]
                    while mask != 0 {
                        let length = mask.trailingZeroBitCount
                        mask &= mask - 1
                        table.relax(
                            from: cell,
                            to: cell + length,
                            current + MatchWeight.skip * Int32(length),
                            Step.skip,
                            -1
                        )
                    }
                    if relaxed { table.relax(from: cell, to: cell + 1, current, Step.inserted, -1) }
                }
                for edgeIndex in edgeRange {
                    let edge = edges[edgeIndex]
                    let target = Int(edge.target) * width
                    switch edge.kind {
                    case .epsilon:
                        table.relax(from: cell, to: target + position, current, Step.epsilon, Int32(edgeIndex))
                    case .word:
                        if position < n, ids[position] == edge.label {
                            table.relax(
                                from: cell,
                                to: target + position + 1,
                                current + MatchWeight.literal,
                                Step.word,
                                Int32(edgeIndex)
                            )
                        } else if relaxed {
                            table.relax(
                                from: cell,
                                to: target + position,
                                current + MatchWeight.missing,
                                Step.missingWord,
                                Int32(edgeIndex)
                            )
                        }
                    case .slot:
                        let list = slotEdges[Int(edge.label)].list
                        if slotEdges[Int(edge.label)].isWildcard {
                            if position < n {
                                for end in (position + 1)...n {
                                    table.relax(
                                        from: cell,
                                        to: target + end,
                                        current + MatchWeight.wildcard * Int32(end - position),
                                        Step.wildcard,
                                        Int32(edgeIndex)
                                    )
                                }
                            }
                        } else {
                            var found = false
                            if position < n {
                                for readingIndex in readings(list: list, at: position) {
                                    if block.hasContextRules, !readings[readingIndex].context.isEmpty,
                                        !valueContextAllows(readings[readingIndex].context, block)
                                    {
                                        continue
                                    }
                                    found = true
                                    let end = Int(readings[readingIndex].end)
                                    table.relax(
                                        from: cell,
                                        to: target + end,
                                        current + readings[readingIndex].weight * Int32(end - position),
                                        Int32(readingIndex),
                                        Int32(edgeIndex)
                                    )
                                }
                            }
                            if relaxed && position < n && !found {
                                for end in (position + 1)...min(n, position + MatchWeight.maxUnresolvedWords) {
                                    table.relax(
                                        from: cell,
                                        to: target + end,
                                        current + MatchWeight.unresolved * Int32(end - position),
                                        Step.unresolved,
                                        Int32(edgeIndex)
                                    )
                                }
                            }
                        }
                        if relaxed {
                            table.relax(
                                from: cell,
                                to: target + position,
                                current + MatchWeight.missing,
                                Step.missingSlot,
                                Int32(edgeIndex)
                            )
                        }
                    }
                }
            }
        }
        let final = (nodeCount - 1) * width + n
        guard score[final] != unreached else { return nil }
        if relaxed && score[final] <= 0 { return nil }
        return final
    }

    // MARK: Building the answer

    private func slotName(edge: Int32) -> String {
        compiled.slotEdges[Int(compiled.edges[Int(edge)].label)].slotName
    }

    /// Walks the table back from `final` and turns the path into an `IntentMatch`; nil when context rules reject it.
    private func assemble(_ sentence: CompiledTemplates.Sentence, final: Int, complete: Bool) -> IntentMatch? {
        let width = n + 1
        var path: [Int] = []
        var cell = final
        while cell != 0 {
            path.append(cell)
            cell = Int(table.previous[cell])
        }
        path.reverse()

        var slots: [String: SlotValue] = [:]
        var rawSlots: [String: String] = [:]
        var matched: [String] = []
        var unmatched: [String] = []
        var skipped: [String] = []
        var missing: [String] = []
        var unresolved: [String: String] = [:]
        var wildcardSlots = Set<String>()
        var effectiveContext = context.values
        var explained: Int32 = 0
        var literalCount = 0
        var from = 0
        // Where the run of unexplained words the templates never use (function words aside), ending at
        // `unknownRun.end`, began.
        var unknownRun: (start: Int, end: Int)?
        for cell in path {
            let start = from % width
            let end = cell % width
            let kind = table.step[cell]
            defer { from = cell }
            let run = unknownRun
            if end > start { unknownRun = nil }
            switch kind {
            case Step.epsilon: break
            case Step.word:
                matched.append(words[start])
                explained += MatchWeight.literal
                literalCount += 1
            case Step.skip:
                skipped.append(contentsOf: words[start..<end])
                explained += MatchWeight.skip * Int32(end - start)
            case Step.inserted:
                unmatched.append(words[start])
                if ids[start] < 0, !PhraseShape.functionWords.contains(words[start]) {
                    unknownRun = (run.map { $0.end == start ? $0.start : start } ?? start, end)
                }
            case Step.missingWord:
                missing.append(compiled.words[Int(compiled.edges[Int(table.via[cell])].label)])
            case Step.missingSlot:
                missing.append("{\(slotName(edge: table.via[cell]))}")
            case Step.unresolved:
                let name = slotName(edge: table.via[cell])
                unresolved[name] = text.rawText(start..<end)
                unmatched.append(contentsOf: words[start..<end])
                explained += MatchWeight.unresolved * Int32(end - start)
            case Step.wildcard:
                let name = slotName(edge: table.via[cell])
                let list = compiled.lists[Int(compiled.slotEdges[Int(compiled.edges[Int(table.via[cell])].label)].list)]
                slots[name] = list.multiple ? .list(splitItems(start..<end)) : .text(text.rawText(start..<end))
                rawSlots[name] = text.rawText(start..<end)
                wildcardSlots.insert(name)
                matched.append(contentsOf: words[start..<end])
                // A clause where a name belongs ("to talk to mom") explains nothing (see PhraseShape).
                if !PhraseShape.isClause(words[start..<end]) { explained += MatchWeight.wildcard * Int32(end - start) }
            default:
                let reading = readings[Int(kind)]
                let name = slotName(edge: table.via[cell])
                let list = compiled.lists[Int(compiled.slotEdges[Int(compiled.edges[Int(table.via[cell])].label)].list)]
                // Words no template uses right before a value name something else ("the drawing hall" is not the
                // hall, "the master bedroom" not just the bedroom): in a near miss, the value said is unknown.
                if !complete, let run, run.end == start, reading.weight == MatchWeight.listValue, !list.multiple {
                    unresolved[name] = text.rawText(run.start..<end)
                    unmatched.append(contentsOf: words[start..<end])
                    explained += reading.weight * Int32(end - start)
                    continue
                }
                slots[name] = reading.value
                rawSlots[name] = text.rawText(start..<end)
                matched.append(contentsOf: words[start..<end])
                explained += reading.weight * Int32(end - start)
                effectiveContext.merge(reading.context) { _, new in new }
            }
        }
        if !complete && literalCount == 0 { return nil }

        let block = compiled.blocks[Int(sentence.block)]
        for (key, excluded) in block.excludesContext {
            if let actual = effectiveContext[key], excluded.isEmpty || excluded.contains(actual) { return nil }
        }
        for key in block.requiresContext.keys.sorted() {
            let requirement = block.requiresContext[key]!
            guard let actual = effectiveContext[key] else {
                if complete { return nil }
                missing.append("context \(key)")
                continue
            }
            if let accepted = requirement.values, !accepted.contains(actual) {
                if complete { return nil }
                continue
            }
            if let slot = requirement.copyToSlot, slots[slot] == nil { slots[slot] = .text(actual) }
        }
        for (name, value) in block.fixedSlots where slots[name] == nil { slots[name] = value }

        let score: Double
        if complete {
            score = Double(explained) / Double(Int(MatchWeight.literal) * n)
        } else {
            score = min(0.99, Double(explained) / Double(Int(MatchWeight.literal) * (n + missing.count)))
        }
        let intent = compiled.intents[Int(sentence.intent)]
        var match = IntentMatch(
            skill: compiled.skills[Int(sentence.skill)],
            intent: intent.name,
            slots: slots,
            rawSlots: rawSlots,
            score: score,
            isComplete: complete,
            matchedText: matched.joined(separator: " "),
            unmatchedWords: unmatched,
            skippedWords: skipped,
            missingParts: missing,
            unresolvedSlots: unresolved,
            template: sentence.template
        )
        match.wildcardSlots = wildcardSlots
        match.literalWords = literalCount
        return match
    }

    /// Splits a wildcard span on commas and "and" into separate items.
    private func splitItems(_ range: Range<Int>) -> [SlotValue] {
        var items: [SlotValue] = []
        var itemStart = range.lowerBound
        func flush(_ end: Int) {
            if end > itemStart { items.append(.text(text.rawText(itemStart..<end))) }
        }
        for index in range {
            if words[index] == "and" {
                flush(index)
                itemStart = index + 1
            } else if commaAfter[index] && index + 1 < range.upperBound {
                flush(index + 1)
                itemStart = index + 1
            }
        }
        flush(range.upperBound)
        return items
    }

    // MARK: Near misses

    private static let nearCandidateCount = 16
    private static let nearAnswers = 6
    private static let maxNearWords = 32

    /// Sentences that share the most (rare) words with the text, aligned with words left over or missing.
    /// The best near miss among one intent's sentences (every one of them aligned, not only the likely few).
    mutating func nearMatch(intent: Int32) -> IntentMatch? {
        guard n <= Self.maxNearWords else { return nil }
        var best: (index: Int32, score: Int32)?
        for (index, sentence) in compiled.sentences.enumerated() where sentence.intent == intent {
            guard externalContextAllows(compiled.blocks[Int(sentence.block)]),
                let final = run(sentence, relaxed: true)
            else { continue }
            let score = table.score[final]
            if best == nil || score > best!.score { best = (Int32(index), score) }
        }
        guard let best else { return nil }
        let sentence = compiled.sentences[Int(best.index)]
        guard let final = run(sentence, relaxed: true) else { return nil }
        return assemble(sentence, final: final, complete: false)
    }

    mutating func nearMatches() -> [(IntentMatch, Int32)] {
        guard n <= Self.maxNearWords else { return [] }
        // Score sentences by the rare words they share with the text (inverse document frequency). Very common
        // words only count when the rare ones found too few sentences.
        var weights = [Float](repeating: 0, count: compiled.sentences.count)
        var touched: [Int32] = []
        let common = max(64, compiled.sentences.count / 8)
        var byRarity: [(word: Int32, count: Int)] = []
        for word in present {
            if let posting = compiled.postings[word] { byRarity.append((word, posting.count)) }
        }
        byRarity.sort { $0.count != $1.count ? $0.count < $1.count : $0.word < $1.word }
        for (word, count) in byRarity {
            if count > common && touched.count >= Self.nearCandidateCount { break }
            let weight = Float(1 / log(2 + Double(count)))
            for sentence in compiled.postings[word]! {
                if weights[Int(sentence)] == 0 { touched.append(sentence) }
                weights[Int(sentence)] += weight
            }
        }
        // The best few, ties broken by sentence order.
        var top: [(Int32, Float)] = []
        for sentence in touched {
            let weight = weights[Int(sentence)]
            if top.count == Self.nearCandidateCount {
                let last = top[top.count - 1]
                guard weight > last.1 || (weight == last.1 && sentence < last.0) else { continue }
                top.removeLast()
            }
            let position = top.firstIndex { weight > $0.1 || (weight == $0.1 && sentence < $0.0) } ?? top.count
            top.insert((sentence, weight), at: position)
        }
        // First pass: the alignment score of each candidate; second pass: build answers for the best few intents.
        var scored: [(index: Int32, score: Int32)] = []
        for (index, _) in top {
            let sentence = compiled.sentences[Int(index)]
            guard externalContextAllows(compiled.blocks[Int(sentence.block)]) else { continue }
            if let final = run(sentence, relaxed: true) { scored.append((index, table.score[final])) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        var results: [(IntentMatch, Int32)] = []
        var intentsSeen = Set<Int32>()
        for (index, _) in scored where intentsSeen.count < Self.nearAnswers {
            let sentence = compiled.sentences[Int(index)]
            guard !intentsSeen.contains(sentence.intent), let final = run(sentence, relaxed: true),
                let match = assemble(sentence, final: final, complete: false)
            else { continue }
            intentsSeen.insert(sentence.intent)
            results.append((match, index))
        }
        return results
    }
}

extension SlotValue {
    /// The number inside a number, percentage or temperature.
    var numericValue: Double? {
        switch self {
        case .number(let value), .percentage(let value): return value
        case .temperature(let value, _): return value
        default: return nil
        }
    }
}

/// The dynamic-programming table of one match call: best score, back pointer, step kind and edge per cell.
/// Raw buffers (owned here, freed on deinit) keep the inner loop free of copy-on-write checks.
private final class DPTable {
    private(set) var capacity = 0
    private(set) var score = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var previous = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var step = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var via = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    func reserve(_ cells: Int) {
        guard cells > capacity else { return }
        let size = max(cells, capacity * 2, 256)
        for pointer in [score, previous, step, via] { pointer.deallocate() }
        score = .allocate(capacity: size)
        previous = .allocate(capacity: size)
        step = .allocate(capacity: size)
        via = .allocate(capacity: size)
        capacity = size
    }

    @inline(__always)
    func relax(from: Int, to: Int, _ value: Int32, _ kind: Int32, _ edge: Int32) {
        if value > score[to] {
            score[to] = value
            previous[to] = Int32(from)
            step[to] = kind
            via[to] = edge
        }
    }

    deinit {
        for pointer in [score, previous, step, via] { pointer.deallocate() }
    }
}
