/// One recipe of the collection, as written in `data/recipes-*.yaml`.
public struct Recipe: Sendable, Equatable, Identifiable {
    /// Kebab-case id, unique across the collection (`egg-fried-rice`).
    public var id: String
    /// The name read aloud ("Egg fried rice").
    public var title: String
    /// Spoken names of the dish ("fried rice", "egg fried rice").
    public var dishNames: [String]
    /// Cuisine, e.g. `italian`, `middle eastern`.
    public var cuisine: String
    /// Course, e.g. `main`, `breakfast`, `soup`.
    public var course: String
    /// Diet tags: `vegetarian`, `vegan`, `gluten-free`, `dairy-free`.
    public var diets: Set<String>
    /// Total time in minutes.
    public var minutes: Int
    /// Number of servings.
    public var servings: Int
    /// Ingredients in the order they are read.
    public var ingredients: [Ingredient]
    /// Steps, each read aloud as written.
    public var steps: [String]
    /// The file the recipe came from, for messages.
    public var file: String

    public init(
        id: String, title: String, dishNames: [String], cuisine: String, course: String, diets: Set<String>,
        minutes: Int, servings: Int, ingredients: [Ingredient], steps: [String], file: String = ""
    ) {
        self.id = id
        self.title = title
        self.dishNames = dishNames
        self.cuisine = cuisine
        self.course = course
        self.diets = diets
        self.minutes = minutes
        self.servings = servings
        self.ingredients = ingredients
        self.steps = steps
        self.file = file
    }

    /// The ingredients one has to buy unless one has them: not pantry staples, not optional.
    public var shoppingItems: [String] {
        ingredients.filter { !$0.isPantryStaple && !$0.isOptional }.map(\.item)
    }
}

/// One ingredient line of a recipe.
public struct Ingredient: Sendable, Equatable {
    /// The shopping-list item it needs (`chicken thigh`), the same vocabulary as the shopping catalogue.
    public var item: String
    /// The line as written ("500 g boneless chicken thighs, diced").
    public var text: String
    /// The amount, when the line gives one.
    public var quantity: Double?
    /// The unit of `quantity` (`g`, `tbsp`, `clove`), when it has one.
    public var unit: String?
    /// Salt, pepper, water, ice: counted as present in every kitchen.
    public var isPantryStaple: Bool
    /// Nice to have; never counted as missing.
    public var isOptional: Bool

    public init(
        item: String, text: String, quantity: Double? = nil, unit: String? = nil, isPantryStaple: Bool = false,
        isOptional: Bool = false
    ) {
        self.item = item
        self.text = text
        self.quantity = quantity
        self.unit = unit
        self.isPantryStaple = isPantryStaple
        self.isOptional = isOptional
    }
}
