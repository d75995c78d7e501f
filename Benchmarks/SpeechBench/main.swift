// SpeechBench: speed, accuracy and memory of Hark's speech engines on home commands spoken by eSpeak NG.
//
//   swift run -c release SpeechBench            all modes; each recognition mode runs as a child process
//   SpeechBench grammar | commands | lm | synthesis   one mode (peak memory is per process, so one mode per run);
//                                                 commands: a grammar of exactly the test sentences (the prototype's)
//   SpeechBench grammar-graph | commands-graph    the same grammars compiled by Hark (WordGraph) instead
//   SpeechBench grammar --json                    one JSON line, what the parent reads from its children
import BenchmarkPeers
import Foundation
import HarkAudio
import HarkSpeech

/// A JSGF grammar shaped like the ones skills compile to: rules for rooms, items, numbers and days.
let grammar = """
    #JSGF V1.0;
    grammar home;

    <room> = kitchen | bedroom | living room | office | garage | porch | hallway | bathroom;
    <state> = on | off;
    <percent> = ten | twenty | thirty | fifty | seventy | eighty;
    <degrees> = sixty eight | seventy | seventy two | twenty | twenty one;
    <item> = milk | eggs | bread | butter | apples | coffee | bananas | cheese;
    <day> = today | tomorrow | the weekend | monday | friday;
    <minutes> = five | ten | fifteen | twenty | thirty;
    <lights> = turn <state> the <room> (light | lights) | switch <state> the <room> light
        | dim the <room> lights to <percent> percent;
    <heating> = set the thermostat to <degrees> degrees | turn (up | down) the heat
        | what is the temperature (inside | outside);
    <shopping> = add <item> to my shopping list | remove <item> from my shopping list
        | what is on my shopping list | clear my shopping list;
    <weather> = what is the weather <day> | will it rain [on] <day> | what is the forecast for <day>;
    <timer> = set a timer for <minutes> minutes | cancel the timer | how much time is left on the timer;
    public <command> = <lights> | <heating> | <shopping> | <weather> | <timer> | what time is it | good night
        | stop the music;

    """

/// 40 sentences of the grammar, covering every rule.
let sentences = [
    "turn on the kitchen light", "turn off the bedroom lights", "switch on the porch light",
    "switch off the garage light", "turn on the living room lights", "turn off the hallway light",
    "dim the office lights to twenty percent", "dim the bathroom lights to fifty percent",
    "turn on the office light", "switch off the kitchen light", "set the thermostat to seventy two degrees",
    "set the thermostat to sixty eight degrees", "turn up the heat", "turn down the heat",
    "what is the temperature inside", "what is the temperature outside", "add milk to my shopping list",
    "add coffee to my shopping list", "add bananas to my shopping list", "remove eggs from my shopping list",
    "remove cheese from my shopping list", "what is on my shopping list", "clear my shopping list",
    "what is the weather today", "what is the weather tomorrow", "will it rain tomorrow",
    "will it rain on monday", "what is the forecast for the weekend", "what is the forecast for friday",
    "set a timer for five minutes", "set a timer for fifteen minutes", "set a timer for thirty minutes",
    "cancel the timer", "how much time is left on the timer", "what time is it", "good night", "stop the music",
    "turn on the bathroom light", "add butter to my shopping list", "will it rain today",
]

/// A grammar of exactly the test sentences (the prototype's setup).
let commandsGrammar =
    "#JSGF V1.0;\ngrammar commands;\npublic <command> = " + sentences.joined(separator: " | ") + ";\n"

/// Requests outside the grammar: a good recognizer decodes them to nothing or to something with low confidence.
let outOfGrammar = [
    "play the latest podcast episode", "how tall is mount everest", "tell me a joke about cats",
    "call my mother on her phone", "what is the capital of france", "order a large pizza with cheese",
    "remind me to water the plants", "read me the news headlines", "how far away is the moon",
    "spell the word necessary",
]

let voices = [Voice(name: "en-us"), Voice(name: "en-us+f2", rate: 160), Voice(name: "en+m3")]

/// python `pocketsphinx` 5 (PyPI) decoding the same clips with the same JSGF and acoustic model, as a peer
/// (``PocketSphinx5Process``). Nil without its Python.
func measurePocketSphinx5(grammar: String) async throws
    -> (version: String, clips: Int, right: Int, rtf: Double, peakMB: Double)?
{
    guard PocketSphinx5Process.python() != nil else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("speechbench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try grammar.write(toFile: folder + "/grammar.jsgf", atomically: true, encoding: .utf8)
    var expected: [String: (text: String, seconds: Double)] = [:]
    for (index, clip) in try await synthesizeClips(sentences).enumerated() {
        let path = folder + "/clip\(index).wav"
        try WAVFile.write(clip.audio, to: path)
        expected[path] = (clip.text, clip.audio.duration)
    }
    let models = SpeechModelPaths.debianDefault
    guard
        let output = try PocketSphinx5Process.run(
            paths: expected.keys.sorted(),
            arguments: [
                "--jsgf", folder + "/grammar.jsgf", "--dict", models.dictionary, "--hmm", models.acousticModel,
            ])
    else { return nil }
    var right = 0
    var milliseconds = 0.0
    var seconds = 0.0
    for (path, heard) in output.decoded {
        guard let clip = expected[path] else { continue }
        if heard.text == clip.text { right += 1 }
        milliseconds += heard.milliseconds
        seconds += clip.seconds
    }
    return (output.version, output.decoded.count, right, milliseconds / 1000 / seconds, output.peakMegabytes)
}

/// Peak resident memory of this process so far (VmHWM), in MB.
func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return .nan }
    return kilobytes / 1024
}

/// The integer after `name` on the command line.
func option(_ name: String) -> Int? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else {
        return nil
    }
    return Int(CommandLine.arguments[index + 1])
}

/// CPU seconds this process has used (robust to other processes competing for the cores, unlike wall time).
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Word-level edit distance.
func wordErrors(_ reference: String, _ hypothesis: String) -> Int {
    let r = reference.split(separator: " ")
    let h = hypothesis.split(separator: " ")
    var row = Array(0...h.count)
    for i in 1...max(1, r.count) where !r.isEmpty {
        var previous = row
        row[0] = i
        for j in stride(from: 1, through: h.count, by: 1) {
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1))
        }
        previous = row
    }
    return r.isEmpty ? h.count : row[h.count]
}

/// The figures of one recognition mode.
struct RecognitionFigures: Codable {
    var mode: String
    var clips: Int
    var audioSeconds: Double
    var decodeMilliseconds: Double
    var decodeCPUSeconds: Double
    /// The same clips decoded with `rateConfidence: false` (no phone-loop pass).
    var unratedDecodeMilliseconds: Double
    var unratedDecodeCPUSeconds: Double
    /// Clips whose text differed between the rated and the unrated decoding (must be 0).
    var unratedTextDiffers: Int
    var loadMilliseconds: Double
    var sentencesRight: Int
    var wordErrors: Int
    var referenceWords: Int
    var confidenceRight: [Double]
    var confidenceWrong: [Double]
    var outOfGrammarClips: Int
    var outOfGrammarRejected: Int
    var peakMB: Double
    var peakBeforeRecognizerMB: Double

    var realTimeFactor: Double { decodeMilliseconds / 1000 / audioSeconds }
    var cpuRealTimeFactor: Double { decodeCPUSeconds / audioSeconds }
    var unratedRealTimeFactor: Double { unratedDecodeMilliseconds / 1000 / audioSeconds }
    var unratedCPURealTimeFactor: Double { unratedDecodeCPUSeconds / audioSeconds }
    var sentenceAccuracy: Double { Double(sentencesRight) / Double(clips) }
    var wordErrorRate: Double { Double(wordErrors) / Double(referenceWords) }
}

func synthesizeClips(_ texts: [String]) async throws -> [(text: String, voice: Voice, audio: AudioChunk)] {
    var clips: [(String, Voice, AudioChunk)] = []
    for voice in voices {
        for text in texts {
            clips.append((text, voice, try await Synthesizer.shared.synthesizeForRecognition(text, voice: voice)))
        }
    }
    return clips
}

func measureRecognition(mode: String) async throws -> RecognitionFigures {
    let clips = try await synthesizeClips(sentences)
    let strangers = try await synthesizeClips(outOfGrammar)
    let before = peakMemoryMB()
    let clock = ContinuousClock()
    let loadStart = clock.now
    // "commands": a grammar of exactly the test sentences, as the prototype measured (SPEECH_NOTES.md); "grammar":
    // rules shaped like the skills' (more sentences than the test's). n-best off by default, as in the voice loop.
    let search: RecognitionGrammar =
        switch mode {
        case "lm": .languageModel
        case "commands": .jsgf(commandsGrammar, name: "commands")
        // The same grammars as Hark's own word graph (minimal, bundles shared) instead of PocketSphinx's compiler.
        case "commands-graph": .wordGraph(try WordGraph(jsgf: commandsGrammar), name: "commands")
        case "grammar-graph": .wordGraph(try WordGraph(jsgf: grammar), name: "home")
        default: .jsgf(grammar, name: "home")
        }
    let recognizer = try Recognizer(grammar: search, nBest: option("--nbest") ?? 0)
    let load = clock.now - loadStart
    var figures = RecognitionFigures(
        mode: mode, clips: clips.count, audioSeconds: 0, decodeMilliseconds: 0, decodeCPUSeconds: 0,
        unratedDecodeMilliseconds: 0, unratedDecodeCPUSeconds: 0, unratedTextDiffers: 0,
        loadMilliseconds: Double(load.components.attoseconds) / 1e15 + Double(load.components.seconds) * 1000,
        sentencesRight: 0, wordErrors: 0, referenceWords: 0, confidenceRight: [], confidenceWrong: [],
        outOfGrammarClips: 0, outOfGrammarRejected: 0, peakMB: 0, peakBeforeRecognizerMB: before)
    for clip in clips {
        let cpuStart = processCPUSeconds()
        let transcript = try await recognizer.transcribe(clip.audio)
        figures.decodeCPUSeconds += processCPUSeconds() - cpuStart
        figures.audioSeconds += transcript.audioSeconds
        figures.decodeMilliseconds += transcript.decodeMilliseconds
        let unratedStart = processCPUSeconds()
        let unrated = try await recognizer.transcribe(clip.audio, rateConfidence: false)
        figures.unratedDecodeCPUSeconds += processCPUSeconds() - unratedStart
        figures.unratedDecodeMilliseconds += unrated.decodeMilliseconds
        if unrated.text != transcript.text { figures.unratedTextDiffers += 1 }
        figures.wordErrors += wordErrors(clip.text, transcript.text)
        figures.referenceWords += clip.text.split(separator: " ").count
        if transcript.text == clip.text {
            figures.sentencesRight += 1
            figures.confidenceRight.append(transcript.confidence)
        } else {
            if !transcript.text.isEmpty { figures.confidenceWrong.append(transcript.confidence) }
            if CommandLine.arguments.contains("--verbose") {
                FileHandle.standardError.write(
                    Data("\(mode) \(clip.voice.name): \(clip.text) -> \(transcript.text)\n".utf8))
            }
        }
    }
    for clip in strangers {
        let transcript = try await recognizer.transcribe(clip.audio)
        figures.outOfGrammarClips += 1
        if transcript.text.isEmpty || transcript.confidence < 0.5 { figures.outOfGrammarRejected += 1 }
    }
    figures.peakMB = peakMemoryMB()
    return figures
}

/// Synthesis speed: seconds of speech per second of work, at the engine rate and converted to 16 kHz.
func measureSynthesis() async throws -> (engine: Double, recognition: Double, seconds: Double) {
    let clock = ContinuousClock()
    var speech = 0.0
    var engineTime = Duration.zero
    var convertedTime = Duration.zero
    for voice in voices {
        for text in sentences {
            let start = clock.now
            let audio = try await Synthesizer.shared.synthesize(text, voice: voice)
            engineTime += clock.now - start
            speech += audio.duration
            let convertStart = clock.now
            _ = try await Synthesizer.shared.synthesizeForRecognition(text, voice: voice)
            convertedTime += clock.now - convertStart
        }
    }
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    return (speech / seconds(engineTime), speech / seconds(convertedTime), speech)
}

func runChild(_ mode: String) throws -> RecognitionFigures {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    let options = CommandLine.arguments.dropFirst().filter { $0.hasPrefix("--") || Int($0) != nil }
    process.arguments = [mode, "--json"] + options
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONDecoder().decode(RecognitionFigures.self, from: data)
}

func mean(_ values: [Double]) -> String {
    values.isEmpty ? "-" : String(format: "%.2f", values.reduce(0, +) / Double(values.count))
}

func share(_ values: [Double], _ predicate: (Double) -> Bool) -> String {
    guard !values.isEmpty else { return "-" }
    return String(format: "%.0f %%", 100 * Double(values.filter(predicate).count) / Double(values.count))
}

/// The 1-minute load average: above about 1.5 on this 2-core machine, wall-clock figures are inflated.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}

func printTable(_ rows: [RecognitionFigures]) {
    print("Load average \(loadAverage()). Real-time factor: decoding time / audio time, with confidence rated "
        + "(the default) and without (`rateConfidence: false`).\n")
    print("| decoding | clips | sentences right | word error | real-time factor (CPU) | real-time factor (wall) "
        + "| without confidence: RTF (CPU) | RTF (wall) | load ms | peak MB (before recognizer) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows {
        print(
            String(
                format: "| %@ | %d | %.1f %% | %.1f %% | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f (%.0f) |",
                [
                    "lm": "generic en-us language model",
                    "commands": "JSGF of the \(sentences.count) sentences",
                    "commands-graph": "the same as Hark's word graph",
                    "grammar": "JSGF grammar (\(sentences.count)+ sentences)",
                    "grammar-graph": "the same as Hark's word graph",
                ][row.mode] ?? row.mode,
                row.clips,
                100 * row.sentenceAccuracy, 100 * row.wordErrorRate, row.cpuRealTimeFactor, row.realTimeFactor,
                row.unratedCPURealTimeFactor, row.unratedRealTimeFactor, row.loadMilliseconds,
                row.peakMB, row.peakBeforeRecognizerMB))
        if row.unratedTextDiffers > 0 {
            print("WARNING: \(row.unratedTextDiffers) clips decoded differently without confidence rating")
        }
    }
    print("\nConfidence (grammar: acoustic score against a phone loop; language model: lattice posterior):")
    print("| decoding | mean when right | right with >= 0.5 | mean when wrong | wrong with < 0.5 "
        + "| out-of-grammar rejected |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows {
        print(
            "| \(row.mode) | \(mean(row.confidenceRight)) | \(share(row.confidenceRight) { $0 >= 0.5 }) | "
                + "\(mean(row.confidenceWrong)) (\(row.confidenceWrong.count)) | "
                + "\(share(row.confidenceWrong) { $0 < 0.5 }) | \(row.outOfGrammarRejected)/\(row.outOfGrammarClips) |")
    }
}

#if DEBUG
let build = "debug build"
#else
let build = "release build"
#endif

let arguments = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") && Int($0) == nil }
let mode = arguments.first ?? "all"
switch mode {
case "grammar", "commands", "lm", "grammar-graph", "commands-graph":
    let figures = try await measureRecognition(mode: mode)
    if CommandLine.arguments.contains("--json") {
        print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
    } else {
        printTable([figures])
    }
case "synthesis", "all":
    print("SpeechBench (\(build)), eSpeak NG \(SpeechLibraries.espeakVersion), PocketSphinx "
        + "\(SpeechLibraries.pocketsphinxVersion); \(sentences.count) home commands x \(voices.count) voices "
        + "(\(voices.map(\.name).joined(separator: ", "))), \(outOfGrammar.count) out-of-grammar requests\n")
    if mode == "all" {
        printTable([
            try runChild("grammar"), try runChild("grammar-graph"), try runChild("commands"),
            try runChild("commands-graph"), try runChild("lm"),
        ])
        if let peer = try await measurePocketSphinx5(grammar: commandsGrammar) {
            print(String(
                format: "\nPeer on this machine, same clips: python pocketsphinx %@ (PyPI) with the JSGF of the %d "
                    + "sentences, the same acoustic model and dictionary: %d clips, %.1f %% sentences right, RTF (wall) "
                    + "%.3f, peak %.0f MB (its own process)",
                peer.version, sentences.count, peer.clips, 100 * Double(peer.right) / Double(max(1, peer.clips)),
                peer.rtf, peer.peakMB))
        } else {
            print("\nPeer python pocketsphinx 5 not run: set POCKETSPHINX5_PYTHON (see README)")
        }
        print("\nPrototype figures (SPEECH_NOTES.md, 240 clips): grammar RTF 0.018, 55 MB, 90 % sentences; "
            + "generic LM RTF 0.27, 124 MB, 9 % sentences.\n")
    }
    let synthesis = try await measureSynthesis()
    print(String(
        format: "Synthesis: %.1f s of speech; %.0fx real time at 22 050 Hz, %.0fx including conversion to 16 kHz",
        synthesis.seconds, synthesis.engine, synthesis.recognition))
default:
    FileHandle.standardError.write(
        Data(
            ("usage: SpeechBench [all | grammar | grammar-graph | commands | commands-graph | lm | synthesis] "
                + "[--nbest N] [--verbose]\n").utf8))
    exit(2)
}
