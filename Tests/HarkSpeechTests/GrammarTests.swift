import Foundation
import HarkAudio
import HarkSpeech
import Testing

/// Grammar mistakes, missing words and missing models get one-line errors that say where and what; grammars
/// and words can change at run time.
@Suite struct GrammarTests {
    @Test(arguments: [
        // (grammar, line of the error, words the message must contain)
        ("#JSGF V1.0;\ngrammar g;\npublic <cmd> = turn on ( the light | ;\n", 3, "empty alternative"),
        ("#JSGF V1.0;\ngrammar g;\npublic <cmd> = (turn on | off;\n", 3, "expected ')'"),
        ("#JSGF V1.0;\ngrammar g;\n\npublic <a> = turn on\n<b> = off;\n", 4, "expected ';'"),
        ("#JSGF V1.0;\ngrammar g;\npublic <a> = turn <b>;\n", 3, "<b> is used but not defined"),
        ("#JSGF V1.0;\ngrammar g;\npublic <a> = on;\npublic <b> = off;\n", 4, "2 public rules"),
        ("grammar g;\npublic <a> = on;\n", 1, "#JSGF"),
        ("#JSGF V1.0;\ngrammar g;\n/* note\npublic <a> = on;\n", 3, "comment"),
        ("#JSGF V1.0;\ngrammar g;\npublic <a> = on /x/ off;\n", 3, "weight"),
    ])
    func syntaxErrorsNameTheLine(grammar: String, line: Int, problem: String) async throws {
        let error = #expect(throws: SpeechError.self) { try Recognizer(grammar: .jsgf(grammar, name: "lights")) }
        #expect(error?.code == .grammarSyntax)
        #expect(error?.line == line)
        #expect(error?.description.hasPrefix("lights: grammar syntax error at line \(line): ") == true, "\(error!)")
        #expect(error?.description.contains(problem) == true, "\(error!)")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func aGrammarWithoutAPublicRuleIsAnError() throws {
        let error = #expect(throws: SpeechError.self) {
            try Recognizer(grammar: .jsgf("#JSGF V1.0;\ngrammar g;\n<a> = on;\n", name: "lights"))
        }
        #expect(error?.line == nil)
        #expect(
            error?.description
                == "lights: grammar syntax error: the grammar has no public rule (write 'public <name> = ...;')")
    }

    @Test func aGrammarFileErrorNamesTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-speech-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("g.jsgf").path
        let broken = "#JSGF V1.0;\ngrammar g;\npublic <x> = (turn on | off;\n"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: SpeechError.self) { try Recognizer(grammar: .jsgfFile(path)) }
        #expect(error?.description.hasPrefix("\(path): grammar syntax error at line 3: ") == true, "\(error!)")

        let missing = folder.appendingPathComponent("none.jsgf").path
        let unreadable = #expect(throws: SpeechError.self) { try Recognizer(grammar: .jsgfFile(missing)) }
        #expect(unreadable?.code == .grammarUnreadable)
        #expect(unreadable?.description == "\(missing): cannot read grammar: no such file")
    }

    @Test func wordsMissingFromTheDictionaryAreListed() throws {
        let grammar = "#JSGF V1.0;\ngrammar g;\npublic <a> = turn on the (flurbo | zzyzx) light | good night;\n"
        let error = #expect(throws: SpeechError.self) { try Recognizer(grammar: .jsgf(grammar, name: "home")) }
        #expect(error?.code == .wordNotInDictionary)
        #expect(error?.missingWords == ["flurbo", "zzyzx"])
        #expect(error?.description.hasPrefix("home: words not in the pronunciation dictionary: flurbo, zzyzx") == true)
    }

    @Test func aMissingModelFolderIsNamedWithItsPackage() throws {
        var models = SpeechModelPaths.debianDefault
        models.acousticModel = "/nonexistent/hark/model"
        let error = #expect(throws: SpeechError.self) {
            try Recognizer(models: models, grammar: .jsgf(SpeechFixtures.grammar(["good night"])))
        }
        #expect(error?.code == .missingModelPath)
        #expect(error?.path == "/nonexistent/hark/model")
        #expect(error?.description.contains("/nonexistent/hark/model: acoustic model folder not found") == true)
        #expect(error?.description.contains("pocketsphinx-en-us") == true)

        var noDictionary = SpeechModelPaths.debianDefault
        noDictionary.dictionary = "/nonexistent/words.dict"
        #expect(throws: SpeechError.self) { try noDictionary.validate() }
        try SpeechModelPaths.debianDefault.validate()
    }

    @Test func grammarsSwitchAtRunTime() async throws {
        let first = SpeechFixtures.grammar(["turn on the kitchen light"])
        let recognizer = try Recognizer(grammar: .jsgf(first, name: "a"))
        let audio = try await SpeechFixtures.clips.clip("what time is it")
        // The first grammar cannot say it: it decodes to nothing or to its one sentence.
        #expect(try await recognizer.transcribe(audio).text != "what time is it")
        try await recognizer.setGrammar(.jsgf(SpeechFixtures.grammar(["what time is it", "good night"]), name: "b"))
        #expect(try await recognizer.transcribe(audio).text == "what time is it")
        // A rejected grammar leaves the previous one in place.
        await #expect(throws: SpeechError.self) {
            try await recognizer.setGrammar(.jsgf("#JSGF V1.0;\ngrammar c;\npublic <a> = zzyzx;\n"))
        }
        #expect(try await recognizer.transcribe(audio).text == "what time is it")
    }

    @Test func keptGrammarsSwitchByName() async throws {
        let recognizer = try Recognizer(grammar: .jsgf(SpeechFixtures.grammar(["good night"]), name: "boot"))
        let audio = try await SpeechFixtures.clips.clip("what time is it")
        // (A word graph's JSGF has one rule per line.)
        func graph(_ sentences: String) throws -> WordGraph {
            try WordGraph(jsgf: "#JSGF V1.0;\ngrammar g;\npublic <s> = \(sentences);\n")
        }
        let times = try graph("what time is it | good night")
        let lights = try graph("turn on the kitchen light | good night")
        try await recognizer.addGrammar(.wordGraph(times, name: "times"), named: "times")
        try await recognizer.addGrammar(.wordGraph(lights, name: "lights"), named: "lights")
        // The last one added is active; both stay and switch by name, as often as asked.
        #expect(try await recognizer.transcribe(audio).text != "what time is it")
        for _ in 0..<2 {
            try await recognizer.useGrammar(named: "times")
            #expect(try await recognizer.transcribe(audio).text == "what time is it")
            try await recognizer.useGrammar(named: "lights")
            #expect(try await recognizer.transcribe(audio).text != "what time is it")
        }
        let unknown = await #expect(throws: SpeechError.self) { try await recognizer.useGrammar(named: "weather") }
        #expect(unknown?.description.contains("weather") == true)
        // Replacing a kept grammar under its name.
        try await recognizer.addGrammar(.wordGraph(times, name: "times again"), named: "lights")
        #expect(try await recognizer.transcribe(audio).text == "what time is it")
        // Switching is refused during an utterance.
        try await recognizer.startUtterance()
        await #expect(throws: SpeechError.self) { try await recognizer.useGrammar(named: "times") }
        await recognizer.cancelUtterance()
    }

    @Test func aWordGraphRuleMaySpanLines() throws {
        let graph = try WordGraph(
            jsgf: """
                #JSGF V1.0;
                grammar g;
                // rooms
                <room> = kitchen
                    | living room;
                public <s> = turn (on | off) the <room> light
                    | good night;
                """)
        #expect(graph.accepts(["turn", "off", "the", "living", "room", "light"]))
        #expect(graph.accepts(["good", "night"]))
        #expect(!graph.accepts(["turn", "on", "the", "light"]))
    }

    @Test func wordsCanBeAddedToTheDictionary() async throws {
        let recognizer = try Recognizer(
            grammar: .jsgf(SpeechFixtures.grammar(["good night"])), extraDictionary: ["harkbot": "HH AA R K B AA T"])
        #expect(try await recognizer.inVocabulary("harkbot"))
        #expect(try await recognizer.inVocabulary("kitchen"))
        #expect(try await !recognizer.inVocabulary("zzyzx"))
        try await recognizer.addWord("zzyzx", phones: "z ay z ih k s")
        #expect(try await recognizer.inVocabulary("zzyzx"))
        try await recognizer.setGrammar(.jsgf(SpeechFixtures.grammar(["hello harkbot", "zzyzx road"]), name: "new"))
        let bad = await #expect(throws: SpeechError.self) { try await recognizer.addWord("blorf", phones: "QQ XX") }
        #expect(bad?.code == .invalidPronunciation)
        #expect(bad?.description.contains("blorf") == true)
        #expect(try await !recognizer.inVocabulary("blorf"))
    }
}
