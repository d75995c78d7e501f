import Foundation

/// One product of `data/catalogue.yaml`.
struct Product: Sendable, Hashable, Codable {
    var id: String
    /// The shopping-list item it satisfies ("milk").
    var item: String
    /// The name read aloud in an order summary.
    var name: String
    var aliases: [String]
    var category: String
    /// What one product holds: `size` of `unit` (each, g, litre, bottle…).
    var unit: String
    var size: Double
    /// Price per product in the configured currency.
    var price: Double
    /// Typical days between purchases.
    var repurchaseDays: Int?
    /// What product advice knows about it (empty for products it does not recommend).
    var traits = ProductTraits()
}

/// A product's attributes for advice ("which jacket for hiking in Scotland in March"), from `data/catalogue.yaml`.
struct ProductTraits: Sendable, Hashable, Codable {
    /// What it is made for ("hiking", "espresso"); advice recommends only products with a use.
    var uses: [String] = []
    /// 0 to 5: comfortable down to about 18, 10, 5, 0, -10 and -20 °C; nil for products that are not worn.
    var warmth: Int?
    var waterproof: Bool?
    /// The seasons it is made for (northern hemisphere).
    var seasons: [String] = []

    /// The lowest temperature (°C) a warmth level is comfortable at.
    static let comfortableDown: [Double] = [18, 10, 5, 0, -10, -20]

    /// The lowest temperature (°C) this product is comfortable at, when it is worn.
    var comfortableDownTo: Double? { warmth.map { Self.comfortableDown[max(0, min($0, 5))] } }
}

/// The product catalogue for local voice ordering, with indexes from spoken names to products.
struct ProductCatalogue: Sendable {
    /// A name the catalogue does not know, and the closest name it does, if any is close.
    struct Miss: Sendable {
        var name: String
        var suggestion: String?
    }

    let products: [Product]
    /// Singular item name → the item's products, default (first-listed) first.
    private let byItem: [String: [Product]]
    /// Singular item name → the item as written in the catalogue.
    private let itemNames: [String: String]
    /// Singular alias → the first product with that alias.
    private let byAlias: [String: Product]
    let nouns: EnglishNouns

    init(products: [Product]) {
        self.products = products
        var vocabulary = Set<String>()
        for product in products {
            vocabulary.insert(product.item)
            vocabulary.formUnion(product.aliases)
        }
        let nouns = EnglishNouns(vocabulary: vocabulary)
        var byItem: [String: [Product]] = [:]
        var itemNames: [String: String] = [:]
        var byAlias: [String: Product] = [:]
        for product in products {
            let key = nouns.singular(product.item)
            byItem[key, default: []].append(product)
            if itemNames[key] == nil { itemNames[key] = product.item }
        }
        for product in products {
            for alias in product.aliases {
                let key = nouns.singular(alias)
                if byAlias[key] == nil && byItem[key] == nil { byAlias[key] = product }
            }
        }
        self.byItem = byItem
        self.itemNames = itemNames
        self.byAlias = byAlias
        self.nouns = nouns
    }

    /// Reads the catalogue; a malformed product is an error naming the file and the product.
    static func load(path: String) throws -> ProductCatalogue {
        let entries = try ShoppingDataFile.load(path, as: [[String: Any]].self, expecting: "a list of products")
        let number = ShoppingDataFile.number
        var products: [Product] = []
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"] as? String, let item = entry["item"] as? String,
                let name = entry["name"] as? String, let unit = entry["unit"] as? String,
                let size = number(entry["size"]), let price = number(entry["price"])
            else {
                throw ShoppingDataError(
                    "\(path): product \(index + 1) (\(entry["id"] ?? "no id")) needs id, item, name, unit, size and price")
            }
            let aliases = (entry["aliases"] as? [Any] ?? []).map { "\($0)".lowercased() }
            products.append(
                Product(
                    id: id, item: item.lowercased(), name: name, aliases: aliases,
                    category: entry["category"] as? String ?? "", unit: unit, size: size, price: price,
                    repurchaseDays: entry["repurchase_days"] as? Int,
                    traits: try traits(entry, path: path, index: index)))
        }
        return ProductCatalogue(products: products)
    }

    /// The advice attributes of one catalogue entry; one of the wrong shape is an error naming the product.
    private static func traits(_ entry: [String: Any], path: String, index: Int) throws -> ProductTraits {
        func fail(_ what: String) -> ShoppingDataError {
            ShoppingDataError("\(path): product \(index + 1) (\(entry["id"] ?? "no id")): \(what)")
        }
        var traits = ProductTraits()
        if let uses = entry["use"] {
            guard let list = uses as? [String] else { throw fail("use must be a list of names") }
            traits.uses = list.map { $0.lowercased() }
        }
        if let warmth = entry["warmth"] {
            guard let level = warmth as? Int, (0...5).contains(level) else { throw fail("warmth must be 0 to 5") }
            traits.warmth = level
        }
        if let waterproof = entry["waterproof"] {
            guard let flag = waterproof as? Bool else { throw fail("waterproof must be true or false") }
            traits.waterproof = flag
        }
        if let seasons = entry["season"] {
            guard let list = seasons as? [String] else { throw fail("season must be a list of seasons") }
            traits.seasons = list.map { $0.lowercased() }
        }
        return traits
    }

    /// The products advice may recommend for a kind ("jacket", "coffee"): the item's products, and those of items
    /// that start with it ("coffee pods"), that have a use.
    func advisable(kind: String) -> [Product] {
        let singular = nouns.singular(kind)
        return products.filter { product in
            let item = nouns.singular(product.item)
            return !product.traits.uses.isEmpty && (item == singular || item.hasPrefix(singular + " "))
        }
    }

    /// The list key of a spoken item: the catalogue's item when it names one (in either number), else the
    /// singular of what was said. "eggs" → "egg", "tortilla wrap" → "tortilla wraps", "whole milk" → "whole milk".
    func key(for spoken: String) -> String {
        let singular = nouns.singular(spoken)
        // "pea" is the item "peas": try the plural when the singular is unknown.
        return itemNames[singular] ?? itemNames[nouns.singular(nouns.plural(singular))] ?? singular
    }

    /// The product to order for a list key: the item's default product, else the product with that alias,
    /// else, for a one-word key, the one item whose name ends with it ("detergent" → laundry detergent).
    func product(for key: String) -> Product? {
        let singular = nouns.singular(key)
        if let products = byItem[singular] { return products.first }
        if let product = byAlias[singular] { return product }
        // A one-word name may stand for the one item that ends with it; "unicorn steak" is not "steak".
        guard !singular.contains(" ") else { return nil }
        let suffix = " " + singular
        let items = Set(byItem.keys.filter { $0.hasSuffix(suffix) })
        if items.count == 1, let only = items.first { return byItem[only]?.first }
        let aliasItems = Set(byAlias.filter { $0.key.hasSuffix(suffix) }.map(\.value.item))
        if items.isEmpty, aliasItems.count == 1, let only = aliasItems.first { return byItem[nouns.singular(only)]?.first }
        return nil
    }

    /// Typical days between purchases of a list key's default product, when the catalogue has it.
    func repurchaseDays(for key: String) -> Int? { product(for: key)?.repurchaseDays }

    /// True when `key` and an order line's item are the same thing ("detergent" and "laundry detergent").
    func sameItem(_ key: String, _ item: String) -> Bool {
        let a = nouns.singular(key)
        let b = nouns.singular(item)
        if a == b { return true }
        return b.hasSuffix(" " + a) || product(for: a)?.item == item
    }

    /// A known item or alias close to `name` (spelling distance at most a third of its length), for "did you mean".
    func suggestion(for name: String) -> String? {
        let target = nouns.singular(name)
        var best: (String, Int)?
        for candidate in Array(itemNames.values) + Array(byAlias.keys) {
            let distance = Self.editDistance(target, nouns.singular(candidate))
            let limit = max(1, min(target.count, candidate.count) / 3)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
