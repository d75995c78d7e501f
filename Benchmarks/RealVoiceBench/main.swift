import BenchmarkPeers
import Foundation
import HarkAudio
import HarkSpeech
import HarkUnderstanding
import HarkVoice

// RealVoiceBench: real people's spoken coffee orders (`shared/speech-data/barista`, 200 dev clips of Picovoice's
// speech-to-intent benchmark) through the real `hark` binary, clean and mixed with the benchmark's kitchen noise at
// 24…6 dB SNR the benchmark's way; with the barista skill alone and next to every built-in skill; python
// `pocketsphinx` 5 with a JSGF of the same skill as the peer, in the same run; and the wake words "computer" and
// "jarvis" said by real people (`shared/speech-data/wake`) against other speech, with python `pocketsphinx` 5's keyword
// spotting as the peer. Prints figures; asserts none.
//
// Usage: `RealVoiceBench --help` (the options are in `usage` below).

/// Command-line settings.
struct Settings {
    var data = "../shared/speech-data"
    var hark = ".build/release/hark"
    var conditions: [Double?] = [nil, 24, 21, 18, 15, 12, 9, 6]
    var configs = ["alone", "all"]
    var clips: Int?
    var misses = false
    /// A file to write one JSON line per reading to (config, condition, clip, whether it means an intent, whether
    /// it is right, the confidence): for studying the confidence beyond the printed table.
    var readings: String?
    var parts: Set<String> = ["barista", "peer", "wake"]

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value() throws -> String {
            guard let next = rest.popFirst() else { throw BenchError("a value is missing after an option") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--data": data = try value()
            case "--hark": hark = try value()
            case "--conditions":
                conditions = try value().split(separator: ",").map { $0 == "clean" ? nil : Double($0) }
            case "--configs": configs = try value().split(separator: ",").map(String.init)
            case "--clips": clips = Int(try value())
            case "--misses": misses = true
            case "--readings": readings = try value()
            case "--parts": parts = Set(try value().split(separator: ",").map(String.init))
            default: throw BenchError("unknown argument \(argument)")
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One labelled recording.
struct Clip {
    var name: String
    var path: String
    var intent: String
    var slots: [String: String]
}

/// The benchmark's noise: `kitchen-noise.wav` mixed as its `mixer.py` does. The noise starts at a random offset;
/// its scale sets the ratio of the loudest 2048-sample frame's energy of speech to that of the noise to the SNR; the
/// mix is peak-normalised to half of full scale.
struct KitchenNoise {
    let samples: [Double]

    init(path: String) throws {
        samples = try WAVFile.read(path: path).speechChunk().samples.map(Double.init)
    }

    static func maxFrameEnergy(_ signal: ArraySlice<Double>, frame: Int = 2048) -> Double {
        var best = 0.0
        var start = signal.startIndex
        while start + frame <= signal.endIndex {
            best = max(best, signal[start..<(start + frame)].reduce(0) { $0 + $1 * $1 })
            start += frame
        }
        return best
    }

    func mix(_ speech: [Int16], snr: Double, seed: UInt64) -> [Int16] {
        let clean = speech.map(Double.init)
        var random = SplitMix64(seed: seed)
        let offset = Int(random.next() % UInt64(max(1, samples.count - clean.count)))
        let noise = samples[offset..<(offset + clean.count)]
        let speechEnergy = Self.maxFrameEnergy(clean[...])
        let noiseEnergy = max(Self.maxFrameEnergy(noise), 1e-9)
        let scale = (speechEnergy / (noiseEnergy * pow(10, snr / 10))).squareRoot()
        let mixed = zip(clean, noise).map { $0 + scale * $1 }
        let peak = max(mixed.map(abs).max() ?? 1, 1e-9)
        return mixed.map { Int16(max(-32_768, min(32_767, ($0 / (2 * peak) * 32_767).rounded()))) }
    }
}

/// What Hark did with one recording, scored by the benchmark's rule (intent right and every labelled slot's value).
enum Outcome: String, CaseIterable {
    /// Acted on with the right intent and slots.
    case accepted
    /// Asked back ("Did you mean …?", or a question for a slot) instead of acting.
    case askedBack = "asked back"
    /// Acted on with a wrong intent or slot value, without a question.
    case wrongActed = "wrong, acted on"
    /// Nothing understood (or nothing heard).
    case notUnderstood = "not understood"
}

/// One line of `hark run --json`.
struct HarkResult {
    var text: String
    var skill: String?
    var intent: String?
    var slots: [String: String]
    var question: Bool
    var fallback: Bool
    var audioSeconds: Double
    var recognizeMilliseconds: Double
    var afterSpeechMilliseconds: Double
    var error: String?
    /// The recognizer's confidence in the words.
    var confidence: Double
    /// The recognizer's confidence in the words that spell the slot values (nil: none, or not rated).
    var valueConfidence: Double?
    /// What Hark asked about, when it asked: "skill/intent" and the slots.
    var questionIntent: String?
    var questionSlots: [String: String]

    init(_ object: [String: Any]) {
        text = object["text"] as? String ?? ""
        skill = object["skill"] as? String
        intent = object["intent"] as? String
        slots = (object["slots"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        question = object["questionIntent"] != nil && object["skill"] as? String == nil
        fallback = object["fallback"] as? Bool ?? false
        audioSeconds = object["audioSeconds"] as? Double ?? 0
        let timings = object["timings"] as? [String: Double] ?? [:]
        recognizeMilliseconds = timings["recognize"] ?? 0
        afterSpeechMilliseconds = timings["afterSpeech"] ?? 0
        error = object["error"] as? String
        confidence = object["confidence"] as? Double ?? 0
        valueConfidence = object["valueConfidence"] as? Double
        questionIntent = object["questionIntent"] as? String
        questionSlots = (object["questionSlots"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
    }

    /// The reading Hark acted on or asked about: whether it means an intent, and whether it is the labelled one.
    func reading(for clip: Clip, skill expected: String) -> (meansIntent: Bool, right: Bool) {
        if let skill, let intent {
            return (true, skill == expected && intent == clip.intent && clip.slots.allSatisfy { slots[$0.key] == $0.value })
        }
        guard let questionIntent, question else { return (false, false) }
        let right = questionIntent == "\(expected)/\(clip.intent)"
            && clip.slots.allSatisfy { questionSlots[$0.key] == $0.value }
        return (true, right)
    }

    func outcome(for clip: Clip) -> Outcome {
        let right = intent == clip.intent && clip.slots.allSatisfy { slots[$0.key] == $0.value }
        if skill != nil && intent != nil { return right ? .accepted : .wrongActed }
        if question { return .askedBack }
        return .notUnderstood
    }
}

/// Runs the `hark` binary on many recordings in one process and reads its peak memory while it runs.
func runHark(
    _ settings: Settings, home: String, arguments: [String], input: String, count: Int
) throws -> (lines: [[String: Any]], peakMegabytes: Double, seconds: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: settings.hark)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["HARK_HOME"] = home
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    let started = ContinuousClock.now
    try process.run()
    try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    var buffer = Data()
    var lines: [[String: Any]] = []
    var peak = 0.0
    let reader = stdout.fileHandleForReading
    while true {
        let data = reader.availableData
        if data.isEmpty { break }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[buffer.startIndex..<newline]
            buffer.removeSubrange(buffer.startIndex...newline)
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] {
                lines.append(object)
            }
            // VmHWM only grows: the last reading before the process ends is its peak (close enough: it is read
            // after every recording).
            peak = max(peak, peakResidentMegabytes(pid: process.processIdentifier) ?? 0)
        }
    }
    process.waitUntilExit()
    let elapsed = ContinuousClock.now - started
    if lines.count != count {
        throw BenchError("hark printed \(lines.count) results for \(count) recordings (exit \(process.terminationStatus))")
    }
    return (lines, peak, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func peakResidentMegabytes(pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        return kilobytes.map { $0 / 1024 }
    }
    return nil
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func percent(_ count: Int, _ total: Int) -> String { String(format: "%5.1f %%", 100 * Double(count) / Double(max(1, total))) }

func conditionName(_ snr: Double?) -> String { snr.map { String(format: "%.0f dB", $0) } ?? "clean" }

/// Tallies outcomes of one configuration in one condition.
struct Tally {
    var counts: [Outcome: Int] = [:]
    var total = 0
    mutating func add(_ outcome: Outcome) {
        counts[outcome, default: 0] += 1
        total += 1
    }
    func rate(_ outcome: Outcome) -> Double { Double(counts[outcome] ?? 0) / Double(max(1, total)) }
}

// MARK: - The run


let usage = """
    Usage: RealVoiceBench [--data DIR] [--hark PATH] [--conditions clean,24,21,18,15,12,9,6] [--configs alone,all]
                          [--clips N] [--misses] [--readings FILE] [--parts barista,peer,wake]
    """
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print(usage)
    exit(0)
}
let settings: Settings
do {
    settings = try Settings(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("RealVoiceBench: \(error)\n\(usage)\n".utf8))
    exit(2)
}
let barista = settings.data + "/barista"
guard FileManager.default.fileExists(atPath: settings.hark) else {
    throw BenchError("no hark binary at \(settings.hark): swift build -c release --product hark")
}
let labelData = try Data(contentsOf: URL(fileURLWithPath: barista + "/labels.json"))
let labels = try JSONSerialization.jsonObject(with: labelData) as? [String: [String: Any]] ?? [:]
var clips = labels.keys.sorted().map { name -> Clip in
    let label = labels[name]!
    let slots = (label["slots"] as? [String: String] ?? [:]).mapValues { $0.trimmingCharacters(in: .whitespaces) }
    return Clip(name: name, path: barista + "/clips/" + name, intent: label["intent"] as? String ?? "", slots: slots)
}
if let limit = settings.clips { clips = Array(clips.prefix(limit)) }
let noise = try KitchenNoise(path: barista + "/kitchen-noise.wav")

let work = FileManager.default.temporaryDirectory.appendingPathComponent("realvoicebench-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: work) }
let home = work + "/home"
try FileManager.default.createDirectory(atPath: home + "/skills", withIntermediateDirectories: true)
try FileManager.default.copyItem(atPath: barista + "/skill", toPath: home + "/skills/barista")
try "skills_directories: [\(home)/skills]\n".write(toFile: home + "/config.yaml", atomically: true, encoding: .utf8)

emit("RealVoiceBench: \(clips.count) recordings of real people (\(barista)), through \(settings.hark)")
emit("RTF*: decoding time per second of speech (the endpointed span Hark decodes); after speech: from the end")
emit("of the speech (fed in 100 ms chunks as the microphone loop does) to the reply's audio.")
emit("Scoring: accepted = acted on with the labelled intent and every labelled slot value (the benchmark's rule).")

/// The recordings of one condition, written once and shared by every configuration and the peer.
var conditionFiles: [String: [String]] = [:]
for snr in settings.conditions {
    guard let snr else {
        conditionFiles["clean"] = clips.map(\.path)
        continue
    }
    let folder = work + "/snr\(Int(snr))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var paths: [String] = []
    for (clipIndex, clip) in clips.enumerated() {
        let speech = try WAVFile.read(path: clip.path).speechChunk()
        let seed = UInt64(clipIndex) &* 1_000 &+ UInt64(snr)
        let mixed = noise.mix(speech.samples, snr: snr, seed: seed)
        let path = folder + "/" + clip.name
        try WAVFile.write(AudioChunk(samples: mixed, format: speech.format), to: path)
        paths.append(path)
    }
    conditionFiles[conditionName(snr)] = paths
}

var summary: [(config: String, condition: String, tally: Tally)] = []
var readingRows: [String] = []
for config in settings.configs where settings.parts.contains("barista") {
    let skills = config == "alone" ? ["--skills", "barista"] : []
    var readings: [(meansIntent: Bool, right: Bool, confidence: Double, valueConfidence: Double?)] = []
    emit("\n== Hark, \(config == "alone" ? "barista alone (--skills barista)" : "barista next to every built-in skill")")
    emit("condition  accepted  asked back  wrong acted  not underst.  RTF*   after speech p50/p99   peak MB")
    for snr in settings.conditions {
        let name = conditionName(snr)
        let paths = conditionFiles[name]!
        let (lines, peak, _) = try runHark(
            settings, home: home, arguments: ["run", "--inputs", "-", "--json", "--no-wake"] + skills,
            input: paths.joined(separator: "\n") + "\n", count: paths.count)
        var tally = Tally()
        var audio = 0.0
        var decoding = 0.0
        var after: [Double] = []
        for (clip, line) in zip(clips, lines) {
            let result = HarkResult(line)
            let outcome = result.error == nil ? result.outcome(for: clip) : .notUnderstood
            tally.add(outcome)
            audio += result.audioSeconds
            decoding += result.recognizeMilliseconds / 1000
            after.append(result.afterSpeechMilliseconds)
            if settings.misses && outcome != .accepted {
                let heard = result.skill.map { "\($0)/\(result.intent ?? "-") \(result.slots)" } ?? "-"
                emit("   \(outcome.rawValue): \"\(result.text)\" → \(heard); label \(clip.slots) [\(clip.name)]")
            }
        }
        summary.append((config, name, tally))
        readings += zip(clips, lines).map { clip, line in
            let result = HarkResult(line)
            let reading = result.reading(for: clip, skill: "barista")
            return (reading.meansIntent, reading.right, result.confidence, result.valueConfidence)
        }
        if settings.readings != nil {
            readingRows += zip(clips, lines).map { clip, line -> String in
                let result = HarkResult(line)
                let reading = result.reading(for: clip, skill: "barista")
                let row: [String: Any] = [
                    "config": config, "condition": name, "clip": clip.name, "meansIntent": reading.meansIntent,
                    "right": reading.right, "confidence": result.confidence, "text": result.text,
                ]
                let data = (try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])) ?? Data()
                return String(decoding: data, as: UTF8.self)
            }
        }
        emit(
            String(
                format: "%@  %@   %@     %@      %@     %.3f  %6.0f / %6.0f ms     %.0f",
                name.padding(toLength: 9, withPad: " ", startingAt: 0),
                percent(tally.counts[.accepted] ?? 0, tally.total), percent(tally.counts[.askedBack] ?? 0, tally.total),
                percent(tally.counts[.wrongActed] ?? 0, tally.total),
                percent(tally.counts[.notUnderstood] ?? 0, tally.total), decoding / max(audio, 1e-9),
                percentile(after, 0.5), percentile(after, 0.99), peak))
    }
    emit("Doubt threshold (recognizer confidence below it: asked back), over the conditions above, other reasons")
    emit("to ask back aside; Hark's is 0.5. Wrong readings that mean an intent acted on / right readings asked back:")
    let wrong = readings.filter { $0.meansIntent && !$0.right }
    let right = readings.filter(\.right)
    emit(
        [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98].map { threshold in
            String(
                format: "%.2f: %d / %d", threshold, wrong.filter { $0.confidence >= threshold }.count,
                right.filter { $0.confidence < threshold }.count)
        }.joined(separator: "   ") + "   (of \(wrong.count) wrong, \(right.count) right)")
    emit("Value doubt threshold (confidence of the words that spell the slot values below it: asked back), among the")
    emit("readings the recognizer's confidence lets through (0.5); Hark's is VALUE. Wrong readings acted on / right")
    emit("readings asked back:")
    let trusted = readings.filter { $0.confidence >= 0.5 }
    emit(
        [0.0, 0.5, 0.7, 0.8, 0.9, 0.93, 0.95, 0.97, 0.99].map { threshold in
            String(
                format: "%.2f: %d / %d", threshold,
                trusted.filter { $0.meansIntent && !$0.right && ($0.valueConfidence ?? 1) >= threshold }.count,
                trusted.filter { $0.right && ($0.valueConfidence ?? 1) < threshold }.count)
        }.joined(separator: "   "))
    let noisy = summary.filter { $0.config == config && $0.condition != "clean" }
    if !noisy.isEmpty {
        let mean = noisy.map { $0.tally.rate(.accepted) }.reduce(0, +) / Double(noisy.count)
        let wrong = noisy.map { $0.tally.rate(.wrongActed) }.reduce(0, +) / Double(noisy.count)
        emit(String(format: "noise average (%d levels): accepted %.1f %%, wrong acted on %.1f %%", noisy.count,
                     mean * 100, wrong * 100))
    }
}

if let file = settings.readings {
    try readingRows.map { $0 + "\n" }.joined().write(toFile: file, atomically: true, encoding: .utf8)
}

// MARK: - The peer: python pocketsphinx 5 with a JSGF of the same skill, its words understood by Hark's matcher.

if settings.parts.contains("peer") {
    // A JSGF of the skill's sentences as written decodes too slowly to measure (pocketsphinx copies a rule at every
    // reference: one 7 s recording was not done after 100 s), so the peer searches the graph Hark searches: the same
    // sentences and list values, as a minimal word graph, written as an FSG.
    emit("\n== Peer: python pocketsphinx 5 searching the barista skill's grammar as Hark builds it (its FSG), same clips")
    let templates = try SkillTemplates.load(yamlFile: barista + "/skill/intents/en.yaml", skill: "barista")
    let engine = try IntentEngine(skills: [templates])
    var grammarOptions = RecognitionGrammarOptions()
    grammarOptions.bareAnswers = false
    let jsgf = engine.recognitionJSGF(grammarName: "barista", options: grammarOptions) { _, _ in "<VOID>" }
    let grammarFile = work + "/barista.fsg"
    // Weighted as Hark weighs its own grammar's transitions.
    let transitionWeight = VoiceRecognizerOptions().transitionWeight
    try SharedArcGraph(try WordGraph(jsgf: jsgf, name: "barista"), transitionWeight: transitionWeight)
        .fsgText(name: "barista")
        .write(toFile: grammarFile, atomically: true, encoding: .utf8)
    if PocketSphinx5Process.python() == nil {
        emit("(skipped: set POCKETSPHINX5_PYTHON, or python3 -m venv .build/voicebench-venv && "
              + ".build/voicebench-venv/bin/pip install pocketsphinx)")
    }
    emit("condition  accepted  asked back  wrong acted  not underst.  RTF (per second of recording)")
    var peerPeak = Double.nan
    for snr in settings.conditions where PocketSphinx5Process.python() != nil {
        let name = conditionName(snr)
        let paths = conditionFiles[name]!
        guard let output = try PocketSphinx5Process.run(
            paths: paths, arguments: ["--fsg", grammarFile, "--dict", "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"])
        else {
            emit("\(name): the peer failed")
            continue
        }
        peerPeak = output.peakMegabytes
        let texts = paths.map { output.decoded[$0]?.text ?? "" }
        let (lines, _, _) = try runHark(
            settings, home: home, arguments: ["ask", "--batch", "--json", "--skills", "barista"],
            input: texts.joined(separator: "\n") + "\n", count: texts.count)
        var tally = Tally()
        var audio = 0.0
        var decoding = 0.0
        for (index, (clip, line)) in zip(clips, lines).enumerated() {
            tally.add(texts[index].isEmpty ? .notUnderstood : HarkResult(line).outcome(for: clip))
            let samples = (try? WAVFile.read(path: paths[index]).speechChunk().samples.count) ?? 0
            audio += Double(samples) / 16_000
            decoding += (output.decoded[paths[index]]?.milliseconds ?? 0) / 1000
        }
        emit(
            String(
                format: "%@  %@   %@     %@      %@     %.3f", name.padding(toLength: 9, withPad: " ", startingAt: 0),
                percent(tally.counts[.accepted] ?? 0, tally.total), percent(tally.counts[.askedBack] ?? 0, tally.total),
                percent(tally.counts[.wrongActed] ?? 0, tally.total),
                percent(tally.counts[.notUnderstood] ?? 0, tally.total), decoding / max(audio, 1e-9)))
    }
    emit(String(format: "peer peak memory: %.0f MB", peerPeak))
}

// MARK: - The wake phrase on real voices

/// WAV files of a folder, sorted.
func wavFiles(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".wav") }.sorted()
        .map { folder + "/" + $0 }
}

func seconds(ofWAV path: String) -> Double {
    guard let audio = try? WAVFile.read(path: path) else { return 0 }
    return Double(audio.samples.count) / Double(audio.format.sampleRate * max(1, audio.format.channels))
}

/// python `pocketsphinx` 5's keyword spotting on `paths`: per path, detected or not at each threshold.
func keywordSpotting(_ paths: [String], keyphrase: String, thresholds: [String]) throws -> [String: [Bool]]? {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("peer_kws.py").path
    guard
        let lines = try PocketSphinx5Process.runScript(
            script, arguments: ["--keyphrase", keyphrase, "--thresholds", thresholds.joined(separator: ",")],
            paths: paths)
    else { return nil }
    var detected: [String: [Bool]] = [:]
    for object in lines {
        guard let path = object["path"] as? String, let flags = object["detected"] as? [Bool] else { continue }
        detected[path] = flags
    }
    return detected
}

if settings.parts.contains("wake") {
    let wakeFolder = settings.data + "/wake"
    let words = ["computer", "jarvis"]
    let notWake = wavFiles(wakeFolder + "/not-wake-words")
    emit("\n== Wake phrase on real voices: the word alone said by real people; everything else must not wake Hark")
    emit("(other speech: the other word's clips, \(notWake.count) not-wake-words, the \(clips.count) barista orders;")
    emit(" Hark as `hark listen` hears when idle, every built-in skill and the barista installed: hark run --wake-required)")
    for word in words {
        let positives = wavFiles(wakeFolder + "/" + word)
        let others = words.filter { $0 != word }.flatMap { wavFiles(wakeFolder + "/" + $0) }
        let negatives = others + notWake + clips.map(\.path)
        let hours = negatives.map(seconds(ofWAV:)).reduce(0, +) / 3600
        try "skills_directories: [\(home)/skills]\nwake_phrase: \(word)\n".write(
            toFile: home + "/config.yaml", atomically: true, encoding: .utf8)
        let all = positives + negatives
        let (lines, _, _) = try runHark(
            settings, home: home, arguments: ["run", "--inputs", "-", "--json", "--wake-required"],
            input: all.joined(separator: "\n") + "\n", count: all.count)
        let heard = lines.map { $0["heardWakePhrase"] as? Bool ?? false }
        let detected = heard.prefix(positives.count).filter { $0 }.count
        let falseAlarms = zip(negatives, heard.dropFirst(positives.count)).filter(\.1).map(\.0)
        emit(
            String(
                format: "Hark, wake_phrase: %@: detected %d of %d (%.1f %%); false alarms %d in %.2f h of other speech "
                    + "(%.1f per hour)", word, detected, positives.count, 100 * Double(detected) / Double(positives.count),
                falseAlarms.count, hours, Double(falseAlarms.count) / max(hours, 1e-9)))
        if settings.misses {
            for path in falseAlarms { emit("   false alarm: \(path)") }
        }
        // Hark's minimum wake confidence is 0.1: what a higher one would give (the wake phrase's confidence is in
        // every result where the decoder put it first).
        let confidences = lines.map { ($0["heardWakePhrase"] as? Bool ?? false) ? $0["wakeConfidence"] as? Double : nil }
        emit(
            "   minimum wake confidence → detected / false alarms: "
                + [0.1, 0.15, 0.2, 0.3, 0.4, 0.5].map { threshold in
                    let passes = confidences.map { ($0 ?? -1) >= threshold }
                    let hits = passes.prefix(positives.count).filter { $0 }.count
                    let alarms = passes.dropFirst(positives.count).filter { $0 }.count
                    return String(format: "%.2f: %d / %d", threshold, hits, alarms)
                }.joined(separator: "   "))
        let thresholds = ["1e-10", "1e-20", "1e-30", "1e-40"]
        guard let spotted = try keywordSpotting(all, keyphrase: word, thresholds: thresholds) else {
            emit("   peer: python pocketsphinx 5 keyword spotting not available (see the peer note above)")
            continue
        }
        for (index, threshold) in thresholds.enumerated() {
            let hits = positives.filter { spotted[$0]?[index] == true }.count
            let alarms = negatives.filter { spotted[$0]?[index] == true }.count
            emit(
                String(
                    format: "peer, pocketsphinx 5 keyword spotting, kws_threshold %@: detected %d of %d (%.1f %%); "
                        + "false alarms %d (%.1f per hour)", threshold, hits, positives.count,
                    100 * Double(hits) / Double(positives.count), alarms, Double(alarms) / max(hours, 1e-9)))
        }
    }
    try "skills_directories: [\(home)/skills]\n".write(toFile: home + "/config.yaml", atomically: true, encoding: .utf8)
}

emit("""

Published figures. Commands accepted on all 619 barista clips, averaged over cafe and kitchen noise at 24…6 dB: Picovoice Rhino \
97.6 %, Microsoft LUIS 89.9 %, IBM Watson 86.8 %, Amazon Lex 84.5 %, Google Dialogflow 77.6 %. Wake words missed at one false alarm in 10 hours (six words, \
LibriSpeech as background speech, 10 dB SNR of DEMAND noise): PocketSphinx keyword spotting 52.0 %, Snowboy 31.9 %, \
Porcupine 2.7 %.
""")

/// Prints a line at once (the benchmark runs for minutes; its output is often a file).
func emit(_ line: String = "") {
    print(line)
    fflush(nil)
}
