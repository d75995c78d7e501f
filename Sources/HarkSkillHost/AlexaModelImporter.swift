import Foundation
import HarkSkillKit

/// Turns an Alexa interaction model (the JSON of the Alexa developer console or `ask-cli`'s
/// `skill-package/interactionModels/custom/en-US.json`) into a Hark skill folder:
///
/// - `skill.yaml` — `entry: exec` running `run.py` (the ASK SDK runner, also written) on `lambda_function.py`,
///   which the author supplies; dialog rules from the model's dialog (required slots, confirmation).
/// - `intents/en.yaml` — each custom intent's samples as sentences (`{slot}` references kept), a `Launch`
///   intent from the invocation name (Hark sends it as a LaunchRequest), `Help` when the model has
///   `AMAZON.HelpIntent` (so "help" inside the skill reaches its handler); other `AMAZON.*` intents are
///   skipped (Hark has them). Custom slot types become lists (synonyms spoken, the value canonical);
///   `AMAZON.NUMBER` → number, `AMAZON.DATE` → date, `AMAZON.TIME` → time, `AMAZON.DURATION` → duration,
///   other `AMAZON.*` types (SearchQuery, Food, FirstName, City …) → wildcard.
/// - `responses/en.yaml` — the dialog's elicitation prompts as `ask_INTENT_SLOT`.
/// - `tests/en.yaml` — one sentence test per sample.
public struct AlexaModelImporter: Sendable {
    /// What an import produced.
    public struct Result: Sendable {
        /// The files written, relative to the folder.
        public var files: [String]
        /// Things the author should know (skipped intents, approximations).
        public var notes: [String]
    }

    public init() {}

    /// Imports the model at `modelPath` into the new folder `folder` (which must not exist or be empty);
    /// `id` defaults to the folder's name.
    public func importModel(at modelPath: String, into folder: String, id: String? = nil) throws -> Result {
        guard let data = FileManager.default.contents(atPath: modelPath) else {
            throw SkillError.invalid("\(modelPath): cannot read the file")
        }
        let model: LanguageModel
        do {
            model = try Self.languageModel(from: data)
        } catch let error as SkillError {
            throw SkillError.invalid("\(modelPath): \(error)")
        } catch {
            throw SkillError.invalid("\(modelPath): \(AlexaExchange.describe(error))")
        }
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw SkillError.invalid("\(folder): already exists and is not empty")
        }
        let skillID = Self.skillID(id ?? URL(fileURLWithPath: folder).lastPathComponent)
        guard !skillID.isEmpty else {
            throw SkillError.invalid("\(folder): cannot make a skill id from the folder name")
        }
        var files = try Self.files(for: model, skillID: skillID)
        var notes = files.notes
        files.contents["run.py"] = SkillScaffold.askRunner
        for (path, text) in files.contents {
            let full = folder + "/" + path
            try fm.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        notes.append("put the skill's ASK SDK code in \(folder)/lambda_function.py (or change 'command' in skill.yaml)")
        return Result(files: files.contents.keys.sorted(), notes: notes)
    }

    // MARK: - The model

    struct LanguageModel: Decodable {
        var invocationName: String
        var intents: [Intent]
        var types: [SlotType]?
        var dialog: Dialog?
        var prompts: [Prompt]?
    }
    struct Intent: Decodable {
        var name: String
        var slots: [Slot]?
        var samples: [String]?
    }
    struct Slot: Decodable {
        var name: String
        var type: String
    }
    struct SlotType: Decodable {
        var name: String
        var values: [TypeValue]?
    }
    struct TypeValue: Decodable {
        var name: TypeValueName
    }
    struct TypeValueName: Decodable {
        var value: String
        var synonyms: [String]?
    }
    struct Dialog: Decodable {
        var intents: [DialogIntent]?
    }
    struct DialogIntent: Decodable {
        var name: String
        var confirmationRequired: Bool?
        var slots: [DialogSlot]?
    }
    struct DialogSlot: Decodable {
        var name: String
        var elicitationRequired: Bool?
        var prompts: [String: String]?
    }
    struct Prompt: Decodable {
        var id: String
        var variations: [PromptVariation]
    }
    struct PromptVariation: Decodable {
        var type: String
        var value: String
    }

    private struct Root: Decodable {
        struct Interaction: Decodable {
            var languageModel: LanguageModel
            var dialog: Dialog?
            var prompts: [Prompt]?
        }
        var interactionModel: Interaction?
        var languageModel: LanguageModel?
    }

    static func languageModel(from data: Data) throws -> LanguageModel {
        let root = try JSONDecoder().decode(Root.self, from: data)
        if let interaction = root.interactionModel {
            var model = interaction.languageModel
            model.dialog = interaction.dialog ?? model.dialog
            model.prompts = interaction.prompts ?? model.prompts
            return model
        }
        guard let model = root.languageModel else {
            throw SkillError.invalid("expected 'interactionModel.languageModel' (an Alexa interaction model)")
        }
        return model
    }

    // MARK: - Writing the folder

    static func files(for model: LanguageModel, skillID: String) throws -> (contents: [String: String], notes: [String])
    {
        var notes: [String] = []
        let types = Dictionary((model.types ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let invocation = plain(model.invocationName.lowercased())
        var intentsYAML =
            "# Imported from an Alexa interaction model by `hark skills import-alexa`.\nlanguage: en\nintents:\n"
        intentsYAML += "  Launch:\n    data:\n      - sentences:\n"
        intentsYAML += "          - \(quote("(open | start | launch) \(invocation)"))\n"
        intentsYAML += "          - \(quote("talk to \(invocation)"))\n"
        var lists: [String: String] = [:]
        var tests: [String] = []
        var skipped: [String] = []
        let names = Set(model.intents.map(\.name))
        if names.contains("AMAZON.HelpIntent") {
            intentsYAML += "  Help:\n    data:\n      - sentences:\n"
            intentsYAML +=
                "          - \(quote("how do i use \(invocation)"))\n          - \(quote("help with \(invocation)"))\n"
        }
        for intent in model.intents {
            if intent.name.hasPrefix("AMAZON.") {
                if intent.name != "AMAZON.HelpIntent" { skipped.append(intent.name) }
                continue
            }
            let samples = (intent.samples ?? []).map { sample($0) }.filter { !$0.isEmpty }
            guard !samples.isEmpty else {
                notes.append("intent \(intent.name) has no samples: skipped")
                continue
            }
            guard intent.name.range(of: "^[A-Za-z][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                notes.append("intent name '\(intent.name)' is not a plain name: skipped")
                continue
            }
            let slotTypes = Dictionary((intent.slots ?? []).map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
            intentsYAML += "  \(intent.name):\n    data:\n      - sentences:\n"
            for text in samples { intentsYAML += "          - \(quote(text))\n" }
            for (slot, type) in slotTypes.sorted(by: { $0.key < $1.key }) where lists[slot] == nil {
                lists[slot] = try list(for: type, types: types, slot: slot, notes: &notes)
            }
            for text in samples {
                tests.append(test(for: text, intent: intent.name, slotTypes: slotTypes, types: types))
            }
        }
        if !skipped.isEmpty {
            notes.append("skipped built-in intents Hark handles itself: \(skipped.joined(separator: ", "))")
        }
        if !lists.isEmpty {
            intentsYAML += "lists:\n"
            for (name, body) in lists.sorted(by: { $0.key < $1.key }) { intentsYAML += "  \(name):\n\(body)" }
        }

        // Dialog rules and prompts.
        let prompts = Dictionary((model.prompts ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var rules: [String] = []
        var responses: [String] = []
        for intent in model.dialog?.intents ?? [] where !intent.name.hasPrefix("AMAZON.") && names.contains(intent.name)
        {
            let required = (intent.slots ?? []).filter { $0.elicitationRequired == true }.map(\.name)
            var fields: [String] = []
            if !required.isEmpty { fields.append("required: [\(required.joined(separator: ", "))]") }
            if intent.confirmationRequired == true { fields.append("confirm: true") }
            if !fields.isEmpty { rules.append("  \(intent.name): { \(fields.joined(separator: ", ")) }") }
            for slot in intent.slots ?? [] {
                guard let id = slot.prompts?["elicitation"], let prompt = prompts[id] else { continue }
                let wordings = prompt.variations.map {
                    $0.type == "SSML" ? AlexaMapping.plainText(ofSSML: $0.value) : $0.value
                }
                responses.append(
                    "  ask_\(intent.name)_\(slot.name):\n" + wordings.map { "    - \(quote($0))\n" }.joined())
            }
        }

        let title = model.invocationName.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
        var manifest = """
            id: \(skillID)
            name: \(quote(title))
            version: 1.0.0
            description: \(quote("Imported from the Alexa interaction model of \"\(model.invocationName)\"."))
            entry: exec
            # The program that answers: run.py calls lambda_function.py's lambda_handler (ASK SDK for Python).
            # Replace with your own program if the skill is not written with the Python ASK SDK.
            command: [python3, run.py, lambda_function]

            """
        if !rules.isEmpty { manifest += "intents:\n" + rules.joined(separator: "\n") + "\n" }
        let responsesYAML =
            "# Prompts Hark speaks when it asks for a slot on the skill's behalf.\nresponses:"
            + (responses.isEmpty ? " {}\n" : "\n" + responses.joined())
        let testsYAML = "# One test per sample sentence of the interaction model.\nsentences:\n" + tests.joined()
        return (
            [
                "skill.yaml": manifest, "intents/en.yaml": intentsYAML, "responses/en.yaml": responsesYAML,
                "tests/en.yaml": testsYAML,
            ], notes
        )
    }

    /// The list declaration (indented YAML) for a slot of an Alexa type.
    static func list(for type: String, types: [String: SlotType], slot: String, notes: inout [String]) throws -> String
    {
        switch type {
        case "AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER": return "    type: number\n"
        case "AMAZON.DATE": return "    type: date\n"
        case "AMAZON.TIME": return "    type: time\n"
        case "AMAZON.DURATION": return "    type: duration\n"
        default: break
        }
        if type.hasPrefix("AMAZON.") {
            if type != "AMAZON.SearchQuery" { notes.append("slot \(slot) of type \(type) becomes a wildcard") }
            return "    wildcard: true\n"
        }
        guard let custom = types[type] else {
            throw SkillError.invalid("slot \(slot) has type \(type), which the model's 'types' does not define")
        }
        var body = "    values:\n"
        for value in custom.values ?? [] {
            let canonical = plain(value.name.value)
            let synonyms = (value.name.synonyms ?? []).map { plain($0) }.filter { !$0.isEmpty && $0 != canonical }
            if synonyms.isEmpty {
                body += "      - \(quote(canonical))\n"
            } else {
                body += "      - in: \(quote("(" + ([canonical] + synonyms).joined(separator: " | ") + ")"))\n"
                body += "        out: \(quote(value.name.value))\n"
            }
        }
        return body
    }

    /// A sentence test for one sample, with an example value in each slot.
    static func test(for sample: String, intent: String, slotTypes: [String: String], types: [String: SlotType])
        -> String
    {
        var text = sample
        var expected: [String: String] = [:]
        var checkSlots = true
        for (slot, type) in slotTypes where sample.contains("{\(slot)}") {
            let (said, value): (String, String?)
            switch type {
            case "AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER": (said, value) = ("three", "3")
            case "AMAZON.DATE": (said, value) = ("tomorrow", nil)
            case "AMAZON.TIME": (said, value) = ("seven pm", nil)
            case "AMAZON.DURATION": (said, value) = ("five minutes", nil)
            default:
                if let first = types[type]?.values?.first {
                    (said, value) = (plain(first.name.value), first.name.value)
                } else {
                    (said, value) = ("something", "something")
                }
            }
            text = text.replacingOccurrences(of: "{\(slot)}", with: said)
            if let value { expected[slot] = value } else { checkSlots = false }
        }
        var yaml = "  - text: \(quote(text))\n    intent: \(intent)\n"
        if checkSlots && !expected.isEmpty {
            let pairs = expected.sorted { $0.key < $1.key }.map { "\($0.key): \(quote($0.value))" }
            yaml += "    slots: { \(pairs.joined(separator: ", ")) }\n"
        }
        return yaml
    }

    /// An Alexa sample as a Hark sentence: slot references kept, template punctuation removed.
    static func sample(_ text: String) -> String {
        var result = ""
        var inSlot = false
        for ch in text {
            if ch == "{" { inSlot = true }
            if ch == "}" { inSlot = false }
            if !inSlot && "()[]|<>".contains(ch) { continue }
            result.append(ch)
        }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Words without template punctuation.
    static func plain(_ text: String) -> String {
        text.filter { !"()[]|{}<>\"".contains($0) }.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A skill id from a name: lower-case letters, digits and '-'.
    static func skillID(_ name: String) -> String {
        var id = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        while id.contains("--") { id = id.replacingOccurrences(of: "--", with: "-") }
        id = id.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        while let first = id.first, !first.isLetter { id.removeFirst() }
        return id
    }

    /// A double-quoted YAML string.
    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
