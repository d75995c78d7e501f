import Foundation
import Testing

@testable import HarkUnderstanding

/// The statistical fallback: paraphrases of the skills' own sentences, out-of-scope requests, the cache by content
/// hash, and wildcards that do not swallow clauses.
@Suite struct IntentClassifierTests {
    static let classifier = IntentClassifier.train(engine: Fixtures.standardEngine)

    static func top(_ text: String) -> IntentClassifier.Guess { classifier.classify(text)[0] }

    @Test(arguments: [
        ("olly turn the tv on", "Home", "TurnOn"),
        ("could you please switch off the bedroom lamp now", "Home", "TurnOff"),
        ("what's currently on the shopping list", "Shopping", "ReadList"),
        ("alarm at seven tomorrow thanks", "Timers", "SetAlarm"),
    ])
    func aParaphraseOfTheSkillsOwnSentencesIsTheirIntent(text: String, skill: String, intent: String) {
        let guess = Self.top(text)
        #expect(guess.label == IntentClassifier.Label(skill: skill, intent: intent), "\(text): \(guess)")
        #expect(guess.probability > 0.5)
    }

    @Test(arguments: ["play a song from my favourites", "who won the football yesterday", "email my boss"])
    func wordsNoSkillUsesAreOutOfScope(text: String) {
        #expect(Self.top(text).label.isOutOfScope, "\(text): \(Self.top(text))")
    }

    @Test func coverageCountsTheIntentsOwnWords() {
        let guess = Self.classifier.classify("olly turn the tv on").first { $0.label.intent == "TurnOn" }!
        #expect(guess.markers.contains("tv"))
        #expect(guess.coverage < 1)  // "olly" is nobody's word
        #expect(guess.onlyOwnKnownWords)
        let alarm = Self.classifier.classify("set an alarm for the kitchen light").first { $0.label.intent == "SetAlarm" }!
        #expect(!alarm.onlyOwnKnownWords)  // "kitchen" and "light" are another intent's words
    }

    @Test func theCacheFileIsNamedByTheSkillsContentAndReadBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-classifier-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = try Fixtures.engine([(Fixtures.home, "Home")])
        let trained = IntentClassifier.load(engine: engine, cacheDirectory: folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files == ["intent-classifier-\(String(trained.contentHash, radix: 16)).bin"])

        let read = try IntentClassifier.decode(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + files[0])))
        #expect(read.contentHash == trained.contentHash)
        #expect(read.classify("lamp off in the bedroom please") == trained.classify("lamp off in the bedroom please"))
    }

    @Test func anAuthorsNewSentencesArePickedUpWithoutRetrainingByHand() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-classifier-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = IntentClassifier.load(engine: try Fixtures.engine([(Fixtures.home, "Home")]), cacheDirectory: folder)
        #expect(!before.labels.contains { $0.intent == "Vacuum" })

        // The author adds an intent; the next start trains for the new content, with nothing to run by hand.
        let edited = Fixtures.home.replacingOccurrences(
            of: "  Sleep:\n", with: "  Vacuum:\n    data:\n      - sentences:\n"
                + "          - \"(start | run) the (hoover | vacuum cleaner)\"\n  Sleep:\n")
        let after = IntentClassifier.load(engine: try Fixtures.engine([(edited, "Home")]), cacheDirectory: folder)
        #expect(after.contentHash != before.contentHash)
        #expect(after.classify("could you get the hoover going please")[0].label.intent == "Vacuum")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 2)
    }

    @Test func aBrokenCacheFileIsTrainedOver() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-classifier-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Options no other test uses, so this process has no classifier for them in memory yet.
        var options = IntentClassifier.Options()
        options.seed = 99
        let engine = try Fixtures.engine([(Fixtures.timers, "Timers")])
        let hash = IntentClassifier.contentHash(engine, options)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/intent-classifier-\(String(hash, radix: 16)).bin"
        try Data("not a classifier".utf8).write(to: URL(fileURLWithPath: file))
        let classifier = IntentClassifier.load(engine: engine, cacheDirectory: folder, options: options)
        #expect(classifier.classify("set a timer for ten minutes")[0].label.intent == "SetTimer")
        #expect(try IntentClassifier.decode(try Data(contentsOf: URL(fileURLWithPath: file))).contentHash == hash)
    }
}

/// Wildcards that know their place.
@Suite struct PhraseShapeTests {
    @Test(arguments: ["to talk to mom", "me chinese food", "on this week's weather report", "ideas for dinner that are mexican",
                      "what you said", "it"])
    func clausesAreNotNames(words: String) {
        #expect(PhraseShape.isClause(TextNormalizer.words(words)))
    }

    @Test(arguments: ["oat milk", "new brighton", "paper towels", "all purpose flour", "some bread", "ride home"])
    func namesAreNames(words: String) {
        #expect(!PhraseShape.isClause(TextNormalizer.words(words)))
    }

    @Test func aClauseInAWildcardExplainsNothing() throws {
        let engine = try Fixtures.engine([(Fixtures.shopping, "Shopping")])
        let thing = try #require(engine.match("add oat milk").best)
        let clause = try #require(engine.match("add to talk to mom").best)
        #expect(thing.score >= 0.5)
        #expect(clause.score < 0.5)  // below the dialog's weak-match score: asked back, not acted on
        #expect(clause.wildcardSlots == ["item"])
    }

    @Test func aNearMissIsSaidPlainly() throws {
        let engine = Fixtures.standardEngine
        let near = try #require(engine.nearest("olly turn on the bedroom lamp please", skill: "Home", intent: "TurnOn"))
        #expect(engine.plainSentence(for: near) == "turn on bedroom lamp")
    }
}
