import Foundation
import HarkAssistant
import HarkSkillHost
import HarkSkillKit
import HarkSkillTesting
import HarkUnderstanding
import Testing

/// The example skills, the Alexa importer, the scaffolds and lint.
@Suite struct AuthoringTests {
    /// Runs a skill folder's tests/en.yaml with the skill loaded through the host.
    static func runTests(of folder: String) async throws -> SkillTestRunner.Report {
        let package = try SkillPackage.load(folder: folder, variation: .first)
        let runner = SkillTestRunner(skillID: package.manifest.id) { _, data in
            var skill = try SkillDirectoryLoader(dataDirectory: data).load(folder: folder)
                .mapError { SkillError.invalid($0.message) }.get()
            skill.package = package
            return [skill]
        }
        return try await runner.run(SkillTestFile.load(path: try #require(package.testsFile)))
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hark-authoring-\(UUID().uuidString)").path
    }

    @Test func askSDKExamplePassesItsTests() async throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import ask_sdk_core"]
        try check.run()
        check.waitUntilExit()
        try #require(check.terminationStatus == 0, "ask-sdk-core is missing: python3 -m pip install ask-sdk-core")
        let report = try await Self.runTests(of: repositoryRoot + "/Examples/Skills/hello-ask")
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.dialogsRun >= 4)
    }

    @Test func coinFlipExamplePassesItsTests() async throws {
        let report = try await Self.runTests(of: repositoryRoot + "/Examples/Skills/coin-flip")
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.sentencesRun >= 5)
    }

    @Test func theExampleRunnerIsTheOneHarkWrites() throws {
        let example = try String(contentsOfFile: repositoryRoot + "/Examples/Skills/hello-ask/run.py", encoding: .utf8)
        #expect(example == SkillScaffold.askRunner)
    }

    @Test(arguments: [SkillScaffold.Language.python, .shell])
    func scaffoldsWorkAndPassTheirTests(language: SkillScaffold.Language) async throws {
        let folder = Self.temporaryFolder() + "/weather-jokes"
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let files = try SkillScaffold(id: "weather-jokes", language: language).write(to: folder)
        #expect(files.contains("tests/en.yaml"))
        let report = try await Self.runTests(of: folder)
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.sentencesRun == 4 && report.dialogsRun == 2)
        let lint = SkillLinter().lint(folder: folder, installed: [])
        #expect(lint.errors.isEmpty, "\(lint.lines)")
    }

    @Test func swiftScaffoldIsAPackageOnHarkSkillKit() throws {
        let folder = Self.temporaryFolder() + "/weather-jokes"
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        _ = try SkillScaffold(id: "weather-jokes", language: .swift, harkPackage: repositoryRoot).write(to: folder)
        let manifest = try String(contentsOfFile: folder + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(".package(path: \"\(repositoryRoot)\")"))
        #expect(manifest.contains(".product(name: \"HarkSkillKit\""))
        let program = try String(
            contentsOfFile: folder + "/Sources/WeatherJokesSkill/WeatherJokesSkill.swift", encoding: .utf8)
        #expect(program.contains("SkillRunner.serve(WeatherJokesSkill())"))
        // Until it is built, lint says exactly what is missing.
        let lint = SkillLinter().lint(folder: folder, installed: [])
        #expect(lint.errors.count == 1)
        #expect(
            lint.errors.first?.contains("program '.build/debug/WeatherJokesSkill' not found") == true, "\(lint.lines)")
    }

    @Test func scaffoldRejectsNamesUsersCannotSay() {
        #expect(throws: SkillError.self) {
            try SkillScaffold(id: "Hello2", language: .python).write(to: Self.temporaryFolder())
        }
    }

    static let alexaModel = """
        {"interactionModel":{"languageModel":{"invocationName":"pizza shop",
          "intents":[
            {"name":"AMAZON.CancelIntent","samples":[]},
            {"name":"AMAZON.HelpIntent","samples":[]},
            {"name":"AMAZON.StopIntent","samples":[]},
            {"name":"OrderPizzaIntent","slots":[{"name":"size","type":"PizzaSize"},{"name":"count","type":"AMAZON.NUMBER"}],
             "samples":["order a {size} pizza","i want {count} {size} pizzas","get me {count} pizzas"]},
            {"name":"DeliveryTimeIntent","slots":[{"name":"when","type":"AMAZON.TIME"}],"samples":["deliver it at {when}"]},
            {"name":"SearchIntent","slots":[{"name":"query","type":"AMAZON.SearchQuery"}],"samples":["find {query}"]}],
          "types":[{"name":"PizzaSize","values":[
            {"name":{"value":"large","synonyms":["big","family size"]}},
            {"name":{"value":"small"}}]}]},
          "dialog":{"intents":[{"name":"OrderPizzaIntent","confirmationRequired":false,"slots":[
            {"name":"size","type":"PizzaSize","elicitationRequired":true,"prompts":{"elicitation":"Elicit.Size"}}]}]},
          "prompts":[{"id":"Elicit.Size","variations":[{"type":"PlainText","value":"What size?"},{"type":"SSML","value":"<speak>Large or small?</speak>"}]}]}}
        """

    @Test func alexaModelImportGivesAWorkingSkillFolder() async throws {
        let root = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Self.alexaModel.write(toFile: root + "/model.json", atomically: true, encoding: .utf8)
        let result = try AlexaModelImporter().importModel(at: root + "/model.json", into: root + "/pizza")
        #expect(result.files == ["intents/en.yaml", "responses/en.yaml", "run.py", "skill.yaml", "tests/en.yaml"])
        #expect(result.notes.contains { $0.contains("AMAZON.CancelIntent, AMAZON.StopIntent") })
        let package = try SkillPackage.load(folder: root + "/pizza", variation: .first)
        #expect(package.manifest.id == "pizza")
        #expect(package.manifest.intents["OrderPizzaIntent"]?.required == ["size"])
        #expect(try package.responses.renderAll("ask_OrderPizzaIntent_size") == ["What size?", "Large or small?"])
        let intents = Set(package.templates.intents.map(\.name))
        #expect(intents == ["Launch", "Help", "OrderPizzaIntent", "DeliveryTimeIntent", "SearchIntent"])
        // Its generated sentence tests pass (one per sample) with the matcher.
        let tests = try SkillTestFile.load(path: try #require(package.testsFile))
        #expect(tests.sentences.count == 5)
        let engine = try IntentEngine(skills: [package.templates])
        for test in tests.sentences {
            let best = engine.match(test.text).best
            #expect(best?.intent == test.intent, "\(test.text)")
        }
        let family = engine.match("order a family size pizza").best
        #expect(family?.slots["size"] == .text("large"))
        #expect(engine.match("i want three big pizzas").best?.slots["count"] == .number(3))
        #expect(engine.match("open pizza shop").best?.intent == "Launch")
    }

    @Test func alexaImportErrorsNameTheFile() throws {
        let root = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #"{"interactionModel":{"languageModel":{"intents":[]}}}"#.write(
            toFile: root + "/bad.json", atomically: true, encoding: .utf8)
        let error = try #require(throws: SkillError.self) {
            try AlexaModelImporter().importModel(at: root + "/bad.json", into: root + "/out")
        }
        #expect("\(error)".contains("bad.json: missing 'interactionModel.languageModel.invocationName'"), "\(error)")
    }

    @Test func lintFindsCollisionsAndUnpronounceableWords() throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        let installedFolder = try folders.write(
            "groceries", program: "",
            intents:
                "language: en\nintents:\n  AddItem:\n    data:\n      - sentences: [\"add {item} to my list\"]\nlists:\n  item: { wildcard: true }\n"
        )
        let folder = try folders.write(
            "notes", program: SkillFolders.goodProgram("notes"),
            intents:
                "language: en\nintents:\n  Note:\n    data:\n      - sentences: [\"add {text} to my list\", \"zorblax my notes\"]\nlists:\n  text: { wildcard: true }\n"
        )
        let installed = try SkillPackage.load(folder: installedFolder).templates
        let report = SkillLinter().lint(folder: folder, installed: [installed])
        #expect(report.errors.isEmpty, "\(report.lines)")
        #expect(
            report.collisions.contains { $0.contains("groceries/AddItem") && $0.contains("notes/Note") },
            "\(report.lines)")
        #expect(report.unknownWords == ["zorblax"])
        #expect(report.lines.last == "lint: 1 word not in the pronunciation dictionary: zorblax")
    }
}
