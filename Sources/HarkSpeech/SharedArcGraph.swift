import Foundation

/// A ``WordGraph`` with its repeated bundles of transitions shared: what Hark hands to PocketSphinx's search.
///
/// A minimal deterministic graph still repeats a list wherever sentences reach it by different routes: in "add [a |
/// two | …] [bag | bottle | …] [of] <item>" every state before the item has its own transitions on every item word,
/// all into the same state. PocketSphinx's search builds a tree of phone models for every state's transitions, so
/// each repetition costs memory and, while it is active, time. Here every bundle of words that several states have
/// into the same state becomes one new *hub* state holding the bundle, reached from each of them by a null
/// transition. The sentences are the same, and so is every sentence's probability (the null transition carries the
/// bundle's share of its state's probability, the hub splits it evenly); a word sequence still has exactly one path.
///
/// Only one null transition is ever taken in a row (a hub has only word transitions), which is all PocketSphinx's
/// search follows without a transitive closure.
///
/// A transition weight below 1 raises every probability to that power (``init(_:sharing:transitionWeight:)``): the
/// even split says how many choices the author wrote, not how likely a person is to say each, and a long sentence
/// through big lists paid for every choice it made.
public struct SharedArcGraph: Sendable, Equatable {
    /// A transition on a word, with its probability.
    public struct WordArc: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var word: String
        public var probability: Double
    }

    /// A transition on no word (into a hub, or into the one final state), with its probability.
    public struct NullArc: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var probability: Double
    }

    /// The graph in Sphinx's FSG text format (`FSG_BEGIN` … `FSG_END`, a transition without a word is a null
    /// transition), so that another decoder (python `pocketsphinx` 5's `fsg` setting) can search the same graph.
    public func fsgText(name: String) -> String {
        var lines = ["FSG_BEGIN \(name)", "NUM_STATES \(stateCount)", "START_STATE 0", "FINAL_STATE \(finalState)"]
        for arc in wordArcs { lines.append("TRANSITION \(arc.from) \(arc.to) \(arc.probability) \(arc.word)") }
        for arc in nullArcs { lines.append("TRANSITION \(arc.from) \(arc.to) \(arc.probability)") }
        lines.append("FSG_END")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Transitions a hub must save to be made.
    public static let minimumSaving = 20

    /// States: the word graph's, then the hubs, then the single final state.
    public private(set) var stateCount: Int
    /// The single final state (every final state of the word graph reaches it by a null transition).
    public var finalState: Int { stateCount - 1 }
    /// How many hubs were made.
    public private(set) var hubCount: Int
    public private(set) var wordArcs: [WordArc]
    public private(set) var nullArcs: [NullArc]

    /// Shares the bundles of `graph` that save transitions: a bundle of `k` words that `n` states have into the same
    /// state is shared when the `n × k` transitions exceed the `n + k` that sharing leaves by at least
    /// ``minimumSaving`` (every state costs PocketSphinx's search time in every frame, used or not). Every
    /// probability is raised to the power `transitionWeight` (1: the even split; 0: every transition free, the
    /// grammar a constraint only).
    public init(_ graph: WordGraph, sharing: Bool = true, transitionWeight: Double = 1) {
        // Each state's choices (its transitions and, for a final state, ending) share its probability evenly.
        var choices = [Int](repeating: 0, count: graph.stateCount)
        for arc in graph.arcs { choices[arc.from] += 1 }
        for state in graph.finalStates { choices[state] += 1 }

        struct Bundle: Hashable {
            var to: Int
            var words: [String]
        }
        var bundleOf: [Int: [Int: [String]]] = [:]  // from → to → words
        for arc in graph.arcs { bundleOf[arc.from, default: [:]][arc.to, default: []].append(arc.word) }
        var sources: [Bundle: [Int]] = [:]
        for (from, byTarget) in bundleOf {
            for (to, words) in byTarget where words.count >= 2 {
                sources[Bundle(to: to, words: words.sorted()), default: []].append(from)
            }
        }
        let shared = sources.filter { bundle, from in
            sharing && from.count * bundle.words.count - (from.count + bundle.words.count) >= Self.minimumSaving
        }
        .sorted {
            $0.key.to != $1.key.to ? $0.key.to < $1.key.to : $0.key.words.lexicographicallyPrecedes($1.key.words)
        }

        var hubFor: [Int: [Int: Int]] = [:]  // from → to → hub
        var wordArcs: [WordArc] = []
        var nullArcs: [NullArc] = []
        var next = graph.stateCount
        for (bundle, from) in shared {
            let hub = next
            next += 1
            for state in from.sorted() {
                hubFor[state, default: [:]][bundle.to] = hub
                nullArcs.append(
                    NullArc(
                        from: state, to: hub,
                        probability: Double(bundle.words.count) / Double(choices[state])))
            }
            for word in bundle.words {
                wordArcs.append(
                    WordArc(from: hub, to: bundle.to, word: word, probability: 1 / Double(bundle.words.count)))
            }
        }
        for arc in graph.arcs where hubFor[arc.from]?[arc.to] == nil {
            wordArcs.append(
                WordArc(from: arc.from, to: arc.to, word: arc.word, probability: 1 / Double(choices[arc.from])))
        }
        let final = next
        for state in graph.finalStates {
            nullArcs.append(NullArc(from: state, to: final, probability: 1 / Double(choices[state])))
        }
        if transitionWeight != 1 {
            for index in wordArcs.indices {
                wordArcs[index].probability = pow(wordArcs[index].probability, transitionWeight)
            }
            for index in nullArcs.indices {
                nullArcs[index].probability = pow(nullArcs[index].probability, transitionWeight)
            }
        }
        self.stateCount = final + 1
        self.hubCount = shared.count
        self.wordArcs = wordArcs
        self.nullArcs = nullArcs
    }

    /// Whether `words` lead from the start state to the final state (a check of the sharing, for tests).
    public func accepts(_ words: [String]) -> Bool {
        var wordsFrom: [Int: [(String, Int)]] = [:]
        for arc in wordArcs { wordsFrom[arc.from, default: []].append((arc.word, arc.to)) }
        var nullsFrom: [Int: [Int]] = [:]
        for arc in nullArcs { nullsFrom[arc.from, default: []].append(arc.to) }
        func closure(_ states: Set<Int>) -> Set<Int> {
            states.union(states.flatMap { nullsFrom[$0] ?? [] })
        }
        var states = closure([0])
        for word in words {
            states = closure(Set(states.flatMap { (wordsFrom[$0] ?? []).filter { $0.0 == word }.map(\.1) }))
            if states.isEmpty { return false }
        }
        return states.contains(finalState)
    }
}
