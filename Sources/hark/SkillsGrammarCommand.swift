import ArgumentParser
import Foundation
import HarkAssistant
import HarkRuntime
import HarkVoice

/// `hark skills grammar`: the speech grammar the installed skills compile to, as `hark listen` decodes with it.
struct SkillsGrammarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grammar",
        abstract: "Print the speech grammar (JSGF) built from the installed skills' sentences and vocabularies.",
        discussion: """
            Summary lines go to standard error: size, words given a pronunciation by eSpeak NG, words without one,
            wildcard lists without a vocabulary, and the skills' test sentences the grammar cannot produce (a voice
            user saying them is heard as something else). With -o the grammar is written to a file instead of
            standard output.
            """)

    @Option(name: .shortAndLong, help: "Write the grammar to this file.") var output: String?
    @Option(help: "Write the pronunciations eSpeak NG gave (for `hark transcribe --extra-dictionary`) to this file.")
    var dictionary: String?
    @OptionGroup var assistantOptions: AssistantOptionsGroup

    func run() async throws {
        let environment = try assistantOptions.environment()
        let assistant = try environment.makeAssistant(devicesFile: assistantOptions.devices)
        let started = ContinuousClock.now
        let recognizer: VoiceRecognizer
        do {
            recognizer = try await VoiceRecognizer(
                assistant: assistant, models: environment.configuration.speechModels,
                wakePhrase: environment.configuration.wakePhrase)
        } catch {
            await assistant.shutdown()
            throw error
        }
        let skills = await assistant.installedSkills
        let engine = assistant.intentEngine
        await assistant.shutdown()
        let elapsed = ContinuousClock.now - started
        let grammar = await recognizer.grammar
        let pronunciations = await recognizer.pronunciations
        if let output {
            try grammar.text.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(grammar.text)
        }
        if let dictionary {
            var lines = try HarkModelFiles.pronunciations().sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines += pronunciations.added.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.joined(separator: " "))" }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dictionary, atomically: true, encoding: .utf8)
        }
        let graph = grammar.graph
        var summary = [
            "word graph: \(graph.stateCount) states, \(graph.arcs.count) transitions",
            "grammar: \(grammar.text.utf8.count) bytes, \(grammar.words.count) words, loaded in \(elapsed)",
            "pronounced by eSpeak NG: \(pronunciations.added.count) words",
        ]
        if !pronunciations.unpronounceable.isEmpty {
            summary.append("no pronunciation (left out): " + pronunciations.unpronounceable.keys.sorted().joined(separator: ", "))
        }
        if !grammar.unheardWildcards.isEmpty {
            summary.append("wildcards without a vocabulary: " + grammar.unheardWildcards.joined(separator: ", "))
        }
        // The skills' test sentences a voice cannot say.
        var tested = 0
        var unheard: [String] = []
        for skill in skills.sorted(by: { $0.id < $1.id }) {
            guard let path = skill.package.testsFile, let tests = try? SkillTestFile.load(path: path) else { continue }
            for test in tests.sentences where test.intent != nil {
                tested += 1
                if !grammar.canHear(test.text, engine: engine) { unheard.append("  \(skill.id): \(test.text)") }
            }
        }
        summary.append("test sentences the grammar cannot produce: \(unheard.count) of \(tested)")
        summary += unheard
        FileHandle.standardError.write(Data((summary.joined(separator: "\n") + "\n").utf8))
    }
}
