import Foundation
import HarkAudio
import Testing

/// The polyphase resampler keeps tones in the pass band, removes those above the new Nyquist, matches a
/// direct evaluation of the same windowed-sinc filter, and downmixes by averaging.
@Suite struct ResamplerTests {
    static func sine(_ frequency: Double, rate: Int, count: Int, amplitude: Double = 0.5) -> [Float] {
        (0..<count).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }

    /// Signal-to-noise ratio of `output` against `ideal`, ignoring `margin` samples at each end.
    static func snr(_ output: [Float], _ ideal: [Float], margin: Int = 64) -> Double {
        let range = margin..<(min(output.count, ideal.count) - margin)
        var signal = 0.0
        var noise = 0.0
        for i in range {
            signal += Double(ideal[i]) * Double(ideal[i])
            let e = Double(output[i]) - Double(ideal[i])
            noise += e * e
        }
        return 10 * log10(signal / noise)
    }

    /// Frequency from zero crossings, over the middle of the signal.
    static func zeroCrossingFrequency(_ x: [Float], rate: Int, margin: Int = 64) -> Double {
        let middle = x[margin..<(x.count - margin)]
        var crossings: [Int] = []
        var previous = middle.first!
        for (i, v) in zip(middle.indices, middle).dropFirst() {
            if (previous < 0) != (v < 0) { crossings.append(i) }
            previous = v
        }
        let span = Double(crossings.last! - crossings.first!) / Double(rate)
        return Double(crossings.count - 1) / 2 / span
    }

    @Test func keepsA1kHzToneFrom22050To16000() {
        let input = Self.sine(1000, rate: 22050, count: 22050)
        let output = AudioConverter().resample(input, from: 22050, to: 16000)
        #expect(output.count == 16000)
        let frequency = Self.zeroCrossingFrequency(output, rate: 16000)
        #expect(abs(frequency - 1000) < 1, "measured \(frequency) Hz")
        let snr = Self.snr(output, Self.sine(1000, rate: 16000, count: 16000))
        #expect(snr >= 35, "SNR \(snr) dB")
    }

    @Test(arguments: [(8000, 16000), (16000, 22050), (48000, 16000), (44100, 16000), (22050, 16001), (11025, 48000)])
    func keepsA1kHzToneAtOtherRatios(source: Int, target: Int) {
        // 22050 → 16001 has no small rational ratio: it exercises the interpolated phase table.
        let input = Self.sine(1000, rate: source, count: source / 2)
        let output = AudioConverter().resample(input, from: source, to: target)
        #expect(output.count == source / 2 * target / source)
        let snr = Self.snr(output, Self.sine(1000, rate: target, count: output.count))
        #expect(snr >= 35, "\(source) → \(target): SNR \(snr) dB")
    }

    @Test func passesA7kHzToneAndRemovesA10kHzTone() {
        let converter = AudioConverter()
        let middle = 200..<15800
        let pass = converter.resample(Self.sine(7000, rate: 44100, count: 44100), from: 44100, to: 16000)
        let passGain = 20 * log10(Self.rms(pass[middle]) / (0.5 / 2.0.squareRoot()))
        #expect(passGain > -1, "7 kHz gain \(passGain) dB")
        #expect(abs(Self.zeroCrossingFrequency(pass, rate: 16000) - 7000) < 2)

        // 10 kHz is above the new Nyquist (8 kHz): it would alias to 6 kHz if it got through.
        let stop = converter.resample(Self.sine(10000, rate: 44100, count: 44100), from: 44100, to: 16000)
        let stopGain = 20 * log10(Self.rms(stop[middle]) / (0.5 / 2.0.squareRoot()))
        #expect(stopGain <= -40, "10 kHz gain \(stopGain) dB")
    }

    @Test func keepsDCExactIncludingTheEnds() {
        for (source, target) in [(22050, 16000), (8000, 16000), (44100, 16001)] {
            let output = AudioConverter().resample([Float](repeating: 0.25, count: 3000), from: source, to: target)
            let worst = output.map { abs($0 - 0.25) }.max()!
            #expect(worst < 1e-5, "\(source) → \(target): \(worst)")
        }
    }

    @Test(arguments: [(22050, 16000), (16000, 44100), (44100, 16001), (8000, 16000)])
    func matchesDirectEvaluation(source: Int, target: Int) {
        var rng = SeededGenerator(seed: 5)
        let input = (0..<700).map { _ in Float.random(in: -1...1, using: &rng) }
        let converter = AudioConverter()
        let fast = converter.resample(input, from: source, to: target)
        let direct = Self.directResample(
            input, from: source, to: target, halfWidth: converter.halfWidth, beta: converter.beta)
        #expect(fast.count == direct.count)
        let worst = zip(fast, direct).map { abs($0 - $1) }.max()!
        #expect(worst < 2e-5, "\(source) → \(target): \(worst)")
    }

    @Test func edgeCases() {
        let converter = AudioConverter()
        #expect(converter.resample([], from: 22050, to: 16000) == [])
        #expect(converter.resample([0.5], from: 16000, to: 16000) == [0.5])
        #expect(converter.resample([0.5], from: 44100, to: 16000) == [])
        let doubled = converter.resample([0.5, 0.5], from: 8000, to: 16000)
        #expect(doubled.count == 4 && doubled.allSatisfy { abs($0 - 0.5) < 1e-6 })
        #expect(AudioConverter.toInt16(.nan) == 0)
        #expect(AudioConverter.toInt16(2) == 32767 && AudioConverter.toInt16(-2) == -32768)
        #expect(AudioConverter.toInt16(.infinity) == 32767)
        #expect(AudioConverter.toInt16(0.5) == 16384)
    }

    @Test func downmixAverages() {
        let converter = AudioConverter()
        let x: [Float] = (0..<100).map { Float($0) / 200 }
        let opposite = zip(x, x).flatMap { [$0, -$1] }
        #expect(converter.downmix(opposite, channels: 2).allSatisfy { $0 == 0 })
        #expect(converter.downmix([0.2, 0.4, 1, -1, 0.5, 0.5], channels: 2) == [0.3, 0, 0.5].map { Float($0) })
        #expect(converter.downmix([0.3, 0.6, 0.9], channels: 3) == [0.6])

        let stereo = AudioChunk(
            samples: [1000, -1000, 2000, -2000, 300, 100], format: AudioFormat(sampleRate: 16000, channels: 2),
            timestamp: 1.5)
        let mono = converter.toSpeechFormat(stereo)
        #expect(mono.samples == [0, 0, 200])
        #expect(mono.format == .speech && mono.timestamp == 1.5)
    }

    @Test func convertsChunksToSpeechFormat() {
        let tone = Self.sine(1000, rate: 22050, count: 22050).map(AudioConverter.toInt16)
        let chunk = AudioChunk(samples: tone, format: AudioFormat(sampleRate: 22050), timestamp: 2)
        let speech = AudioConverter().toSpeechFormat(chunk)
        #expect(speech.format == .speech && speech.frameCount == 16000 && speech.timestamp == 2)
        #expect(abs(speech.levelDBFS - chunk.levelDBFS) < 0.1)
    }

    /// The windowed-sinc filter evaluated tap by tap (the resampler's definition, slowly).
    static func directResample(_ input: [Float], from source: Int, to target: Int, halfWidth: Int, beta: Double)
        -> [Float]
    {
        let ratio = Double(target) / Double(source)
        let cutoff = min(1.0, ratio) * 0.94
        let width = Double(halfWidth) / min(1.0, ratio)
        func i0(_ x: Double) -> Double {
            var sum = 1.0
            var term = 1.0
            for k in 1..<60 {
                term *= (x / 2 / Double(k)) * (x / 2 / Double(k))
                sum += term
            }
            return sum
        }
        let count = input.count * target / source
        return (0..<count).map { n in
            let t = Double(n) * Double(source) / Double(target)
            var acc = 0.0
            var norm = 0.0
            for k in max(0, Int((t - width).rounded(.up)))...min(input.count - 1, Int((t + width).rounded(.down))) {
                let x = Double(k) - t
                let r = x / width
                let arg = Double.pi * x * cutoff
                let w = (arg == 0 ? 1 : sin(arg) / arg) * i0(beta * (1 - r * r).squareRoot()) / i0(beta)
                acc += Double(input[k]) * w
                norm += w
            }
            return Float(acc / norm)
        }
    }
}
