import HarkSpeech
import Testing

@testable import HarkVoice

/// How words are rated together (the wake phrase, a slot value's words), and how the wake phrase is split off the
/// front of a decoded text.
@Suite struct WakeCheckTests {
    static func word(_ text: String, _ start: Double, _ end: Double, _ confidence: Double?) -> WordTiming {
        WordTiming(word: text, start: start, end: end, confidence: confidence)
    }

    @Test func aOneWordPhraseRatesAsItsWord() {
        let rated = [Self.word("computer", 0.2, 0.8, 0.7)].phraseConfidence
        #expect(abs(rated - 0.7) < 1e-9)
    }

    /// eSpeak's "hark" rates 0.2–0.4 right after a "hey" rated 0.98; a geometric mean (0.54 here) let the weak word
    /// sink the phrase, the phrase rated as one word does not.
    @Test func oneWeakWordDoesNotSinkThePhrase() {
        let rated = [Self.word("hey", 0.1, 0.4, 0.98), Self.word("hark", 0.4, 0.7, 0.3)].phraseConfidence
        #expect(rated > 0.8 && rated < 0.98, "\(rated)")
        // The longer word weighs more: the same two confidences with a long weak word rate lower.
        let longWeak = [Self.word("hey", 0.1, 0.2, 0.98), Self.word("hark", 0.2, 0.8, 0.3)].phraseConfidence
        #expect(longWeak < rated)
    }

    @Test func aWordNotRatedCountsAsNoConfidence() {
        let rated = [Self.word("hey", 0.1, 0.4, 0.9), Self.word("hark", 0.4, 0.7, nil)].phraseConfidence
        #expect(rated < 0.01, "\(rated)")
        #expect([WordTiming]().phraseConfidence == 0)
    }

    @Test func theWakePhraseIsSplitOffOnlyWhenItComesFirst() {
        let check = WakeCheck(wakeWords: ["hey", "hark"], minimumConfidence: 0.5)
        #expect(check.split("hey hark add milk") == ("add milk", true))
        #expect(check.split("hey hark") == ("", true))
        #expect(check.split("add milk hey hark") == ("add milk hey hark", false))
        #expect(check.split("hey") == ("hey", false))
    }

    static func decoded(hey: Double, hark: Double) -> Transcript {
        let words = [Self.word("hey", 0.1, 0.3, hey), Self.word("hark", 0.3, 0.6, hark), Self.word("add", 0.7, 0.9, 0.9),
                     Self.word("milk", 0.9, 1.2, 0.9)]
        return Transcript(
            text: "hey hark add milk", confidence: 0.9, alternatives: [], words: words, audioSeconds: 1.2,
            decodeMilliseconds: 0)
    }

    /// Idle, a wake phrase rated below the minimum wakes nothing; in a conversation or a recording the words after
    /// it are still the request.
    @Test func aWeakWakePhraseWakesNothingButKeepsAnOpenRequest() throws {
        let check = WakeCheck(wakeWords: ["hey", "hark"], minimumConfidence: 0.5)
        let weak = Self.decoded(hey: 0.3, hark: 0.2)
        let idle = check.judge(weak, requireWake: true)
        #expect(!idle.heardWake && idle.text == "")
        #expect(try #require(idle.confidence) < 0.5)
        let open = check.judge(weak, requireWake: false)
        #expect(!open.heardWake && open.text == "add milk")
        let strong = check.judge(Self.decoded(hey: 0.9, hark: 0.7), requireWake: true)
        #expect(strong.heardWake && strong.text == "add milk")
    }

    /// The wake grammar lets speech before a forced wake phrase pass as silence ("can i" before "have a" heard as
    /// "jarvis"). The silence before the wake phrase must rate as well as the phrase; quiet rated high lifts nothing.
    @Test func speechTakenForSilenceBeforeTheWakePhraseWakesNothing() {
        let check = WakeCheck(wakeWords: ["jarvis"], minimumConfidence: 0.5)
        let words = [Self.word("jarvis", 0.7, 1.1, 0.95), Self.word("add", 1.2, 1.4, 0.9), Self.word("milk", 1.4, 1.7, 0.9)]
        var transcript = Transcript(
            text: "jarvis add milk", confidence: 0.9, alternatives: [], words: words, audioSeconds: 1.8,
            decodeMilliseconds: 0)
        transcript.fillers = [Self.word("<sil>", 0, 0.7, 0.2)]
        let asleep = check.judge(transcript, requireWake: true)
        #expect(!asleep.heardWake && asleep.text == "" && abs((asleep.confidence ?? 1) - 0.2) < 1e-9)
        // Silence rated high before it, and a poor one after the wake phrase, leave the wake phrase's own rating.
        transcript.fillers = [Self.word("<sil>", 0, 0.7, 0.99), Self.word("<sil>", 1.1, 1.2, 0.1)]
        let awake = check.judge(transcript, requireWake: true)
        #expect(awake.heardWake && awake.text == "add milk" && abs((awake.confidence ?? 0) - 0.95) < 1e-9)
        // Silence in which no syllable was heard (not rated) counts neither way.
        transcript.fillers = [Self.word("[NOISE]", 0, 0.7, nil)]
        #expect(check.judge(transcript, requireWake: true).heardWake)
        // Nor does silence rated high lift a weak wake phrase.
        transcript.fillers = [Self.word("<sil>", 0, 0.7, 0.99)]
        transcript.words[0].confidence = 0.3
        #expect(!check.judge(transcript, requireWake: true).heardWake)
    }
}
