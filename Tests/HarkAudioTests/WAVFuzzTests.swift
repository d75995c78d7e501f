import Foundation
import HarkAudio
import Testing

/// Random and mutated bytes through the WAV reader: each input decodes to consistent audio or throws a
/// WAVError naming the file; nothing traps, nothing takes long. Seeded, so every run is the same.
@Suite struct WAVFuzzTests {
    struct Tally {
        var decoded = 0
        var rejected = 0
        var messages: Set<String> = []
    }

    /// Decodes `bytes` and checks the outcome; the kind of error (text before any digits) is collected.
    static func check(_ bytes: [UInt8], _ tally: inout Tally, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let audio = try WAVFile.read(data: bytes, name: "fuzz.wav")
            tally.decoded += 1
            let consistent =
                audio.format.channels > 0 && audio.format.sampleRate > 0 && audio.frameCount > 0
                && audio.samples.count == audio.frameCount * audio.format.channels
                && audio.samples.count * audio.encoding.bytesPerSample <= bytes.count
            #expect(consistent, "decoded inconsistent audio", sourceLocation: sourceLocation)
        } catch {
            tally.rejected += 1
            let message = error.description
            #expect(message.hasPrefix("fuzz.wav: ") && !message.contains("\n"), sourceLocation: sourceLocation)
            tally.messages.insert(String(message.prefix { !$0.isNumber && $0 != "(" }))
        }
    }

    /// Small valid files in every encoding, mono and stereo, as fuzzing seeds.
    static func seeds() -> [[UInt8]] {
        var rng = SeededGenerator(seed: 99)
        var seeds: [[UInt8]] = []
        for encoding in WAVEncoding.allCases {
            for channels in [1, 2] {
                let samples = (0..<(37 * channels)).map { _ in Float.random(in: -1...1, using: &rng) }
                let audio = WAVAudio(
                    format: AudioFormat(sampleRate: 22050, channels: channels), encoding: encoding, samples: samples)
                seeds.append(WAVFile.encode(audio))
            }
        }
        var extensible = WAVBytes(
            formatTag: 0xFFFE, channels: 2, bitsPerSample: 24, data: Array(repeating: 9, count: 60))
        extensible.chunksBeforeData = [("LIST", [1, 2, 3, 4, 5])]
        seeds.append(extensible.bytes)
        return seeds
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    @Test func fuzz() {
        // CPU time of this thread, not wall time: the machine may be busy with other builds.
        let started = Self.threadCPUSeconds()
        var rng = SeededGenerator(seed: 2024)
        var tally = Tally()
        let seeds = Self.seeds()
        let riffWave = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8)

        // Random bytes, half behind a plausible RIFF/WAVE header so they reach the chunk walker.
        for i in 0..<2000 {
            let length = Int.random(in: 0...160, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i % 2 == 0 { bytes = riffWave + bytes }
            Self.check(bytes, &tally)
        }

        // Random chunk sequences with random sizes.
        let ids = ["fmt ", "data", "LIST", "fact", "JUNK"]
        for _ in 0..<1000 {
            var bytes = riffWave
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let body = (0..<Int.random(in: 0...48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let declared =
                    Bool.random(using: &rng) ? UInt32(body.count) : UInt32.random(in: 0...UInt32.max, using: &rng)
                bytes += Array(ids.randomElement(using: &rng)!.utf8) + WAVBytes.le(declared) + body
            }
            Self.check(bytes, &tally)
        }

        for seed in seeds {
            // Flipped bytes, mostly in the header where they matter.
            for _ in 0..<250 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    let index = Bool.random(using: &rng)
                        ? Int.random(in: 0..<min(72, bytes.count), using: &rng)
                        : Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[index] = UInt8.random(in: 0...255, using: &rng)
                }
                Self.check(bytes, &tally)
            }
            // Truncated at every 37th offset.
            for end in stride(from: 0, to: seed.count, by: 37) {
                Self.check(Array(seed.prefix(end)), &tally)
            }
            // Extreme values in every 16- and 32-bit header field.
            for offset in stride(from: 4, to: min(72, seed.count - 3), by: 2) {
                for value in [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, 0xFFFE] as [UInt32] {
                    var bytes = seed
                    bytes.replaceSubrange(offset..<(offset + 4), with: WAVBytes.le(value))
                    Self.check(bytes, &tally)
                    bytes = seed
                    bytes.replaceSubrange(offset..<(offset + 2), with: WAVBytes.le(UInt16(truncatingIfNeeded: value)))
                    Self.check(bytes, &tally)
                }
            }
        }

        let elapsed = Self.threadCPUSeconds() - started
        #expect(elapsed < 5, "fuzzing took \(elapsed) s of CPU")
        // The corpus reaches both outcomes and many different errors, so the checks above mean something.
        #expect(tally.decoded > 500)
        #expect(tally.rejected > 3000)
        #expect(tally.messages.count >= 10, "\(tally.messages.sorted())")
    }
}
