import ArgumentParser
import Foundation
import HarkAssistant
import HarkRuntime
import HarkSkillHost
import HarkSkillKit

/// `hark skills list`: every installed skill with its intents, origin and health, and every skill folder
/// that could not be installed with the reason.
struct SkillsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show each installed skill: intents, origin, health, and which are off.")
    @Option(help: "A device registry to use.") var devices: String?
    @Option(help: ArgumentHelp("List as if only these skills were on (as --skills does).", valueName: "ID,ID"))
    var skills: String?

    func run() async throws {
        var environment = try HarkEnvironment.fromEnvironment()
        if let skills { environment.configuration.skillSelection = .only(skills) }
        let assistant = try environment.makeAssistant(devicesFile: devices)
        let installed = await assistant.installedSkills
        for skill in installed {
            let manifest = skill.package.manifest
            let health = await SkillDirectoryScan.health(of: skill)
            print("\(manifest.id)  \(manifest.name) \(manifest.version)  [\(skill.origin)]  \(health)")
            if !manifest.description.isEmpty { print("    \(manifest.description)") }
            print("    intents: \(skill.package.templates.intents.map(\.name).joined(separator: ", "))")
            if !manifest.permissions.isEmpty { print("    permissions: \(manifest.permissions.joined(separator: ", "))") }
        }
        let scan = environment.scanSkillDirectories(reservedIDs: Set(BuiltinSkills.ids))
        let active = Set(installed.map(\.id))
        let selection = environment.configuration.skillSelection
        for id in environment.installedSkillIDs(scan).subtracting(active).sorted() where !selection.isActive(id) {
            let reason = selection.disabled.contains(id) ? "in disabled_skills" : "not in enabled_skills or --skills"
            print("\(id)  off (\(reason)): not heard, not consulted")
        }
        for problem in scan.problems {
            print(
                "\(problem.id ?? URL(fileURLWithPath: problem.folder).lastPathComponent)  [\(problem.folder)]  "
                    + "unhealthy: \(problem.message)"
            )
        }
        await assistant.shutdown()
    }
}

/// `hark skills test DIR`: the folder's tests/en.yaml and tests/audio/, for built-in, exec and http skills.
struct SkillsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract:
            "Run a skill folder's tests: tests/en.yaml (sentences, dialogs) and tests/audio (recordings, labels.json).")
    @Argument(help: "The skill folder.") var folder: String

    func run() async throws {
        let folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        let package = try SkillPackage.load(folder: folder, variation: .first)
        if case .builtin = package.manifest.entry {
            let builtin = try SkillsCommand.TestSkill.parse([folder])
            try await builtin.run()
            return
        }
        let environment = try HarkEnvironment.fromEnvironment()
        let settings = environment.configuration.skillSettings
        try await SkillTests(folder: folder, package: package).run(configuration: environment.configuration) {
            _, dataFolder in
            let loader = SkillDirectoryLoader(
                dataDirectory: dataFolder, settings: settings, settingsFile: environment.paths.configFile)
            var skill = try loader.load(folder: folder).mapError { SkillError.invalid($0.message) }.get()
            skill.package = package
            return [skill]
        }
    }
}

/// Runs a skill folder's tests, text and audio, and prints one `N passed, M failed` line for both.
struct SkillTests {
    var folder: String
    var package: SkillPackage

    func run(
        configuration: HarkConfiguration,
        skills: @escaping @Sendable (_ database: HarkDatabase, _ dataFolder: String) throws -> [InstalledSkill]
    ) async throws {
        var passed = 0
        var failures: [String] = []
        let audio = try SkillAudioTests(skillFolder: folder)
        guard package.testsFile != nil || audio != nil else {
            throw ValidationError("\(folder): no tests/en.yaml or tests/audio/labels.json to run")
        }
        if let testsFile = package.testsFile {
            let file = try SkillTestFile.load(path: testsFile)
            let report = try await SkillTestRunner(skillID: package.manifest.id, makeSkills: skills).run(file)
            print("\(file.file): \(report.sentencesRun) sentences, \(report.dialogsRun) dialogs")
            passed += report.passed
            failures += report.failures.map { "\($0)" }
        }
        if let audio {
            let result = try await audio.run(skillID: package.manifest.id, configuration: configuration, skills: skills)
            print("\(audio.folder): \(audio.cases.count) recordings")
            passed += result.passed
            failures += result.failures
        }
        for failure in failures { print("FAIL \(failure)") }
        print("\(passed) passed, \(failures.count) failed")
        if !failures.isEmpty { throw ExitCode(1) }
    }
}

/// `hark skills lint DIR`.
struct SkillsLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract:
            "Check a skill folder: manifest, templates, program, collisions with installed skills, pronunciations.")
    @Argument(help: "The skill folder.") var folder: String
    @Option(help: "The pronunciation dictionary.") var dictionary =
        "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"

    func run() async throws {
        let folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        let assistant = try HarkEnvironment.fromEnvironment().makeAssistant()
        let installed = await assistant.installedSkills.map(\.package.templates)
        await assistant.shutdown()
        let report = SkillLinter(dictionaryPath: dictionary).lint(folder: folder, installed: installed)
        for line in report.lines { print(line) }
        if report.isClean {
            print("lint: \(report.skillID ?? folder): no problems (\(report.samplesChecked) sample sentences checked)")
        }
        if !report.errors.isEmpty { throw ExitCode(1) }
    }
}

/// `hark skills new NAME --language python|shell|swift`.
struct SkillsNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Create a skill folder that works and passes its tests.")
    @Argument(help: "The skill's id: lower-case words joined by '-' (users say them: 'ask NAME to say hello').")
    var name: String
    @Option(help: "python (standard library), shell (bash), or swift (SwiftPM, HarkSkillKit).")
    var language: String = "python"
    @Option(help: "The folder to create (default: ./NAME).") var directory: String?
    @Option(help: "For Swift: Hark's package folder, which the skill's package depends on.") var harkPackage: String?

    func run() async throws {
        guard let language = SkillScaffold.Language(rawValue: language) else {
            throw ValidationError("--language must be one of: python, shell, swift")
        }
        let folder = URL(fileURLWithPath: directory ?? name).standardizedFileURL.path
        var hark = harkPackage
        if language == .swift && hark == nil {
            // The package this binary was built from, when it is still there.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: source + "/Package.swift") else {
                throw ValidationError("say where Hark's package is: --hark-package /path/to/hark")
            }
            hark = source
        }
        let scaffold = SkillScaffold(id: name, language: language, harkPackage: hark)
        let files = try scaffold.write(to: folder)
        print("created \(folder): \(files.joined(separator: ", "))")
        if language == .swift { print("next: (cd \(folder) && swift build)") }
        print("next: hark skills test \(folder)")
        print(
            "then: ln -s \(folder) \(try HarkEnvironment.fromEnvironment().skillsDirectories[0])/ and "
                + "hark ask \"ask \(scaffold.spokenName) to say hello\"")
    }
}

/// `hark skills import-alexa MODEL.json DIR`.
struct SkillsImportAlexaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-alexa", abstract: "Make a Hark skill folder from an Alexa interaction model (JSON).")
    @Argument(help: "The interaction model, e.g. skill-package/interactionModels/custom/en-US.json.") var model: String
    @Argument(help: "The skill folder to create.") var folder: String
    @Option(help: "The skill's id (default: the folder's name).") var id: String?

    func run() async throws {
        let result = try AlexaModelImporter().importModel(at: model, into: folder, id: id)
        print("created \(folder): \(result.files.joined(separator: ", "))")
        for note in result.notes { print("note: \(note)") }
    }
}
