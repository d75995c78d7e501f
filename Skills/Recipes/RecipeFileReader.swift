import Foundation
import Yams

/// Reads `recipes-*.yaml` and `ingredient-words.yaml` with Yams, checking every entry's shape, so that a
/// malformed file is reported with its name, line and entry instead of failing later.
struct RecipeFileReader {
    let file: String

    /// The composed YAML of the file.
    func root() throws -> Node {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RecipeDataError.file(file, "cannot read the file")
        }
        do {
            guard let node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) else {
                throw RecipeDataError.file(file, line: 1, "the file is empty")
            }
            return node
        } catch let error as YamlError {
            throw RecipeDataError.file(file, line: Self.line(of: error), "not valid YAML: \(Self.problem(of: error))")
        }
    }

    /// Every recipe of a `recipes-*.yaml` file.
    func recipes() throws -> [Recipe] {
        let node = try root()
        guard let entries = node.sequence else {
            throw RecipeDataError.file(file, line: line(node), "the file must be one YAML list of recipes")
        }
        return try entries.enumerated().map { index, entry in try recipe(entry, number: index + 1) }
    }

    private static let recipeKeys: Set<String> = [
        "id", "title", "dish", "cuisine", "course", "diet", "minutes", "servings", "ingredients", "steps",
    ]
    private static let ingredientKeys: Set<String> = ["item", "text", "quantity", "unit", "pantry_staple", "optional"]
    private static let knownDiets: Set<String> = ["vegetarian", "vegan", "gluten-free", "dairy-free"]

    private func recipe(_ node: Node, number: Int) throws -> Recipe {
        let at = line(node)
        guard let map = node.mapping else {
            throw RecipeDataError.entry(file, line: at, entry: "entry \(number)", "must be a mapping")
        }
        let id = map["id"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let name = id.map { "recipe '\($0)'" } ?? "entry \(number)"
        func fail(_ problem: String, _ node: Node? = nil) -> RecipeDataError {
            RecipeDataError.entry(file, line: node.map(line) ?? at, entry: name, problem)
        }
        guard id != nil else { throw fail("missing 'id'") }
        for (key, _) in map {
            guard let text = key.string, Self.recipeKeys.contains(text) else {
                throw fail("unknown key '\(key.string ?? "?")'", key)
            }
        }
        for key in Self.recipeKeys.sorted() where map[key] == nil { throw fail("missing '\(key)'") }
        func text(_ key: String) throws -> String {
            guard let value = map[key]?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty,
                map[key]?.scalar != nil
            else { throw fail("'\(key)' must be non-empty text", map[key]) }
            return value
        }
        func texts(_ key: String, allowEmpty: Bool = false) throws -> [String] {
            guard let list = map[key]?.sequence, allowEmpty || !list.isEmpty else {
                throw fail("'\(key)' must be a\(allowEmpty ? "" : " non-empty") list of text", map[key])
            }
            return try list.map { item in
                guard item.scalar != nil, let value = item.string, !value.isEmpty else {
                    throw fail("every entry of '\(key)' must be non-empty text", item)
                }
                return value
            }
        }
        func whole(_ key: String) throws -> Int {
            guard let value = map[key]?.int, value > 0 else { throw fail("'\(key)' must be a positive whole number", map[key]) }
            return value
        }
        let diets = try texts("diet", allowEmpty: true)
        if let unknown = diets.first(where: { !Self.knownDiets.contains($0) }) {
            throw fail("unknown diet '\(unknown)' (known: \(Self.knownDiets.sorted().joined(separator: ", ")))", map["diet"])
        }
        guard let ingredientNodes = map["ingredients"]?.sequence, !ingredientNodes.isEmpty else {
            throw fail("'ingredients' must be a non-empty list", map["ingredients"])
        }
        var seenItems = Set<String>()
        let ingredients = try ingredientNodes.map { node -> Ingredient in
            let parsed = try ingredient(node, fail: fail)
            guard seenItems.insert(parsed.item).inserted else { throw fail("ingredient '\(parsed.item)' is listed twice", node) }
            return parsed
        }
        return Recipe(
            id: id!, title: try text("title"), dishNames: try texts("dish").map { $0.lowercased() },
            cuisine: try text("cuisine"), course: try text("course"), diets: Set(diets), minutes: try whole("minutes"),
            servings: try whole("servings"), ingredients: ingredients, steps: try texts("steps"), file: file)
    }

    private func ingredient(_ node: Node, fail: (String, Node?) -> RecipeDataError) throws -> Ingredient {
        guard let map = node.mapping else { throw fail("every ingredient must be a mapping", node) }
        for (key, _) in map {
            guard let text = key.string, Self.ingredientKeys.contains(text) else {
                throw fail("ingredient key '\(key.string ?? "?")' is unknown", key)
            }
        }
        guard let item = map["item"]?.string, !item.isEmpty, map["item"]?.scalar != nil else {
            throw fail("an ingredient needs an 'item'", node)
        }
        guard let text = map["text"]?.string, !text.isEmpty, map["text"]?.scalar != nil else {
            throw fail("ingredient '\(item)' needs a 'text'", node)
        }
        var quantity: Double?
        if let value = map["quantity"] {
            guard let number = value.float, number > 0 else { throw fail("ingredient '\(item)': quantity must be a positive number", value) }
            quantity = number
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = map[key] else { return false }
            guard let bool = value.bool else { throw fail("ingredient '\(item)': \(key) must be true or false", value) }
            return bool
        }
        return Ingredient(
            item: item, text: text, quantity: quantity, unit: map["unit"]?.string, isPantryStaple: try flag("pantry_staple"),
            isOptional: try flag("optional"))
    }

    /// The `groups` and `aliases` of `ingredient-words.yaml`: spoken word → items.
    func ingredientWords() throws -> (groups: [String: [String]], aliases: [String: [String]]) {
        let node = try root()
        guard let map = node.mapping else {
            throw RecipeDataError.file(file, line: line(node), "expected a mapping with 'groups' and 'aliases'")
        }
        func table(_ key: String) throws -> [String: [String]] {
            guard let value = map[key] else { return [:] }
            guard let entries = value.mapping else {
                throw RecipeDataError.file(file, line: line(value), "'\(key)' must map words to lists of items")
            }
            var result: [String: [String]] = [:]
            for (wordNode, itemsNode) in entries {
                guard let word = wordNode.string, let items = itemsNode.sequence,
                    items.allSatisfy({ $0.string != nil })
                else {
                    throw RecipeDataError.entry(
                        file, line: line(wordNode), entry: "\(key) '\(wordNode.string ?? "?")'", "must be a list of text")
                }
                guard result[word] == nil else {
                    throw RecipeDataError.entry(file, line: line(wordNode), entry: "\(key) '\(word)'", "is listed twice")
                }
                result[word] = items.compactMap(\.string)
            }
            return result
        }
        return (try table("groups"), try table("aliases"))
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return String(describing: error).replacingOccurrences(of: "\n", with: " ")
        }
    }
}
