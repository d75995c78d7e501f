import Foundation
import Testing

@testable import HarkSpeech

/// Sentences drawn from a grammar, a trigram model trained on them, and PocketSphinx decoding with that model.
@Suite struct LanguageModelTests {
    static let grammar = """
        #JSGF V1.0;
        grammar t;
        public <s> = [please] turn (on | off) the <thing> | what time is it | <never>;
        <thing> = kitchen light | lamp | <VOID>;
        <never> = zzyzx <VOID>;
        """

    @Test func sampledSentencesAreSentencesOfTheGrammar() throws {
        let graph = try WordGraph(jsgf: Self.grammar)
        var random = Xorshift(seed: 7)
        let sentences = try JSGFSampler(jsgf: Self.grammar).sentences(count: 300, using: &random)
        #expect(sentences.count == 300)
        #expect(sentences.allSatisfy(graph.accepts))
        // Every path is taken, and none through <VOID>.
        let distinct = Set(sentences.map { $0.joined(separator: " ") })
        #expect(distinct.contains("please turn off the kitchen light"))
        #expect(distinct.contains("what time is it"))
        #expect(distinct.count == 9)
        #expect(!sentences.joined().contains("zzyzx"))
        // Its words: every word a rule has (also those only on impossible paths), without the excluded ones.
        let words = try JSGFSampler(jsgf: Self.grammar, excluding: ["lamp"]).words
        #expect(words == graph.words.union(["zzyzx"]).subtracting(["lamp"]))
        #expect(try JSGFSampler(jsgf: Self.grammar).excluding(["lamp"]).words == words)
    }

    @Test func theModelsProbabilitiesAddUp() throws {
        var random = Xorshift(seed: 1)
        let sentences = try JSGFSampler(jsgf: Self.grammar).sentences(count: 500, using: &random)
        let model = NGramModel(sentences: sentences, extraWords: ["garage"])
        let lines = model.arpa.split(separator: "\n").map(String.init)
        #expect(lines.first == "\\data\\" && lines.last == "\\end\\")
        #expect(lines.contains("ngram 1=\(model.counts[0])"))
        // Unigrams (all but <s>, which starts every sentence) sum to 1; a word no sentence has still has a chance.
        let start = lines.firstIndex(of: "\\1-grams:")! + 1
        let unigrams = lines[start..<lines.firstIndex(of: "\\2-grams:")!].filter { !$0.isEmpty }
            .map { $0.split(separator: " ") }
        let total = unigrams.filter { $0[1] != "<s>" }.map { pow(10, Double($0[0])!) }.reduce(0, +)
        #expect(abs(total - 1) < 0.001)
        #expect(unigrams.contains { $0[1] == "garage" })
        // After "turn": "on" and "off" only, about equally, and nothing else seen.
        let afterTurn = lines.filter { $0.split(separator: " ").count == 4 && $0.split(separator: " ")[1] == "turn" }
        #expect(Set(afterTurn.map { $0.split(separator: " ")[2] }) == ["on", "off"])
    }

    @Test func pocketSphinxDecodesWithTheTrainedModel() async throws {
        var random = Xorshift(seed: 3)
        let sampler = try JSGFSampler(jsgf: Self.grammar)
        let model = NGramModel(sentences: try sampler.sentences(count: 2000, using: &random))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hark-lm-test-\(getpid()).lm").path
        try model.arpa.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let recognizer = try Recognizer(grammar: .jsgf(SpeechFixtures.grammar(["good night"])))
        let words = try WordGraph(jsgf: Self.grammar).words
        try await recognizer.setGrammar(.languageModelFile(file, words: words))
        let audio = try await SpeechFixtures.clips.clip("turn off the kitchen light")
        #expect(try await recognizer.transcribe(audio).text == "turn off the kitchen light")
        // A missing file is a clear error, and the model stays in place.
        await #expect(throws: SpeechError.self) {
            try await recognizer.setGrammar(.languageModelFile(file + ".missing", words: words))
        }
        #expect(try await recognizer.transcribe(audio).text == "turn off the kitchen light")
    }
}

/// A seeded xorshift generator: the same sentences on every run.
struct Xorshift: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
