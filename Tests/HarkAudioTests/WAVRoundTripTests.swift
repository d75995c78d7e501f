import Foundation
import HarkAudio
import Testing

/// Encoding and decoding WAV files: every encoding, channel count and common rate, exactness of the
/// wide formats, hand-made and sox-made headers.
@Suite struct WAVRoundTripTests {
    static let rates = [8000, 16000, 22050, 44100, 48000]

    /// Samples exactly representable in `encoding`, covering both extremes of its range.
    static func representableSamples(_ encoding: WAVEncoding, count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let bits: Int
        switch encoding {
        case .pcm8: bits = 8
        case .pcm16: bits = 16
        case .pcm24: bits = 24
        case .pcm32: bits = 32
        case .float32:
            var values = (0..<count).map { _ in Float.random(in: -1...1, using: &rng) }
            values[0] = -1
            values[1] = 1
            values[2] = 0
            return values
        }
        let full = Double(Int64(1) << (bits - 1))
        var values = (0..<count).map { _ in
            // Float(Int32) rounds to 24 bits, so 32-bit values are drawn from what a Float can hold.
            let raw = Int64.random(in: -Int64(full)...(Int64(full) - 1), using: &rng)
            return Float(Double(Float(raw)) / full)
        }
        values[0] = -1
        values[1] = Float((full - 1) / full)
        values[2] = 0
        return values
    }

    @Test(arguments: WAVEncoding.allCases, [1, 2])
    func roundTripEveryRate(encoding: WAVEncoding, channels: Int) throws {
        for (index, rate) in Self.rates.enumerated() {
            let frames = 301  // odd, so 8-bit mono exercises the pad byte
            let samples = Self.representableSamples(
                encoding, count: frames * channels, seed: UInt64(index * 10 + channels))
            let format = AudioFormat(sampleRate: rate, channels: channels)
            let audio = WAVAudio(format: format, encoding: encoding, samples: samples)
            let bytes = WAVFile.encode(audio)
            #expect(bytes.count % 2 == 0, "RIFF chunks are padded to even sizes")
            let decoded = try WAVFile.read(data: bytes, name: "rt.wav")
            #expect(decoded.format == audio.format)
            #expect(decoded.encoding == encoding)
            #expect(firstDifference(decoded.samples, samples) == nil, "\(encoding) \(channels) ch \(rate) Hz")
            #expect(firstDifference(WAVFile.encode(decoded), bytes) == nil)
        }
    }

    @Test func roundTripThroughAFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stereo.wav")
        let samples = Self.representableSamples(.pcm24, count: 2 * 1000, seed: 7)
        let audio = WAVAudio(format: AudioFormat(sampleRate: 44100, channels: 2), encoding: .pcm24, samples: samples)
        try WAVFile.write(audio, to: path)
        #expect(try WAVFile.read(path: path) == audio)

        let chunk = AudioChunk(samples: [0, 1, -1, 32767, -32768, 1234], format: AudioFormat(sampleRate: 8000))
        try WAVFile.write(chunk, to: path)
        let reread = try WAVFile.read(path: path)
        #expect(reread.encoding == .pcm16)
        #expect(reread.chunk() == chunk)
    }

    @Test func every24BitValueSurvives() throws {
        // A stride through the whole 24-bit range, plus its ends; bytes and values both exact.
        var values = Array(stride(from: -8_388_608, through: 8_388_607, by: 97))
        values += [-8_388_608, -1, 0, 1, 8_388_607]
        var data: [UInt8] = []
        for v in values { data += WAVBytes.le(UInt32(bitPattern: Int32(v))).prefix(3) }
        let file = WAVBytes(bitsPerSample: 24, data: data).bytes
        let audio = try WAVFile.read(data: file, name: "24.wav")
        #expect(firstDifference(audio.samples.map { Int(($0 * 8_388_608).rounded()) }, values) == nil)
        let scaled = audio.samples.map { Double($0) * 8_388_608 }
        #expect(firstDifference(scaled, values.map(Double.init)) == nil, "exact in a Float")
        #expect(firstDifference(WAVFile.encode(audio), file) == nil)
    }

    @Test func floatBitsSurvive() throws {
        var rng = SeededGenerator(seed: 32)
        // Any finite float, including values beyond ±1 and subnormals, keeps its exact bits.
        var values: [Float] = (0..<5000).map { _ in
            var v: Float
            repeat { v = Float(bitPattern: UInt32.random(in: .min ... .max, using: &rng)) } while !v.isFinite
            return v
        }
        values += [0, -0.0, 1, -1, 1.5, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let audio = WAVAudio(format: AudioFormat(sampleRate: 48000, channels: 1), encoding: .float32, samples: values)
        let decoded = try WAVFile.read(data: WAVFile.encode(audio), name: "f.wav")
        #expect(firstDifference(decoded.samples.map(\.bitPattern), values.map(\.bitPattern)) == nil)
    }

    @Test func knownSampleValues() throws {
        let pcm8 = try WAVFile.read(data: WAVBytes(bitsPerSample: 8, data: [0x00, 0x80, 0xFF, 0x40]).bytes, name: "8")
        #expect(pcm8.samples == [-1, 0, 127.0 / 128, -0.5])
        let pcm16 = try WAVFile.read(data: WAVBytes(data: [0x00, 0x80, 0xFF, 0x7F, 0x00, 0x40]).bytes, name: "16")
        #expect(pcm16.samples == [-1, 32767.0 / 32768, 0.5])
        let pcm32 = try WAVFile.read(
            data: WAVBytes(bitsPerSample: 32, data: [0, 0, 0, 0x80, 0, 0, 0, 0xC0]).bytes, name: "32")
        #expect(pcm32.samples == [-1, -0.5])
        let float = try WAVFile.read(
            data: WAVBytes(formatTag: 3, bitsPerSample: 32, data: WAVBytes.le(Float(0.25).bitPattern)).bytes, name: "f")
        #expect(float.samples == [0.25])
        #expect(float.encoding == .float32)
    }

    @Test(arguments: [(UInt16(1), UInt16(24), WAVEncoding.pcm24), (1, 16, .pcm16), (3, 32, .float32), (1, 8, .pcm8)])
    func extensibleHeader(subformat: UInt16, bits: UInt16, expected: WAVEncoding) throws {
        let frames = 10
        let bytesPerSample = Int(bits) / 8
        var data: [UInt8] = []
        for i in 0..<(frames * 2) {
            if subformat == 3 {
                data += WAVBytes.le((Float(i) / 32).bitPattern)
            } else {
                data += (0..<bytesPerSample).map { UInt8(truncatingIfNeeded: i * 7 + $0) }
            }
        }
        let header = WAVBytes(
            formatTag: 0xFFFE, channels: 2, sampleRate: 96000, bitsPerSample: bits, subformat: subformat, data: data)
        let extensible = try WAVFile.read(data: header.bytes, name: "ext.wav")
        #expect(extensible.encoding == expected)
        #expect(extensible.format == AudioFormat(sampleRate: 96000, channels: 2))
        #expect(extensible.frameCount == frames)
        // The same samples under a plain header decode identically.
        let plain = WAVBytes(
            formatTag: subformat, channels: 2, sampleRate: 96000, bitsPerSample: bits, data: data)
        #expect(try WAVFile.read(data: plain.bytes, name: "plain.wav").samples == extensible.samples)
    }

    @Test func skipsUnknownChunksWithOddSizes() throws {
        let samples: [Int16] = [100, -200, 300]
        var file = WAVBytes(data: WAVBytes.pcm16(samples))
        file.chunksBeforeFormat = [("JUNK", [1, 2, 3])]
        file.chunksBeforeData = [
            ("LIST", Array("INFOISFT\u{5}\0\0\0hark\0".utf8)), ("fact", [3, 0, 0, 0]), ("odd ", [9]),
        ]
        let audio = try WAVFile.read(data: file.bytes, name: "chunks.wav")
        #expect(audio.chunk().samples == samples)

        // Chunks after the data chunk, and a trailing partial frame, are ignored.
        var trailing = WAVBytes(data: WAVBytes.pcm16(samples) + [0x55])
        trailing.includeData = true
        let bytes = trailing.bytes + WAVBytes.chunk("LIST", [1, 2, 3, 4, 5])
        #expect(try WAVFile.read(data: bytes, name: "t.wav").chunk().samples == samples)
    }

    @Test func speechChunkIs16kMono() throws {
        let rate = 22050
        let frames = rate / 2
        var samples: [Float] = []
        for n in 0..<frames {
            let v = Float(0.5 * sin(2 * Double.pi * 440 * Double(n) / Double(rate)))
            samples += [v, v]
        }
        let audio = WAVAudio(format: AudioFormat(sampleRate: rate, channels: 2), encoding: .float32, samples: samples)
        let speech = audio.speechChunk()
        #expect(speech.format == .speech)
        #expect(speech.frameCount == 8000)
        #expect(abs(speech.levelDBFS - audio.chunk().levelDBFS) < 0.1)
        let native = audio.chunk()
        #expect(native.format == audio.format && native.samples.count == samples.count)
    }

    /// Files written by sox (a separate implementation, which uses WAVE_FORMAT_EXTENSIBLE for 24 bits and
    /// more than two channels) decode to the same values sox itself reports.
    @Test(arguments: [
        ("unsigned-integer", 8, WAVEncoding.pcm8), ("signed-integer", 16, .pcm16), ("signed-integer", 24, .pcm24),
        ("signed-integer", 32, .pcm32), ("floating-point", 32, .float32),
    ])
    func readsSoxFiles(soxEncoding: String, bits: Int, expected: WAVEncoding) throws {
        let directory = try TemporaryDirectory()
        let wav = directory.path("sox.wav")
        try runSox([
            "-n", "-r", "44100", "-c", "3", "-e", soxEncoding, "-b", "\(bits)", wav,
            "synth", "0.05", "sine", "440", "sine", "1000", "square", "300", "vol", "0.7",
        ])
        let audio = try WAVFile.read(path: wav)
        #expect(audio.encoding == expected)
        #expect(audio.format == AudioFormat(sampleRate: 44100, channels: 3))
        #expect(audio.frameCount == 2205)

        // sox's own decoding to raw 32-bit floats is the reference.
        let raw = directory.path("sox.f32")
        try runSox([wav, "-t", "raw", "-e", "floating-point", "-b", "32", raw])
        let reference = try Self.floats(raw)
        #expect(reference.count == audio.samples.count)
        let worst = zip(reference, audio.samples).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "largest difference from sox: \(worst)")

        // And sox reads what Hark writes.
        let ours = directory.path("ours.wav")
        try WAVFile.write(audio, to: ours)
        let back = directory.path("back.f32")
        try runSox([ours, "-t", "raw", "-e", "floating-point", "-b", "32", back])
        // sox rounds 32-bit integers to 24 bits on the way to float, so compare with the same tolerance.
        let roundTrip = try Self.floats(back)
        #expect(roundTrip.count == reference.count)
        #expect(zip(reference, roundTrip).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    static func floats(_ path: String) throws -> [Float] {
        try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}

/// Runs sox, failing the test with its stderr when it fails.
func runSox(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
    process.arguments = ["-q"] + arguments
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    process.waitUntilExit()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    try #require(process.terminationStatus == 0, "sox \(arguments.joined(separator: " ")): \(message)")
}

/// A fresh directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hark-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
