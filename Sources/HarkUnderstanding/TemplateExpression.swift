/// A reference to a slot inside a template: `{list}` or `{list:slot}`.
struct SlotReference: Sendable, Hashable {
    let listName: String
    let slotName: String
    /// Offset of the `{` in the template, in Unicode scalars.
    let offset: Int
}

/// A reference to an expansion rule: `<rule>`.
struct RuleReference: Sendable, Hashable {
    let name: String
    /// Offset of the `<` in the template, in Unicode scalars.
    let offset: Int
}

/// A parsed sentence template. Literal text is already normalised into words.
indirect enum TemplateExpression: Sendable, Hashable {
    case words([String])
    case sequence([TemplateExpression])
    /// One of the branches; an optional part has an `.empty` branch.
    case alternatives([TemplateExpression])
    case empty
    case slot(SlotReference)
    case rule(RuleReference)

    /// Parses a template. `location` is where its first character sits in the file; errors point inside.
    static func parse(_ text: String, at location: SourceLocation) throws -> TemplateExpression {
        var parser = TemplateParser(text: text, location: location)
        return try parser.parseTemplate()
    }

    /// Visits every slot reference in source order.
    func forEachSlot(_ body: (SlotReference) throws -> Void) rethrows {
        switch self {
        case .words, .empty, .rule: break
        case .slot(let reference): try body(reference)
        case .sequence(let items), .alternatives(let items): for item in items { try item.forEachSlot(body) }
        }
    }

    /// Visits every rule reference in source order.
    func forEachRule(_ body: (RuleReference) throws -> Void) rethrows {
        switch self {
        case .words, .empty, .slot: break
        case .rule(let reference): try body(reference)
        case .sequence(let items), .alternatives(let items): for item in items { try item.forEachRule(body) }
        }
    }
}

/// Recursive-descent parser for the template language (see TEMPLATES.md).
private struct TemplateParser {
    let text: String
    let scalars: [Unicode.Scalar]
    let location: SourceLocation
    var index = 0

    init(text: String, location: SourceLocation) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
        self.location = location
    }

    /// One item of a branch; `glued` is true when no whitespace separates it from the previous item.
    private enum Atom {
        case text(String, offset: Int)
        case group([[GluedAtom]], bars: [Int], optional: Bool, offset: Int)
        case slot(SlotReference)
        case rule(RuleReference)
    }

    private struct GluedAtom {
        let atom: Atom
        let glued: Bool
    }

    func error(_ message: String, at offset: Int) -> TemplateError {
        .syntax(message, template: text, at: location.advanced(by: offset))
    }

    mutating func parseTemplate() throws -> TemplateExpression {
        let (branches, bars) = try parseBranches(closer: nil, opener: nil)
        if branches.count == 1 && branches[0].isEmpty { throw error("empty template", at: 0) }
        if branches.count > 1, branches[branches.count - 1].isEmpty, let bar = bars.last {
            throw error("empty alternative", at: bar)
        }
        return try expression(forBranches: branches, bars: bars, optional: false, openerOffset: 0)
    }

    private static let specials: Set<Unicode.Scalar> = ["(", ")", "[", "]", "{", "}", "<", ">", "|"]

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (scalar.value >= 9 && scalar.value <= 13) : scalar.properties.isWhitespace
    }

    /// Parses `a | b | c` up to `closer` (consumed), returning each branch's atoms and the offsets of the bars.
    private mutating func parseBranches(
        closer: Unicode.Scalar?,
        opener: (Unicode.Scalar, Int)?
    ) throws
        -> ([[GluedAtom]], [Int])
    {
        var branches: [[GluedAtom]] = [[]]
        var bars: [Int] = []
        var glued = false
        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isWhitespace(scalar) {
                glued = false
                index += 1
                continue
            }
            let start = index
            switch scalar {
            case "|":
                bars.append(start)
                branches.append([])
                index += 1
                glued = false
                continue
            case ")", "]":
                guard let closer, let opener else { throw error("unbalanced '\(scalar)'", at: start) }
                guard scalar == closer else {
                    throw error(
                        "'\(opener.0)' at column \(location.column + opener.1) closed by '\(scalar)'",
                        at: start
                    )
                }
                index += 1
                return (branches, bars)
            case "}", ">":
                throw error("unbalanced '\(scalar)'", at: start)
            case "(", "[":
                index += 1
                let close: Unicode.Scalar = scalar == "(" ? ")" : "]"
                let (inner, innerBars) = try parseBranches(closer: close, opener: (scalar, start))
                branches[branches.count - 1].append(
                    GluedAtom(
                        atom: .group(inner, bars: innerBars, optional: scalar == "[", offset: start),
                        glued: glued
                    )
                )
            case "{":
                let name = try readName(closer: "}", opener: "{", start: start)
                let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count <= 2, parts.allSatisfy({ isValidName($0) }) else {
                    throw error("invalid slot reference '{\(name)}'", at: start)
                }
                let reference = SlotReference(
                    listName: parts[0],
                    slotName: parts.count == 2 ? parts[1] : parts[0],
                    offset: start
                )
                branches[branches.count - 1].append(GluedAtom(atom: .slot(reference), glued: glued))
            case "<":
                let name = try readName(closer: ">", opener: "<", start: start)
                guard isValidName(name) else { throw error("invalid rule reference '<\(name)>'", at: start) }
                branches[branches.count - 1].append(
                    GluedAtom(atom: .rule(RuleReference(name: name, offset: start)), glued: glued)
                )
            default:
                var end = index
                while end < scalars.count, !Self.isWhitespace(scalars[end]), !Self.specials.contains(scalars[end]) {
                    end += 1
                }
                let word = String(String.UnicodeScalarView(scalars[index..<end]))
                index = end
                branches[branches.count - 1].append(GluedAtom(atom: .text(word, offset: start), glued: glued))
            }
            glued = true
        }
        if let opener { throw error("unbalanced '\(opener.0)'", at: opener.1) }
        return (branches, bars)
    }

    private func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ($0.value >= 48 && $0.value <= 57) || $0 == "_" || $0 == "-" || $0 == "."
            }
    }

    private mutating func readName(closer: Unicode.Scalar, opener: Unicode.Scalar, start: Int) throws -> String {
        var end = start + 1
        while end < scalars.count, scalars[end] != closer {
            if Self.specials.contains(scalars[end]) || Self.isWhitespace(scalars[end]) {
                throw error("unbalanced '\(opener)'", at: start)
            }
            end += 1
        }
        guard end < scalars.count else { throw error("unbalanced '\(opener)'", at: start) }
        let name = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
        guard !name.isEmpty else {
            throw error(opener == "{" ? "empty slot reference '{}'" : "empty rule reference '<>'", at: start)
        }
        index = end + 1
        return name
    }

    // MARK: Building expressions

    private func expression(
        forBranches branches: [[GluedAtom]],
        bars: [Int],
        optional: Bool,
        openerOffset: Int
    ) throws
        -> TemplateExpression
    {
        if branches.allSatisfy({ $0.isEmpty }) {
            throw error(optional ? "empty optional '[]'" : "empty group '()'", at: openerOffset)
        }
        var alternatives: [TemplateExpression] = []
        for (position, branch) in branches.enumerated() {
            if branch.isEmpty {
                // `(a|b|)` is allowed as an optional; any other empty branch is a mistake.
                if position == branches.count - 1 && !optional {
                    alternatives.append(.empty)
                    continue
                }
                throw error("empty alternative", at: bars[min(position, bars.count - 1)])
            }
            alternatives.append(try expression(forBranch: branch))
        }
        if optional { alternatives.append(.empty) }
        return alternatives.count == 1 ? alternatives[0] : .alternatives(alternatives)
    }

    private func expression(forBranch branch: [GluedAtom]) throws -> TemplateExpression {
        // Group glued atoms into words: `light[s]` is one word with two spellings.
        var groups: [[GluedAtom]] = []
        for item in branch {
            if item.glued, !groups.isEmpty { groups[groups.count - 1].append(item) } else { groups.append([item]) }
        }
        var items: [TemplateExpression] = []
        for group in groups {
            if group.count == 1 {
                let converted = try expression(for: group[0].atom)
                if converted != .empty { items.append(converted) }
            } else {
                items.append(try gluedExpression(group))
            }
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private func expression(for atom: Atom) throws -> TemplateExpression {
        switch atom {
        case .text(let text, _):
            let words = TextNormalizer.words(text)
            return words.isEmpty ? .empty : .words(words)
        case .group(let branches, let bars, let optional, let offset):
            return try expression(forBranches: branches, bars: bars, optional: optional, openerOffset: offset)
        case .slot(let reference): return .slot(reference)
        case .rule(let reference): return .rule(reference)
        }
    }

    private static let maxGluedSpellings = 256

    /// Spells out glued text like `light[s]` or `(kitchen|bath)room` as alternatives of whole words.
    private func gluedExpression(_ group: [GluedAtom]) throws -> TemplateExpression {
        var spellings = [""]
        for item in group {
            let options = try strings(for: item.atom)
            var next: [String] = []
            for prefix in spellings {
                for option in options { next.append(prefix + option) }
            }
            spellings = next
            guard spellings.count <= Self.maxGluedSpellings else {
                throw error(
                    "too many spellings (over \(Self.maxGluedSpellings)) in one word",
                    at: offset(of: group[0].atom)
                )
            }
        }
        var seen = Set<[String]>()
        var alternatives: [TemplateExpression] = []
        for spelling in spellings {
            let words = TextNormalizer.words(spelling)
            guard seen.insert(words).inserted else { continue }
            alternatives.append(words.isEmpty ? .empty : .words(words))
        }
        return alternatives.count == 1 ? alternatives[0] : .alternatives(alternatives)
    }

    private func offset(of atom: Atom) -> Int {
        switch atom {
        case .text(_, let offset), .group(_, _, _, let offset): return offset
        case .slot(let reference): return reference.offset
        case .rule(let reference): return reference.offset
        }
    }

    /// The written forms of a text-only atom.
    private func strings(for atom: Atom) throws -> [String] {
        switch atom {
        case .text(let text, _): return [text]
        case .slot(let reference):
            throw error("a slot must be separated from the words around it by spaces", at: reference.offset)
        case .rule(let reference):
            throw error("a rule must be separated from the words around it by spaces", at: reference.offset)
        case .group(let branches, let bars, let optional, let offset):
            if branches.allSatisfy({ $0.isEmpty }) {
                throw error(optional ? "empty optional '[]'" : "empty group '()'", at: offset)
            }
            var result: [String] = []
            for (position, branch) in branches.enumerated() {
                if branch.isEmpty && !(position == branches.count - 1 && !optional) {
                    throw error("empty alternative", at: bars[min(position, bars.count - 1)])
                }
                var spellings = [""]
                for (index, item) in branch.enumerated() {
                    let separator = index > 0 && !item.glued ? " " : ""
                    let options = try strings(for: item.atom)
                    spellings = spellings.flatMap { prefix in options.map { prefix + separator + $0 } }
                    guard spellings.count <= Self.maxGluedSpellings else {
                        throw error("too many spellings (over \(Self.maxGluedSpellings)) in one word", at: offset)
                    }
                }
                result.append(contentsOf: spellings)
            }
            if optional { result.append("") }
            return result
        }
    }
}
