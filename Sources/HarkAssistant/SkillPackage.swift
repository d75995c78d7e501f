import Foundation
import HarkSkillKit
import HarkUnderstanding

/// A skill folder read from disk: `skill.yaml`, `intents/LANG.yaml`, `responses/LANG.yaml`, and
/// optionally `tests/LANG.yaml`.
public struct SkillPackage: Sendable {
    /// The folder.
    public var folder: String
    public var manifest: SkillManifest
    /// The intents' sentence templates.
    public var templates: SkillTemplates
    /// The reply templates.
    public var responses: ResponseTemplates
    /// The sentence and dialog tests, if the folder has them.
    public var testsFile: String?

    public init(
        folder: String, manifest: SkillManifest, templates: SkillTemplates, responses: ResponseTemplates,
        testsFile: String? = nil
    ) {
        self.folder = folder
        self.manifest = manifest
        self.templates = templates
        self.responses = responses
        self.testsFile = testsFile
    }

    /// Reads a skill folder. Any problem (missing file, malformed manifest or template, a required slot
    /// that no sentence of the intent can fill) is thrown with the file and place.
    public static func load(
        folder: String, language: String = "en", variation: ResponseTemplates.Variation = .random
    ) throws -> SkillPackage {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SkillError.invalid("\(folder): no such skill folder")
        }
        let manifest = try SkillManifest.load(path: folder + "/skill.yaml")
        let intentsFile = folder + "/intents/\(language).yaml"
        guard fm.fileExists(atPath: intentsFile) else {
            throw SkillError.invalid("\(intentsFile): missing (a skill declares its sentences there)")
        }
        let templates = try SkillTemplates.load(yamlFile: intentsFile, skill: manifest.id)
        let responsesFile = folder + "/responses/\(language).yaml"
        let responses =
            fm.fileExists(atPath: responsesFile)
            ? try ResponseTemplates.load(path: responsesFile, variation: variation)
            : ResponseTemplates(file: responsesFile, variation: variation)
        let testsFile = folder + "/tests/\(language).yaml"
        let package = SkillPackage(
            folder: folder, manifest: manifest, templates: templates, responses: responses,
            testsFile: fm.fileExists(atPath: testsFile) ? testsFile : nil)
        try package.checkDialogRules()
        return package
    }

    /// Checks that the manifest's dialog rules name intents and slots that the templates declare.
    public func checkDialogRules() throws {
        let intentNames = Set(templates.intents.map(\.name))
        for (intent, rules) in manifest.intents.sorted(by: { $0.key < $1.key }) {
            guard intentNames.contains(intent) else {
                throw SkillError.invalid(
                    "\(folder)/skill.yaml: intents.\(intent) is not an intent of \(templates.file)")
            }
            for slot in rules.required where templates.lists[slot] == nil && !templates.mentions(slot: slot) {
                throw SkillError.invalid(
                    "\(folder)/skill.yaml: intents.\(intent).required names slot '\(slot)', which no list in \(templates.file) declares")
            }
        }
    }
}

extension SkillTemplates {
    /// True when some sentence binds `{slot}` or `{list:slot}` (slots may be implicit built-in lists).
    func mentions(slot: String) -> Bool {
        intents.contains { intent in
            intent.data.contains { block in
                block.sentences.contains { $0.text.contains("{\(slot)}") || $0.text.contains(":\(slot)}") }
                    || block.fixedSlots[slot] != nil
            }
        }
    }
}
