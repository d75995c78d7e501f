/// A recipe file or the ingredient words file that cannot be used: names the file, the line and the entry.
public struct RecipeDataError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case file(String, line: Int?, problem: String)
        case entry(file: String, line: Int, entry: String, problem: String)
        case noRecipes(directory: String)
    }
    private let kind: Kind

    /// A problem with a whole file (unreadable, not YAML, not a list).
    static func file(_ file: String, line: Int? = nil, _ problem: String) -> RecipeDataError {
        RecipeDataError(kind: .file(file, line: line, problem: problem))
    }

    /// A problem with one entry of a file.
    static func entry(_ file: String, line: Int, entry: String, _ problem: String) -> RecipeDataError {
        RecipeDataError(kind: .entry(file: file, line: line, entry: entry, problem: problem))
    }

    /// The folder holds no `recipes-*.yaml`.
    static func noRecipes(in directory: String) -> RecipeDataError {
        RecipeDataError(kind: .noRecipes(directory: directory))
    }

    public var description: String {
        switch kind {
        case .file(let file, let line, let problem):
            return line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)"
        case .entry(let file, let line, let entry, let problem):
            return "\(file):\(line): \(entry): \(problem)"
        case .noRecipes(let directory):
            return "\(directory): no recipes-*.yaml files"
        }
    }
}
