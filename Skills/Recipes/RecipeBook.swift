import Foundation

/// The recipe collection with its ingredient words: finds recipes by dish and ranks them for a request.
public struct RecipeBook: Sendable {
    /// Every recipe, in file order.
    public let recipes: [Recipe]
    /// The ingredient words people may say.
    public let words: IngredientWords
    private let byID: [String: Recipe]
    /// Spoken dish name (and the singular of a plural one) → recipe id.
    private let dishes: [String: String]

    /// A book of `recipes`; duplicate ids or dish names are errors naming the file and recipe.
    public init(recipes: [Recipe], words: IngredientWords) throws {
        var byID: [String: Recipe] = [:]
        var dishes: [String: String] = [:]
        for recipe in recipes {
            if let first = byID[recipe.id] {
                throw RecipeDataError.entry(
                    recipe.file, line: 0, entry: "recipe '\(recipe.id)'", "duplicate id (first in \(first.file))")
            }
            byID[recipe.id] = recipe
            for name in recipe.dishNames {
                let spoken = IngredientWords.spoken(name)
                if let owner = dishes[spoken], owner != recipe.id {
                    throw RecipeDataError.entry(
                        recipe.file, line: 0, entry: "recipe '\(recipe.id)'", "dish name '\(name)' already names '\(owner)'")
                }
                dishes[spoken] = recipe.id
            }
        }
        for recipe in recipes {
            for name in recipe.dishNames {
                for form in IngredientWords.variants(of: name, includingPlural: false) where dishes[form] == nil {
                    dishes[form] = recipe.id
                }
            }
        }
        self.recipes = recipes
        self.words = words
        self.byID = byID
        self.dishes = dishes
    }

    /// Loads every `recipes-*.yaml` of `directory` and its `ingredient-words.yaml`.
    public static func load(directory: String) throws -> RecipeBook {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RecipeDataError.file(directory, "cannot list the folder")
        }
        let files = names.filter { $0.hasPrefix("recipes-") && $0.hasSuffix(".yaml") }.sorted()
        guard !files.isEmpty else { throw RecipeDataError.noRecipes(in: directory) }
        let recipes = try files.flatMap { try RecipeFileReader(file: directory + "/" + $0).recipes() }
        let wordsFile = directory + "/ingredient-words.yaml"
        let (groups, aliases) = try RecipeFileReader(file: wordsFile).ingredientWords()
        let words = try IngredientWords(recipes: recipes, groups: groups, aliases: aliases, file: wordsFile)
        return try RecipeBook(recipes: recipes, words: words)
    }

    /// The recipe with this id.
    public func recipe(id: String) -> Recipe? { byID[id] }

    /// The recipe for a dish: its id, or one of its spoken dish names (a plural said in the singular too).
    public func recipe(dish: String) -> Recipe? {
        if let recipe = byID[dish] { return recipe }
        let spoken = IngredientWords.spoken(dish)
        let id = dishes[spoken] ?? IngredientWords.variants(of: spoken).lazy.compactMap { dishes[$0] }.first
        return id.flatMap { byID[$0] }
    }

    /// The items the user has, from the words they said (words no recipe uses are left out).
    public func items(saying words: [String]) -> Set<String> {
        Set(words.flatMap { self.words.items(for: $0) ?? [] })
    }

    /// How many of `recipe`'s ingredients the user has: pantry staples always count as present.
    public func present(in recipe: Recipe, having items: Set<String>) -> Int {
        recipe.ingredients.filter { $0.isPantryStaple || items.contains($0.item) }.count
    }

    /// What the user must buy for `recipe`: its shopping items they did not say they have.
    public func missing(in recipe: Recipe, having items: Set<String>) -> [String] {
        recipe.shoppingItems.filter { !items.contains($0) }
    }

    /// The recipes that fit `query`, best first.
    ///
    /// With ingredients: only recipes that use at least one of the words qualify; they are ordered by how many of
    /// the words they use, then by a score = (ingredients present ÷ all ingredients) − 0.02 × ingredients
    /// missing (+ 0.1 for a liked recipe), then by time, then by title. Without ingredients: liked recipes get
    /// + 0.1, mains + 0.2 (when no course was asked for), and a rotation that changes daily (`day`) spreads the
    /// rest, then time and title. Disliked recipes are never returned.
    public func suggest(
        _ query: RecipeQuery, liked: Set<String> = [], disliked: Set<String> = [], day: Int = 0
    ) -> [RecipeSuggestion] {
        let wordItems = query.ingredients.map { Set(words.items(for: $0) ?? []) }.filter { !$0.isEmpty }
        let having = wordItems.reduce(into: Set<String>()) { $0.formUnion($1) }
        var results: [RecipeSuggestion] = []
        for recipe in recipes where !disliked.contains(recipe.id) && query.allows(recipe) {
            let items = Set(recipe.ingredients.map(\.item))
            let used = wordItems.filter { !$0.isDisjoint(with: items) }.count
            if !wordItems.isEmpty && used == 0 { continue }
            let present = present(in: recipe, having: having)
            let total = recipe.ingredients.count
            var score = liked.contains(recipe.id) ? 0.1 : 0
            if wordItems.isEmpty {
                if query.course == nil && recipe.course == "main" { score += 0.2 }
                score += 0.15 * Self.rotation(recipe.id, day: day)
            } else {
                score += Double(present) / Double(total) - 0.02 * Double(total - present)
            }
            results.append(
                RecipeSuggestion(recipe: recipe, wordsUsed: used, present: present, total: total, score: score))
        }
        return results.sorted { a, b in
            if a.wordsUsed != b.wordsUsed { return a.wordsUsed > b.wordsUsed }
            if abs(a.score - b.score) > 1e-9 { return a.score > b.score }
            if a.recipe.minutes != b.recipe.minutes { return a.recipe.minutes < b.recipe.minutes }
            return a.recipe.title < b.recipe.title
        }
    }

    /// A number in 0..<1 fixed for a recipe and a day (FNV-1a, the same in every process).
    static func rotation(_ id: String, day: Int) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(id)#\(day)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }
}

/// What the user asked for: ingredients they have and conditions.
public struct RecipeQuery: Sendable, Equatable {
    /// Ingredient words as said ("chicken", "eggs").
    public var ingredients: [String]
    /// Diet tags every result must have (`vegetarian`, `gluten-free`).
    public var diets: Set<String>
    /// A cuisine (`italian`), if asked for.
    public var cuisine: String?
    /// A course (`soup`, `breakfast`), if asked for.
    public var course: String?
    /// The longest time allowed, in minutes.
    public var maxMinutes: Int?

    public init(
        ingredients: [String] = [], diets: Set<String> = [], cuisine: String? = nil, course: String? = nil,
        maxMinutes: Int? = nil
    ) {
        self.ingredients = ingredients
        self.diets = diets
        self.cuisine = cuisine
        self.course = course
        self.maxMinutes = maxMinutes
    }

    /// True when `recipe` meets every condition (ingredients aside).
    public func allows(_ recipe: Recipe) -> Bool {
        diets.isSubset(of: recipe.diets) && (cuisine.map { $0 == recipe.cuisine } ?? true)
            && (course.map { $0 == recipe.course } ?? true) && (maxMinutes.map { recipe.minutes <= $0 } ?? true)
    }
}

/// One ranked recipe with the figures behind its rank.
public struct RecipeSuggestion: Sendable, Equatable {
    public var recipe: Recipe
    /// How many of the user's ingredient words the recipe uses.
    public var wordsUsed: Int
    /// Ingredients the user has, pantry staples included.
    public var present: Int
    /// All ingredients of the recipe.
    public var total: Int
    /// The ranking score (see ``RecipeBook/suggest(_:liked:disliked:day:)``).
    public var score: Double
}
