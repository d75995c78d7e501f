import Foundation
import HarkSkillKit
import HarkSkillTesting
import RecipesSkill
import Testing

/// What a user notices: offers, the walk through the steps, memory across sessions, and the shopping list.
@Suite struct RecipesDialogTests {
    static let book = try! RecipesSkill.bundledRecipes()

    @Test func anOfferSaysTimeAndHowManyIngredientsTheUserHas() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let reply = await tester.ask("what can i make with chicken and rice")
        let id = try #require(reply.data["recipe"]?.stringValue)
        let best = try #require(Self.book.suggest(RecipeQuery(ingredients: ["chicken", "rice"])).first)
        #expect(id == best.recipe.id)
        #expect(
            reply.reply == "How about \(best.recipe.title)? It takes \(best.recipe.minutes) minutes, and you have "
                + "\(best.present) of its \(best.total) ingredients. Want to hear the ingredients?")
        #expect(!reply.endSession)
    }

    @Test func theStepsAreReadAsWrittenOneAtATimeToTheEnd() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let hummus = try #require(Self.book.recipe(id: "hummus"))
        _ = await tester.ask("how do i make hummus")
        let ingredients = await tester.ask("yes")
        #expect(ingredients.reply.hasPrefix("Hummus needs \(hummus.ingredients.count) ingredients: "))
        #expect(!ingredients.reply.contains(" g "), "units are spoken: \(ingredients.reply)")
        for (index, step) in hummus.steps.enumerated() {
            let reply = await tester.ask("next")
            let last = index == hummus.steps.count - 1
            #expect(reply.reply == (last ? "Step \(index + 1), the last one: \(step)" : "Step \(index + 1): \(step)"))
            #expect(!reply.endSession)
        }
        #expect(await tester.ask("go back").reply == "Step \(hummus.steps.count - 1): \(hummus.steps[hummus.steps.count - 2])")
        #expect(await tester.ask("repeat that step").reply.hasPrefix("Step \(hummus.steps.count - 1): "))
        _ = await tester.ask("next")
        let done = await tester.ask("next")
        #expect(done.reply == "That was the last step. Enjoy your Hummus!")
        #expect(done.endSession)
        #expect(await tester.ask("next step").reply.hasPrefix("There's no recipe in progress"))
    }

    @Test func unitAbbreviationsAreReadAsWords() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        _ = await tester.ask("how do i make pancakes")
        let reply = await tester.ask("what are the ingredients").reply
        #expect(reply.contains("200 grams plain flour; 2 tablespoons sugar; 2 teaspoons baking powder; half a teaspoon"))
        #expect(!reply.contains("tsp") && !reply.contains("tbsp") && !reply.contains(" g "), "\(reply)")
    }

    @Test func goingBackFromTheFirstStepSaysSo() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        _ = await tester.ask("how do i make pancakes")
        #expect(await tester.ask("go back").reply.hasPrefix("We haven't started Buttermilk pancakes yet"))
        _ = await tester.ask("let's start")
        #expect(await tester.ask("go back").reply.hasPrefix("This is the first step. Step 1: "))
    }

    @Test func nextStepAfterTheSessionEndedResumesTheRecipe() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let hummus = try #require(Self.book.recipe(id: "hummus"))
        _ = await tester.ask("how do i make hummus")
        _ = await tester.ask("yes")
        _ = await tester.ask("next")
        _ = await tester.ask("next")
        #expect(await tester.ask("stop").endSession)
        let resumed = await tester.ask("what's next", session: "later")
        #expect(resumed.reply == "Back to Hummus. Step 3: \(hummus.steps[2])")
        #expect(!resumed.endSession)
        #expect(await tester.ask("go back", session: "later").reply == "Step 2: \(hummus.steps[1])")
    }

    @Test func noOffersTheNextBestThenSaysThatIsAll() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        var offered: [String] = []
        var reply = await tester.ask("what can i make with tofu and mango")
        let expected = Self.book.suggest(RecipeQuery(ingredients: ["tofu", "mango"])).map(\.recipe.id)
        while let id = reply.data["recipe"]?.stringValue {
            offered.append(id)
            reply = await tester.ask("no")
        }
        #expect(offered == Array(expected.prefix(20)))
        #expect(reply.reply == "That's all the recipes I have for that. Maybe try different ingredients.")
        #expect(reply.endSession)
    }

    @Test func aDislikedRecipeIsNeverSuggestedAgain() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let first = await tester.ask("something italian")
        let id = try #require(first.data["recipe"]?.stringValue)
        let disliked = await tester.ask("i don't like this one")
        #expect(disliked.reply.hasPrefix("Okay, I won't suggest \(Self.book.recipe(id: id)!.title) again. Then how about"))
        let storage = try RecipesTesting.storage(of: tester, skill: "recipes")
        #expect(try await storage.value([String].self, forKey: "disliked") == [id])
        for session in ["a", "b", "c"] {
            var reply = await tester.ask("something italian", session: session)
            while let offered = reply.data["recipe"]?.stringValue {
                #expect(offered != id)
                reply = await tester.ask("no", session: session)
            }
        }
    }

    @Test func aLikedRecipeIsRemembered() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        #expect(await tester.ask("i love this one").reply == "Which recipe do you mean?")
        let liked = await tester.ask("i really like carbonara", session: "s2")
        #expect(liked.reply == "Glad you like Spaghetti carbonara! I'll suggest it a bit more often.")
        let storage = try RecipesTesting.storage(of: tester, skill: "recipes")
        #expect(try await storage.value([String].self, forKey: "liked") == ["spaghetti-carbonara"])
    }

    @Test func filtersAreAppliedToOffers() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        for (sentence, check) in [
            ("something quick and vegetarian", { (r: Recipe) in r.minutes <= 30 && r.diets.contains("vegetarian") }),
            ("a vegan recipe under 20 minutes", { (r: Recipe) in r.minutes <= 20 && r.diets.contains("vegan") }),
            ("something italian", { (r: Recipe) in r.cuisine == "italian" }),
            ("suggest a gluten free soup", { (r: Recipe) in r.course == "soup" && r.diets.contains("gluten-free") }),
            ("what can i cook with eggs in less than half an hour", { (r: Recipe) in
                r.minutes <= 30 && r.ingredients.contains { $0.item == "egg" }
            }),
        ] {
            let reply = await tester.ask(sentence, session: sentence)
            let id = try #require(reply.data["recipe"]?.stringValue, "\(sentence): \(reply.reply)")
            #expect(check(Self.book.recipe(id: id)!), "\(sentence) → \(id)")
        }
        let none = await tester.ask("a vegan recipe with chicken")
        #expect(none.reply == "Sorry, I couldn't find a vegan recipe with chicken. Try asking with fewer conditions.")
        let unknown = await tester.ask("how do i make unicorn stew")
        #expect(unknown.reply.hasPrefix("Sorry, I don't have a recipe for unicorn stew."))
    }

    @Test func missingIngredientsArriveInTheShoppingSkill() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let offer = await tester.ask("what can i make with chicken and rice")
        let offeredID = try #require(offer.data["recipe"]?.stringValue)
        let recipe = try #require(Self.book.recipe(id: offeredID))
        _ = await tester.ask("yes")
        let added = await tester.ask("add the missing ingredients to my shopping list")
        #expect(added.skill == "recipes")
        let missing = Self.book.missing(in: recipe, having: Self.book.items(saying: ["chicken", "rice"]))
        #expect(!missing.isEmpty)
        #expect(added.reply == "I've added \(SpokenText.list(missing)) to your shopping list.")
        #expect(!added.endSession)
        let shopping = try RecipesTesting.storage(of: tester, skill: "shopping")
        #expect(try await shopping.value([String].self, forKey: "received") == missing)
        #expect(!missing.contains { ["chicken breast", "chicken thigh", "rice", "salt"].contains($0) })
    }

    @Test func addingForADishWithoutASessionSendsEveryShoppingItem() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let pancakes = try #require(Self.book.recipe(id: "buttermilk-pancakes"))
        let added = await tester.ask("add the ingredients for pancakes to my shopping list")
        #expect(added.reply == "I've added \(SpokenText.list(pancakes.shoppingItems)) to your shopping list.")
        #expect(added.endSession)
        let shopping = try RecipesTesting.storage(of: tester, skill: "shopping")
        #expect(try await shopping.value([String].self, forKey: "received") == pancakes.shoppingItems)
    }

    @Test func withoutTheShoppingSkillItApologises() async throws {
        let tester = try RecipesTesting.makeTester(withShopping: false)
        defer { tester.close() }
        _ = await tester.ask("how do i make pancakes")
        let reply = await tester.ask("add the missing ingredients to my shopping list")
        #expect(reply.reply.hasPrefix("Sorry, I can't reach your shopping list, so I couldn't add "))
    }
}
