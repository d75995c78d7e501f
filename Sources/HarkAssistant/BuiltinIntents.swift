import Foundation
import HarkSkillKit
import HarkUnderstanding

/// Hark's own intents and replies (stop, cancel, help, yes, no, repeat; fallbacks and questions), kept
/// as a skill folder in the module's resources, and the small engines that read bare slot answers.
enum BuiltinIntents {
    /// The `hark` skill folder shipped with this module.
    static func package(variation: ResponseTemplates.Variation) throws -> SkillPackage {
        guard let folder = Bundle.module.path(forResource: "hark", ofType: nil) else {
            throw SkillError.invalid("Hark's built-in intents are missing from the installation (resource 'hark')")
        }
        return try SkillPackage.load(folder: folder, variation: variation)
    }

    /// An engine whose only sentence is a bare value of `slot` ("milk", "tomorrow", "the kitchen"),
    /// with the list or type the skill binds to that slot.
    static func slotReader(for templates: SkillTemplates, slot: String) throws -> IntentEngine? {
        guard let list = listName(of: slot, in: templates) else { return nil }
        let location = SourceLocation(file: templates.file, line: 1, column: 1)
        let binding = list == slot ? "{\(slot)}" : "{\(list):\(slot)}"
        let answer = TemplateText("[(it's | it is | make it | i want | i'd like)] \(binding)", location: location)
        let reader = SkillTemplates(
            skill: templates.skill, language: templates.language, file: templates.file,
            intents: [IntentTemplates(name: "Answer", data: [IntentSentences(sentences: [answer], location: location)])],
            lists: templates.lists, expansionRules: templates.expansionRules, skipWords: templates.skipWords)
        return try IntentEngine(skills: [reader])
    }

    /// The list a slot is bound to in the skill's sentences or rules (`{list:slot}`, or `{slot}` itself).
    static func listName(of slot: String, in templates: SkillTemplates) -> String? {
        let texts = templates.intents.flatMap { $0.data.flatMap { $0.sentences.map(\.text) } }
            + templates.expansionRules.values.map(\.text)
        for text in texts {
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let inner = rest[rest.index(after: open)..<close]
                let parts = inner.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[1] == slot { return parts[0] }
                if parts.count == 1, parts[0] == slot { return slot }
                rest = rest[rest.index(after: close)...]
            }
        }
        return templates.lists[slot] != nil ? slot : nil
    }
}
