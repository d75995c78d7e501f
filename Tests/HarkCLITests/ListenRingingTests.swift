import Foundation
import HarkAudio
import HarkVoice
import Testing

/// Issue 19: in `hark listen` a timer that comes due rings (the chime and "Your pasta timer is done.", again and
/// again) until "stop", said without the wake phrase; then requests are served as before. The real binary, the ALSA
/// `file`-plugin microphone (a FIFO at real-time pace) and speaker (every playback appended to one raw file), eSpeak
/// audio, the real SQLite file.
@Suite(.serialized) struct ListenRingingTests {
    @Test func aDueTimerRingsUntilStopAndTheLoopGoesOn() async throws {
        signal(SIGPIPE, SIG_IGN)
        let hark = try HarkProcess()
        let root = try HarkProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "ringing: { pause: 2, limit: 120 }\n".write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)

        let fifo = root + "/mic.raw"
        #expect(mkfifo(fifo, 0o600) == 0)
        let speaker = root + "/speaker.raw"
        let alsaConfig = root + "/alsa.conf"
        try """
            pcm.fakemic { type file slave.pcm { type null } file "/dev/null" infile "\(fifo)" format "raw" }
            pcm.fakespk { type file slave.pcm { type null } file "| cat >> \(speaker)" format "raw" perm 0644 }
            pcm.!default fakemic

            """.write(toFile: alsaConfig, atomically: true, encoding: .utf8)
        // The timer is set from text just before Hark starts listening (recognition is not what this test is about);
        // it comes due about when the recognizer is built.
        let set = try hark.run(["ask", "set a pasta timer for 12 seconds"])
        #expect(set.stdout.contains("Okay, pasta timer for 12 seconds, starting now."), "\(set.stdout)\(set.stderr)")
        let listen = try ProcessRunner.start(
            HarkProcess.binary, ["listen", "--playback-device", "fakespk"],
            environment: ["HARK_HOME": hark.home, "ALSA_CONFIG_PATH": alsaConfig], directory: hark.home)
        defer { listen.terminate() }

        // "Stop" waits for three rings (the last may be cut short), the next request for the end of the ringing.
        let rings = { @Sendable in listen.output.components(separatedBy: "[ring] rang:").count - 1 }
        // en-us+f5 says "hey hark" the way people say a wake word (it rates 0.65–0.9, most eSpeak voices below 0.5);
        // its "stop" is heard as "start".
        let requests: [(text: String, voice: String, after: (@Sendable () -> Bool)?)] = [
            ("stop", "en-us+f2", { rings() >= 3 }),
            ("hey hark, add milk to my shopping list", "en-us+f5", { listen.output.contains("ringing stopped (stop)") }),
        ]
        var segments: [PacedWriter.Segment] = []
        for (index, request) in requests.enumerated() {
            let said = try hark.run(["say", request.text, "--voice", request.voice, "-o", "request-\(index).wav"])
            try #require(said.status == 0, "\(said.stderr)")
            let speech = try WAVFile.read(path: hark.home + "/request-\(index).wav").speechChunk().samples
            segments.append(PacedWriter.Segment(after: request.after, samples: [Int16](repeating: 0, count: 16_000) + speech))
        }
        let writer = PacedWriter(path: fifo, segments: segments)
        writer.start()
        defer { writer.stop() }

        func listItems() -> [String] { ProcessRunner.shoppingList(in: hark.home + "/hark.sqlite") }
        try await listen.waitUntilListening()
        let deadline = ContinuousClock.now + .seconds(150)
        while ContinuousClock.now < deadline, !(listItems().contains("milk") && writer.finishedSpeech) {
            try await Task.sleep(for: .milliseconds(200))
        }
        // Two more pauses' worth of listening: nothing rings again.
        try await Task.sleep(for: .seconds(5))
        listen.signal(SIGTERM)
        let status = listen.wait(timeout: 10)
        let output = listen.output
        let log = "stdout:\n\(output)\nstderr:\n\(listen.errorOutput)"

        #expect(status == 0, "\(log)")
        #expect(rings() >= 2, "\(log)")
        #expect(output.contains("[ring] rang:   Your pasta timer is done."), "\(log)")
        let afterStop = try #require(output.components(separatedBy: "ringing stopped (stop)").last, "\(log)")
        #expect(!afterStop.contains("rang:"), "it rang after stop\n\(log)")
        #expect(listItems().contains("milk"), "the request after the ringing was not served\n\(log)")
        #expect(!output.contains("Your pasta timer is done. Okay"), "the timer was said again before a reply\n\(log)")

        // What the speaker played: the chime, each time followed by the words, at least twice.
        let played = try Self.samples(speaker)
        let label = try WAVFile.read(path: try Self.said(hark, "Your pasta timer is done.")).chunk().samples
        let chime = Earcon.ring(format: AudioFormat(sampleRate: 22_050, channels: 1)).samples
        let chimes = Self.occurrences(of: chime, in: played)
        #expect(chimes.count >= 2, "chimes at \(chimes)\n\(log)")
        print("ListenRingingTests: \(rings()) rings before \"stop\" was heard, \(chimes.count) chimes on the speaker")
        // Every ring but one cut short by "stop" is the whole of the words.
        let likeness = chimes.map { start in
            Self.likeness(Array(played[(start + chime.count)..<min(played.count, start + chime.count + label.count)]), label)
        }
        #expect(likeness.filter { $0 > 0.9 }.count >= 2, "likeness to `hark say` after each chime: \(likeness)")
    }

    static func said(_ hark: HarkProcess, _ text: String) throws -> String {
        let result = try hark.run(["say", text, "-o", "label.wav"])
        try #require(result.status == 0, "\(result.stderr)")
        return hark.home + "/label.wav"
    }

    static func samples(_ path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Where `needle` stands, sample for sample, in `haystack`.
    static func occurrences(of needle: [Int16], in haystack: [Int16]) -> [Int] {
        guard let first = needle.firstIndex(where: { $0 != 0 }), haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start + first] == needle[first], haystack[start..<(start + needle.count)].elementsEqual(needle) {
                found.append(start)
                start += needle.count
            } else {
                start += 1
            }
        }
        return found
    }

    /// How alike two recordings of the same words sound: the best correlation of their loudness, 10 ms at a time,
    /// within 50 ms of each other (eSpeak's output for the same words differs by a few samples from call to call).
    static func likeness(_ a: [Int16], _ b: [Int16]) -> Double {
        func envelope(_ x: [Int16]) -> [Double] {
            stride(from: 0, to: x.count - 220, by: 220).map { start in
                (x[start..<(start + 220)].reduce(0.0) { $0 + Double($1) * Double($1) } / 220).squareRoot()
            }
        }
        let (x, y) = (envelope(a), envelope(b))
        var best = -1.0
        for lag in -5...5 {
            let pairs = x.indices.compactMap { i in y.indices.contains(i + lag) ? (x[i], y[i + lag]) : nil }
            guard pairs.count > 10 else { continue }
            let n = Double(pairs.count)
            let (mx, my) = (pairs.reduce(0) { $0 + $1.0 } / n, pairs.reduce(0) { $0 + $1.1 } / n)
            let cov = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            let vx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
            let vy = pairs.reduce(0) { $0 + ($1.1 - my) * ($1.1 - my) }
            if vx > 0, vy > 0 { best = max(best, cov / (vx * vy).squareRoot()) }
        }
        return best
    }
}
