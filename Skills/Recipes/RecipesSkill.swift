import Foundation
import HarkSkillKit

/// The recipes skill (id `recipes`): suggests recipes from what the user has ("what can I make with chicken and
/// rice?"), finds a dish ("how do I make pancakes"), filters by diet, cuisine, course and time, reads the
/// ingredients, walks through the steps ("next", "go back", "repeat that step"), remembers liked and disliked
/// recipes, and adds missing ingredients to the shopping list through the `shopping` skill.
///
/// Intents: `SuggestRecipe` (slots `ingredient` (several), `dish`, `diet`, `cuisine`, `course`, `maxTime`),
/// `ReadIngredients` (`dish`), `StartCooking`, `NextStep`, `PreviousStep`, `RepeatStep`, `AddMissingToList`
/// (`dish`), `LikeRecipe` / `DislikeRecipe` (`dish`), `Help`, and Hark's `Yes` / `No` while an offer is open.
public struct RecipesSkill: Skill {
    public let id = "recipes"
    private let book: Result<RecipeBook, RecipeDataError>

    /// The skill over the recipes shipped in its resources (loaded once per process).
    public init() { book = Self.bundledBook }

    /// The skill over another collection (tests, a user's own recipes).
    public init(book: RecipeBook) { self.book = .success(book) }

    /// The skill folder (`skill.yaml`, `intents/`, `responses/`, `tests/`, `data/`) in the module's resources.
    public static var folder: String { Bundle.module.resourcePath! }

    /// The collection shipped with the skill; throws ``RecipeDataError`` naming the file and entry when malformed.
    public static func bundledRecipes() throws -> RecipeBook { try bundledBook.get() }

    private static let bundledBook: Result<RecipeBook, RecipeDataError> = {
        do {
            return .success(try RecipeBook.load(directory: folder + "/data"))
        } catch let error as RecipeDataError {
            return .failure(error)
        } catch {
            return .failure(.file(folder + "/data", "\(error)"))
        }
    }()

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let turn = RecipeTurn(book: try book.get(), request: request, context: context)
        switch request.kind {
        case .launch: return try turn.launch()
        case .sessionEnded: return SkillResponse(speech: "")
        case .intent: break
        }
        switch request.intent {
        case "SuggestRecipe": return try await turn.suggest()
        case "ReadIngredients": return try await turn.readIngredients()
        case "StartCooking": return try await turn.move(.start)
        case "NextStep": return try await turn.move(.next)
        case "PreviousStep": return try await turn.move(.back)
        case "RepeatStep": return try await turn.move(.again)
        case "AddMissingToList": return try await turn.addMissing()
        case "LikeRecipe": return try await turn.rate(liked: true)
        case "DislikeRecipe": return try await turn.rate(liked: false)
        case "Yes": return try await turn.yes()
        case "No": return try await turn.no()
        case "Help": return try turn.help()
        default: throw SkillError.invalid("the recipes skill has no intent '\(request.intent)'")
        }
    }
}
