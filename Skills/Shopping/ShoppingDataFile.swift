import Foundation
import Yams

/// A data file of the skill that cannot be used, with the file named.
struct ShoppingDataError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads the skill's YAML data files (`data/*.yaml`).
enum ShoppingDataFile {
    /// The parsed YAML at `path`, as `T`; `what` says what the top level must be, for the error.
    static func load<T>(_ path: String, as type: T.Type, expecting what: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShoppingDataError("\(path): cannot read the file")
        }
        let root: Any?
        do { root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ShoppingDataError("\(path): \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
        guard let value = root as? T else { throw ShoppingDataError("\(path): expected \(what)") }
        return value
    }

    /// A YAML number (integer or not) as a `Double`.
    static func number(_ value: Any?) -> Double? {
        (value as? Double) ?? (value as? Int).map(Double.init)
    }
}
