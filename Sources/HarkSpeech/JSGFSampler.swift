/// Random sentences of a JSGF grammar (Hark's subset, as ``WordGraph`` reads it), for training a statistical
/// language model on what the grammar says.
///
/// Each alternative is taken with equal chance, an optional part half the time, a repeat once more with chance ½.
/// A path through `<VOID>` (or an excluded word) is impossible: the sentence is drawn again.
public struct JSGFSampler: Sendable {
    private let rules: JSGFRules
    private var excluded: Set<String>

    /// Parses `text`.
    /// - Throws: ``SpeechError`` when the grammar has no public rule.
    public init(jsgf text: String, name: String = "grammar", excluding excluded: Set<String> = []) throws {
        rules = try JSGFRules(text, source: name)
        self.excluded = excluded
    }

    /// The same grammar with `words` also excluded (no second parse).
    public func excluding(_ words: Set<String>) -> JSGFSampler {
        var copy = self
        copy.excluded.formUnion(words)
        return copy
    }

    /// Every word some rule has (excluded words left out).
    public var words: Set<String> {
        var result: Set<String> = []
        func collect(_ expansion: JSGFRules.Expansion) {
            switch expansion {
            case .word(let word): result.insert(word)
            case .reference: break
            case .sequence(let items), .alternatives(let items): items.forEach(collect)
            case .optional(let inner), .repeated(let inner, _): collect(inner)
            }
        }
        rules.rules.values.forEach(collect)
        return result.subtracting(excluded)
    }

    /// `count` sentences (as words); fewer when the grammar has no possible sentence, nil-free.
    /// - Throws: ``SpeechError`` when the grammar refers to an undefined rule.
    public func sentences<G: RandomNumberGenerator>(count: Int, using random: inout G) throws -> [[String]] {
        var result: [[String]] = []
        result.reserveCapacity(count)
        var failures = 0
        while result.count < count && failures < 100 * max(1, count) {
            var words: [String] = []
            if try walk(.reference(rules.publicRule), into: &words, using: &random, depth: 0) {
                result.append(words)
            } else {
                failures += 1
            }
        }
        return result
    }

    /// Appends one random path of `expansion`; false when the path is impossible.
    private func walk<G: RandomNumberGenerator>(
        _ expansion: JSGFRules.Expansion, into words: inout [String], using random: inout G, depth: Int
    ) throws -> Bool {
        switch expansion {
        case .word(let word):
            guard !excluded.contains(word) else { return false }
            words.append(word)
            return true
        case .reference(let name):
            switch name {
            case "NULL": return true
            case "VOID": return false
            default:
                guard let body = rules.rules[name] else {
                    throw SpeechError.grammarSyntax(source: name, line: nil, problem: "undefined rule <\(name)>")
                }
                guard depth < 64 else {
                    throw SpeechError.grammarSyntax(source: name, line: nil, problem: "rule <\(name)> refers to itself")
                }
                return try walk(body, into: &words, using: &random, depth: depth + 1)
            }
        case .sequence(let items):
            for item in items {
                guard try walk(item, into: &words, using: &random, depth: depth) else { return false }
            }
            return true
        case .alternatives(let items):
            return try walk(items[Int.random(in: 0..<items.count, using: &random)], into: &words, using: &random,
                depth: depth)
        case .optional(let inner):
            guard Bool.random(using: &random) else { return true }
            return try walk(inner, into: &words, using: &random, depth: depth)
        case .repeated(let inner, let atLeastOnce):
            var times = atLeastOnce ? 1 : 0
            while Bool.random(using: &random) && times < 4 { times += 1 }
            for _ in 0..<times {
                guard try walk(inner, into: &words, using: &random, depth: depth) else { return false }
            }
            return true
        }
    }
}
