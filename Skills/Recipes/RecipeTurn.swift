import HarkSkillKit

/// One turn of a recipes conversation: the request, the state it continues, and the replies.
struct RecipeTurn {
    let book: RecipeBook
    let request: SkillRequest
    let context: SkillContext
    let memory: RecipeMemory
    /// The state of the open session, if this turn continues one.
    let session: CookingState?

    init(book: RecipeBook, request: SkillRequest, context: SkillContext) {
        self.book = book
        self.request = request
        self.context = context
        memory = RecipeMemory(storage: context.storage)
        session = CookingState.from(request.session.attributes)
    }

    /// A step move.
    enum Move { case start, next, back, again }

    // MARK: - Intents

    func launch() throws -> SkillResponse {
        let text = try say("launch")
        return .speak(text).reprompt(text)
    }

    func suggest() async throws -> SkillResponse {
        let slots = request.slots
        if slots.has("dish") {
            guard !slots.unresolved.contains("dish"), let recipe = book.recipe(dish: slots.text("dish") ?? "") else {
                return .speak(try say("unknown_dish", ["dish": slots.spoken["dish"] ?? slots.text("dish") ?? ""]))
            }
            let state = CookingState(stage: .offering, recipe: recipe.id, candidates: [recipe.id])
            let text = try say(
                "found_dish", ["title": recipe.title, "time": try time(recipe.minutes), "servings": "\(recipe.servings)"])
            return try offerResponse(text, recipe: recipe, state: state)
        }
        let said = slots.texts("ingredient")
        let known = said.filter { book.words.items(for: $0) != nil }
        let unknown = said.filter { book.words.items(for: $0) == nil }
        if !said.isEmpty && known.isEmpty {
            return .speak(try say("unknown_ingredient", ["items": SpokenText.list(unknown, conjunction: "or")]))
        }
        var query = RecipeQuery(
            ingredients: known, diets: Set(slots.texts("diet")), cuisine: slots.text("cuisine"),
            course: slots.text("course"))
        if let seconds = slots.duration("maxTime") ?? slots.number("maxTime") { query.maxMinutes = Int(seconds / 60) }
        let day = Int(context.clock.now.timeIntervalSince1970 / 86_400)
        let ranked = book.suggest(
            query, liked: try await memory.liked(), disliked: try await memory.disliked(), day: day)
        guard let best = ranked.first else {
            return .speak(try say("no_match", ["description": try describe(query, unknown: unknown)]))
        }
        let state = CookingState(
            stage: .offering, recipe: best.recipe.id, candidates: ranked.prefix(20).map(\.recipe.id),
            have: book.items(saying: known).sorted())
        return try offer(best.recipe, state: state, isNext: false)
    }

    func readIngredients() async throws -> SkillResponse {
        guard let found = try await target() else { return try noRecipe() }
        var state = found.0
        let (recipe, resumed) = (found.1, found.resumed)
        if state.stage == .offering { state.stage = .ingredients }
        let list = recipe.ingredients.map { spokenIngredient($0.text) }.joined(separator: "; ")
        var parts = [
            try say("ingredients", ["title": recipe.title, "count": "\(recipe.ingredients.count)", "list": list])
        ]
        if !state.have.isEmpty {
            let missing = book.missing(in: recipe, having: Set(state.have))
            parts.append(
                missing.isEmpty
                    ? try say("ingredients_have_all") : try say("ingredients_missing", ["items": SpokenText.list(missing)]))
        }
        if state.stage == .ingredients { parts.append(try say("ingredients_prompt")) }
        if resumed { parts.insert(try say("resume", ["title": recipe.title]), at: 0) }
        try await memory.setCurrent(state)
        return .speak(parts.joined(separator: " ")).reprompt(try reprompt(for: state, recipe)).remembering(
            try state.attributes())
    }

    func move(_ move: Move) async throws -> SkillResponse {
        guard let found = try await target(usingDish: false) else { return try noRecipe() }
        var state = found.0
        let (recipe, resumed) = (found.1, found.resumed)
        let cooking = state.stage == .cooking
        var prefix: [String] = resumed ? [try say("resume", ["title": recipe.title])] : []
        let index: Int
        switch move {
        case .start:
            index = 0
        case .next:
            index = cooking ? state.step + 1 : 0
        case .back:
            guard cooking else { return try notStarted(state, recipe) }
            if state.step == 0 { prefix.append(try say("at_first_step")) }
            index = max(0, state.step - 1)
        case .again:
            guard cooking else { return try notStarted(state, recipe) }
            index = state.step
        }
        if index >= recipe.steps.count {
            try await memory.setCurrent(nil)
            return .speak(try say("finished", ["title": recipe.title]))
        }
        state.stage = .cooking
        state.step = index
        try await memory.setCurrent(state)
        let isLast = index == recipe.steps.count - 1
        let step = try say(isLast ? "step_last" : "step", ["number": "\(index + 1)", "text": recipe.steps[index]])
        return .speak((prefix + [step]).joined(separator: " "))
            .reprompt(try say(isLast ? "last_step_reprompt" : "step_reprompt")).remembering(try state.attributes())
    }

    func addMissing() async throws -> SkillResponse {
        guard let (state, recipe, _) = try await target() else { return try noRecipe() }
        let missing = book.missing(in: recipe, having: Set(state.have))
        let reply: String
        if missing.isEmpty {
            reply = try say("nothing_missing", ["title": recipe.title])
        } else {
            let items = SpokenText.list(missing)
            do {
                _ = try await context.skills.invoke(
                    skill: "shopping", intent: "AddItem", slots: Slots(["item": .list(missing.map { .text($0) })]))
                reply = try say("added_missing", ["items": items])
            } catch let error as SkillError
                where error == .unknownSkill("shopping")
                || error == .permissionDenied(caller: context.skillID, target: "shopping.AddItem")
            {
                context.logger.warning("shopping list unavailable: \(error)")
                reply = try say("shopping_unavailable", ["items": items])
            } catch {
                context.logger.error("adding \(missing) to the shopping list failed: \(error)")
                reply = try say("shopping_failed", ["items": items])
            }
        }
        return try continuing(reply, state: session, recipe: recipe)
            .with(data: ["added": .array(missing.map { .string($0) })])
    }

    func rate(liked: Bool) async throws -> SkillResponse {
        guard let (_, recipe, _) = try await target() else {
            return .speak(try say("ask_dish")).elicitSlot("dish")
        }
        try await memory.rate(recipe.id, liked: liked)
        let reply = try say(liked ? "liked" : "disliked", ["title": recipe.title])
        guard !liked else { return try continuing(reply, state: session, recipe: recipe) }
        if let state = session, state.recipe == recipe.id, state.stage == .offering,
            let (next, nextRecipe) = try await nextOffer(after: state)
        {
            return try offer(nextRecipe, state: next, isNext: true, before: reply)
        }
        if try await memory.current()?.recipe == recipe.id { try await memory.setCurrent(nil) }
        return .speak(reply)
    }

    func yes() async throws -> SkillResponse {
        guard let state = session else { return try noRecipe() }
        switch state.stage {
        case .offering: return try await readIngredients()
        case .ingredients: return try await move(.start)
        case .cooking: return try await move(.next)
        }
    }

    func no() async throws -> SkillResponse {
        guard let state = session, let recipe = book.recipe(id: state.recipe) else { return .speak(try say("declined")) }
        switch state.stage {
        case .offering:
            guard let (next, nextRecipe) = try await nextOffer(after: state) else {
                return .speak(try say(state.candidates.count > 1 ? "no_more" : "declined"))
            }
            return try offer(nextRecipe, state: next, isNext: true)
        case .ingredients, .cooking:
            try await memory.setCurrent(state)
            return .speak(try say("paused", ["title": recipe.title]))
        }
    }

    func help() throws -> SkillResponse {
        guard let state = session, let recipe = book.recipe(id: state.recipe) else {
            let text = try say("help")
            return .speak(text).reprompt(text)
        }
        let text = state.stage == .offering ? try say("help_offer", ["title": recipe.title]) : try say("help_cooking")
        return .speak(text).reprompt(try reprompt(for: state, recipe))
    }

    // MARK: - Pieces

    /// The recipe this turn is about: the `dish` slot, else the open session's, else the one in progress
    /// when the last session ended (`resumed`).
    private func target(usingDish: Bool = true) async throws -> (CookingState, Recipe, resumed: Bool)? {
        if usingDish, request.slots.has("dish"), !request.slots.unresolved.contains("dish"),
            let recipe = book.recipe(dish: request.slots.text("dish") ?? "")
        {
            if let session, session.recipe == recipe.id { return (session, recipe, false) }
            return (CookingState(stage: .ingredients, recipe: recipe.id, candidates: [recipe.id]), recipe, false)
        }
        if let session, let recipe = book.recipe(id: session.recipe) { return (session, recipe, false) }
        if let stored = try await memory.current(), let recipe = book.recipe(id: stored.recipe) {
            return (stored, recipe, true)
        }
        return nil
    }

    /// The state offering the next candidate the user has not disliked, or nil when none is left.
    private func nextOffer(after state: CookingState) async throws -> (CookingState, Recipe)? {
        let disliked = try await memory.disliked()
        for index in state.candidates.indices.dropFirst(state.index + 1) where !disliked.contains(state.candidates[index]) {
            guard let recipe = book.recipe(id: state.candidates[index]) else { continue }
            var next = state
            next.index = index
            next.recipe = recipe.id
            return (next, recipe)
        }
        return nil
    }

    private func offer(_ recipe: Recipe, state: CookingState, isNext: Bool, before: String? = nil) throws
        -> SkillResponse
    {
        var values = ["title": recipe.title, "time": try time(recipe.minutes)]
        var key = isNext ? "offer_next" : "offer"
        if !state.have.isEmpty {
            key += "_have"
            values["have"] = "\(book.present(in: recipe, having: Set(state.have)))"
            values["total"] = "\(recipe.ingredients.count)"
        }
        let text = try say(key, values)
        return try offerResponse(before.map { $0 + " " + text } ?? text, recipe: recipe, state: state)
    }

    private func offerResponse(_ text: String, recipe: Recipe, state: CookingState) throws -> SkillResponse {
        .speak(text).reprompt(try say("offer_reprompt", ["title": recipe.title])).remembering(try state.attributes())
            .with(data: ["recipe": .string(recipe.id)])
    }

    /// Says `reply` and keeps the session going where it was, or ends it when there is no session.
    private func continuing(_ reply: String, state: CookingState?, recipe: Recipe) throws -> SkillResponse {
        guard let state else { return .speak(reply) }
        return .speak(reply).reprompt(try reprompt(for: state, recipe)).remembering(try state.attributes())
    }

    private func reprompt(for state: CookingState, _ recipe: Recipe) throws -> String {
        switch state.stage {
        case .offering: return try say("offer_reprompt", ["title": recipe.title])
        case .ingredients: return try say("ingredients_reprompt")
        case .cooking: return try say(state.step >= recipe.steps.count - 1 ? "last_step_reprompt" : "step_reprompt")
        }
    }

    private func noRecipe() throws -> SkillResponse { .speak(try say("no_recipe")) }

    private func notStarted(_ state: CookingState, _ recipe: Recipe) throws -> SkillResponse {
        .speak(try say("not_started", ["title": recipe.title])).reprompt(try reprompt(for: state, recipe))
            .remembering(try state.attributes())
    }

    /// "a vegetarian italian recipe with tofu that takes at most 20 minutes".
    private func describe(_ query: RecipeQuery, unknown: [String]) throws -> String {
        let kinds = query.diets.sorted() + [query.cuisine, query.course].compactMap { $0 }
        var parts = [
            kinds.isEmpty ? try say("describe_any_recipe") : try say("describe_recipe", ["kinds": kinds.joined(separator: " ")])
        ]
        let words = query.ingredients + unknown
        if !words.isEmpty { parts.append(try say("describe_with", ["items": SpokenText.list(words)])) }
        if let minutes = query.maxMinutes { parts.append(try say("describe_within", ["time": try time(minutes)])) }
        return parts.joined(separator: " ")
    }

    /// "25 minutes", "an hour", "1 hour and 30 minutes" from the responses file.
    private func time(_ minutes: Int) throws -> String {
        func minutesText(_ n: Int) throws -> String { n == 1 ? try say("minutes_one") : try say("minutes", ["n": "\(n)"]) }
        guard minutes >= 60 else { return try minutesText(minutes) }
        let hours = minutes / 60
        let hoursText = hours == 1 ? try say("hours_one") : try say("hours", ["n": "\(hours)"])
        guard minutes % 60 > 0 else { return hoursText }
        return try say("hours_and_minutes", ["hours": hoursText, "minutes": try minutesText(minutes % 60)])
    }

    /// An ingredient line with its unit abbreviations spoken: "400 g rice" → "400 grams rice", "half a tsp" →
    /// "half a teaspoon". A unit after a number other than 1 is plural; after words ("half a") it is singular.
    /// A one-letter unit ("g") is only read after a number, where it cannot be a word.
    private func spokenIngredient(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices.dropFirst() {
            let unit = words[index].trimmingCharacters(in: .punctuationCharacters)
            let amount = Double(words[index - 1])
            guard !unit.isEmpty, amount != nil || unit.count > 1 else { continue }
            let key = "unit_" + unit + (amount.map { $0 == 1 } ?? true ? "_one" : "")
            guard context.responses.has(key), let word = try? context.responses.render(key) else { continue }
            words[index] = words[index].replacingOccurrences(of: unit, with: word)
        }
        return words.joined(separator: " ")
    }

    private func say(_ key: String, _ values: [String: String] = [:]) throws -> String {
        try context.responses.render(key, values)
    }
}
