import Foundation
import HarkSkillKit
import HarkUnderstanding
import Yams

/// A skill's `tests/LANG.yaml`: sentences with the intent and slots they must give, and multi-turn
/// dialog transcripts with the replies and state they must produce.
///
/// ```yaml
/// sentences:
///   - text: add milk to my shopping list
///     intent: AddItem
///     slots: { item: milk }
///   - text: add milk, eggs and bread
///     intent: AddItem
///     slots: { item: [milk, eggs, bread] }
///   - text: sing me a song
///     intent: null                 # must not match any intent of this skill
/// paraphrases:                     # said in people's own words: no template needs to match them
///   - text: we're out of milk, put it down
///     intent: AddItem              # Hark acts on it or asks "Did you mean …?" about it (statistical fallback)
///   - text: i need to talk to mom
///     intent: null                 # Hark must not act on this skill (asking back is allowed)
/// dialogs:
///   - name: asks for the missing item
///     turns:
///       - user: add something to my shopping list
///         reply: what should i add   # a regular expression, case-insensitive, searched in the reply
///         open: true                 # the session stays open (optional)
///       - user: milk
///         intent: AddItem
///         slots: { item: milk }
///         reply: added milk
///         open: false
/// ```
/// Slot values are compared in their written form (`SlotValue.description`): `25`, `milk`, `19:45`,
/// `50%`, `21°C`, `2025-03-07`; a list compares element by element.
public struct SkillTestFile: Sendable {
    /// One sentence test.
    public struct SentenceTest: Sendable {
        public var text: String
        /// nil: the sentence must not reach any intent of this skill.
        public var intent: String?
        /// Expected written slot values; nil means slots are not checked.
        public var slots: [String: ExpectedValue]?
        /// The area the request comes from, if the test sets one.
        public var area: String?
        public var line: Int
    }

    /// One dialog transcript.
    public struct DialogTest: Sendable {
        public var name: String
        public var turns: [Turn]
        public var line: Int
    }

    /// One turn of a transcript and what must come back.
    public struct Turn: Sendable {
        public var user: String
        public var reply: String?
        public var intent: String?
        public var skill: String?
        public var slots: [String: ExpectedValue]?
        public var open: Bool?
        public var area: String?
        public var line: Int
    }

    /// An expected slot value: one written value or a list.
    public enum ExpectedValue: Sendable, Equatable, CustomStringConvertible {
        case one(String)
        case many([String])

        public var description: String {
            switch self {
            case .one(let v): return v
            case .many(let vs): return "[" + vs.joined(separator: ", ") + "]"
            }
        }

        /// True when `value` has this written form.
        public func matches(_ value: SlotValue) -> Bool {
            switch (self, value) {
            case (.many(let expected), .list(let items)): return expected == items.map(\.description)
            case (.one(let expected), .list(let items)) where items.count == 1: return expected == items[0].description
            case (.one(let expected), _): return expected == value.description
            default: return false
            }
        }
    }

    public var file: String
    public var sentences: [SentenceTest]
    /// Sentences in people's own words, understood through the whole assistant (templates, then the statistical
    /// fallback): the intent Hark acts on or asks about.
    public var paraphrases: [SentenceTest] = []
    public var dialogs: [DialogTest]

    /// Reads a tests file; a malformed one is an error with file and line.
    public static func load(path: String) throws -> SkillTestFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SkillError.invalid("\(path): cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> SkillTestFile {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw ManifestError(file: file, line: error.line, message: error.summary)
        }
        func fail(_ node: Node?, _ message: String) -> ManifestError {
            ManifestError(file: file, line: node?.mark.map { $0.line }, message: message)
        }
        guard let root = node?.mapping else {
            throw fail(node, "expected a mapping with 'sentences', 'paraphrases' and/or 'dialogs'")
        }
        for (key, _) in root where !["sentences", "paraphrases", "dialogs"].contains(key.string ?? "") {
            throw fail(key, "unknown key '\(key.string ?? "?")' (known: dialogs, paraphrases, sentences)")
        }
        func expected(_ node: Node?) throws -> [String: ExpectedValue]? {
            guard let node else { return nil }
            guard let mapping = node.mapping else { throw fail(node, "'slots' must map slot names to values") }
            var result: [String: ExpectedValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw fail(key, "slot names must be strings") }
                if let seq = value.sequence {
                    result[name] = .many(seq.map { $0.string ?? "" })
                } else if let scalar = value.scalar {
                    result[name] = .one(scalar.string)
                } else {
                    throw fail(value, "slot '\(name)': expected a value or a list of values")
                }
            }
            return result
        }
        func optionalIntent(_ node: Node?) -> String?? {
            guard let node else { return .none }
            if node.null != nil { return .some(nil) }
            return .some(node.string)
        }
        func sentenceTests(_ section: String) throws -> [SentenceTest] {
            var tests: [SentenceTest] = []
            for item in root[section]?.sequence ?? [] {
                guard let m = item.mapping, let text = m["text"]?.string else {
                    throw fail(item, "a test in '\(section)' needs 'text' (and 'intent', 'slots')")
                }
                for (key, _) in m where !["text", "intent", "slots", "area"].contains(key.string ?? "") {
                    throw fail(key, "unknown key '\(key.string ?? "?")' in '\(section)' (known: area, intent, slots, text)")
                }
                guard let intent = optionalIntent(m["intent"]) else {
                    throw fail(item, "'\(text)' in '\(section)' needs 'intent' (null when nothing may match)")
                }
                tests.append(
                    SentenceTest(
                        text: text, intent: intent, slots: try expected(m["slots"]), area: m["area"]?.string,
                        line: item.mark?.line ?? 0))
            }
            return tests
        }
        let sentences = try sentenceTests("sentences")
        let paraphrases = try sentenceTests("paraphrases")
        var dialogs: [DialogTest] = []
        for item in root["dialogs"]?.sequence ?? [] {
            guard let m = item.mapping, let turnsNode = m["turns"]?.sequence, !turnsNode.isEmpty else {
                throw fail(item, "a dialog test needs 'name' and a non-empty list of 'turns'")
            }
            var turns: [Turn] = []
            for t in turnsNode {
                guard let tm = t.mapping, let user = tm["user"]?.string else {
                    throw fail(t, "a turn needs 'user' (what the user says)")
                }
                for (key, _) in tm where !["user", "reply", "intent", "skill", "slots", "open", "area"].contains(key.string ?? "") {
                    throw fail(key, "unknown key '\(key.string ?? "?")' in a turn (known: area, intent, open, reply, skill, slots, user)")
                }
                if let pattern = tm["reply"]?.string, (try? NSRegularExpression(pattern: pattern)) == nil {
                    throw fail(tm["reply"], "reply '\(pattern)' is not a valid regular expression")
                }
                turns.append(
                    Turn(
                        user: user, reply: tm["reply"]?.string, intent: tm["intent"]?.string, skill: tm["skill"]?.string,
                        slots: try expected(tm["slots"]), open: tm["open"]?.bool, area: tm["area"]?.string,
                        line: t.mark?.line ?? 0))
            }
            dialogs.append(DialogTest(name: m["name"]?.string ?? "dialog", turns: turns, line: item.mark?.line ?? 0))
        }
        return SkillTestFile(file: file, sentences: sentences, paraphrases: paraphrases, dialogs: dialogs)
    }
}
