import Foundation
import Yams

/// A skill's `skill.yaml`: who it is, how Hark runs it, what it may touch, and the dialog rules of its
/// intents.
///
/// ```yaml
/// id: shopping
/// name: Shopping list
/// version: 1.0.0
/// description: Keeps your shopping list and orders groceries.
/// entry: builtin            # builtin | exec | http
/// command: [python3, skill.py]   # entry: exec — run from the skill's folder
/// url: http://127.0.0.1:8080/    # entry: http
/// permissions: [shopping.AddItem]   # other skills' intents this skill may call
/// intents:
///   AddItem: { required: [item], confirm: false }
/// ```
public struct SkillManifest: Sendable, Equatable {
    /// How Hark runs a skill.
    public enum Entry: Sendable, Equatable {
        /// A Swift skill compiled into Hark.
        case builtin
        /// A program speaking JSON lines on stdin/stdout, started in the skill's folder.
        case exec(command: [String])
        /// A URL that takes the request as an HTTP POST.
        case http(url: String)
    }

    /// Dialog rules for one intent.
    public struct IntentRules: Sendable, Equatable {
        /// Slots Hark asks for (with the `ask_SLOT` response) before calling the skill.
        public var required: [String] = []
        /// When true, Hark asks "…, right?" (the `confirm_INTENT` response) before calling the skill.
        public var confirm: Bool = false

        public init(required: [String] = [], confirm: Bool = false) {
            self.required = required
            self.confirm = confirm
        }
    }

    public var id: String
    public var name: String
    public var version: String
    public var description: String
    public var entry: Entry
    /// `skill.Intent` names of other skills this skill may call (`shopping.AddItem`, or `shopping.*`).
    public var permissions: [String]
    /// Dialog rules by intent name.
    public var intents: [String: IntentRules]
    /// Seconds an `exec` or `http` skill may take to answer one request (nil: the host's default).
    public var timeout: Double?
    /// Slots whose words are secret (`slots: { code: { sensitive: true, label: purchase code } }`), by name,
    /// with the label Hark shows and stores in their place ("[purchase code]").
    public var sensitiveSlots: [String: String] = [:]

    public init(
        id: String, name: String, version: String = "1.0.0", description: String = "", entry: Entry = .builtin,
        permissions: [String] = [], intents: [String: IntentRules] = [:], timeout: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.description = description
        self.entry = entry
        self.permissions = permissions
        self.intents = intents
        self.timeout = timeout
    }

    /// True when the skill asks for the network (`permissions: [network]`); exec skills have none otherwise.
    public var usesNetwork: Bool { permissions.contains(Self.networkPermission) }
    /// The permission that lets an exec skill use the network.
    public static let networkPermission = "network"

    /// True when the permissions allow calling `intent` of skill `skill`.
    public func allows(skill: String, intent: String) -> Bool {
        permissions.contains("\(skill).\(intent)") || permissions.contains("\(skill).*")
    }

    /// The time limits a skill may ask for, in seconds.
    public static let timeoutRange: ClosedRange<Double> = 0.1...600

    static let topLevelKeys: Set<String> = [
        "id", "name", "version", "description", "entry", "command", "url", "permissions", "intents", "timeout",
        "slots",
    ]

    /// Reads a `skill.yaml`; every problem is reported with the file and line.
    public static func load(path: String) throws -> SkillManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError(file: path, line: nil, message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses manifest YAML; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws -> SkillManifest {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw ManifestError(file: file, line: error.line, message: error.summary)
        }
        guard let root = node?.mapping else {
            throw ManifestError(file: file, line: 1, message: "expected a mapping with id, name and entry")
        }
        func fail(_ node: Node?, _ message: String) -> ManifestError {
            ManifestError(file: file, line: node?.mark.map { $0.line }, message: message)
        }
        for (key, _) in root {
            guard let name = key.string, topLevelKeys.contains(name) else {
                throw fail(key, "unknown key '\(key.string ?? "?")' (known: \(topLevelKeys.sorted().joined(separator: ", ")))")
            }
        }
        func string(_ key: String, required: Bool) throws -> String? {
            guard let value = root[key] else {
                if required { throw fail(root[key] ?? node, "missing '\(key)'") }
                return nil
            }
            guard let text = value.string, !text.isEmpty else { throw fail(value, "'\(key)' must be a non-empty string") }
            return text
        }
        let id = try string("id", required: true)!
        guard id.range(of: "^[a-z][a-z0-9_-]*$", options: .regularExpression) != nil else {
            throw fail(root["id"], "id '\(id)' must be lower-case letters, digits, '-' or '_', starting with a letter")
        }
        let entryName = try string("entry", required: true)!
        let entry: Entry
        switch entryName {
        case "builtin": entry = .builtin
        case "exec":
            guard let command = root["command"] else { throw fail(root["entry"], "entry 'exec' needs a 'command'") }
            let parts: [String]
            if let line = command.string {
                parts = line.split(separator: " ").map(String.init)
            } else if let seq = command.sequence, seq.allSatisfy({ $0.string != nil }) {
                parts = seq.compactMap(\.string)
            } else {
                throw fail(command, "'command' must be a string or a list of strings")
            }
            guard !parts.isEmpty else { throw fail(command, "'command' is empty") }
            entry = .exec(command: parts)
        case "http":
            guard let url = try string("url", required: false) else { throw fail(root["entry"], "entry 'http' needs a 'url'") }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw fail(root["url"], "url '\(url)' must start with http:// or https://")
            }
            entry = .http(url: url)
        default:
            throw fail(root["entry"], "entry '\(entryName)' is not one of builtin, exec, http")
        }
        var permissions: [String] = []
        if let list = root["permissions"] {
            guard let seq = list.sequence else { throw fail(list, "'permissions' must be a list like [shopping.AddItem]") }
            for item in seq {
                guard let p = item.string, p == networkPermission || p.split(separator: ".").count == 2 else {
                    throw fail(item, "permission '\(item.string ?? "?")' must be network, skill.Intent or skill.*")
                }
                permissions.append(p)
            }
        }
        var intents: [String: IntentRules] = [:]
        if let map = root["intents"] {
            guard let mapping = map.mapping else { throw fail(map, "'intents' must map intent names to rules") }
            for (key, value) in mapping {
                guard let name = key.string else { throw fail(key, "intent names must be strings") }
                var rules = IntentRules()
                guard let fields = value.mapping else { throw fail(value, "intent '\(name)': expected { required: [...], confirm: true|false }") }
                for (fkey, fvalue) in fields {
                    switch fkey.string {
                    case "required":
                        guard let seq = fvalue.sequence, seq.allSatisfy({ $0.string != nil }) else {
                            throw fail(fvalue, "intent '\(name)': 'required' must be a list of slot names")
                        }
                        rules.required = seq.compactMap(\.string)
                    case "confirm":
                        guard let flag = fvalue.bool else { throw fail(fvalue, "intent '\(name)': 'confirm' must be true or false") }
                        rules.confirm = flag
                    default:
                        throw fail(fkey, "intent '\(name)': unknown key '\(fkey.string ?? "?")' (known: confirm, required)")
                    }
                }
                intents[name] = rules
            }
        }
        var timeout: Double?
        if let node = root["timeout"] {
            guard let seconds = node.float, timeoutRange.contains(seconds) else {
                throw fail(
                    node,
                    "'timeout' must be a number of seconds from \(timeoutRange.lowerBound) to \(timeoutRange.upperBound), "
                        + "not \(node.string ?? "?")")
            }
            timeout = seconds
        }
        var sensitive: [String: String] = [:]
        if let map = root["slots"] {
            guard let mapping = map.mapping else { throw fail(map, "'slots' must map slot names to { sensitive: true }") }
            for (key, value) in mapping {
                guard let name = key.string, let fields = value.mapping else {
                    throw fail(value, "slot '\(key.string ?? "?")': expected { sensitive: true, label: words }")
                }
                var isSensitive = false
                var label = name.replacingOccurrences(of: "_", with: " ")
                for (fkey, fvalue) in fields {
                    switch fkey.string {
                    case "sensitive":
                        guard let flag = fvalue.bool else { throw fail(fvalue, "slot '\(name)': 'sensitive' must be true or false") }
                        isSensitive = flag
                    case "label":
                        guard let text = fvalue.string, !text.isEmpty, !text.contains("]") else {
                            throw fail(fvalue, "slot '\(name)': 'label' must be a few words")
                        }
                        label = text
                    default:
                        throw fail(fkey, "slot '\(name)': unknown key '\(fkey.string ?? "?")' (known: label, sensitive)")
                    }
                }
                if isSensitive { sensitive[name] = label }
            }
        }
        var manifest = SkillManifest(
            id: id, name: try string("name", required: true)!, version: try string("version", required: false) ?? "1.0.0",
            description: try string("description", required: false) ?? "", entry: entry, permissions: permissions,
            intents: intents, timeout: timeout)
        manifest.sensitiveSlots = sensitive
        return manifest
    }
}

/// A `skill.yaml` that cannot be used: the file, the line, and the problem.
public struct ManifestError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

extension YamlError {
    /// The line of a YAML syntax error, when Yams gives one.
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    /// The problem in one line.
    var summary: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return "YAML syntax: \(problem)"
        default: return String(describing: self).replacingOccurrences(of: "\n", with: " ")
        }
    }
}
