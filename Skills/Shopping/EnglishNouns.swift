/// Singular and plural forms of English shopping nouns, so that "eggs" and "egg" are one item.
///
/// Rules give candidate forms; when a vocabulary (the catalogue's items and aliases) knows one of them, that
/// one wins ("cookies" → "cookie", "berries" → "berry"). Only the last word of a phrase changes
/// ("tortilla wraps" → "tortilla wrap").
struct EnglishNouns: Sendable {
    /// Words the catalogue knows (items and aliases, lower case), to choose between candidate forms.
    let vocabulary: Set<String>

    private static let irregularPlurals: [String: String] = [
        "children": "child", "mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot",
        "people": "person", "loaves": "loaf", "leaves": "leaf", "knives": "knife", "halves": "half",
        "potatoes": "potato", "tomatoes": "tomato", "mangoes": "mango", "dice": "die",
    ]
    private static let irregularSingulars: [String: String] = Dictionary(
        uniqueKeysWithValues: irregularPlurals.map { ($1, $0) })
    /// Words that end in "s" but are not plurals.
    private static let invariant: Set<String> = [
        "hummus", "couscous", "asparagus", "swiss", "molasses", "series", "species", "grits", "citrus", "haggis",
        "news", "gas", "floss", "moss", "cress", "watercress", "oats",
    ]

    init(vocabulary: Set<String> = []) {
        self.vocabulary = vocabulary
    }

    /// The singular form of a phrase (its last word singularised).
    func singular(_ phrase: String) -> String {
        var words = phrase.split(separator: " ").map(String.init)
        guard let last = words.last else { return phrase }
        let candidates = Self.singularCandidates(last)
        let prefix = words.dropLast().joined(separator: " ")
        func joined(_ word: String) -> String { prefix.isEmpty ? word : prefix + " " + word }
        if let known = candidates.first(where: { vocabulary.contains(joined($0)) }) {
            words[words.count - 1] = known
        } else {
            words[words.count - 1] = candidates.first ?? last
        }
        return words.joined(separator: " ")
    }

    /// The plural form of a phrase (its last word pluralised).
    func plural(_ phrase: String) -> String {
        var words = phrase.split(separator: " ").map(String.init)
        guard let last = words.last else { return phrase }
        words[words.count - 1] = Self.pluralWord(last)
        return words.joined(separator: " ")
    }

    /// True when the phrase looks plural (its singular differs).
    func isPlural(_ phrase: String) -> Bool { singular(phrase) != phrase }

    static func singularCandidates(_ word: String) -> [String] {
        if let irregular = irregularPlurals[word] { return [irregular] }
        if invariant.contains(word) || word.count <= 3 { return [word] }
        for ending in ["ss", "us", "is", "ous"] where word.hasSuffix(ending) { return [word] }
        if word.hasSuffix("ies") { return [String(word.dropLast(3)) + "y", String(word.dropLast(1)), word] }
        if word.hasSuffix("oes") { return [String(word.dropLast(2)), String(word.dropLast(1)), word] }
        if word.hasSuffix("ves") {
            let stem = String(word.dropLast(3))
            return [String(word.dropLast(1)), stem + "f", stem + "fe", word]
        }
        for ending in ["sses", "ches", "shes", "xes", "zes"] where word.hasSuffix(ending) {
            return [String(word.dropLast(2)), String(word.dropLast(1)), word]
        }
        if word.hasSuffix("s") { return [String(word.dropLast()), word] }
        return [word]
    }

    static func pluralWord(_ word: String) -> String {
        if let irregular = irregularSingulars[word] { return irregular }
        if invariant.contains(word) { return word }
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if word.hasSuffix("y"), word.count > 1, !vowels.contains(word.dropLast().last!) {
            return String(word.dropLast()) + "ies"
        }
        for ending in ["s", "x", "z", "ch", "sh"] where word.hasSuffix(ending) { return word + "es" }
        return word + "s"
    }
}
