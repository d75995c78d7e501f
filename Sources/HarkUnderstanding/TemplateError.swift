/// A place in a template file: the file name, the 1-based line and the 1-based column (in Unicode scalars).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the loader (e.g. `Skills/Shopping/intents/en.yaml`).
    public let file: String
    /// 1-based line.
    public let line: Int
    /// 1-based column, counted in Unicode scalars like libyaml does.
    public let column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }

    /// The same place moved right by `columns` scalars (used for offsets inside a template string).
    func advanced(by columns: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + columns)
    }
}

/// An error in a skill's template file: YAML syntax, a wrong shape, or a malformed or unresolvable template.
///
/// Its description is one line: `FILE:LINE:COLUMN: MESSAGE`.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Kind: Sendable, Equatable {
        case yamlSyntax(String)
        case shape(String)
        case syntax(String, template: String)
        case resolution(String, template: String)
        case io(String)
    }

    private let kind: Kind
    /// Where the problem is.
    public let location: SourceLocation

    private init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The problem without the location.
    public var message: String {
        switch kind {
        case .yamlSyntax(let text): return "YAML syntax error: \(text)"
        case .shape(let text): return text
        case .syntax(let text, let template): return "\(text) in \"\(template)\""
        case .resolution(let text, let template): return "\(text) in \"\(template)\""
        case .io(let text): return text
        }
    }

    /// `FILE:LINE:COLUMN: MESSAGE`.
    public var description: String { "\(location): \(message)" }

    /// True for malformed template text (brackets, empty alternatives), false for other problems.
    public var isTemplateSyntaxError: Bool {
        if case .syntax = kind { return true }
        return false
    }

    static func yamlSyntax(_ text: String, at location: SourceLocation) -> TemplateError {
        TemplateError(.yamlSyntax(text), at: location)
    }

    static func shape(_ text: String, at location: SourceLocation) -> TemplateError {
        TemplateError(.shape(text), at: location)
    }

    static func syntax(_ text: String, template: String, at location: SourceLocation) -> TemplateError {
        TemplateError(.syntax(text, template: template), at: location)
    }

    static func resolution(_ text: String, template: String, at location: SourceLocation) -> TemplateError {
        TemplateError(.resolution(text, template: template), at: location)
    }

    static func io(_ text: String, file: String) -> TemplateError {
        TemplateError(.io(text), at: SourceLocation(file: file, line: 1, column: 1))
    }
}
