/// The ingredient words people say and the recipe items each one covers: every recipe item in singular and
/// plural ("egg", "eggs"), the groups of `data/ingredient-words.yaml` ("chicken" is any cut of chicken) and its
/// aliases ("zucchini" is courgette).
///
/// The same rules generate the `ingredient` list of `intents/en.yaml` (`data/generate_lists.py`), so a slot
/// value from the matcher and a word typed into a cross-skill call resolve the same way.
public struct IngredientWords: Sendable, Equatable {
    /// Spoken form → canonical term (an item, or a group's name).
    private var terms: [String: String] = [:]
    /// Canonical term → the items it covers.
    private var members: [String: [String]] = [:]

    /// Builds the words for `recipes` from the groups and aliases of `file`; a group or alias naming an item no
    /// recipe uses, or a word that would mean two things, is an error naming the file and the word.
    public init(recipes: [Recipe], groups: [String: [String]], aliases: [String: [String]], file: String) throws {
        let items = Set(recipes.flatMap { $0.ingredients.filter { !$0.isPantryStaple }.map(\.item) })
        func claim(_ phrase: String, _ term: String, _ what: String) throws {
            for form in Self.variants(of: phrase) {
                if let owner = terms[form], owner != term {
                    throw RecipeDataError.file(file, "\(what): '\(form)' already means '\(owner)'")
                }
                terms[form] = term
            }
        }
        for name in groups.keys.sorted() {
            let covered = groups[name]!
            if let unknown = covered.first(where: { !items.contains($0) }) {
                throw RecipeDataError.file(file, "group '\(name)': no recipe uses item '\(unknown)'")
            }
            try claim(name, name, "group '\(name)'")
            members[name] = covered
        }
        for item in items.sorted() {
            if terms[Self.spoken(item)] != nil { continue }  // a group of that name covers it ("rice")
            try claim(item, item, "item '\(item)'")
            members[item] = [item]
        }
        for item in aliases.keys.sorted() {
            guard items.contains(item) else { throw RecipeDataError.file(file, "aliases: no recipe uses item '\(item)'") }
            let term = terms[Self.spoken(item)] ?? item
            for alias in aliases[item]! { try claim(alias, term, "alias '\(alias)' of '\(item)'") }
        }
    }

    /// The canonical term for what was said ("eggs" → "egg", "zucchini" → "courgette", "chicken" → "chicken"),
    /// or nil when no recipe uses it.
    public func term(for words: String) -> String? {
        let said = Self.spoken(words)
        if let term = terms[said] { return term }
        return Self.variants(of: said).lazy.compactMap { terms[$0] }.first
    }

    /// The recipe items that what was said covers, or nil when no recipe uses it.
    public func items(for words: String) -> [String]? {
        term(for: words).flatMap { members[$0] }
    }

    /// Every spoken form, for checks against the generated intents list.
    public var spokenForms: [String] { terms.keys.sorted() }

    /// Lower case, hyphens as spaces, single spaces: the form words are compared in.
    public static func spoken(_ phrase: String) -> String {
        phrase.lowercased().replacingOccurrences(of: "-", with: " ").split(separator: " ").joined(separator: " ")
    }

    /// The phrase with its last word in singular and plural: "tomato" → tomato, tomatoes; "bay leaves" →
    /// bay leaves, bay leaf. The same rules as `data/generate_lists.py`.
    public static func variants(of phrase: String, includingPlural: Bool = true) -> [String] {
        var words = spoken(phrase).split(separator: " ").map(String.init)
        guard let last = words.last else { return [] }
        var result = [words.joined(separator: " ")]
        for other in [singular(last), includingPlural ? plural(last) : nil] {
            guard let other, other != last else { continue }
            words[words.count - 1] = other
            result.append(words.joined(separator: " "))
        }
        return result
    }

    static func singular(_ word: String) -> String? {
        if word.hasSuffix("llies") { return String(word.dropLast(2)) }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("leaves") { return String(word.dropLast(3)) + "f" }
        if ["oes", "ches", "shes", "xes", "sses"].contains(where: word.hasSuffix) { return String(word.dropLast(2)) }
        if word.hasSuffix("s"), !["ss", "us", "is"].contains(where: word.hasSuffix) { return String(word.dropLast()) }
        return nil
    }

    static func plural(_ word: String) -> String? {
        if word.hasSuffix("s") { return nil }
        if word.hasSuffix("y"), word.count > 1, !"aeiou".contains(word[word.index(word.endIndex, offsetBy: -2)]) {
            return String(word.dropLast()) + "ies"
        }
        if word.hasSuffix("leaf") { return String(word.dropLast()) + "ves" }
        if ["ch", "sh", "x", "z", "o"].contains(where: word.hasSuffix) { return word + "es" }
        return word + "s"
    }
}
