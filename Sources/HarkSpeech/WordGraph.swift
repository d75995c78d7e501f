/// A finite-state graph of words: the sentences a recognizer may hear, as states and word-labelled transitions.
///
/// Build one from a JSGF grammar with ``init(jsgf:)``: the rules are expanded, then the automaton is made
/// deterministic and minimal, so that sentences sharing a beginning share its states and sentences sharing an
/// ending share those. PocketSphinx's own JSGF compiler copies every rule at every reference and keeps the copies
/// apart; for Hark's skill grammars that gave tens of thousands of parallel paths, a search of several times real
/// time and wrong results as the beam pruned the right path among the copies.
public struct WordGraph: Sendable, Equatable {
    /// A transition on a word.
    public struct Arc: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var word: String
    }

    /// Number of states; 0 is the start state.
    public private(set) var stateCount: Int
    /// The states where a sentence may end.
    public private(set) var finalStates: [Int]
    /// Every transition, grouped by the state they leave (in state order).
    public private(set) var arcs: [Arc]
    /// Where each state's transitions start in `arcs` (one more entry than states: the end).
    private var firstArc: [Int]

    /// Every word on some transition.
    public var words: Set<String> { Set(arcs.map(\.word)) }

    /// Whether `words` is a sentence of the graph.
    public func accepts(_ words: [String]) -> Bool {
        var state = 0
        for word in words {
            guard let arc = arcs[firstArc[state]..<firstArc[state + 1]].first(where: { $0.word == word }) else {
                return false
            }
            state = arc.to
        }
        return finalStates.contains(state)
    }

    /// Compiles a JSGF grammar (Hark's subset: rules ending with `;`, of words, `<rule>` references, `( | )`, `[ ]`,
    /// `*`, `+`, `<NULL>`, `<VOID>`) from its public rule into a minimal deterministic graph.
    ///
    /// `<VOID>`, and every word in `excluded`, makes just the path through it impossible (PocketSphinx's own
    /// compiler silences the whole rule around a `<VOID>`).
    /// - Throws: ``SpeechError`` when the grammar has no public rule or refers to an undefined rule.
    public init(jsgf text: String, name: String = "grammar", excluding excluded: Set<String> = []) throws {
        let grammar = try JSGFRules(text, source: name)
        var nfa = NFA()
        nfa.excluded = excluded
        let start = nfa.addState()
        let end = nfa.addState()
        var expanding: Set<String> = []
        try nfa.expand(rule: grammar.publicRule, in: grammar, from: start, to: end, expanding: &expanding)
        nfa.starts = [start]
        nfa.finals = [end]
        let minimal = nfa.reversed().determinized().reversed().determinized()
        self.init(minimal, words: nfa.words)
    }

    private init(_ automaton: NFA, words: [String]) {
        stateCount = automaton.arcs.count
        finalStates = automaton.finals.sorted()
        arcs = automaton.arcs.enumerated().flatMap { state, out in
            out.map { Arc(from: state, to: Int($0.to), word: words[Int($0.label)]) }
        }
        firstArc = automaton.arcs.reduce(into: [0]) { starts, out in starts.append(starts.last! + out.count) }
    }
}

/// The rules of a JSGF text, parsed into expansion trees.
struct JSGFRules: Sendable {
    indirect enum Expansion: Sendable {
        case word(String)
        case reference(String)
        case sequence([Expansion])
        case alternatives([Expansion])
        case optional(Expansion)
        case repeated(Expansion, atLeastOnce: Bool)
    }

    var rules: [String: Expansion]
    var publicRule: String

    /// Parses `text` with ``JSGFParser``; its first public rule is the grammar's.
    /// - Throws: ``SpeechError`` naming `source` and the line of the first problem.
    init(_ text: String, source: String) throws {
        do {
            let parsed = try JSGFParser.parse(text)
            rules = parsed.rules
            publicRule = parsed.outline.publicRules[0]
        } catch {
            throw SpeechError.grammarSyntax(source: source, line: error.line, problem: error.message)
        }
    }
}

/// A nondeterministic automaton with null transitions (label -1), word labels as indexes into `words`.
private struct NFA {
    struct Transition: Hashable {
        var label: Int32
        var to: Int32
    }

    var arcs: [[Transition]] = []
    var starts: [Int] = []
    var finals: Set<Int> = []
    var words: [String] = []
    /// Words whose transitions are left out.
    var excluded: Set<String> = []
    private var wordIndex: [String: Int32] = [:]

    mutating func addState() -> Int {
        arcs.append([])
        return arcs.count - 1
    }

    mutating func add(_ from: Int, _ to: Int, word: String?) {
        var label: Int32 = -1
        if let word {
            if let known = wordIndex[word] {
                label = known
            } else {
                label = Int32(words.count)
                wordIndex[word] = label
                words.append(word)
            }
        }
        arcs[from].append(Transition(label: label, to: Int32(to)))
    }

    /// Adds paths for `expansion` from `from` to `to`. `<VOID>` adds nothing (the path is impossible).
    mutating func expand(
        _ expansion: JSGFRules.Expansion, in grammar: JSGFRules, from: Int, to: Int, expanding: inout Set<String>
    ) throws {
        switch expansion {
        case .word(let word):
            if !excluded.contains(word) { add(from, to, word: word) }
        case .reference(let name):
            switch name {
            case "NULL": add(from, to, word: nil)
            case "VOID": break
            default: try expand(rule: name, in: grammar, from: from, to: to, expanding: &expanding)
            }
        case .sequence(let items):
            var current = from
            for (index, item) in items.enumerated() {
                let next = index == items.count - 1 ? to : addState()
                try expand(item, in: grammar, from: current, to: next, expanding: &expanding)
                current = next
            }
        case .alternatives(let items):
            for item in items { try expand(item, in: grammar, from: from, to: to, expanding: &expanding) }
        case .optional(let inner):
            add(from, to, word: nil)
            try expand(inner, in: grammar, from: from, to: to, expanding: &expanding)
        case .repeated(let inner, let atLeastOnce):
            let loop = addState()
            add(from, loop, word: nil)
            let back = addState()
            try expand(inner, in: grammar, from: loop, to: back, expanding: &expanding)
            add(back, loop, word: nil)
            add(back, to, word: nil)
            if !atLeastOnce { add(from, to, word: nil) }
        }
    }

    mutating func expand(
        rule name: String, in grammar: JSGFRules, from: Int, to: Int, expanding: inout Set<String>
    ) throws {
        guard let body = grammar.rules[name] else {
            throw SpeechError.grammarSyntax(source: name, line: nil, problem: "undefined rule <\(name)>")
        }
        guard expanding.insert(name).inserted else {
            throw SpeechError.grammarSyntax(source: name, line: nil, problem: "rule <\(name)> refers to itself")
        }
        defer { expanding.remove(name) }
        try expand(body, in: grammar, from: from, to: to, expanding: &expanding)
    }

    /// The same language read backwards.
    func reversed() -> NFA {
        var result = NFA()
        result.words = words
        result.arcs = Array(repeating: [], count: arcs.count)
        for (state, out) in arcs.enumerated() {
            for transition in out {
                result.arcs[Int(transition.to)].append(Transition(label: transition.label, to: Int32(state)))
            }
        }
        result.starts = finals.sorted()
        result.finals = Set(starts)
        return result
    }

    /// An equivalent deterministic automaton without null transitions (subset construction); only reachable
    /// states, numbered from the start (0).
    func determinized() -> NFA {
        func closure(_ states: [Int32]) -> [Int32] {
            var seen = Set(states)
            var pending = states
            while let state = pending.popLast() {
                for transition in arcs[Int(state)] where transition.label < 0 && seen.insert(transition.to).inserted {
                    pending.append(transition.to)
                }
            }
            return seen.sorted()
        }
        var result = NFA()
        result.words = words
        var ids: [[Int32]: Int] = [:]
        var sets: [[Int32]] = []
        let first = closure(starts.map { Int32($0) })
        ids[first] = 0
        sets.append(first)
        result.arcs.append([])
        var index = 0
        while index < sets.count {
            let set = sets[index]
            if set.contains(where: { finals.contains(Int($0)) }) { result.finals.insert(index) }
            var byLabel: [Int32: [Int32]] = [:]
            for state in set {
                for transition in arcs[Int(state)] where transition.label >= 0 {
                    byLabel[transition.label, default: []].append(transition.to)
                }
            }
            for label in byLabel.keys.sorted() {
                let target = closure(byLabel[label]!)
                let id: Int
                if let known = ids[target] {
                    id = known
                } else {
                    id = sets.count
                    ids[target] = id
                    sets.append(target)
                    result.arcs.append([])
                }
                result.arcs[index].append(Transition(label: label, to: Int32(id)))
            }
            index += 1
        }
        result.starts = [0]
        return result
    }
}
