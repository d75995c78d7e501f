import Testing

@testable import HarkSpeech

/// The dither that gives digital silence a microphone's noise floor before PocketSphinx's noise removal: a bit on
/// about a quarter of the samples, the same bits however the audio is cut.
@Suite struct DitherTests {
    @Test func digitalSilenceGetsAFloorOfSingleBits() {
        let silence = [Int16](repeating: 0, count: 16_000)
        let dithered = RecognitionEngine.dithered(silence, from: 0)
        let raised = dithered.filter { $0 == 1 }.count
        #expect(dithered.allSatisfy { $0 == 0 || $0 == 1 })
        #expect((3_600...4_400).contains(raised), "\(raised) of 16000 samples raised")
    }

    @Test func theSameSamplesGetTheSameBitsHoweverTheAudioIsCut() {
        let audio = (0..<10_000).map { Int16(truncatingIfNeeded: $0 &* 37) }
        let whole = RecognitionEngine.dithered(audio, from: 0)
        var pieces: [Int16] = []
        var start = 0
        for size in [1, 333, 1_600, 7_000, 10_000] where start < audio.count {
            let end = min(audio.count, start + size)
            pieces += RecognitionEngine.dithered(Array(audio[start..<end]), from: start)
            start = end
        }
        #expect(pieces == whole)
        #expect(whole != audio)
    }

    @Test func fullScaleSamplesDoNotWrapAround() {
        let loud = [Int16](repeating: .max, count: 1_000)
        #expect(RecognitionEngine.dithered(loud, from: 0) == loud)
    }
}
