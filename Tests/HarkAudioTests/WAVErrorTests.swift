import Foundation
import HarkAudio
import Testing

/// Every kind of malformed or unreadable WAV input gives a one-line WAVError naming the file and the
/// problem.
@Suite struct WAVErrorTests {
    /// The message `WAVFile.read(data:name:)` throws for `bytes`, or nil when they decode.
    static func message(_ bytes: [UInt8], name: String = "a.wav") -> String? {
        do {
            _ = try WAVFile.read(data: bytes, name: name)
            return nil
        } catch {
            return error.description
        }
    }

    static func expectMessage(
        _ bytes: [UInt8], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let message = Self.message(bytes)
        #expect(message == "a.wav: " + expected, sourceLocation: sourceLocation)
    }

    static func expectMessage(
        _ bytes: [UInt8], containing parts: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let message = Self.message(bytes) else {
            Issue.record("decoded without error", sourceLocation: sourceLocation)
            return
        }
        #expect(message.hasPrefix("a.wav: "), sourceLocation: sourceLocation)
        #expect(!message.contains("\n"), sourceLocation: sourceLocation)
        for part in parts {
            #expect(message.contains(part), "\(message) lacks \(part)", sourceLocation: sourceLocation)
        }
    }

    static let valid = WAVBytes(data: WAVBytes.pcm16((0..<100).map { Int16($0 * 300) }))

    @Test func notRIFFWave() {
        Self.expectMessage([], "not a RIFF/WAVE file (the file is empty)")
        Self.expectMessage(Array("just some text, not audio".utf8), containing: ["not a RIFF/WAVE file", "'just'"])
        Self.expectMessage(Array("ID3".utf8), containing: ["not a RIFF/WAVE file"])
        var avi = Self.valid.bytes
        avi.replaceSubrange(8..<12, with: Array("AVI ".utf8))
        Self.expectMessage(avi, containing: ["not a RIFF/WAVE file", "'AVI '"])
        var rf64 = Self.valid.bytes
        rf64.replaceSubrange(0..<4, with: Array("RF64".utf8))
        Self.expectMessage(rf64, containing: ["RF64"])
    }

    @Test func truncatedHeader() {
        Self.expectMessage(Array("RIFF\u{10}\0".utf8), "truncated header: the file ends after 6 bytes")
        let full = Self.valid.bytes
        // Cut inside the fmt chunk's header, inside its body, and right after the RIFF header.
        Self.expectMessage(Array(full.prefix(16)), "truncated header: the file ends inside a chunk header at byte 12")
        Self.expectMessage(Array(full.prefix(30)), "truncated header: 'fmt ' chunk declares 16 bytes but 10 remain")
        Self.expectMessage(
            Array(full.prefix(12)),
            "truncated header: the file ends after 12 bytes, before the 'fmt ' chunk (the RIFF header declares 244)")
        Self.expectMessage(
            Array(full.prefix(36)),
            "truncated header: the file ends after 36 bytes, before the 'data' chunk (the RIFF header declares 244)")
        let short = Self.valid.with { $0.formatBodyLength = 14 }
        Self.expectMessage(short.bytes, "truncated header: 'fmt ' chunk is 14 bytes, needs at least 16")
        let extensible = Self.valid.with { $0.formatTag = 0xFFFE; $0.formatBodyLength = 18 }
        Self.expectMessage(
            extensible.bytes, containing: ["truncated header", "EXTENSIBLE", "18 bytes, needs at least 40"])
        let listCut = Self.valid.with { $0.chunksBeforeData = [("LIST", [1, 2, 3, 4])] }
        Self.expectMessage(
            Array(listCut.bytes.prefix(44)), "truncated header: 'LIST' chunk declares 4 bytes but 0 remain")
    }

    @Test func truncatedData() {
        var file = WAVBytes(data: [UInt8](repeating: 1, count: 1000))
        file.dataSizeOverride = 32000
        Self.expectMessage(file.bytes, "truncated data chunk: 1000 of 32000 bytes")
        var streamed = WAVBytes(data: [UInt8](repeating: 1, count: 64))
        streamed.dataSizeOverride = 0xFFFF_FFFF
        Self.expectMessage(streamed.bytes, "truncated data chunk: 64 of 4294967295 bytes")
        Self.expectMessage(Array(Self.valid.bytes.prefix(100)), "truncated data chunk: 56 of 200 bytes")
    }

    @Test(arguments: [
        (UInt16(7), "mu-law, format 7 (0x7)"), (6, "A-law, format 6 (0x6)"), (0x11, "IMA ADPCM, format 17 (0x11)"),
        (2, "MS ADPCM, format 2 (0x2)"), (0x55, "MP3, format 85 (0x55)"), (0x1234, "format 4660 (0x1234)"),
    ])
    func unsupportedEncoding(tag: UInt16, name: String) {
        let file = Self.valid.with { $0.formatTag = tag; $0.bitsPerSample = 8 }
        Self.expectMessage(file.bytes, containing: ["a.wav: unsupported encoding: \(name);", "convert it to PCM"])
        let extensible = Self.valid.with { $0.formatTag = 0xFFFE; $0.subformat = tag }
        Self.expectMessage(extensible.bytes, containing: ["unsupported encoding: \(name)"])
    }

    @Test func unknownExtensibleSubformat() {
        let file = Self.valid.with { $0.formatTag = 0xFFFE }
        var bytes = file.bytes
        bytes[12 + 8 + 26] ^= 0xFF  // first byte of the GUID tail
        Self.expectMessage(bytes, containing: ["unsupported encoding", "unknown subformat GUID"])
    }

    @Test func unsupportedBitDepth() {
        let twelve = Self.valid.with { $0.bitsPerSample = 12 }
        Self.expectMessage(twelve.bytes, "unsupported bit depth: 12-bit integer PCM (supported: 8, 16, 24, 32)")
        let double = Self.valid.with { $0.formatTag = 3; $0.bitsPerSample = 64 }
        Self.expectMessage(double.bytes, "unsupported bit depth: 64-bit float (supported: 32-bit float)")
        let zero = Self.valid.with { $0.bitsPerSample = 0 }
        Self.expectMessage(zero.bytes, containing: ["unsupported bit depth: 0-bit"])
    }

    @Test func channelsAndRate() {
        let noChannels = Self.valid.with { $0.channels = 0 }
        Self.expectMessage(noChannels.bytes, "zero channels")
        let noRate = Self.valid.with { $0.sampleRate = 0 }
        Self.expectMessage(noRate.bytes, "unsupported sample rate: 0 Hz")
        let absurd = Self.valid.with { $0.sampleRate = 500_000 }
        Self.expectMessage(absurd.bytes, "unsupported sample rate: 500000 Hz (limit 384000 Hz)")
        let highest = Self.valid.with { $0.sampleRate = 384_000 }
        #expect(Self.message(highest.bytes) == nil)
    }

    @Test func missingChunks() {
        let noData = Self.valid.with { $0.includeData = false; $0.chunksBeforeData = [("LIST", [1, 2, 3])] }
        Self.expectMessage(noData.bytes, "no 'data' chunk")
        let noFormat = Self.valid.with { $0.includeFormat = false }
        Self.expectMessage(noFormat.bytes, "no 'fmt ' chunk before the end of the file")
    }

    @Test func emptyAudio() {
        Self.expectMessage(WAVBytes(data: []).bytes, "empty audio: the data chunk holds no complete frame")
        Self.expectMessage(WAVBytes(data: [7]).bytes, "empty audio: the data chunk holds no complete frame")
        Self.expectMessage(
            WAVBytes(channels: 6, bitsPerSample: 24, data: [UInt8](repeating: 0, count: 17)).bytes,
            "empty audio: the data chunk holds no complete frame")
    }

    @Test func tooLong() {
        // At 1 Hz an hour is 3600 frames: a small file can exceed it.
        let file = WAVBytes(sampleRate: 1, bitsPerSample: 8, data: [UInt8](repeating: 128, count: 3601))
        Self.expectMessage(file.bytes, "too large: 3601.0 s of audio (limit 3600 s, 1 hour)")
        let hour = WAVBytes(sampleRate: 1, bitsPerSample: 8, data: [UInt8](repeating: 128, count: 3600))
        #expect(Self.message(hour.bytes) == nil)
    }

    @Test func tooManyBytes() throws {
        // A sparse 600 MiB file: refused from its size, before anything is read.
        let directory = try TemporaryDirectory()
        let path = directory.path("huge.wav")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.valid.bytes)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 600 << 20)
        try handle.close()
        #expect(throws: WAVError.self) { try WAVFile.read(path: path) }
        do {
            _ = try WAVFile.read(path: path)
        } catch {
            #expect(error.description == "\(path): too large: file is 600 MiB (limit 512 MiB of audio data)")
        }
    }

    @Test func unreadableFiles() throws {
        let directory = try TemporaryDirectory()
        let plainFile = directory.path("plain")
        #expect(FileManager.default.createFile(atPath: plainFile, contents: Data([1])))
        let cases: [(String, String)] = [
            (directory.path("missing.wav"), "cannot read: No such file or directory"),
            (directory.url.path, "cannot read: is a directory"),
            (plainFile + "/x.wav", "cannot read: Not a directory"),
        ]
        for (path, expected) in cases {
            do {
                _ = try WAVFile.read(path: path)
                Issue.record("\(path) read without error")
            } catch {
                #expect(error.description == "\(path): \(expected)")
                #expect(error.fileName == path)
            }
        }
    }

    @Test func unwritableFiles() throws {
        let audio = WAVAudio(format: .speech, encoding: .pcm16, samples: [0, 0.5])
        do {
            try WAVFile.write(audio, to: "/nonexistent-dir/out.wav")
            Issue.record("write succeeded")
        } catch {
            #expect(error.description == "/nonexistent-dir/out.wav: cannot write: No such file or directory")
        }
        do {
            let noChannels = AudioFormat(sampleRate: 16000, channels: 0)
            try WAVFile.write(WAVAudio(format: noChannels, encoding: .pcm16, samples: []), to: "/tmp/never.wav")
            Issue.record("write succeeded")
        } catch {
            #expect(error.description == "/tmp/never.wav: zero channels")
        }
    }
}
