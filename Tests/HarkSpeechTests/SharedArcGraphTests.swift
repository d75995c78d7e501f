import Foundation
import HarkSpeech
import Testing

/// ``SharedArcGraph``: the bundles of transitions a word graph repeats are shared through hubs, without changing
/// which sentences it holds or how probable each one is.
@Suite struct SharedArcGraphTests {
    /// A list reached from many places: every quantity and unit before the item repeats the items.
    static let grammar = """
        #JSGF V1.0;
        grammar shop;
        <item> = milk | eggs | bread | butter | cheese | apples | pears | rice | flour | sugar;
        <count> = a | one | two | three | four | five | six;
        <unit> = bag | bags | bottle | bottles | box | boxes;
        public <s> = (add | put) [<count>] [<unit> [of]] <item> [to my list] | remove <item>;
        """

    @Test func theGraphIsWrittenAsSphinxFSGText() throws {
        let shared = SharedArcGraph(try WordGraph(jsgf: Self.grammar))
        let lines = shared.fsgText(name: "shop").split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(4)) == ["FSG_BEGIN shop", "NUM_STATES \(shared.stateCount)", "START_STATE 0",
                                           "FINAL_STATE \(shared.finalState)"])
        #expect(lines.last == "FSG_END")
        let transitions = lines.filter { $0.hasPrefix("TRANSITION ") }.map { $0.split(separator: " ") }
        #expect(transitions.filter { $0.count == 5 }.count == shared.wordArcs.count)
        #expect(transitions.filter { $0.count == 4 }.count == shared.nullArcs.count)
        #expect(transitions.contains { $0.count == 5 && $0[4] == "milk" })
    }

    @Test func repeatedBundlesShareAHubAndTheSentencesStayTheSame() throws {
        let graph = try WordGraph(jsgf: Self.grammar)
        let shared = SharedArcGraph(graph)
        let unshared = SharedArcGraph(graph, sharing: false)
        #expect(shared.hubCount > 0)
        #expect(unshared.hubCount == 0)
        #expect(unshared.wordArcs.count == graph.arcs.count)
        #expect(shared.wordArcs.count + shared.nullArcs.count < graph.arcs.count * 3 / 4)

        let sentences = [
            "add milk", "put two bags of rice to my list", "add a bottle of milk", "remove sugar", "add six boxes flour",
            "put bread to my list",
        ]
        let nonsense = ["add", "remove two milk", "add milk milk", "put of rice", "add two bags of", "to my list"]
        for sentence in sentences + nonsense {
            let words = sentence.split(separator: " ").map(String.init)
            #expect(shared.accepts(words) == graph.accepts(words), "\(sentence)")
        }
        #expect(sentences.allSatisfy { shared.accepts($0.split(separator: " ").map(String.init)) })
    }

    /// A transition weight raises every probability to its power: 0 leaves the grammar a constraint only, every
    /// transition free; the sentences are the same.
    @Test func aTransitionWeightIsAPowerOfEveryProbability() throws {
        let graph = try WordGraph(jsgf: Self.grammar)
        let even = SharedArcGraph(graph)
        let lighter = SharedArcGraph(graph, transitionWeight: 0.25)
        let flat = SharedArcGraph(graph, transitionWeight: 0)
        #expect(lighter.wordArcs.map(\.word) == even.wordArcs.map(\.word))
        for (weighted, arc) in zip(lighter.wordArcs, even.wordArcs) {
            #expect(abs(weighted.probability - pow(arc.probability, 0.25)) < 1e-12)
        }
        #expect(even.wordArcs.contains { $0.probability < 0.2 })
        #expect(flat.wordArcs.allSatisfy { $0.probability == 1 } && flat.nullArcs.allSatisfy { $0.probability == 1 })
        #expect(flat.accepts(["put", "two", "bags", "of", "rice"]) && !flat.accepts(["put", "of", "rice"]))
    }

    @Test func everyStatesChoicesStillAddUpToOne() throws {
        let shared = SharedArcGraph(try WordGraph(jsgf: Self.grammar))
        var total = [Double](repeating: 0, count: shared.stateCount)
        for arc in shared.wordArcs { total[arc.from] += arc.probability }
        for arc in shared.nullArcs { total[arc.from] += arc.probability }
        for state in 0..<shared.finalState {
            #expect(abs(total[state] - 1) < 1e-9, "state \(state): \(total[state])")
        }
        #expect(total[shared.finalState] == 0)
        // Only one null transition in a row: a hub has word transitions only.
        let nullTargets = Set(shared.nullArcs.map(\.to))
        #expect(shared.nullArcs.allSatisfy { !nullTargets.contains($0.from) })
    }
}
