import Foundation
import Yams

/// The phrases a wildcard slot (a shopping item, a code) may be heard as.
///
/// A wildcard cannot be a closed grammar, so the recognizer gives it a vocabulary: the products and foods the
/// installed skills know. By convention every `item:` value and every `aliases:` entry in a skill's
/// `data/*.yaml` files is such a phrase (the shopping catalogue and the recipes' ingredients use these keys),
/// plus number words for codes and quantities. Phrases are lower-cased, hyphens become spaces, and phrases with
/// digits or other symbols are left out (the grammar speaks words).
public struct WildcardVocabulary: Sendable, Equatable {
    /// Distinct phrases, sorted.
    public private(set) var phrases: [String]

    /// A vocabulary of exactly these phrases (normalised as described above).
    public init(phrases: some Sequence<String>) {
        self.phrases = Set(phrases.compactMap(Self.normalize)).sorted()
    }

    /// Every word of every phrase.
    public var words: Set<String> { Set(phrases.flatMap { $0.split(separator: " ").map(String.init) }) }

    /// Reads `item:` and `aliases:` values from the YAML files in each folder's `data/` subfolder.
    /// A folder without `data/` adds nothing; a malformed YAML file is an error naming the file.
    public static func load(skillFolders: [String]) throws -> WildcardVocabulary {
        var phrases: [String] = []
        for folder in skillFolders {
            let data = URL(fileURLWithPath: folder).appendingPathComponent("data")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: data.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = data.appendingPathComponent(name).path
                guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) })
                else { throw VoiceError.unreadableFile(path) }
                let node: Node?
                do {
                    node = try Yams.compose(yaml: text)
                } catch {
                    throw VoiceError.malformedFile(path, "\(error)".split(separator: "\n").first.map(String.init) ?? "")
                }
                if let node { collect(node, into: &phrases) }
            }
        }
        return WildcardVocabulary(phrases: phrases)
    }

    private static func collect(_ node: Node, into phrases: inout [String]) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                switch (key.string, value) {
                case ("item", .scalar(let scalar)): phrases.append(scalar.string)
                case ("aliases", .sequence(let items)): phrases += items.compactMap(\.string)
                default: collect(value, into: &phrases)
                }
            }
        case .sequence(let items):
            for item in items { collect(item, into: &phrases) }
        default:
            break
        }
    }

    /// Lower case, hyphens and slashes as spaces, no punctuation; nil when the phrase has digits or symbols.
    static func normalize(_ phrase: String) -> String? {
        var words: [String] = []
        for raw in phrase.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" }) {
            let word = raw.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?\"()"))
            guard !word.isEmpty else { continue }
            guard word.allSatisfy({ ("a"..."z").contains($0) || $0 == "'" }) else { return nil }
            words.append(word)
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
