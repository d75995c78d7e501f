import Foundation
import Testing

@testable import HarkUnderstanding

private let reference = MatchContext(now: Fixtures.friday, calendar: Fixtures.utcCalendar)

/// Checks a JSGF grammar's structure: header, grammar name, public rule, `;` after every rule, balanced groups,
/// every referenced rule defined. Returns the rule names.
private func checkJSGF(_ grammar: String, name: String) -> [String] {
    let lines = grammar.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    #expect(lines.first == "#JSGF V1.0;")
    #expect(lines.dropFirst().first == "grammar \(name);")
    var defined: [String] = []
    var referenced = Set<String>()
    for line in lines.dropFirst(2) {
        #expect(line.hasSuffix(";"), "rule not closed: \(line)")
        let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(parts.count == 2, "not a rule: \(line)")
        guard parts.count == 2 else { continue }
        let head = parts[0].hasPrefix("public ") ? String(parts[0].dropFirst(7)) : parts[0]
        #expect(head.hasPrefix("<") && head.hasSuffix(">"))
        defined.append(String(head.dropFirst().dropLast()))
        var stack: [Character] = []
        var reference = ""
        var inReference = false
        for character in parts[1] {
            switch character {
            case "(", "[": stack.append(character)
            case ")": #expect(stack.popLast() == "(", "unbalanced ) in \(line)")
            case "]": #expect(stack.popLast() == "[", "unbalanced ] in \(line)")
            case "<":
                inReference = true
                reference = ""
            case ">":
                inReference = false
                referenced.insert(reference)
            default:
                if inReference { reference.append(character) }
            }
        }
        #expect(stack.isEmpty, "unclosed group in \(line)")
    }
    #expect(Set(defined).count == defined.count, "a rule is defined twice")
    #expect(defined.contains("command"))
    #expect(lines.contains { $0.hasPrefix("public <command> = ") })
    let undefined = referenced.subtracting(defined).subtracting(["NULL", "VOID"])
    #expect(undefined.isEmpty, "undefined rules: \(undefined)")
    return defined
}

@Suite struct ExportTests {
    let engine: IntentEngine

    init() throws {
        engine = try Fixtures.engine()
    }

    @Test func jsgfGrammarIsWellFormed() throws {
        let grammar = engine.jsgf(grammarName: "hark")
        let rules = checkJSGF(grammar, name: "hark")
        #expect(rules.contains("intent_Shopping_AddItem"))
        #expect(rules.contains("list_Home_name"))
        #expect(rules.contains("rule_Shopping_my_list"))
        #expect(rules.contains("builtin_duration"))
        #expect(grammar.contains("<wildcard> = <VOID>;"))
        #expect(grammar.contains("(bedroom lamp | bed room lamp | kitchen light | ceiling fan | tv)"))
        #expect(
            grammar.contains(
                "<skip> = (a | an | can you | could you | er | for me | hey hark | hey there | kindly | my | "
                    + "our | please | the | uh | um | will you | would you);"
            )
        )
        // Ranges are spelled out; digits never appear.
        #expect(grammar.contains("| twenty point five |"))
        #expect(!grammar.split(separator: "\n").dropFirst().joined().contains { $0.isNumber })
        let filled = engine.jsgf(grammarName: "hark", wildcardExpansion: "(milk | eggs)+")
        #expect(filled.contains("<wildcard> = (milk | eggs)+;"))
        _ = checkJSGF(filled, name: "hark")
    }

    @Test func vocabularyCoversEveryWordOfTheGrammar() {
        let vocabulary = engine.vocabulary()
        for word in [
            "add", "shopping", "grocery", "bedroom", "bed", "lamp", "twenty", "percent", "fahrenheit",
            "o'clock", "tomorrow", "weekend", "minutes", "please", "hark", "what", "is",
        ] {
            #expect(vocabulary.contains(word), "missing \(word)")
        }
        #expect(!vocabulary.contains("what's"))
        #expect(!vocabulary.contains { $0.contains("<") || $0.contains("(") || $0.contains("|") })
    }

    @Test func samplesAreDeterministicPerSeed() {
        let first = engine.sampleSentences(limit: 100, perIntent: 5, seed: 42, reference: reference)
        let again = engine.sampleSentences(limit: 100, perIntent: 5, seed: 42, reference: reference)
        let other = engine.sampleSentences(limit: 100, perIntent: 5, seed: 43, reference: reference)
        #expect(first == again)
        #expect(first != other)
        #expect(first.count <= 100)
        #expect(Set(first.map(\.intent)).count == 11)
        let limited = engine.sampleSentences(limit: 7, perIntent: 5, seed: 42, reference: reference)
        #expect(limited == Array(first.prefix(7)))
    }

    /// Every sample sentence is matched back to its own intent and slots.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func samplesRoundTrip(seed: UInt64) throws {
        let samples = engine.sampleSentences(limit: 10_000, perIntent: 30, seed: seed, reference: reference)
        #expect(samples.count > 200)
        for sample in samples {
            var context = reference
            context.values = sample.context
            let match = try #require(engine.match(sample.text, context: context).best, "no match: \(sample.text)")
            #expect(match.skill == sample.skill && match.intent == sample.intent, "\(sample.text)")
            #expect(match.slots == sample.slots, "\(sample.text)")
        }
    }

    @Test func noCollisionsInDistinctSkills() {
        #expect(engine.collisions(perIntent: 20, seed: 5, reference: reference).isEmpty)
    }

    @Test func collisionsAreFoundForOverlappingSkills() throws {
        let music = """
            intents:
              PlayMusic:
                data:
                  - sentences: ["play [some] {genre} [music]", "put on [some] {genre}"]
              Stop:
                data:
                  - sentences: ["stop"]
            lists:
              genre: { values: [jazz, rock, "hip hop"] }
            """
        let radio = """
            intents:
              PlayRadio:
                data:
                  - sentences: ["play {station}", "tune (in to | to) {station}"]
              Halt:
                data:
                  - sentences: ["(stop | halt)"]
            lists:
              station: { values: [jazz, news, { in: "rock (fm | radio)", out: Rock FM }] }
            """
        let overlapping = try Fixtures.engine([(music, "Music"), (radio, "Radio")])
        let collisions = overlapping.collisions(perIntent: 20, seed: 9, reference: reference)
        let sentences = Set(collisions.map(\.sentence))
        #expect(sentences.contains("play jazz"))
        #expect(sentences.contains("stop"))
        #expect(!sentences.contains("play news"))
        #expect(!sentences.contains("halt"))
        let play = try #require(collisions.first { $0.sentence == "play jazz" })
        #expect(play.intents.map(\.description) == ["Music/PlayMusic", "Radio/PlayRadio"])
        #expect(play.score > 0.9)
        let stop = try #require(collisions.first { $0.sentence == "stop" })
        #expect(stop.intents.map(\.description) == ["Music/Stop", "Radio/Halt"])
        #expect(stop.score == 1)
    }
}
