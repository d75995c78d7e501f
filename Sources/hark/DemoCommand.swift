import ArgumentParser
import Foundation
import HarkAudio
import HarkRuntime
import HarkSpeech
import HarkVoice

/// `hark demo`: the voice loop without a microphone.
///
/// eSpeak NG speaks requests (with the wake phrase) in several voices; the audio goes through the same
/// ``VoiceLoop`` as `hark listen` (endpointer, recogniser, assistant, skills, synthesis); the replies are written
/// to WAV files and every step is printed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Speak requests with eSpeak NG and run them through the voice loop, replies to WAV files.",
        discussion: """
            Uses a temporary HARK_HOME (a fresh shopping list and the demo house), so your own lists and devices
            are not touched; --use-my-home runs against your real data instead.
            """)

    @Option(help: "Folder for the spoken requests and the replies (WAV).") var outputDirectory = "hark-demo"
    @Flag(help: "Use your real HARK_HOME (lists, devices) instead of a temporary one.") var useMyHome = false
    @Option(help: "A device registry to use (Hark YAML or Home Assistant fixtures JSON).") var devices: String?

    func run() async throws {
        try await SpokenDemo(outputDirectory: outputDirectory, useMyHome: useMyHome, devices: devices).run()
    }
}

/// The spoken demo, shared by `hark demo` and `hark listen` on a machine without a microphone.
struct SpokenDemo {
    var outputDirectory: String
    var useMyHome: Bool
    var devices: String?

    /// One spoken request of the demo.
    struct Step {
        var voice: Voice
        var request: String
        /// Whether the wake phrase is said first.
        var wake = true
        /// Whether there is a pause after the wake phrase (Hark answers it with a tone).
        var pauseAfterWake = false
    }

    /// The voices say "hey hark" the way people say a wake word: en-us+f5 and en-us+m1 rate it 0.6–0.97 against
    /// free phones, as real people's wake words rate (at least 0.5 in 291 of 300 recordings); most of eSpeak's
    /// voices rate it below the minimum of 0.5 and would not wake Hark. The recipe comes last: its question ("Want
    /// to hear the ingredients?") is answered by the last step.
    static let steps = [
        Step(voice: Voice(name: "en-us+f5", rate: 160), request: "add milk to my shopping list"),
        Step(voice: Voice(name: "en-us+m1", rate: 175), request: "turn on the kitchen light", pauseAfterWake: true),
        Step(voice: Voice(name: "en-us+f5", rate: 160), request: "set the thermostat to twenty one degrees"),
        Step(voice: Voice(name: "en-us+f2", rate: 165), request: "add bread to my shopping list", wake: false),
        Step(voice: Voice(name: "en-us+m1", rate: 160), request: "clear my shopping list"),
        Step(voice: Voice(name: "en-us+f2", rate: 165), request: "yes", wake: false),
        Step(voice: Voice(name: "en-us+f5", rate: 175), request: "what's on my shopping list"),
        Step(voice: Voice(name: "en-us+f5", rate: 175), request: "what can i make with chicken and rice"),
        Step(voice: Voice(name: "en-us+f2", rate: 165), request: "yes", wake: false),
    ]

    func run() async throws {
        let real = try HarkEnvironment.fromEnvironment()
        var environment = real
        var temporaryHome: String?
        if !useMyHome {
            let home = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hark-demo-\(UUID().uuidString.prefix(8))"
            ).path
            temporaryHome = home
            var configuration = HarkConfiguration()
            configuration.wakePhrase = real.configuration.wakePhrase
            configuration.voice = real.configuration.voice
            configuration.speechModels = real.configuration.speechModels
            environment = HarkEnvironment(
                paths: HarkPaths(configFile: home + "/config.yaml", dataDirectory: home), configuration: configuration)
            print("Demo data in a temporary HARK_HOME (\(home)): your own lists and devices are not touched.")
        }
        defer { if let temporaryHome { try? FileManager.default.removeItem(atPath: temporaryHome) } }
        print("Weather is left out: its forecasts come from the internet (Open-Meteo) and the demo runs offline.")
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)

        let assistant = try environment.makeAssistant(devicesFile: devices)
        let loop = try await makeVoiceLoop(
            environment: environment, assistant: assistant, area: nil, outputDirectory: outputDirectory, followUp: 8,
            sayYes: false)
        let wake = try WakePhrase(environment.configuration.wakePhrase)
        var clock = 0.0
        var outcomes: [String: Int] = [:]
        for (index, step) in Self.steps.enumerated() {
            let audio = try await spokenAudio(step, wake: wake)
            let file = "\(outputDirectory)/request-\(index + 1).wav"
            try WAVFile.write(audio, to: file)
            let said = step.wake
                ? (step.pauseAfterWake ? "\(wake) … \(step.request)" : wake.spoken(before: step.request)) : step.request
            print("\n\(index + 1). said:  [\(step.voice.name)] \"\(said)\"  → \(file)")
            var turns: [VoiceTurn] = []
            let chunk = Int(AudioFormat.speech.sampleRate / 10)
            var offset = 0
            while offset < audio.samples.count {
                let end = min(audio.samples.count, offset + chunk)
                let piece = AudioChunk(samples: Array(audio.samples[offset..<end]), format: .speech, timestamp: clock)
                clock += piece.duration
                turns += await loop.hear(piece)
                offset = end
            }
            for turn in turns {
                print("   " + turn.report.joined(separator: "\n   "))
                outcomes[Self.name(of: turn.outcome), default: 0] += 1
            }
        }
        for turn in await loop.finish() {
            print("   " + turn.report.joined(separator: "\n   "))
            outcomes[Self.name(of: turn.outcome), default: 0] += 1
        }
        await assistant.shutdown()
        let counts = outcomes.keys.sorted().map { "\(outcomes[$0]!) \($0)" }.joined(separator: ", ")
        print("\n\(Self.steps.count) requests spoken (step 4 without the wake phrase, steps 6 and 9 answer questions);"
            + " utterances: \(counts). Replies in \(outputDirectory)/.")
    }

    static func name(of outcome: VoiceTurn.Outcome) -> String {
        switch outcome {
        case .answered: "answered"
        case .woken: "woke Hark"
        case .ignored: "ignored"
        case .stopped: "stopped"
        case .failed: "failed"
        case .rang: "rang"
        case .ringEnded: "stopped ringing"
        }
    }

    /// The step as Hark would hear it: silence, the wake phrase, the request, silence (16 kHz mono).
    func spokenAudio(_ step: Step, wake: WakePhrase) async throws -> AudioChunk {
        let synthesizer = Synthesizer.shared
        func silence(_ seconds: Double) -> [Int16] { [Int16](repeating: 0, count: Int(seconds * 16_000)) }
        var samples = silence(0.6)
        if step.wake && step.pauseAfterWake {
            samples += try await synthesizer.synthesizeForRecognition(wake.description, voice: step.voice).samples
            samples += silence(1.0)
            samples += try await synthesizer.synthesizeForRecognition(step.request, voice: step.voice).samples
        } else {
            let text = step.wake ? wake.spoken(before: step.request) : step.request
            samples += try await synthesizer.synthesizeForRecognition(text, voice: step.voice).samples
        }
        samples += silence(1.5)
        return AudioChunk(samples: samples, format: .speech)
    }
}
