import ArgumentParser
import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkVoice
import Logging
import Synchronization

/// `hark listen`: the main loop. Microphone → wake phrase → request → skill → spoken reply, until SIGINT/SIGTERM.
struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Listen for the wake phrase and answer aloud (the main loop).",
        discussion: """
            Say the wake phrase and a request in one breath ("hey hark, add milk to my shopping list"), or the
            wake phrase alone and, after the tone, the request. While a skill awaits an answer, reply without the
            wake phrase. Say "stop" while Hark is talking to silence it. A timer or alarm that goes off rings (a chime
            and its words, every few seconds) until you say "stop" (or "snooze", for an alarm) without the wake
            phrase, or `ringing.limit` passes. Ctrl-C (or SIGTERM) ends cleanly.
            SIGHUP reloads the configuration and the skills (the microphone and speaker stay as they are); a
            configuration that cannot be read is reported and the previous one goes on.
            Without a capture device, runs `hark demo` instead, or with --no-demo exits with status 1.
            """)

    @Option(help: "ALSA capture device (default: audio.capture_device from the configuration, else 'default').")
    var device: String?
    @Option(help: "ALSA playback device (default: audio.playback_device from the configuration, else 'default').")
    var playbackDevice: String?
    @Flag(help: "Play nothing (use with --output-directory on a machine without speakers).") var noPlayback = false
    @Option(help: "Also write every spoken reply to reply-NNN.wav in this folder.") var outputDirectory: String?
    @Option(help: "Seconds to wait for a follow-up without the wake phrase.") var followUp: Double = 8
    @Flag(help: "Say \"yes?\" after the wake phrase alone, instead of the tone.") var sayYes = false
    @Flag(help: "Without a microphone, exit with status 1 instead of running the demo (for a service manager).")
    var noDemo = false
    @OptionGroup var assistantOptions: AssistantOptionsGroup

    func validate() throws {
        guard followUp > 0 else { throw ValidationError("--follow-up must be positive") }
    }

    func run() async throws {
        let environment = try assistantOptions.environment()
        let captureDevice = device ?? environment.configuration.audio.captureDevice
        let capture: AudioCapture
        do {
            capture = try AudioCapture(device: captureDevice, format: .speech, latency: 0.1)
        } catch {
            if noDemo { throw NoMicrophoneError(device: captureDevice, reason: "\(error)") }
            print("hark listen: no microphone (\(error)); running the spoken demo instead.")
            fflush(nil)
            try await SpokenDemo(
                outputDirectory: outputDirectory ?? "hark-demo", useMyHome: false, devices: assistantOptions.devices
            ).run()
            return
        }
        let logger = Logger(label: "hark.listen")
        let assistant = try environment.makeAssistant(devicesFile: assistantOptions.devices)
        let loop = try await makeVoiceLoop(
            environment: environment, assistant: assistant, area: assistantOptions.area,
            outputDirectory: outputDirectory, followUp: followUp, sayYes: sayYes)
        let player = noPlayback
            ? nil : ReplyPlayer(device: playbackDevice ?? environment.configuration.audio.playbackDevice, logger: logger)
        let reload = ListenReload(
            build: { [assistantOptions, outputDirectory, followUp, sayYes] in
                let environment = try assistantOptions.environment()
                HarkLogging.apply(environment.configuration)
                let assistant = try environment.makeAssistant(devicesFile: assistantOptions.devices)
                do {
                    let loop = try await makeVoiceLoop(
                        environment: environment, assistant: assistant, area: assistantOptions.area,
                        outputDirectory: outputDirectory, followUp: followUp, sayYes: sayYes)
                    let ids = await assistant.installedSkills.map(\.id)
                    return ReloadedListener(
                        loop: loop, assistant: assistant,
                        summary: "reloaded \(environment.paths.configFile) and \(ids.count) skills (\(ids.joined(separator: ", "))); "
                            + "wake phrase \"\(environment.configuration.wakePhrase)\"")
                } catch {
                    await assistant.shutdown()
                    throw error
                }
            },
            report: { outcome in
                switch outcome {
                case .success(let summary): print("hark listen: \(summary)")
                case .failure(let error):
                    print("hark listen: reload failed: \(error); still listening with the previous configuration and skills")
                }
                fflush(nil)
            })
        let buttons = try DashButtons.start(configuration: environment.configuration, assistant: { assistant }) {
            print("hark listen: \($0)")
            fflush(nil)
        }
        defer { buttons?.stop() }
        let wakePhrase = environment.configuration.wakePhrase
        let counter = TurnCounter()
        try await Listener.run(
            capture: capture, loop: loop, player: player, assistant: assistant, logger: logger, reload: reload,
            ready: {
                print("Listening on '\(captureDevice)' for \"\(wakePhrase)\" (Ctrl-C to stop, SIGHUP to reload).")
                fflush(nil)
            }
        ) { turn in
            let number = turn.isRing ? "ring" : "\(counter.next())"
            print("[\(number)] " + turn.report.joined(separator: "\n    "))
            fflush(nil)
        }
        let count = counter.value
        print("Stopped after \(count) utterance\(count == 1 ? "" : "s").")
    }
}

/// `hark listen --no-demo` without a microphone.
struct NoMicrophoneError: Error, CustomStringConvertible {
    var device: String
    var reason: String
    var description: String { "no microphone: capture device '\(device)' cannot be opened (\(reason))" }
}

/// Numbers the turns `hark listen` reports (the report closure runs on the loop's task).
final class TurnCounter: Sendable {
    private let count = Mutex(0)
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
}

/// The recognizer and loop that `hark listen` and `hark demo` share.
func makeVoiceLoop(
    environment: HarkEnvironment, assistant: Assistant, area: String?, outputDirectory: String?, followUp: Double,
    sayYes: Bool
) async throws -> VoiceLoop {
    let recognizer = try await VoiceRecognizer(
        assistant: assistant, models: environment.configuration.speechModels,
        wakePhrase: environment.configuration.wakePhrase)
    var settings = VoiceLoopSettings()
    settings.area = area
    settings.voice = environment.configuration.voice
    settings.outputDirectory = outputDirectory
    settings.followUpWindow = followUp
    if sayYes { settings.acknowledgement = .words("yes?") }
    settings.ringing.pause = environment.configuration.ringing.pause
    settings.ringing.limit = environment.configuration.ringing.limit
    return VoiceLoop(recognizer: recognizer, assistant: assistant, settings: settings, alerts: assistant)
}
