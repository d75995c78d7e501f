import HarkSkillKit

/// Where a conversation about one recipe stands. Kept in the session attributes while the session is open,
/// and in storage (`current`) so that "next step" can resume it after the session ended.
struct CookingState: Codable, Equatable, Sendable {
    enum Stage: String, Codable, Sendable {
        /// A recipe was offered; "yes" reads its ingredients, "no" offers the next one.
        case offering
        /// The ingredients were read; "next" reads the first step.
        case ingredients
        /// A step was read; "next", "go back" and "repeat that step" move through the steps.
        case cooking
    }

    var stage: Stage
    /// The recipe's id.
    var recipe: String
    /// Index of the step read last; -1 before the first.
    var step = -1
    /// Ranked recipe ids offered one after the other on "no".
    var candidates: [String] = []
    /// Index of `recipe` in `candidates`.
    var index = 0
    /// Items the user said they have.
    var have: [String] = []

    static let attribute = "cooking"

    /// The state in a request's session attributes, if any.
    static func from(_ attributes: [String: JSONValue]) -> CookingState? {
        try? attributes[attribute]?.decode(CookingState.self)
    }

    /// The session attributes holding this state.
    func attributes() throws -> [String: JSONValue] { [Self.attribute: try JSONValue.encoding(self)] }
}

/// What the skill remembers between sessions, in its persistent storage: liked and disliked recipes, and the
/// recipe in progress.
struct RecipeMemory: Sendable {
    let storage: any SkillStorage

    func liked() async throws -> Set<String> { Set(try await storage.value([String].self, forKey: "liked") ?? []) }
    func disliked() async throws -> Set<String> { Set(try await storage.value([String].self, forKey: "disliked") ?? []) }

    /// Marks a recipe liked (and no longer disliked), or disliked (and no longer liked).
    func rate(_ recipe: String, liked: Bool) async throws {
        var likes = try await self.liked()
        var dislikes = try await disliked()
        if liked {
            likes.insert(recipe)
            dislikes.remove(recipe)
        } else {
            dislikes.insert(recipe)
            likes.remove(recipe)
        }
        try await storage.set(likes.sorted(), forKey: "liked")
        try await storage.set(dislikes.sorted(), forKey: "disliked")
    }

    /// The recipe in progress when the last session ended.
    func current() async throws -> CookingState? { try await storage.value(CookingState.self, forKey: "current") }

    func setCurrent(_ state: CookingState?) async throws {
        if let state {
            try await storage.set(state, forKey: "current")
        } else {
            try await storage.setValue(nil, forKey: "current")
        }
    }
}
