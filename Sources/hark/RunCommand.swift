import ArgumentParser
import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkSpeech
import HarkVoice

/// `hark run --input FILE.wav`: the whole voice pipeline on recordings.
///
/// Loads the assistant and the recognizer once, then for each recording, in order: read (any WAV → 16 kHz mono) →
/// endpoint (``Endpointer``: from the first speech to the last) → recognise while the speech is fed in 100 ms chunks,
/// as the microphone loop does (``VoiceRecognizer``, the active skills' grammar; the wake phrase may be said or not,
/// or with `--no-wake` is not in the recording) → understand, dialog, skill (``Assistant/respond(to:sessionID:area:)``)
/// → synthesise the reply (eSpeak NG, SSML when the skill gave SSML).
///
/// A recording without speech is not an error: `text` is "" and `speech` false, and the reply is Hark's "nothing
/// heard" answer. A recording that cannot be read gets its own error (with `--json`, an object `{"input", "error"}`
/// on its line), the run goes on with the next one, and the exit status is 1.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the voice pipeline on WAV recordings: recognise, understand, answer.",
        discussion: """
            Prints the reply (or, with --json, one object a recording and a line: text, heardWakePhrase, confidence,
            alternatives, doubt, skill, intent, slots, reply, endSession and milliseconds per stage, among them
            afterSpeech: from the end of the speech to the reply's audio). --output writes the spoken reply as a WAV
            file (one recording only). When the recognition is doubtful (low confidence, n-best readings that mean
            different things, or slot values whose words fit the sound worse: valueConfidence), "doubt" says why and
            lists the competing readings.
            Several recordings (--input A --input B, or --inputs LIST with one path a line, - for standard input)
            share one recognizer, loaded once; each is its own request unless --session joins them.
            """)

    @Option(help: "A recording (a WAV file; any PCM rate, width and channel count). Repeat for several.")
    var input: [String] = []
    @Option(help: ArgumentHelp("A file of recordings, one path a line ('-': standard input).", valueName: "LIST"))
    var inputs: String?
    @Flag(help: "Print each result as one line of JSON.") var json = false
    @Option(help: "Write the spoken reply to this WAV file (one recording only).") var output: String?
    @Option(help: "Continue (or start) the conversation with this id.") var session: String?
    @Flag(help: "The recordings hold requests said after the wake phrase, not the wake phrase itself.")
    var noWake = false
    @Flag(help: "Only a recording that starts with the wake phrase is heard, as by `hark listen` when idle.")
    var wakeRequired = false
    @Option(help: "How wildcard slots are decoded: vocabulary, secondPass or combined.")
    var wildcard: WildcardStrategy = .vocabulary
    @OptionGroup var assistantOptions: AssistantOptionsGroup
    @OptionGroup var models: ModelOptions

    func validate() throws {
        if input.isEmpty && inputs == nil { throw ValidationError("give a recording: --input FILE.wav or --inputs LIST") }
        if noWake && wakeRequired { throw ValidationError("--no-wake and --wake-required exclude each other") }
        if output != nil && (input.count != 1 || inputs != nil) {
            throw ValidationError("--output writes one reply: give exactly one --input with it")
        }
    }

    func run() async throws {
        let config = try models.configuration()

        let loadStarted = ContinuousClock.now
        let assistant = try assistantOptions.makeAssistant()
        var options = VoiceRecognizerOptions()
        options.wildcardStrategy = wildcard
        let recognizer: VoiceRecognizer
        do {
            recognizer = try await VoiceRecognizer(
                assistant: assistant, models: config.speechModels, wakePhrase: config.wakePhrase, options: options)
        } catch {
            await assistant.shutdown()
            throw error
        }
        var loadMilliseconds: Double? = milliseconds(since: loadStarted)

        var failures = 0
        var paths = RecordingList(files: input, listFile: inputs)
        while let path = try await nextPath(&paths, shuttingDown: assistant) {
            do {
                var result = try await runOne(path, recognizer: recognizer, assistant: assistant, config: config)
                if let load = loadMilliseconds { result.timings["load"] = load }
                loadMilliseconds = nil
                try show(result)
            } catch {
                failures += 1
                if json {
                    let line: [String: Any] = ["input": path, "error": "\(error)"]
                    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                }
                FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            }
            fflush(nil)
        }
        await assistant.shutdown()
        if failures > 0 { throw ExitCode(1) }
    }

    /// The next recording to run; a list that cannot be read ends the run (the assistant shut down first, so that
    /// exec skills are stopped).
    private func nextPath(_ paths: inout RecordingList, shuttingDown assistant: Assistant) async throws -> String? {
        do {
            return try paths.next()
        } catch {
            await assistant.shutdown()
            throw error
        }
    }

    /// What one recording gave.
    struct Result {
        var input: String
        var transcript: VoiceTranscript?
        var reply: AssistantReply
        var timings: [String: Double]
    }

    private func runOne(
        _ path: String, recognizer: VoiceRecognizer, assistant: Assistant, config: HarkConfiguration
    ) async throws -> Result {
        let started = ContinuousClock.now
        let audio = try WAVFile.read(path: path)
        var options = RecordingRunOptions()
        options.noWake = noWake
        options.wakeRequired = wakeRequired
        options.session = session
        options.area = assistantOptions.area
        options.voice = config.voice
        let outcome = try await RecordingRun.run(
            audio, readMilliseconds: milliseconds(since: started), recognizer: recognizer, assistant: assistant,
            options: options)
        if let output { try WAVFile.write(outcome.spoken, to: output) }
        return Result(input: path, transcript: outcome.transcript, reply: outcome.reply, timings: outcome.timings)
    }

    private func show(_ result: Result) throws {
        if json {
            print(
                try RecordingRun.report(
                    input: result.input, transcript: result.transcript, reply: result.reply, output: output,
                    timings: result.timings))
        } else {
            if result.transcript == nil {
                FileHandle.standardError.write(Data("\(result.input): no speech found\n".utf8))
            }
            let several = input.count > 1 || inputs != nil
            print(several ? "\(result.input): \(result.reply.reply)" : result.reply.reply)
        }
    }
}

/// The recordings `hark run` is given, in order: the `--input` files, then the lines of the `--inputs` list (a file,
/// or standard input for "-", read as the lines come so that a caller can feed recordings one by one). Blank lines
/// are skipped.
struct RecordingList {
    var files: [String]
    var listFile: String?
    private var listLines: [String]?
    private var nextLine = 0

    init(files: [String], listFile: String?) {
        self.files = files
        self.listFile = listFile
    }

    /// The next recording's path, nil at the end.
    mutating func next() throws -> String? {
        if !files.isEmpty { return files.removeFirst() }
        guard let listFile else { return nil }
        if listFile == "-" {
            while let line = readLine(strippingNewline: true) {
                let path = line.trimmingCharacters(in: .whitespaces)
                if !path.isEmpty { return path }
            }
            return nil
        }
        if listLines == nil {
            guard let text = try? String(contentsOfFile: listFile, encoding: .utf8) else {
                throw ValidationError("--inputs: cannot read the list \(listFile)")
            }
            listLines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        guard let lines = listLines, nextLine < lines.count else { return nil }
        defer { nextLine += 1 }
        return lines[nextLine]
    }
}

extension WildcardStrategy: ExpressibleByArgument {}
