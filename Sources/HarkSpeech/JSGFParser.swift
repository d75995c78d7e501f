/// Hark's one JSGF parser: it checks a grammar before PocketSphinx sees it, and it gives the rules as expansion
/// trees to what compiles or samples them (``WordGraph``, ``JSGFSampler``).
///
/// sphinxbase's JSGF parser reports syntax errors only to its log, and with a wrong line number (its line counter
/// is not reset between parses), so Hark parses the grammar itself to say exactly where and what the problem is.
/// It covers the JSGF subset that sphinxbase accepts: the `#JSGF` header, `grammar`, `import`, rule definitions
/// with alternatives, weights (`/2.5/`), groups, optional parts, `*`, `+`, tags and comments. Weights and tags are
/// checked and left out of the trees (Hark's graphs do not use them).
struct JSGFParser {
    /// A problem found in a grammar, with its 1-based line.
    struct Problem: Error, Equatable {
        /// The line at fault; nil for problems of the grammar as a whole.
        var line: Int?
        var message: String
    }

    /// What the parser learned about a well-formed grammar.
    struct Outline: Equatable {
        /// Names of the public rules, in order of definition.
        var publicRules: [String]
        /// Every rule defined, with the line of its definition.
        var ruleLines: [String: Int]
    }

    private enum TokenKind: Equatable {
        case word(String)  // bare or quoted token
        case ruleName(String)  // <name>
        case weight  // /number/
        case tag  // {...}
        case symbol(Character)  // ; = | * + ( ) [ ]
        case end
    }

    private struct Token {
        var kind: TokenKind
        var line: Int

        var display: String {
            switch kind {
            case .word(let word): "'\(word)'"
            case .ruleName(let name): "<\(name)>"
            case .weight: "a weight"
            case .tag: "a tag"
            case .symbol(let symbol): "'\(symbol)'"
            case .end: "the end of the grammar"
            }
        }
    }

    private static let delimiters: Set<Character> = [";", "=", "|", "*", "+", "<", ">", "(", ")", "[", "]", "{", "}",
        "/", "\""]

    /// Checks `text` as PocketSphinx will decode it (one public rule) and returns its outline, or throws the first
    /// ``Problem``.
    static func check(_ text: String) throws(Problem) -> Outline {
        let parsed = try parse(text)
        if parsed.outline.publicRules.count > 1 {
            let lines = parsed.outline.publicRules.map { ($0, parsed.outline.ruleLines[$0] ?? 0) }
            let listed = lines.map { "<\($0.0)> (line \($0.1))" }.joined(separator: ", ")
            throw Problem(
                line: lines[1].1,
                message: "\(lines.count) public rules: \(listed); PocketSphinx decodes one, "
                    + "so make all but <\(lines[0].0)> private")
        }
        return parsed.outline
    }

    /// Parses `text` into its outline and rules (the first public rule is the grammar's), or throws the first
    /// ``Problem``.
    static func parse(_ text: String) throws(Problem) -> (outline: Outline, rules: [String: JSGFRules.Expansion]) {
        var scanner = Scanner(characters: Array(text))
        try scanner.skipTrivia()
        let headerLine = scanner.line
        guard scanner.consume("#JSGF") else {
            throw Problem(line: headerLine, message: "expected the header '#JSGF V1.0;' first")
        }
        // The header runs to the first ';': version, then optional encoding and locale.
        while let character = scanner.peek(), character != ";" {
            if character == "\n" {
                throw Problem(line: headerLine, message: "the '#JSGF' header must end with ';' on its line")
            }
            scanner.advance()
        }
        guard scanner.consume(";") else { throw Problem(line: headerLine, message: "the '#JSGF' header needs ';'") }

        var parser = Parser(tokens: try tokenize(&scanner))
        let outline = try parser.parseGrammar()
        return (outline, parser.rules)
    }

    private static func tokenize(_ scanner: inout Scanner) throws(Problem) -> [Token] {
        var tokens: [Token] = []
        while true {
            try scanner.skipTrivia()
            let line = scanner.line
            guard let character = scanner.peek() else {
                tokens.append(Token(kind: .end, line: line))
                return tokens
            }
            switch character {
            case "<":
                scanner.advance()
                var name = ""
                while let next = scanner.peek(), next != ">" {
                    if next.isWhitespace || delimiters.contains(next) {
                        throw Problem(line: scanner.line, message: "rule name '<\(name)' is not closed with '>'")
                    }
                    name.append(next)
                    scanner.advance()
                }
                guard scanner.consume(">") else {
                    throw Problem(line: line, message: "rule name '<\(name)' is not closed with '>'")
                }
                guard !name.isEmpty else { throw Problem(line: line, message: "empty rule name '<>'") }
                tokens.append(Token(kind: .ruleName(name), line: line))
            case "\"":
                scanner.advance()
                var word = ""
                while let next = scanner.peek(), next != "\"" {
                    if next == "\n" { break }
                    if next == "\\" { scanner.advance() }
                    if let escaped = scanner.peek() { word.append(escaped) }
                    scanner.advance()
                }
                guard scanner.consume("\"") else {
                    throw Problem(line: line, message: "quoted token is not closed with '\"'")
                }
                tokens.append(Token(kind: .word(word), line: line))
            case "/":
                scanner.advance()
                var number = ""
                while let next = scanner.peek(), next != "/" {
                    guard next.isNumber || next == "." else {
                        throw Problem(line: line, message: "a weight must be a number between slashes, like /2.5/")
                    }
                    number.append(next)
                    scanner.advance()
                }
                guard scanner.consume("/"), Double(number) != nil else {
                    throw Problem(line: line, message: "a weight must be a number between slashes, like /2.5/")
                }
                tokens.append(Token(kind: .weight, line: line))
            case "{":
                scanner.advance()
                while let next = scanner.peek(), next != "}" {
                    if next == "\\" { scanner.advance() }
                    scanner.advance()
                }
                guard scanner.consume("}") else { throw Problem(line: line, message: "tag '{' is not closed with '}'") }
                tokens.append(Token(kind: .tag, line: line))
            case "}", ">":
                throw Problem(line: line, message: "unexpected '\(character)'")
            case _ where delimiters.contains(character):
                scanner.advance()
                tokens.append(Token(kind: .symbol(character), line: line))
            default:
                var word = ""
                while let next = scanner.peek(), !next.isWhitespace, !delimiters.contains(next) {
                    word.append(next)
                    scanner.advance()
                }
                tokens.append(Token(kind: .word(word), line: line))
            }
        }
    }

    /// Walks characters, counting lines and skipping whitespace and comments.
    private struct Scanner {
        let characters: [Character]
        var index = 0
        var line = 1

        func peek(_ offset: Int = 0) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        mutating func advance() {
            if characters[index] == "\n" { line += 1 }
            index += 1
        }

        mutating func consume(_ literal: String) -> Bool {
            let literalCharacters = Array(literal)
            guard index + literalCharacters.count <= characters.count,
                Array(characters[index..<index + literalCharacters.count]) == literalCharacters
            else { return false }
            for _ in literalCharacters { advance() }
            return true
        }

        mutating func skipTrivia() throws(Problem) {
            while let character = peek() {
                if character.isWhitespace {
                    advance()
                } else if character == "/", peek(1) == "/" {
                    while let next = peek(), next != "\n" { _ = next; advance() }
                } else if character == "/", peek(1) == "*" {
                    let start = line
                    advance()
                    advance()
                    while peek() != nil, !(peek() == "*" && peek(1) == "/") { advance() }
                    guard consume("*/") else { throw Problem(line: start, message: "comment '/*' is not closed") }
                } else {
                    return
                }
            }
        }
    }

    /// Recursive-descent parser over the tokens.
    private struct Parser {
        let tokens: [Token]
        var index = 0
        var definitions: [String: Int] = [:]
        var publicRules: [(name: String, line: Int)] = []
        var references: [(name: String, line: Int)] = []
        var hasImports = false
        /// Each rule's expansion tree.
        var rules: [String: JSGFRules.Expansion] = [:]

        init(tokens: [Token]) { self.tokens = tokens }

        var current: Token { tokens[index] }

        mutating func next() -> Token {
            let token = tokens[index]
            if index < tokens.count - 1 { index += 1 }
            return token
        }

        mutating func expect(_ symbol: Character, _ context: String) throws(Problem) {
            guard current.kind == .symbol(symbol) else {
                throw Problem(line: current.line, message: "expected '\(symbol)' \(context), found \(current.display)")
            }
            _ = next()
        }

        mutating func parseGrammar() throws(Problem) -> Outline {
            guard current.kind == .word("grammar") else {
                throw Problem(
                    line: current.line, message: "expected 'grammar NAME;' after the header, found \(current.display)")
            }
            _ = next()
            guard case .word = current.kind else {
                throw Problem(line: current.line, message: "expected the grammar's name after 'grammar'")
            }
            _ = next()
            try expect(";", "after the grammar's name")
            while current.kind == .word("import") {
                _ = next()
                guard case .ruleName = current.kind else {
                    throw Problem(line: current.line, message: "expected <grammar.rule> after 'import'")
                }
                _ = next()
                try expect(";", "after the import")
                hasImports = true
            }
            while current.kind != .end {
                try parseRuleDefinition()
            }
            if !hasImports {
                for reference in references where definitions[reference.name] == nil {
                    if ["NULL", "VOID"].contains(reference.name) || reference.name.contains(".") { continue }
                    throw Problem(line: reference.line, message: "rule <\(reference.name)> is used but not defined")
                }
            }
            guard !publicRules.isEmpty else {
                throw Problem(line: nil, message: "the grammar has no public rule (write 'public <name> = ...;')")
            }
            return Outline(publicRules: publicRules.map(\.name), ruleLines: definitions)
        }

        mutating func parseRuleDefinition() throws(Problem) {
            var isPublic = false
            if current.kind == .word("public") {
                isPublic = true
                _ = next()
            }
            let start = current
            guard case .ruleName(let name) = start.kind else {
                throw Problem(
                    line: start.line, message: "expected a rule definition '<name> = ...;', found \(start.display)")
            }
            _ = next()
            if let earlier = definitions[name] {
                throw Problem(line: start.line, message: "rule <\(name)> is defined twice (first at line \(earlier))")
            }
            definitions[name] = start.line
            if isPublic { publicRules.append((name, start.line)) }
            try expect("=", "after <\(name)>")
            rules[name] = try parseAlternatives(closing: nil, rule: name)
            if current.kind == .symbol("="), index >= 3 {
                // The "reference" just read was the next rule's name: the ';' before it is missing.
                let last = tokens[index - 2].kind == .word("public") ? tokens[index - 3] : tokens[index - 2]
                throw Problem(
                    line: last.line,
                    message: "expected ';' at the end of rule <\(name)> (before the next rule at line \(current.line))")
            }
            try expect(";", "at the end of rule <\(name)>")
        }

        /// Alternatives up to `closing` (or ';' at the top level of a rule).
        mutating func parseAlternatives(closing: (symbol: Character, open: Token)?, rule: String) throws(Problem)
            -> JSGFRules.Expansion
        {
            var alternatives: [JSGFRules.Expansion] = []
            repeat {
                if current.kind == .symbol("|") { _ = next() }
                if current.kind == .weight { _ = next() }
                var items: [JSGFRules.Expansion] = []
                while let item = try parseItem(rule: rule) { items.append(item) }
                if items.isEmpty {
                    let place = current.kind == .end ? "at the end of the grammar" : "before \(current.display)"
                    throw Problem(line: current.line, message: "empty alternative in rule <\(rule)> \(place)")
                }
                alternatives.append(items.count == 1 ? items[0] : .sequence(items))
            } while current.kind == .symbol("|")
            if let closing {
                guard current.kind == .symbol(closing.symbol) else {
                    throw Problem(
                        line: current.line,
                        message: "expected '\(closing.symbol)' to close \(closing.open.display) from line "
                            + "\(closing.open.line), found \(current.display)")
                }
                _ = next()
            }
            return alternatives.count == 1 ? alternatives[0] : .alternatives(alternatives)
        }

        /// One item with its operators and tags; nil when the next token does not start an item.
        mutating func parseItem(rule: String) throws(Problem) -> JSGFRules.Expansion? {
            let token = current
            var item: JSGFRules.Expansion
            switch token.kind {
            case .word(let word):
                if word.isEmpty { throw Problem(line: token.line, message: "empty quoted token") }
                _ = next()
                item = .word(word)
            case .ruleName(let name):
                references.append((name, token.line))
                _ = next()
                item = .reference(name)
            case .symbol("("):
                _ = next()
                item = try parseAlternatives(closing: (")", token), rule: rule)
            case .symbol("["):
                _ = next()
                item = .optional(try parseAlternatives(closing: ("]", token), rule: rule))
            case .tag:
                throw Problem(line: token.line, message: "a tag must follow a word, rule or group")
            case .symbol("*"), .symbol("+"):
                throw Problem(line: token.line, message: "'\(token.display)' must follow a word, rule or group")
            default:
                return nil
            }
            while current.kind == .symbol("*") || current.kind == .symbol("+") || current.kind == .tag {
                if case .symbol(let symbol) = current.kind { item = .repeated(item, atLeastOnce: symbol == "+") }
                _ = next()
            }
            return item
        }
    }
}
