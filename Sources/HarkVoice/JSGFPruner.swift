/// Removes what cannot be said from a JSGF grammar: every alternative that needs an unspeakable word, `<VOID>` or
/// a rule that lost all its alternatives.
///
/// PocketSphinx's JSGF compiler treats `<VOID>` as "this whole rule is unspeakable", not "this alternative is":
/// one `<VOID>` in an intent's alternatives silences every sentence of the grammar. Hark's grammar uses `<VOID>`
/// for a wildcard without vocabulary and for a list with no value left, and some words may have
/// no pronunciation; the pruner rewrites each rule so that only the alternatives that need them go.
enum JSGFPruner {
    /// The grammar with every alternative that needs one of `unspeakable` (words), `<VOID>`, or a rule emptied
    /// this way, removed. Rules emptied entirely are left out; their names are returned.
    static func prune(_ grammar: String, unspeakable: Set<String>) -> (text: String, emptiedRules: [String]) {
        var header: [String] = []
        var rules: [(name: String, isPublic: Bool, body: Expansion)] = []
        for line in grammar.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasSuffix(";"), let equals = trimmed.firstIndex(of: "="), trimmed.contains("<"),
                !trimmed.hasPrefix("#"), !trimmed.hasPrefix("grammar ")
            else {
                header.append(String(line))
                continue
            }
            var left = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let isPublic = left.hasPrefix("public ")
            if isPublic { left.removeFirst("public ".count) }
            let name = left.trimmingCharacters(in: ["<", ">", " "])
            var parser = Parser(tokens: tokenize(trimmed[trimmed.index(after: equals)...].dropLast()))
            rules.append((name, isPublic, parser.alternatives()))
        }
        var dead = Set<String>()
        var pruned = rules.map(\.body)
        while true {
            var changed = false
            for index in rules.indices where !dead.contains(rules[index].name) {
                guard let body = Self.prune(rules[index].body, words: unspeakable, deadRules: dead) else {
                    dead.insert(rules[index].name)
                    changed = true
                    continue
                }
                pruned[index] = body
            }
            if !changed { break }
        }
        var lines = header
        while lines.last?.isEmpty == true { lines.removeLast() }
        for (index, rule) in rules.enumerated() where !dead.contains(rule.name) {
            lines.append((rule.isPublic ? "public " : "") + "<\(rule.name)> = \(pruned[index].text);")
        }
        return (lines.joined(separator: "\n") + "\n", dead.sorted())
    }

    // MARK: The expansion tree

    /// `a | b c | …`.
    struct Expansion {
        var alternatives: [[Item]]
        var text: String { alternatives.map { $0.map(\.text).joined(separator: " ") }.joined(separator: " | ") }
    }

    /// One element of a sequence, with its `*` or `+`.
    struct Item {
        enum Kind {
            case word(String)
            case reference(String)
            case group(Expansion, optional: Bool)
        }
        var kind: Kind
        var suffix = ""

        var text: String {
            switch kind {
            case .word(let word): return word + suffix
            case .reference(let name): return "<\(name)>" + suffix
            case .group(let inner, let optional): return (optional ? "[" : "(") + inner.text + (optional ? "]" : ")") + suffix
            }
        }
    }

    /// Nil when nothing of the expansion can be said.
    private static func prune(_ expansion: Expansion, words: Set<String>, deadRules: Set<String>) -> Expansion? {
        var kept: [[Item]] = []
        for sequence in expansion.alternatives {
            var items: [Item] = []
            var alive = true
            for item in sequence {
                switch item.kind {
                case .word(let word):
                    alive = !words.contains(word)
                    items.append(item)
                case .reference(let name):
                    alive = name != "VOID" && !deadRules.contains(name)
                    items.append(item)
                case .group(let inner, let optional):
                    if let inner = prune(inner, words: words, deadRules: deadRules) {
                        items.append(Item(kind: .group(inner, optional: optional), suffix: item.suffix))
                    } else if !optional && item.suffix != "*" {
                        alive = false
                    }
                }
                if !alive { break }
            }
            if alive && !items.isEmpty { kept.append(items) }
        }
        return kept.isEmpty ? nil : Expansion(alternatives: kept)
    }

    // MARK: Parsing

    private static func tokenize(_ text: Substring) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inReference = false
        for character in text {
            if inReference {
                current.append(character)
                if character == ">" {
                    tokens.append(current)
                    current = ""
                    inReference = false
                }
                continue
            }
            if character == "<" {
                if !current.isEmpty { tokens.append(current) }
                current = "<"
                inReference = true
            } else if "()[]|*+".contains(character) || character.isWhitespace {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if !character.isWhitespace { tokens.append(String(character)) }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private struct Parser {
        var tokens: [String]
        var position = 0

        mutating func alternatives() -> Expansion {
            var result: [[Item]] = [sequence()]
            while position < tokens.count, tokens[position] == "|" {
                position += 1
                result.append(sequence())
            }
            return Expansion(alternatives: result)
        }

        private mutating func sequence() -> [Item] {
            var items: [Item] = []
            while position < tokens.count, !["|", ")", "]"].contains(tokens[position]) {
                let token = tokens[position]
                position += 1
                var item: Item
                if token == "(" || token == "[" {
                    let inner = alternatives()
                    position += 1  // the closing bracket
                    item = Item(kind: .group(inner, optional: token == "["))
                } else if token.hasPrefix("<") {
                    item = Item(kind: .reference(String(token.dropFirst().dropLast())))
                } else {
                    item = Item(kind: .word(token))
                }
                if position < tokens.count, tokens[position] == "*" || tokens[position] == "+" {
                    item.suffix = tokens[position]
                    position += 1
                }
                items.append(item)
            }
            return items
        }
    }
}
