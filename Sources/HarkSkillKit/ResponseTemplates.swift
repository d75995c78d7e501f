import Foundation
import Yams

/// A skill's reply templates, several wordings per reply, from `responses/LANG.yaml`:
///
/// ```yaml
/// responses:
///   added:
///     - "I've added {items} to your shopping list."
///     - "{items}: on the list."
///   ask_item: "What should I add?"
/// ```
///
/// `render("added", ["items": "milk and eggs"])` picks a wording and fills its `{placeholders}`.
public struct ResponseTemplates: Sendable {
    /// How a wording is chosen among the variants.
    public enum Variation: Sendable {
        /// A random wording each time, as a person would vary it.
        case random
        /// Always the first wording (reproducible output for tests and transcripts).
        case first
    }

    /// Wordings by key.
    public private(set) var templates: [String: [String]]
    /// The file they came from, for error messages.
    public var file: String
    /// How a wording is chosen.
    public var variation: Variation

    public init(templates: [String: [String]] = [:], file: String = "responses", variation: Variation = .random) {
        self.templates = templates
        self.file = file
        self.variation = variation
    }

    /// Loads a responses file; a missing `responses:` mapping or a non-string wording is an error naming the file.
    public static func load(path: String, variation: Variation = .random) throws -> ResponseTemplates {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SkillError.invalid("\(path): cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path, variation: variation)
    }

    /// Parses responses YAML.
    public static func parse(_ text: String, file: String, variation: Variation = .random) throws -> ResponseTemplates {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw SkillError.invalid("\(file): \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
        guard let top = root as? [String: Any], let responses = top["responses"] as? [String: Any] else {
            throw SkillError.invalid("\(file): expected a 'responses:' mapping of reply keys to wordings")
        }
        var templates: [String: [String]] = [:]
        for (key, value) in responses {
            if let one = value as? String {
                templates[key] = [one]
            } else if let many = value as? [Any], !many.isEmpty, many.allSatisfy({ $0 is String }) {
                templates[key] = many.compactMap { $0 as? String }
            } else {
                throw SkillError.invalid("\(file): response '\(key)' must be a string or a list of strings")
            }
        }
        return ResponseTemplates(templates: templates, file: file, variation: variation)
    }

    /// True when the file has wordings for `key`.
    public func has(_ key: String) -> Bool { templates[key] != nil }

    /// One wording of `key` with its placeholders filled from `values`.
    public func render(_ key: String, _ values: [String: String] = [:]) throws -> String {
        guard let variants = templates[key], !variants.isEmpty else {
            throw SkillError.unknownResponse(key: key, file: file)
        }
        let template = variation == .first ? variants[0] : variants.randomElement()!
        return try Self.fill(template, values, key: key)
    }

    /// Every wording of `key`, filled: for tests that accept any of them.
    public func renderAll(_ key: String, _ values: [String: String] = [:]) throws -> [String] {
        guard let variants = templates[key] else { throw SkillError.unknownResponse(key: key, file: file) }
        return try variants.map { try Self.fill($0, values, key: key) }
    }

    /// The placeholders a wording uses, e.g. `["items"]` for "I've added {items}.".
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var current: String?
        for ch in template {
            if ch == "{" {
                current = ""
            } else if ch == "}", let name = current {
                names.append(name)
                current = nil
            } else if current != nil {
                current!.append(ch)
            }
        }
        return names
    }

    private static func fill(_ template: String, _ values: [String: String], key: String) throws -> String {
        var result = template
        for name in placeholders(in: template) {
            guard let value = values[name] else { throw SkillError.missingValue(key: key, placeholder: name) }
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
