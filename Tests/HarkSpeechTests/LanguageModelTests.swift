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

    /// A bigram model of the grammar's sentences in ARPA form: every word and every pair the sentences have, each
    /// continuation of a word equally likely.
    static func bigramARPA(_ sentences: [[String]]) -> String {
        var following: [String: Set<String>] = [:]
        for sentence in sentences {
            let words = ["<s>"] + sentence + ["</s>"]
            for (word, next) in zip(words, words.dropFirst()) { following[word, default: []].insert(next) }
        }
        let vocabulary = Set(following.keys).union(following.values.joined()).sorted()
        let pairs = following.sorted { $0.key < $1.key }.flatMap { word, nexts in
            nexts.sorted().map { "\(log10(1 / Double(nexts.count))) \(word) \($0)" }
        }
        let unigram = log10(1 / Double(vocabulary.count))
        return (["\\data\\", "ngram 1=\(vocabulary.count)", "ngram 2=\(pairs.count)", "", "\\1-grams:"]
            + vocabulary.map { "\(unigram) \($0) -99" } + ["", "\\2-grams:"] + pairs + ["", "\\end\\"])
            .joined(separator: "\n") + "\n"
    }

    @Test func pocketSphinxDecodesWithALanguageModelFile() async throws {
        var random = Xorshift(seed: 3)
        let sampler = try JSGFSampler(jsgf: Self.grammar)
        let arpa = Self.bigramARPA(try sampler.sentences(count: 2000, using: &random))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hark-lm-test-\(getpid()).lm").path
        try arpa.write(toFile: file, atomically: true, encoding: .utf8)
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
