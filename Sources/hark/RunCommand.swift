import ArgumentParser
import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkSpeech
import HarkVoice

/// `hark run --input FILE.wav`: the whole voice pipeline on a recording.
///
/// read (any WAV → 16 kHz mono) → endpoint (``Endpointer``: from the first speech to the last) → recognise
/// (``VoiceRecognizer``, the skills' grammar; the wake phrase may be said or not) → understand, dialog, skill
/// (``Assistant/respond(to:sessionID:area:)``) → synthesise the reply (eSpeak NG, SSML when the skill gave SSML).
///
/// A recording without speech is not an error: the exit status is 0, `text` is "" and `speech` false, and the
/// reply is Hark's "nothing heard" answer. A WAV file that cannot be read is an error (one line, status 1).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the voice pipeline on a WAV recording: recognise, understand, answer.",
        discussion: """
            Prints the reply (or, with --json: text, heardWakePhrase, confidence, alternatives, doubt, skill, intent,
            slots, reply, endSession and milliseconds per stage). --output writes the spoken reply as a WAV file.
            When the recognition is doubtful (low confidence, or n-best readings that mean different things),
            "doubt" says why and lists the competing readings.
            """)

    @Option(help: "The recording (a WAV file; any PCM rate, width and channel count).") var input: String
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write the spoken reply to this WAV file.") var output: String?
    @Option(help: "Continue (or start) the conversation with this id.") var session: String?
    @Option(help: "How wildcard slots are decoded: vocabulary, secondPass or combined.")
    var wildcard: WildcardStrategy = .vocabulary
    @OptionGroup var assistantOptions: AssistantOptionsGroup
    @OptionGroup var models: ModelOptions

    func run() async throws {
        let started = ContinuousClock.now
        var timings: [String: Double] = [:]
        let config = try models.configuration()

        var stage = ContinuousClock.now
        let wav = try WAVFile.read(path: input).speechChunk(converter: AudioConverter())
        timings["read"] = milliseconds(since: stage)

        stage = ContinuousClock.now
        let speech = Endpointer.speechSpan(of: wav)
        timings["endpoint"] = milliseconds(since: stage)

        stage = ContinuousClock.now
        let assistant = try assistantOptions.makeAssistant()
        var options = VoiceRecognizerOptions()
        options.wildcardStrategy = wildcard
        let recognizer = try await VoiceRecognizer(
            assistant: assistant, models: config.speechModels, wakePhrase: config.wakePhrase, options: options)
        timings["load"] = milliseconds(since: stage)

        var transcript: VoiceTranscript?
        if let speech {
            stage = ContinuousClock.now
            // With the wake phrase in front, or else without it (a recording may be either).
            let woken = try await recognizer.recognize(speech, requireWake: true)
            transcript = woken.heardWakePhrase ? woken : try await recognizer.recognize(speech, requireWake: false)
            timings["recognize"] = milliseconds(since: stage)
        }

        let reply = await assistant.respond(
            to: transcript?.text ?? "", sessionID: session, area: assistantOptions.area,
            misheard: transcript?.doubt != nil)
        for key in ["understand", "dialog", "skill"] { timings[key] = reply.timings[key] ?? 0 }

        stage = ContinuousClock.now
        let spoken = try await Synthesizer.shared.synthesize(reply.reply, voice: config.voice, ssml: reply.isSSML)
        timings["synthesize"] = milliseconds(since: stage)
        if let output { try WAVFile.write(spoken, to: output) }
        await assistant.shutdown()
        timings["total"] = milliseconds(since: started)

        if json {
            print(try Self.report(input: input, transcript: transcript, reply: reply, output: output, timings: timings))
        } else {
            if speech == nil { FileHandle.standardError.write(Data("\(input): no speech found\n".utf8)) }
            print(reply.reply)
        }
    }

    /// The JSON object of `hark run --json`: the reply's fields (skill, intent, slots, reply, endSession…, its
    /// `confidence` renamed `understandingConfidence` and `alternatives` renamed `intentAlternatives`) with the
    /// recording's: speech, text, heardWakePhrase, confidence (the recognizer's), alternatives (n-best), doubt,
    /// firstPassText, timings (read, endpoint, load, recognize, understand, dialog, skill, synthesize, total).
    static func report(
        input: String, transcript: VoiceTranscript?, reply: AssistantReply, output: String?, timings: [String: Double]
    ) throws -> String {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(reply)) as? [String: Any] ?? [:]
        object["understandingConfidence"] = object.removeValue(forKey: "confidence")
        object["intentAlternatives"] = object.removeValue(forKey: "alternatives")
        object["input"] = input
        object["speech"] = transcript != nil
        object["text"] = transcript?.text ?? ""
        object["heardWakePhrase"] = transcript?.heardWakePhrase ?? false
        if let wake = transcript?.wakeConfidence { object["wakeConfidence"] = (wake * 1000).rounded() / 1000 }
        object["confidence"] = ((transcript?.confidence ?? 0) * 1000).rounded() / 1000
        object["alternatives"] = transcript?.alternatives ?? []
        if let doubt = transcript?.doubt {
            object["doubt"] = ["reason": doubt.reason.rawValue, "competing": doubt.competing]
        }
        if let firstPass = transcript?.firstPassText { object["firstPassText"] = firstPass }
        if let output { object["output"] = output }
        object["timings"] = timings.mapValues { ($0 * 1000).rounded() / 1000 }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension WildcardStrategy: ExpressibleByArgument {}
