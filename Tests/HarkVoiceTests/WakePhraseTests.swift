import HarkAudio
import HarkVoice
import Testing

@Suite struct WakePhraseTests {
    @Test func normalisesAndFindsTheRequest() throws {
        let wake = try WakePhrase("Hey, Hark!")
        #expect(wake.words == ["hey", "hark"])
        #expect(wake.description == "hey hark")
        #expect(wake.request(in: "hey hark, add milk") == "add milk")
        #expect(wake.request(in: "Hey Hark") == "")
        #expect(wake.request(in: "hark hey add milk") == nil)
        #expect(wake.request(in: "hey") == nil)
        #expect(wake.spoken(before: "add milk") == "hey hark, add milk")
    }

    @Test func anEmptyPhraseIsAClearError() {
        #expect(throws: WakePhraseError.self) { try WakePhrase(" ,! ") }
        #expect(throws: WakePhraseError.self) { try WakePhrase("!") }
        do {
            _ = try WakePhrase("!")
        } catch {
            #expect("\(error)" == "wake_phrase: '!' has no word in it")
        }
    }

    @Test func theListeningToneIsShortHighAndFadedIn() {
        let tone = Earcon.listening
        #expect(tone.format == .speech)
        #expect(abs(tone.duration - 0.12) < 0.001)
        #expect(abs(Int(tone.samples.first ?? 99)) < 50 && abs(Int(tone.samples.last ?? 99)) < 50)
        let peak = tone.samples.map { abs(Int($0)) }.max() ?? 0
        #expect(peak > 10_000 && peak < 16_000)
        // 880 Hz: about 2 × 880 × 0.12 ≈ 211 sign changes.
        var crossings = 0
        for index in 1..<tone.samples.count where (tone.samples[index - 1] < 0) != (tone.samples[index] < 0) {
            crossings += 1
        }
        #expect((200...220).contains(crossings))
    }
}
