import ArgumentParser
import Foundation
import HarkAssistant
import HarkRuntime

/// `hark skills …`: skill authoring and inspection.
struct SkillsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skills", abstract: "List installed skills and test skill folders.",
        subcommands: [
            SkillsListCommand.self, SkillsTestCommand.self, SkillsLintCommand.self, SkillsNewCommand.self,
            SkillsImportAlexaCommand.self, SkillsGrammarCommand.self,
        ])

    /// `hark skills test DIR`.
    struct TestSkill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Run a skill folder's tests/en.yaml: sentence tests and dialog transcripts.")
        @Argument(help: "The skill folder.") var folder: String

        func run() async throws {
            let package = try SkillPackage.load(folder: folder, variation: .first)
            let environment = try HarkEnvironment.fromEnvironment()
            let id = package.manifest.id
            guard BuiltinSkills.ids.contains(id) else {
                throw ValidationError("\(folder): no handler for skill '\(id)' (built-in skills: \(BuiltinSkills.ids.joined(separator: ", ")))")
            }
            let configuration = environment.configuration
            try await SkillTests(folder: folder, package: package).run(configuration: configuration) { database, _ in
                var skill = try BuiltinSkills.make(id: id, database: database, configuration: configuration)
                skill.package = package
                return [skill]
            }
        }
    }
}
