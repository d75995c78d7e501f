// VoiceBench: Hark's voice pipeline on a spoken-command corpus, with peers on the same audio.
//
// Corpus: the skills' tests/en.yaml sentences that name an intent × eSpeak voices × speeds, clean and mixed
// with white and pink noise at an SNR. Prints intent+slot accuracy, word error rate, real-time factor, latency
// from the end-point to the reply audio (p50, p99), peak memory; the wildcard strategies on the shopping items;
// and the peers: PocketSphinx with the generic en-us language model (then Hark's matcher), and python
// `pocketsphinx` 5 (when POCKETSPHINX5_PYTHON is set or .build/voicebench-venv exists).
//
//   swift build -c release --product VoiceBench && .build/release/VoiceBench [--per-skill N] [--peer-clips N]
//       [--voices en-us,en-us+f2] [--rates 150,190] [--snr 10] [--no-peers] [--no-wildcards]
import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkSkillKit
import HarkSpeech
import HarkUnderstanding
import HarkVoice

struct BenchOptions {
    var perSkill = 10
    var peerClips = 48
    var voices = ["en-us", "en-us+f2", "en+m3", "en-us+f4"]
    var rates = [150, 190]
    var snr = 10.0
    var peers = true
    var wildcards = true

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--per-skill": perSkill = Int(iterator.next() ?? "") ?? perSkill
            case "--peer-clips": peerClips = Int(iterator.next() ?? "") ?? peerClips
            case "--voices": voices = (iterator.next() ?? "").split(separator: ",").map(String.init)
            case "--rates": rates = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--snr": snr = Double(iterator.next() ?? "") ?? snr
            case "--no-peers": peers = false
            case "--no-wildcards": wildcards = false
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
func percent(_ value: Double) -> String { format(value * 100) + " %" }

let options = BenchOptions(arguments: CommandLine.arguments)
let home = FileManager.default.temporaryDirectory.appendingPathComponent("voicebench-\(getpid())").path
try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: home) }

// The assistant with every built-in skill; the weather skill points at a closed local port (no internet here).
var configuration = HarkConfiguration()
configuration.skillSettings["weather"] = [
    "latitude": .number(51.5), "longitude": .number(-0.12), "forecast_url": .string("http://127.0.0.1:9/forecast"),
    "geocoding_url": .string("http://127.0.0.1:9/search"), "timeout_ms": .number(300),
]
configuration.skillSettings["shopping"] = ["purchase_code": .string("1234")]
let environment = HarkEnvironment(
    paths: HarkPaths(configFile: home + "/config.yaml", dataDirectory: home + "/data"), configuration: configuration)
let assistant = try environment.makeAssistant()
let skills = await assistant.installedSkills
let engine = assistant.intentEngine
let checker = MeaningChecker(engine: engine)
let vocabulary = try WildcardVocabulary.load(skillFolders: skills.map(\.package.folder))

// The corpus.
let sentences = try SpokenCorpus.sentences(skills: skills, perSkill: options.perSkill)
print("VoiceBench: \(sentences.count) sentences from \(Set(sentences.map(\.skill)).count) skills × "
    + "\(options.voices.count) voices × \(options.rates.count) speeds × clean, white, pink at \(format(options.snr, 0)) dB SNR")
var clips: [CorpusClip] = []
let synthesisStart = ContinuousClock.now
for (index, sentence) in sentences.enumerated() {
    for voice in options.voices {
        for rate in options.rates {
            let (audio, seconds) = try await SpokenCorpus.speak(sentence.text, voice: voice, rate: rate)
            for noise in NoiseKind.allCases {
                let mixed = SpokenCorpus.mix(audio, noise: noise, snr: options.snr, seed: UInt64(index * 1000 + rate))
                clips.append(
                    CorpusClip(sentence: sentence, voice: voice, rate: rate, noise: noise, audio: mixed,
                               speechSeconds: seconds))
            }
        }
    }
}
let totalSpeech = clips.filter { $0.noise == .clean }.reduce(0) { $0 + $1.speechSeconds }
print("corpus: \(clips.count) clips, \(format(totalSpeech / 60)) min of speech per condition, synthesised in "
    + "\(format(milliseconds(since: synthesisStart) / 1000)) s")

/// The utterance the endpointer finds in a clip (the whole clip when it finds none).
func endpointed(_ clip: CorpusClip) -> AudioChunk {
    var endpointer = Endpointer()
    var utterances: [AudioChunk] = []
    for event in endpointer.process(clip.audio) { if case .utterance(let u) = event { utterances.append(u.audio) } }
    if case .utterance(let u)? = endpointer.finish() { utterances.append(u.audio) }
    guard let first = utterances.first, let last = utterances.last else { return clip.audio }
    let from = Int(first.timestamp * 16_000)
    let to = min(clip.audio.samples.count, Int(last.timestamp * 16_000) + last.samples.count)
    return AudioChunk(samples: Array(clip.audio.samples[from..<to]), format: clip.audio.format)
}
let utterances = clips.map(endpointed)
let memoryBeforeHark = peakMemoryMegabytes()

// Hark: grammar recognition, matcher, dialog, skill, reply synthesis.
let loadStart = ContinuousClock.now
let hark = try await VoiceRecognizer(engine: engine, wakePhrase: configuration.wakePhrase, wildcard: vocabulary)
let loadMs = milliseconds(since: loadStart)
let pronunciations = await hark.pronunciations
print("Hark recognizer: loaded in \(format(loadMs, 0)) ms; grammar \(await hark.grammar.words.count) words, "
    + "\(pronunciations.added.count) pronounced by eSpeak, \(pronunciations.unpronounceable.count) unpronounceable"
    + (pronunciations.unpronounceable.isEmpty ? "" : ": " + pronunciations.unpronounceable.keys.sorted().joined(separator: ", ")))

var tallies: [NoiseKind: Tally] = [:]
var wrong: [String] = []
for (clip, utterance) in zip(clips, utterances) {
    let start = ContinuousClock.now
    let transcript = try await hark.recognize(utterance, requireWake: false)
    let reply = await assistant.respond(to: transcript.text, sessionID: "bench-\(clip.noise)")
    _ = try await Synthesizer.shared.synthesize(reply.reply, voice: configuration.voice, ssml: reply.isSSML)
    let latency = milliseconds(since: start)
    let meaning = checker.check(transcript.text, against: clip.sentence)
    tallies[clip.noise, default: Tally()].add(
        reference: checker.words(clip.sentence.text), heard: transcript.text.split(separator: " ").map(String.init),
        meaningRight: meaning, audioSeconds: transcript.audioSeconds, decodeMilliseconds: transcript.decodeMilliseconds,
        doubted: transcript.doubt != nil)
    tallies[clip.noise]!.latencies.append(latency)
    if !(meaning.intent && meaning.slots) && clip.noise == .clean && wrong.count < 12 {
        wrong.append("  \(clip.voice)@\(clip.rate): \"\(clip.sentence.text)\" → \"\(transcript.text)\"")
    }
}
let memoryHark = peakMemoryMegabytes()

print("")
print("| system | condition | intent+slots | intent | WER | RTF | latency p50 | p99 | wrong doubted | right doubted |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
func row(_ system: String, _ condition: String, _ t: Tally) {
    let wrongCount = t.clips - t.intentAndSlotsRight
    print("| \(system) | \(condition) | \(percent(t.accuracy)) | \(percent(t.intentAccuracy)) | "
        + "\(percent(t.wordErrorRate)) | \(format(t.realTimeFactor, 4)) | "
        + (t.latencies.isEmpty ? "– | – | " : "\(format(t.percentile(50))) ms | \(format(t.percentile(99))) ms | ")
        + (wrongCount == 0 && t.rightDoubted == 0 && t.wrongDoubted == 0
            ? "– | – |" : "\(t.wrongDoubted)/\(wrongCount) | \(t.rightDoubted)/\(t.intentAndSlotsRight) |"))
}
for noise in NoiseKind.allCases { if let t = tallies[noise] { row("Hark (grammar)", noise.rawValue, t) } }
print("")
print("peak memory (VmHWM): \(format(memoryBeforeHark)) MB before the recognizer (corpus in memory), "
    + "\(format(memoryHark)) MB after the Hark run")
if !wrong.isEmpty { print("some clean-audio misses:\n" + wrong.joined(separator: "\n")) }

// Wildcard strategies on the shopping clips whose expected slots include an item.
if options.wildcards {
    print("")
    print("Wildcard strategies (shopping sentences with an item slot; item right = intent and every slot right):")
    let itemClips = zip(clips, utterances).filter { $0.0.sentence.slots["item"] != nil }
    for strategy in WildcardStrategy.allCases {
        var recognizerOptions = VoiceRecognizerOptions()
        recognizerOptions.wildcardStrategy = strategy
        let recognizer = try await VoiceRecognizer(
            engine: engine, wakePhrase: configuration.wakePhrase, wildcard: vocabulary, options: recognizerOptions)
        var byNoise: [NoiseKind: Tally] = [:]
        for (clip, utterance) in itemClips {
            let transcript = try await recognizer.recognize(utterance, requireWake: false)
            byNoise[clip.noise, default: Tally()].add(
                reference: checker.words(clip.sentence.text),
                heard: transcript.text.split(separator: " ").map(String.init),
                meaningRight: checker.check(transcript.text, against: clip.sentence),
                audioSeconds: transcript.audioSeconds, decodeMilliseconds: transcript.decodeMilliseconds)
        }
        let figures = NoiseKind.allCases.compactMap { noise in
            byNoise[noise].map { "\(noise.rawValue) \(percent($0.accuracy)) (RTF \(format($0.realTimeFactor, 3)))" }
        }
        print("  \(strategy.rawValue): " + figures.joined(separator: ", ") + ", \(itemClips.count / 3) clips each")
    }
    // Items the vocabulary does not hold: only a second pass can hear them.
    let unknownItems = [
        "kumquats", "sauerkraut", "marzipan", "kombucha", "quince", "lychees", "rhubarb", "pomegranates", "gnocchi",
        "artichokes", "custard", "pretzels",
    ]
        .filter { !vocabulary.phrases.contains($0) }
    print("  items outside the vocabulary (\(unknownItems.joined(separator: ", "))), \"add X to my shopping list\":")
    var unknownClips: [(String, AudioChunk)] = []
    for item in unknownItems {
        for voice in options.voices.prefix(2) {
            let (audio, _) = try await SpokenCorpus.speak("add \(item) to my shopping list", voice: voice, rate: 170)
            unknownClips.append((item, audio))
        }
    }
    for strategy in WildcardStrategy.allCases {
        var recognizerOptions = VoiceRecognizerOptions()
        recognizerOptions.wildcardStrategy = strategy
        let recognizer = try await VoiceRecognizer(
            engine: engine, wakePhrase: configuration.wakePhrase, wildcard: vocabulary, options: recognizerOptions)
        var right = 0
        var heard: [String] = []
        for (item, audio) in unknownClips {
            let transcript = try await recognizer.recognize(audio, requireWake: false)
            let best = engine.match(transcript.text).best
            if best?.intent == "AddItem", best?.slots["item"]?.description == item { right += 1 }
            if heard.count < 4 { heard.append(transcript.text) }
        }
        print("    \(strategy.rawValue): \(right)/\(unknownClips.count) items right (e.g. \(heard.joined(separator: " / ")))")
    }
}

// Peers on the same audio.
if options.peers {
    print("")
    let step = max(1, clips.count / max(1, options.peerClips))
    let peerIndices = Array(stride(from: 0, to: clips.count, by: step).prefix(options.peerClips))
    print("Peers on \(peerIndices.count) of the clips (every \(step)th), with Hark's matcher on their text:")
    let generic = try Recognizer(models: .debianDefault, grammar: .languageModel)
    var genericTallies: [NoiseKind: Tally] = [:]
    var harkSubset: [NoiseKind: Tally] = [:]
    for index in peerIndices {
        let clip = clips[index]
        let transcript = try await generic.transcribe(utterances[index])
        genericTallies[clip.noise, default: Tally()].add(
            reference: checker.words(clip.sentence.text), heard: transcript.text.split(separator: " ").map(String.init),
            meaningRight: checker.check(transcript.text, against: clip.sentence), audioSeconds: transcript.audioSeconds,
            decodeMilliseconds: transcript.decodeMilliseconds)
        let ours = try await hark.recognize(utterances[index], requireWake: false)
        harkSubset[clip.noise, default: Tally()].add(
            reference: checker.words(clip.sentence.text), heard: ours.text.split(separator: " ").map(String.init),
            meaningRight: checker.check(ours.text, against: clip.sentence), audioSeconds: ours.audioSeconds,
            decodeMilliseconds: ours.decodeMilliseconds)
    }
    print("| system | condition | intent+slots | intent | WER | RTF | | | | |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for noise in NoiseKind.allCases {
        if let t = harkSubset[noise] { row("Hark (same clips)", noise.rawValue, t) }
        if let t = genericTallies[noise] { row("PocketSphinx 0.8 generic LM", noise.rawValue, t) }
    }
    let peerTallies = try PocketSphinx5Peer.run(
        clips: peerIndices.map { (clips[$0], utterances[$0]) }, folder: home + "/peer-wavs", checker: checker)
    if let peerTallies {
        for noise in NoiseKind.allCases {
            if let t = peerTallies[noise] { row("pocketsphinx 5 (PyPI) generic LM", noise.rawValue, t) }
        }
    } else {
        print("(python pocketsphinx 5: not run — set POCKETSPHINX5_PYTHON or create .build/voicebench-venv with "
            + "`python3 -m venv .build/voicebench-venv && .build/voicebench-venv/bin/pip install pocketsphinx`)")
    }
    print("peak memory with the generic-LM peer loaded: \(format(peakMemoryMegabytes())) MB")
}
await assistant.shutdown()
