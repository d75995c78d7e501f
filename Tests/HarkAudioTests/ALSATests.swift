import Foundation
import HarkAudio
import Testing

/// A temporary ALSA configuration with file-plugin devices (there is no sound card here):
/// `fakemic` captures from a raw S16LE file, `fakespk` writes a WAV file, `default` is `fakemic`.
///
/// ALSA reads its configuration once per process, so the environment variable is set once, before the
/// first ALSA call, and every ALSA test lives in the one serialized suite below.
struct FakeALSADevices: Sendable {
    let directory: String
    let micFile: String
    let speakerFile: String
    /// What `fakemic` delivers: a pseudo-random pattern, so that any shift or loss shows.
    let micSamples: [Int16]

    /// Made on first use; a failure to write the files fails every test that asks.
    static let shared: Result<FakeALSADevices, any Error> = Result { try FakeALSADevices() }

    private init(directory: String, micFile: String, speakerFile: String, micSamples: [Int16]) {
        self.directory = directory
        self.micFile = micFile
        self.speakerFile = speakerFile
        self.micSamples = micSamples
    }

    private init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hark-alsa-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var rng = SeededGenerator(seed: 16000)
        let samples = (0..<16000).map { _ in Int16.random(in: .min ... .max, using: &rng) }
        let devices = FakeALSADevices(
            directory: directory, micFile: directory + "/mic.raw", speakerFile: directory + "/speaker.wav",
            micSamples: samples)
        try Data(WAVBytes.pcm16(samples)).write(to: URL(fileURLWithPath: devices.micFile))
        let config = """
            pcm.fakemic { type file slave.pcm { type null } file "/dev/null" infile "\(devices.micFile)" format "raw" }
            pcm.fakespk { type file slave.pcm { type null } file "\(devices.speakerFile)" format "wav" perm 0644 }
            pcm.!default fakemic
            """
        let configFile = directory + "/asound.conf"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configFile))
        setenv("ALSA_CONFIG_PATH", configFile, 1)
        self = devices
    }
}

/// Removes the fake devices' directory once every test of the suite it is attached to has run.
struct RemovingFakeALSADevices: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await function()
        if case .success(let devices) = FakeALSADevices.shared {
            try? FileManager.default.removeItem(atPath: devices.directory)
        }
    }
}

@Suite(.serialized, RemovingFakeALSADevices()) struct ALSATests {
    let devices: FakeALSADevices

    init() throws {
        devices = try FakeALSADevices.shared.get()
    }

    @Test func captureDeliversTheFedSamplesWithAdvancingTimestamps() throws {
        let capture = try AudioCapture(device: "fakemic")
        #expect(capture.format == .speech)
        var chunks: [AudioChunk] = []
        for _ in 0..<5 { chunks.append(try capture.read(frames: 1600)) }
        capture.close()
        #expect(chunks.map(\.timestamp) == [0, 0.1, 0.2, 0.3, 0.4])
        #expect(chunks.allSatisfy { $0.format == .speech && $0.frameCount == 1600 })
        let captured = chunks.flatMap(\.samples)
        #expect(firstDifference(captured, Array(devices.micSamples.prefix(8000))) == nil)
        #expect(capture.framesRead == 8000)
        #expect(throws: ALSAError.self) { try capture.read(frames: 10) }
    }

    @Test func defaultDeviceIsTheConfiguredOne() throws {
        let capture = try AudioCapture()
        let chunk = try capture.read(frames: 480)
        #expect(firstDifference(chunk.samples, Array(devices.micSamples.prefix(480))) == nil)
    }

    @Test func playbackWritesTheSamplesToTheFile() throws {
        let format = AudioFormat(sampleRate: 22050, channels: 2)
        var rng = SeededGenerator(seed: 22050)
        let samples = (0..<(2 * 5000)).map { _ in Int16.random(in: -20000...20000, using: &rng) }
        let playback = try AudioPlayback(device: "fakespk", format: format)
        try playback.write(AudioChunk(samples: Array(samples[..<4000]), format: format))
        try playback.write(AudioChunk(samples: Array(samples[4000...]), format: format))
        #expect(playback.framesWritten == 5000)
        try playback.drain()
        playback.close()

        let written = try WAVFile.read(path: devices.speakerFile)
        #expect(written.format == format)
        #expect(written.encoding == .pcm16)
        #expect(firstDifference(written.chunk().samples, samples) == nil)
    }

    @Test func playbackRejectsAChunkInAnotherFormat() throws {
        let playback = try AudioPlayback(device: "fakespk", format: .speech)
        defer { playback.close() }
        let stereo = AudioChunk(samples: [1, 2], format: AudioFormat(sampleRate: 16000, channels: 2))
        do {
            try playback.write(stereo)
            Issue.record("write succeeded")
        } catch {
            #expect(
                error.description
                    == "ALSA device 'fakespk': chunk is 16000 Hz, 2 channels, "
                    + "but the device was opened for 16000 Hz, mono")
        }
    }

    @Test func missingDeviceIsAnError() {
        do {
            _ = try AudioCapture(device: "nosuch")
            Issue.record("opened a device that does not exist")
        } catch {
            #expect(error.device == "nosuch")
            #expect(error.description.hasPrefix("ALSA device 'nosuch': cannot open for capture: "))
            #expect(error.description.count > "ALSA device 'nosuch': cannot open for capture: ".count)
        }
        do {
            _ = try AudioPlayback(device: "nosuch", format: .speech)
            Issue.record("opened a device that does not exist")
        } catch {
            #expect(error.description.hasPrefix("ALSA device 'nosuch': cannot open for playback: "))
        }
    }

    @Test func canOpenReportsEachDevice() throws {
        try ALSADevices.canOpen("fakemic", forCapture: true).get()
        try ALSADevices.canOpen("fakespk", forCapture: false).get()
        guard case .failure(let error) = ALSADevices.canOpen("nosuch", forCapture: true) else {
            Issue.record("nosuch opened")
            return
        }
        #expect(error.description.hasPrefix("ALSA device 'nosuch': cannot open for capture: "))
    }

    @Test func libraryVersionIsTheInstalledOne() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pkg-config")
        process.arguments = ["--modversion", "alsa"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let installed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(ALSADevices.libraryVersion == installed.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
