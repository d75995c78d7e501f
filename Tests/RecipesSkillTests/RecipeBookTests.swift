import Foundation
import HarkUnderstanding
import RecipesSkill
import Testing

/// The collection, its ingredient words and the ranking, straight from the shipped data.
@Suite struct RecipeBookTests {
    static let book = try! RecipesSkill.bundledRecipes()

    @Test func theShippedCollectionLoads() throws {
        let book = try RecipesSkill.bundledRecipes()
        #expect(book.recipes.count == 195)
        #expect(book.recipe(id: "egg-fried-rice")?.steps.count == 4)
    }

    @Test func ingredientWordsTolerateSingularAndPlural() {
        let words = Self.book.words
        #expect(words.items(for: "eggs") == ["egg"])
        #expect(words.items(for: "egg") == ["egg"])
        #expect(words.term(for: "tomatoes") == "tomato")
        #expect(words.items(for: "Tomatoes")?.contains("cherry tomato") == true)
        #expect(words.items(for: "spring onions") == ["spring onion"])
        #expect(words.items(for: "bay leaf") == ["bay leaves"])
        #expect(words.items(for: "zucchini") == ["courgette"])
        #expect(words.items(for: "ground beef") == ["minced beef"])
        #expect(Set(words.items(for: "chicken") ?? []).isSuperset(of: ["chicken breast", "chicken thigh"]))
        #expect(words.items(for: "unicorn") == nil)
    }

    @Test func dishesAreFoundByAnySpokenNameOrTheSingular() {
        #expect(Self.book.recipe(dish: "pancakes")?.id == "buttermilk-pancakes")
        #expect(Self.book.recipe(dish: "pancake")?.id == "buttermilk-pancakes")
        #expect(Self.book.recipe(dish: "spag bol")?.id == "spaghetti-bolognese")
        #expect(Self.book.recipe(dish: "Shepherd's Pie")?.id == "shepherds-pie")
        #expect(Self.book.recipe(dish: "unicorn stew") == nil)
    }

    @Test func chickenAndRiceRanksRecipesUsingBothByWhatIsPresent() throws {
        let ranked = Self.book.suggest(RecipeQuery(ingredients: ["chicken", "rice"]))
        let best = try #require(ranked.first)
        #expect(best.wordsUsed == 2)
        let having = Self.book.items(saying: ["chicken", "rice"])
        for suggestion in ranked {
            let items = Set(suggestion.recipe.ingredients.map(\.item))
            #expect(!items.isDisjoint(with: having), "\(suggestion.recipe.id) uses neither chicken nor rice")
            #expect(suggestion.present == Self.book.present(in: suggestion.recipe, having: having))
        }
        for (a, b) in zip(ranked, ranked.dropFirst()) {
            let ordered = a.wordsUsed > b.wordsUsed
                || (a.wordsUsed == b.wordsUsed
                    && (a.score > b.score + 1e-9
                        || (abs(a.score - b.score) <= 1e-9
                            && (a.recipe.minutes, a.recipe.title) <= (b.recipe.minutes, b.recipe.title))))
            #expect(ordered, "\(a.recipe.id) before \(b.recipe.id)")
        }
        // Pantry staples count as present: a recipe with salt has it even though nobody said salt.
        let withSalt = try #require(ranked.first { $0.recipe.ingredients.contains { $0.isPantryStaple } })
        #expect(withSalt.present > withSalt.recipe.ingredients.filter { having.contains($0.item) }.count)
    }

    @Test func filtersKeepOnlyRecipesThatFit() throws {
        let quickVegetarian = Self.book.suggest(RecipeQuery(diets: ["vegetarian"], maxMinutes: 20))
        #expect(!quickVegetarian.isEmpty)
        #expect(quickVegetarian.allSatisfy { $0.recipe.diets.contains("vegetarian") && $0.recipe.minutes <= 20 })
        let italian = Self.book.suggest(RecipeQuery(cuisine: "italian"))
        #expect(italian.count == Self.book.recipes.filter { $0.cuisine == "italian" }.count)
        let veganGlutenFree = Self.book.suggest(RecipeQuery(diets: ["vegan", "gluten-free"]))
        #expect(veganGlutenFree.allSatisfy { $0.recipe.diets.isSuperset(of: ["vegan", "gluten-free"]) })
        #expect(Self.book.suggest(RecipeQuery(cuisine: "italian", maxMinutes: 1)).isEmpty)
    }

    @Test func dislikedRecipesAreLeftOutAndLikedOnesMoveUp() throws {
        let query = RecipeQuery(ingredients: ["egg", "tomato"])
        let ranked = Self.book.suggest(query)
        let first = try #require(ranked.first).recipe.id
        #expect(!Self.book.suggest(query, disliked: [first]).contains { $0.recipe.id == first })
        // A liked recipe within 0.1 of the one above it overtakes it.
        let pair = try #require(
            zip(ranked, ranked.dropFirst()).first { $0.wordsUsed == $1.wordsUsed && $0.score - $1.score < 0.09 })
        let boosted = Self.book.suggest(query, liked: [pair.1.recipe.id])
        let before = try #require(boosted.firstIndex { $0.recipe.id == pair.1.recipe.id })
        let after = try #require(boosted.firstIndex { $0.recipe.id == pair.0.recipe.id })
        #expect(before < after)
    }

    @Test func theGeneratedIntentListsMatchTheData() throws {
        let templates = try SkillTemplates.load(yamlFile: RecipesSkill.folder + "/intents/en.yaml", skill: "recipes")
        guard case .values(let ingredientValues) = try #require(templates.lists["ingredient"]).kind,
            case .values(let dishValues) = try #require(templates.lists["dish"]).kind
        else {
            Issue.record("ingredient and dish must be value lists")
            return
        }
        var covered = Set<String>()
        for value in ingredientValues {
            let out = value.value.description
            let term = try #require(Self.book.words.term(for: out), "\(out) is no ingredient word")
            for spoken in Self.alternatives(value.spoken.text) {
                #expect(Self.book.words.term(for: spoken) == term, "'\(spoken)' should mean \(term)")
            }
            covered.formUnion(Self.book.words.items(for: out) ?? [])
        }
        let items = Set(Self.book.recipes.flatMap { $0.ingredients.filter { !$0.isPantryStaple }.map(\.item) })
        #expect(items.subtracting(covered).isEmpty, "not sayable: \(items.subtracting(covered).sorted())")
        var dishNames = Set<String>()
        for value in dishValues {
            let id = value.value.description
            #expect(Self.book.recipe(id: id) != nil, "\(id) is no recipe")
            for spoken in Self.alternatives(value.spoken.text) {
                #expect(Self.book.recipe(dish: spoken)?.id == id, "'\(spoken)' should name \(id)")
                dishNames.insert(spoken)
            }
        }
        let allNames = Set(Self.book.recipes.flatMap { $0.dishNames.map(IngredientWords.spoken) })
        #expect(allNames.subtracting(dishNames).isEmpty, "not sayable: \(allNames.subtracting(dishNames).sorted())")
    }

    /// "(a | b c)" → ["a", "b c"].
    static func alternatives(_ template: String) -> [String] {
        template.trimmingCharacters(in: CharacterSet(charactersIn: "()")).components(separatedBy: " | ")
    }
}

/// A malformed collection is a clear error naming the file and the entry.
@Suite struct RecipeDataErrorTests {
    static func folder(_ files: [String: String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recipes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }

    static let good = """
        - id: toast
          title: Toast
          dish: [toast]
          cuisine: british
          course: breakfast
          diet: [vegetarian]
          minutes: 5
          servings: 1
          ingredients:
            - { item: bread, quantity: 2, unit: slice, text: "2 slices of bread" }
            - { item: butter, text: "butter" }
          steps: ["Toast the bread.", "Butter it."]

        """
    static let words = "groups: {}\naliases: {}\n"

    @Test func aGoodFolderLoads() throws {
        let book = try RecipeBook.load(directory: try Self.folder(["recipes-a.yaml": Self.good, "ingredient-words.yaml": Self.words]))
        #expect(book.recipes.map(\.id) == ["toast"])
    }

    @Test func aRecipeWithoutStepsNamesTheFileLineAndRecipe() throws {
        let broken = Self.good + """
            - id: tea
              title: Tea
              dish: [tea]
              cuisine: british
              course: drink
              diet: []
              minutes: 5
              servings: 1
              ingredients:
                - { item: tea, text: "a tea bag" }

            """
        let folder = try Self.folder(["recipes-a.yaml": broken, "ingredient-words.yaml": Self.words])
        let error = try #require(throws: RecipeDataError.self) { try RecipeBook.load(directory: folder) }
        #expect(error.description == "\(folder)/recipes-a.yaml:13: recipe 'tea': missing 'steps'")
    }

    @Test func badValuesAndBadYAMLAreNamed() throws {
        let badMinutes = Self.good.replacingOccurrences(of: "minutes: 5", with: "minutes: soon")
        var folder = try Self.folder(["recipes-a.yaml": badMinutes, "ingredient-words.yaml": Self.words])
        var error = try #require(throws: RecipeDataError.self) { try RecipeBook.load(directory: folder) }
        #expect(error.description == "\(folder)/recipes-a.yaml:7: recipe 'toast': 'minutes' must be a positive whole number")

        folder = try Self.folder(["recipes-a.yaml": "- id: [unclosed\n", "ingredient-words.yaml": Self.words])
        error = try #require(throws: RecipeDataError.self) { try RecipeBook.load(directory: folder) }
        #expect(error.description.hasPrefix("\(folder)/recipes-a.yaml:"))
        #expect(error.description.contains("not valid YAML"))

        folder = try Self.folder(["recipes-a.yaml": Self.good, "ingredient-words.yaml": "groups: { loaf: [brioche] }\n"])
        error = try #require(throws: RecipeDataError.self) { try RecipeBook.load(directory: folder) }
        #expect(error.description == "\(folder)/ingredient-words.yaml: group 'loaf': no recipe uses item 'brioche'")

        folder = try Self.folder(["ingredient-words.yaml": Self.words])
        error = try #require(throws: RecipeDataError.self) { try RecipeBook.load(directory: folder) }
        #expect(error.description == "\(folder): no recipes-*.yaml files")
    }
}
