/// The finite-state word graph that PocketSphinx compiled from a grammar, used to tell whether an n-best entry
/// is a whole sentence of the grammar (the lattice's A* search also yields paths that stop part-way).
struct WordAutomaton {
    /// A transition; `word` is nil for a null (epsilon) transition.
    struct Arc {
        var target: Int
        var word: String?
    }

    var start: Int
    var final: Int
    /// Outgoing arcs of each state.
    var arcs: [[Arc]]

    /// Whether the words (fillers and alternate-pronunciation markers already removed) lead from start to final.
    func accepts(_ words: [String]) -> Bool {
        var states = closure([start])
        for word in words {
            var next: Set<Int> = []
            for state in states {
                for arc in arcs[state] {
                    if let label = arc.word, RecognitionEngine.baseWord(label) == word { next.insert(arc.target) }
                }
            }
            guard !next.isEmpty else { return false }
            states = closure(next)
        }
        return states.contains(final)
    }

    /// The states reachable through null transitions and filler words (silence, noise), which transcripts omit.
    private func closure(_ states: Set<Int>) -> Set<Int> {
        var reached = states
        var pending = Array(states)
        while let state = pending.popLast() {
            for arc in arcs[state] where arc.word.map(RecognitionEngine.isFiller) ?? true {
                if reached.insert(arc.target).inserted { pending.append(arc.target) }
            }
        }
        return reached
    }
}
