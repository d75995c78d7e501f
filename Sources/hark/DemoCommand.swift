import ArgumentParser
import Foundation
import HarkAudio
import HarkRuntime
import HarkSpeech

/// `hark demo`: a spoken round trip through the real engines, for machines without a microphone.
///
/// eSpeak NG speaks each request in a different voice, the audio is written to a WAV file, PocketSphinx
/// recognises it with a grammar of the requests, the real skills answer what was heard (in a temporary
/// data folder, so the user's lists are untouched), and the reply is spoken to a WAV file.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Speak requests with eSpeak NG and recognise them with PocketSphinx.")

    @Option(help: "Folder for the spoken WAV files.") var outputDirectory = "hark-demo"
    @OptionGroup var models: ModelOptions

    static let requests = [
        "turn on the kitchen light", "add milk to my shopping list", "what is the weather tomorrow",
        "set the thermostat to twenty degrees", "what can i make with chicken and rice",
        "turn off the bedroom lamp",
    ]
    static let voices = ["en-us", "en-us+f2", "en+m3", "en-us+f4"]

    func run() async throws {
        let config = try models.configuration()
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let grammar = "#JSGF V1.0;\ngrammar demo;\npublic <request> = "
            + Self.requests.map { "(\($0))" }.joined(separator: " | ") + ";\n"
        let recognizer = try Recognizer(models: config.speechModels, grammar: .jsgf(grammar, name: "demo"))
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-demo-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let assistant = try HarkEnvironment(
            paths: HarkPaths(configFile: home + "/config.yaml", dataDirectory: home), configuration: config
        ).makeAssistant()
        print("(The skills answer in a temporary data folder, \(home); your own lists are not touched.)")
        var heardRight = 0
        for (index, request) in Self.requests.enumerated() {
            let voice = Voice(name: Self.voices[index % Self.voices.count], rate: 160 + 10 * (index % 3))
            let spoken = try await Synthesizer.shared.synthesize(request, voice: voice)
            let file = "\(outputDirectory)/request-\(index + 1).wav"
            try WAVFile.write(spoken, to: file)
            let transcript = try await recognizer.transcribe(AudioConverter().toSpeechFormat(spoken))
            let right = transcript.text == request
            if right { heardRight += 1 }
            print("said  [\(voice.name)] \(request)  → \(file)")
            print("heard \(right ? "✓" : "✗") \(transcript.text.isEmpty ? "(nothing)" : transcript.text)"
                + "  (confidence \(String(format: "%.2f", transcript.confidence)),"
                + " \(String(format: "%.0f", transcript.decodeMilliseconds)) ms for"
                + " \(String(format: "%.1f", transcript.audioSeconds)) s of audio)")
            let reply = await assistant.respond(to: transcript.text, sessionID: "demo")
            let replyFile = "\(outputDirectory)/reply-\(index + 1).wav"
            let replyAudio = try await Synthesizer.shared.synthesize(reply.reply, voice: config.voice, ssml: reply.isSSML)
            try WAVFile.write(replyAudio, to: replyFile)
            print("hark  [\(reply.skill ?? "hark")/\(reply.intent ?? "-")] \(reply.reply)  → \(replyFile)")
        }
        await assistant.shutdown()
        print("\(heardRight) of \(Self.requests.count) requests heard word for word.")
    }
}
