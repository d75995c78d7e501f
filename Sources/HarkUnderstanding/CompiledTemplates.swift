/// The immutable, compiled form of every skill's templates: a token graph per sentence, value tries, indexes.
///
/// Each sentence is a small graph (an NFA over word ids) whose nodes are numbered so that every edge goes from a
/// lower to a higher node; rules are inlined, lists stay single slot edges. Lists of values are tries over word ids.
/// Sentences are indexed by their rarest required word, so a match only visits sentences whose required words
/// all occur in the input.
final class CompiledTemplates: Sendable {
    enum EdgeKind: UInt8, Sendable {
        case epsilon, word, slot
    }

    struct Edge: Sendable {
        let kind: EdgeKind
        /// Local node id inside the sentence.
        let target: Int32
        /// Word id for `.word`, slot edge id for `.slot`.
        let label: Int32
    }

    struct SlotEdge: Sendable {
        let slotName: String
        let list: Int32
        let isWildcard: Bool
    }

    struct List: Sendable {
        enum Kind: Sendable {
            case values(trieRoot: Int32)
            case range(NumberRange)
            case wildcard
            case builtin(BuiltinSlotType)
        }

        let name: String
        let skill: Int32
        let kind: Kind
        let multiple: Bool
    }

    struct Value: Sendable {
        let value: SlotValue
        let context: [String: String]
    }

    struct Block: Sendable {
        let fixedSlots: [String: SlotValue]
        let requiresContext: [String: ContextRequirement]
        let excludesContext: [String: [String]]
        var hasContextRules: Bool { !requiresContext.isEmpty || !excludesContext.isEmpty }
    }

    struct Intent: Sendable {
        let skill: Int32
        let name: String
    }

    struct Sentence: Sendable {
        let skill: Int32
        let intent: Int32
        let block: Int32
        /// Position in file order inside the skill (ties are broken by it).
        let order: Int32
        let template: TemplateText
        let nodeBase: Int32
        let nodeCount: Int32
        /// Word ids that every path through the sentence contains.
        let required: [Int32]
        /// Words and slot edges that can come first.
        let firstWords: [Int32]
        let firstSlots: [Int32]
    }

    let skills: [String]
    let resolved: [ResolvedSkill]
    let words: [String]
    let wordIds: [String: Int32]
    let edgeStart: [Int32]
    let edges: [Edge]
    let slotEdges: [SlotEdge]
    let lists: [List]
    let trieChildren: [UInt64: Int32]
    let trieValues: [[Int32]]
    let values: [Value]
    let blocks: [Block]
    let intents: [Intent]
    let sentences: [Sentence]
    /// Sentences by their rarest required word.
    let anchored: [Int32: [Int32]]
    /// Sentences without a required word.
    let unanchored: [Int32]
    /// Sentences by every literal word they contain (for near misses).
    let postings: [Int32: [Int32]]
    /// Skip phrases (word ids) per skill, engine-wide ones included.
    let skipPhrases: [[[Int32]]]
    /// Every skip phrase of every skill.
    let allSkipPhrases: [[Int32]]

    func wordId(_ word: String) -> Int32 { wordIds[word] ?? -1 }

    static func trieKey(_ node: Int32, _ word: Int32) -> UInt64 { UInt64(UInt32(node)) << 32 | UInt64(UInt32(word)) }

    init(skills skillTemplates: [SkillTemplates], defaultSkipWords: [String]) throws {
        var builder = Builder()
        var resolvedSkills: [ResolvedSkill] = []
        for (skillIndex, templates) in skillTemplates.enumerated() {
            let resolved = try ResolvedSkill(templates)
            resolvedSkills.append(resolved)
            builder.add(resolved, skill: Int32(skillIndex))
        }
        skills = skillTemplates.map(\.skill)
        resolved = resolvedSkills

        var skipPhrases: [[[Int32]]] = []
        var allSkip = Set<[Int32]>()
        let defaults = defaultSkipWords.map { builder.ids(TextNormalizer.words($0)) }.filter { !$0.isEmpty }
        for templates in skillTemplates {
            var phrases = defaults
            for word in templates.skipWords {
                let ids = builder.ids(TextNormalizer.words(word))
                if !ids.isEmpty && !phrases.contains(ids) { phrases.append(ids) }
            }
            skipPhrases.append(phrases)
            allSkip.formUnion(phrases)
        }
        allSkip.formUnion(defaults)
        self.skipPhrases = skipPhrases
        allSkipPhrases = allSkip.sorted { $0.lexicographicallyPrecedes($1) }

        words = builder.words
        wordIds = builder.wordIds
        var edgeStart = builder.edgeStart
        edgeStart.append(Int32(builder.edges.count))
        self.edgeStart = edgeStart
        edges = builder.edges
        slotEdges = builder.slotEdges
        lists = builder.lists
        trieChildren = builder.trieChildren
        trieValues = builder.trieValues
        values = builder.values
        blocks = builder.blocks
        intents = builder.intents
        sentences = builder.sentences

        // Index by the rarest required word.
        var frequency: [Int32: Int] = [:]
        var postings: [Int32: [Int32]] = [:]
        for (index, sentence) in builder.sentences.enumerated() {
            for word in sentence.required { frequency[word, default: 0] += 1 }
            for word in builder.literalWords[index] { postings[word, default: []].append(Int32(index)) }
        }
        var anchored: [Int32: [Int32]] = [:]
        var unanchored: [Int32] = []
        for (index, sentence) in builder.sentences.enumerated() {
            if let anchor = sentence.required.min(by: { (frequency[$0]!, $0) < (frequency[$1]!, $1) }) {
                anchored[anchor, default: []].append(Int32(index))
            } else {
                unanchored.append(Int32(index))
            }
        }
        self.anchored = anchored
        self.unanchored = unanchored
        self.postings = postings
    }

    // MARK: Building

    private struct Builder {
        var words: [String] = []
        var wordIds: [String: Int32] = [:]
        var edgeStart: [Int32] = []
        var edges: [Edge] = []
        var slotEdges: [SlotEdge] = []
        var lists: [List] = []
        var trieChildren: [UInt64: Int32] = [:]
        var trieValues: [[Int32]] = []
        var values: [Value] = []
        var blocks: [Block] = []
        var intents: [Intent] = []
        var sentences: [Sentence] = []
        var literalWords: [[Int32]] = []
        var currentListIds: [String: Int32] = [:]

        mutating func id(_ word: String) -> Int32 {
            if let id = wordIds[word] { return id }
            let id = Int32(words.count)
            words.append(word)
            wordIds[word] = id
            return id
        }

        mutating func ids(_ words: [String]) -> [Int32] { words.map { id($0) } }

        mutating func newTrieNode() -> Int32 {
            trieValues.append([])
            return Int32(trieValues.count - 1)
        }

        mutating func add(_ skill: ResolvedSkill, skill skillIndex: Int32) {
            let templates = skill.templates
            currentListIds = [:]
            var intentIds: [Int32] = []
            var blockIds: [[Int32]] = []
            for intent in templates.intents {
                intentIds.append(Int32(intents.count))
                intents.append(Intent(skill: skillIndex, name: intent.name))
                var ids: [Int32] = []
                for block in intent.data {
                    ids.append(Int32(blocks.count))
                    blocks.append(
                        Block(
                            fixedSlots: block.fixedSlots,
                            requiresContext: block.requiresContext,
                            excludesContext: block.excludesContext
                        )
                    )
                }
                blockIds.append(ids)
            }

            for (order, sentence) in skill.sentences.enumerated() {
                var graph = SentenceGraph()
                let end = graph.build(
                    sentence.expression,
                    from: graph.newNode(),
                    skill: skill,
                    skillIndex: skillIndex,
                    builder: &self
                )
                precondition(end == graph.nodes.count - 1, "the end node of a sentence is its last node")
                let nodeBase = Int32(edgeStart.count)
                for nodeEdges in graph.nodes {
                    edgeStart.append(Int32(edges.count))
                    edges.append(contentsOf: nodeEdges)
                }
                let (firstWords, firstSlots) = graph.firstEdges()
                var required = Array(graph.required(sentence.expression, skill: skill, builder: &self))
                required.sort()
                literalWords.append(
                    Array(Set(graph.nodes.flatMap { $0.filter { $0.kind == .word }.map(\.label) }))
                        .sorted()
                )
                sentences.append(
                    Sentence(
                        skill: skillIndex,
                        intent: intentIds[sentence.intentIndex],
                        block: blockIds[sentence.intentIndex][sentence.dataIndex],
                        order: Int32(order),
                        template: sentence.template,
                        nodeBase: nodeBase,
                        nodeCount: Int32(graph.nodes.count),
                        required: required,
                        firstWords: firstWords,
                        firstSlots: firstSlots
                    )
                )
            }
        }

        /// The compiled id of the skill's list `name` (compiled on first use; implicit built-in lists included).
        mutating func listId(_ name: String, skill: ResolvedSkill, skillIndex: Int32) -> Int32 {
            if let id = currentListIds[name] { return id }
            let list = skill.list(named: name)!
            let kind: List.Kind
            switch list.kind {
            case .values(let listValues):
                let root = newTrieNode()
                for (valueIndex, value) in listValues.enumerated() {
                    let compiledValue = Int32(values.count)
                    values.append(Value(value: value.value, context: value.context))
                    for spelling in skill.valueSpellings[name]![valueIndex] {
                        var node = root
                        for word in spelling {
                            let key = CompiledTemplates.trieKey(node, id(word))
                            if let child = trieChildren[key] {
                                node = child
                            } else {
                                let child = newTrieNode()
                                trieChildren[key] = child
                                node = child
                            }
                        }
                        if !trieValues[Int(node)].contains(compiledValue) {
                            trieValues[Int(node)].append(compiledValue)
                        }
                    }
                }
                kind = .values(trieRoot: root)
            case .range(let range): kind = .range(range)
            case .wildcard: kind = .wildcard
            case .builtin(let type): kind = .builtin(type)
            }
            let id = Int32(lists.count)
            lists.append(List(name: name, skill: skillIndex, kind: kind, multiple: list.multiple))
            currentListIds[name] = id
            return id
        }

        mutating func addSlotEdge(_ name: String, list: Int32) -> Int32 {
            var isWildcard = false
            if case .wildcard = lists[Int(list)].kind { isWildcard = true }
            slotEdges.append(SlotEdge(slotName: name, list: list, isWildcard: isWildcard))
            return Int32(slotEdges.count - 1)
        }
    }

    /// One sentence's graph while it is built: edges per local node.
    private struct SentenceGraph {
        var nodes: [[Edge]] = []

        mutating func newNode() -> Int {
            nodes.append([])
            return nodes.count - 1
        }

        mutating func edge(_ from: Int, _ kind: EdgeKind, _ to: Int, _ label: Int32) {
            nodes[from].append(Edge(kind: kind, target: Int32(to), label: label))
        }

        /// Adds `expression` starting at `start`; returns its end node (always the newest node).
        mutating func build(
            _ expression: TemplateExpression,
            from start: Int,
            skill: ResolvedSkill,
            skillIndex: Int32,
            builder: inout Builder
        ) -> Int {
            switch expression {
            case .empty:
                let end = newNode()
                edge(start, .epsilon, end, -1)
                return end
            case .words(let words):
                var node = start
                for word in words {
                    let next = newNode()
                    edge(node, .word, next, builder.id(word))
                    node = next
                }
                return node
            case .slot(let reference):
                let list = builder.listId(reference.listName, skill: skill, skillIndex: skillIndex)
                let label = builder.addSlotEdge(reference.slotName, list: list)
                let end = newNode()
                edge(start, .slot, end, label)
                return end
            case .rule(let reference):
                return build(
                    skill.rules[reference.name]!,
                    from: start,
                    skill: skill,
                    skillIndex: skillIndex,
                    builder: &builder
                )
            case .sequence(let items):
                var node = start
                for item in items {
                    node = build(item, from: node, skill: skill, skillIndex: skillIndex, builder: &builder)
                }
                return node
            case .alternatives(let items):
                var ends: [Int] = []
                var hasEmpty = false
                for item in items {
                    if item == .empty {
                        hasEmpty = true
                        continue
                    }
                    ends.append(build(item, from: start, skill: skill, skillIndex: skillIndex, builder: &builder))
                }
                let join = newNode()
                for end in ends { edge(end, .epsilon, join, -1) }
                if hasEmpty { edge(start, .epsilon, join, -1) }
                return join
            }
        }

        /// Words and slot edges reachable from node 0 through epsilon edges.
        func firstEdges() -> ([Int32], [Int32]) {
            var words = Set<Int32>()
            var slots = Set<Int32>()
            var stack = [0]
            var seen: Set<Int> = [0]
            while let node = stack.popLast() {
                for edge in nodes[node] {
                    switch edge.kind {
                    case .epsilon:
                        if seen.insert(Int(edge.target)).inserted { stack.append(Int(edge.target)) }
                    case .word: words.insert(edge.label)
                    case .slot: slots.insert(edge.label)
                    }
                }
            }
            return (words.sorted(), slots.sorted())
        }

        /// Words on every path through `expression`.
        func required(_ expression: TemplateExpression, skill: ResolvedSkill, builder: inout Builder) -> Set<Int32> {
            switch expression {
            case .empty, .slot: return []
            case .words(let words): return Set(words.map { builder.id($0) })
            case .rule(let reference): return required(skill.rules[reference.name]!, skill: skill, builder: &builder)
            case .sequence(let items):
                var union = Set<Int32>()
                for item in items { union.formUnion(required(item, skill: skill, builder: &builder)) }
                return union
            case .alternatives(let items):
                var intersection: Set<Int32>?
                for item in items {
                    let set = required(item, skill: skill, builder: &builder)
                    intersection = intersection.map { $0.intersection(set) } ?? set
                }
                return intersection ?? []
            }
        }
    }
}
