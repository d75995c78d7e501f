import Foundation
import Yams

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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShoppingDataError("\(path): cannot read the file")
        }
        let root: Any?
        do { root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ShoppingDataError("\(path): \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
        guard let entries = root as? [[String: Any]] else {
            throw ShoppingDataError("\(path): expected a list of products")
        }
        func number(_ value: Any?) -> Double? {
            (value as? Double) ?? (value as? Int).map(Double.init)
        }
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
                    repurchaseDays: entry["repurchase_days"] as? Int))
        }
        return ProductCatalogue(products: products)
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
