// VoiceBench: Hark's voice pipeline on a spoken-command corpus, with peers on the same audio.
//
// Corpus: the skills' tests/en.yaml sentences that name an intent × eSpeak voices × speeds, each clean and mixed
// with noise at an SNR (white and pink noise in turn). Prints intent+slot accuracy, word error rate, real-time
// factor, latency from the end-point to the reply audio (p50, p99), wake detection and false alarms per hour of
// non-wake speech, peak memory, and how the doubt threshold trades wrong actions against questions; then the
// ceiling: the same acoustic model with a grammar of only the corpus sentences (what no grammar of the skills can
// beat on this audio), and with `--ceiling-distractors` that grammar widened by other sentences of the skills drawn
// at random; then the peers on a subset of the same audio: PocketSphinx 0.8 (Debian) with the generic en-us language
// model, and python `pocketsphinx` 5 from PyPI (when POCKETSPHINX5_PYTHON is set or .build/voicebench-venv exists),
// both read by Hark's matcher.
//
//   swift build --package-path Benchmarks -c release --product VoiceBench && Benchmarks/.build/release/VoiceBench [--per-skill N] [--peer-clips N]
//       [--voices en-us,en-us+f2,en+m3,en-us+f4] [--rates 150,190] [--snr 10] [--wake-clips N] [--no-peers]
//       [--wildcards] [--held-out] [--misses N] [--max-list N|all] [--max-sentences N|all]
//       [--max-block N|all] [--nbest N] [--refine] [--refine-list N|all]
//       [--no-skip] [--skip-before-only] [--language-model N] [--decode-at-end]
//       [--no-list-pass] [--ceiling-distractors N,N…]
//
// The default corpus: 4 test sentences per skill (16) × 4 voices × 2 speeds = 128 recordings, each clean and noisy
// (256 clips, about 5 minutes of speech); the wake phrase on every 4th recording (32, clean and noisy); the peers on
// 24 recordings (48 clips). About 10 minutes in release on 2 busy cores; `--per-skill` scales it.
//
// `--language-model N` decodes with a trigram model trained on N sentences drawn from the grammar with every list value
// (``LanguageModelSearch``, this benchmark's own) instead of the word graph. `--refine` adds this benchmark's
// ``RefinementPass`` before Hark's own passes.
//
// Latency is what a listener waits for after the end-point: by default the recognizer decodes while the person speaks
// (as `hark listen` does), so it is the last 20 ms frame, the end of decoding, the assistant and the reply's synthesis;
// `--decode-at-end` decodes the whole utterance after the end-point instead.
//
// `--held-out` takes the test sentences the default run does not (the ones between the evenly spread picks), for
// checking that a grammar setting chosen on the default corpus holds on sentences it was not chosen on.
import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkSkillKit
import HarkSpeech
import HarkUnderstanding
import HarkVoice

struct BenchOptions {
    var perSkill = 4
    var peerClips = 48
    var wakeClips = 32
    var voices = ["en-us", "en-us+f2", "en+m3", "en-us+f4"]
    var rates = [150, 190]
    var snr = 10.0
    var peers = true
    var wildcards = false
    var heldOut = false
    var misses = 12
    var decodeAtEnd = false
    var ceilingDistractors = [0]
    var recognizer = VoiceRecognizerOptions()
    var refines = false
    var refinementGrammar = RefinementPass.wholeIntents
    var languageModelSentences: Int?

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--per-skill": perSkill = Int(iterator.next() ?? "") ?? perSkill
            case "--peer-clips": peerClips = Int(iterator.next() ?? "") ?? peerClips
            case "--wake-clips": wakeClips = Int(iterator.next() ?? "") ?? wakeClips
            case "--voices": voices = (iterator.next() ?? "").split(separator: ",").map(String.init)
            case "--rates": rates = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--snr": snr = Double(iterator.next() ?? "") ?? snr
            case "--misses": misses = Int(iterator.next() ?? "") ?? misses
            case "--no-peers": peers = false
            case "--wildcards": wildcards = true
            case "--held-out": heldOut = true
            case "--decode-at-end": decodeAtEnd = true
            case "--ceiling-distractors":
                ceilingDistractors = [0] + (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--no-list-pass": recognizer.decodesCappedListsAgain = false
            case "--max-list": recognizer.grammar.maxListValues = Int(iterator.next() ?? "")
            case "--max-sentences": recognizer.grammar.maxSentencesPerIntent = Int(iterator.next() ?? "")
            case "--nbest": recognizer.nBest = Int(iterator.next() ?? "") ?? recognizer.nBest
            case "--refine": refines = true
            case "--no-skip": recognizer.grammar.skipPhrases = []
            case "--skip-before-only": recognizer.grammar.skipPhrasesAfter = false
            case "--refine-list": refinementGrammar.maxListValues = Int(iterator.next() ?? "")
            case "--max-block": recognizer.grammar.maxSentencesPerBlock = Int(iterator.next() ?? "")
            case "--language-model": languageModelSentences = Int(iterator.next() ?? "")
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

/// Progress on standard error (the figures go to standard output).
func progress(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
func percent(_ value: Double) -> String { format(value * 100) + " %" }

let options = BenchOptions(arguments: CommandLine.arguments)
let home = FileManager.default.temporaryDirectory.appendingPathComponent("voicebench-\(getpid())").path
try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: home) }

// The assistant with every built-in skill; the weather skill points at a closed local port (no internet here: the
// bench scores understanding, and the reply is then the skill's "cannot reach the service" answer).
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

let sentences = try SpokenCorpus.sentences(skills: skills, perSkill: options.perSkill, heldOut: options.heldOut)
let plan = SpokenCorpus.plan(sentences: sentences, voices: options.voices, rates: options.rates)
print(
    "VoiceBench: \(sentences.count) sentences (\(options.heldOut ? "held out" : "\(options.perSkill) per skill"), "
        + "\(Set(sentences.map(\.skill)).count) skills) × \(options.voices.count) voices (\(options.voices.joined(separator: ", "))) "
        + "× \(options.rates.count) speeds (\(options.rates.map(String.init).joined(separator: ", ")) wpm) = "
        + "\(plan.count) recordings, each clean and with noise at \(format(options.snr, 0)) dB SNR (white, pink in turn)"
)

// The corpus, synthesised up front in a fixed order and shared by Hark and the peers. eSpeak NG's output depends on
// what it said before (the same sentence came out 703 samples longer after a different reply, and the recipes skill
// picks its suggestion at random): synthesised between the replies, the clips and so the figures changed from run to
// run, and the peers heard other audio than Hark.
let wakeStep = max(1, plan.count / max(1, options.wakeClips))
let synthesisStart = ContinuousClock.now
var spokenCorpus: [(audio: AudioChunk, speechSeconds: Double)] = []
var wakeCorpus: [Int: AudioChunk] = [:]
for (index, recording) in plan.enumerated() {
    spokenCorpus.append(
        try await SpokenCorpus.speak(recording.sentence.text, voice: recording.voice, rate: recording.rate))
    if index % wakeStep == 0 && options.wakeClips > 0 {
        wakeCorpus[index] = try await SpokenCorpus.speak(
            recording.sentence.text, voice: recording.voice, rate: recording.rate, prefix: configuration.wakePhrase
        ).audio
    }
}
let synthesisMs = milliseconds(since: synthesisStart)

/// The noise seed of recording `index` (the wake clip's is this + 7).
@MainActor func noiseSeed(_ index: Int) -> UInt64 { UInt64(index * 1000 + plan[index].rate) }

/// Recording `index` of the plan as heard in `noise`: clean, or mixed at the SNR with white noise (even indices) or
/// pink noise (odd), seeded per recording, so Hark, the ceiling and the peers hear the same clip.
@MainActor func corpusClip(_ index: Int, _ noise: Condition) -> CorpusClip {
    let recording = plan[index]
    let spoken = spokenCorpus[index]
    let kind = noise == .clean ? NoiseKind.clean : (index % 2 == 0 ? .white : .pink)
    return CorpusClip(
        sentence: recording.sentence, voice: recording.voice, rate: recording.rate, noise: kind,
        audio: SpokenCorpus.mix(spoken.audio, noise: kind, snr: options.snr, seed: noiseSeed(index)),
        speechSeconds: spoken.speechSeconds)
}
let corpusMegabytes =
    Double((spokenCorpus.map(\.audio) + wakeCorpus.values).map(\.samples.count).reduce(0, +) * 2) / 1_048_576
let memoryBeforeHark = peakMemoryMegabytes()

// Hark: grammar recognition, matcher, dialog, skill, reply synthesis.
let loadStart = ContinuousClock.now
let hark = try await VoiceRecognizer(
    assistant: assistant, wakePhrase: configuration.wakePhrase, options: options.recognizer)
if options.refines {
    await hark.insertPass(
        RefinementPass(options: hark.options, vocabularies: hark.vocabularies, grammar: options.refinementGrammar))
}
if let sentences = options.languageModelSentences {
    try await LanguageModelSearch.install(
        on: hark, engine: await hark.engine, vocabularies: hark.vocabularies, wakeWords: hark.wakeWords,
        sentences: sentences)
}
let loadMs = milliseconds(since: loadStart)
let pronunciations = await hark.pronunciations
let unpronounceable = pronunciations.unpronounceable.keys.sorted()
print(
    "Hark recognizer: loaded in \(format(loadMs, 0)) ms; grammar (lists ≤ "
        + "\(options.recognizer.grammar.maxListValues.map(String.init) ?? "all") values, intents ≤ "
        + "\(options.recognizer.grammar.maxSentencesPerIntent.map(String.init) ?? "all") templates, blocks ≤ "
        + "\(options.recognizer.grammar.maxSentencesPerBlock.map(String.init) ?? "all")) "
        + "\(await hark.grammar.words.count) words, \(await hark.grammar.graph.stateCount) states, "
        + "\(await hark.grammar.graph.arcs.count) arcs; "
        + "\(pronunciations.added.count) pronounced by eSpeak, \(unpronounceable.count) unpronounceable"
        + (unpronounceable.isEmpty ? "" : ": " + unpronounceable.joined(separator: ", ")))
// What the first question of an intent costs ("What would you like to add?": the answers grammar is built then), and
// a confirmation or a conversation the skill keeps open (its whole grammar and Hark's).
for asking in ["shopping/AddItem", "shopping/*", "recipes/*"] {
    let answersStart = ContinuousClock.now
    try await hark.expectAnswer(to: asking)
    let answersMs = milliseconds(since: answersStart)
    try await hark.expectAnswer(to: nil)
    print("answers grammar of \(asking) (after its first question) built in \(format(answersMs, 0)) ms")
}
print(
    "memory after loading the recognizer: peak \(format(peakMemoryMegabytes())) MB, "
        + "resident \(format(residentMemoryMegabytes())) MB")

// How many corpus sentences the grammar can produce at all (what is outside it can only be heard wrong).
let harkGrammar = await hark.grammar
let outside = sentences.filter { !harkGrammar.canHear($0.text, engine: engine) }
print(
    "grammar covers \(sentences.count - outside.count)/\(sentences.count) corpus sentences"
        + (outside.isEmpty ? "" : "; outside: " + outside.map { "\"\($0.text)\"" }.joined(separator: ", ")))

var tallies: [Condition: Tally] = [:]
var wakeTallies: [Condition: WakeTally] = [:]
var wrong: [String] = []
let runStart = ContinuousClock.now
for index in plan.indices {
    if index % 4 == 0 {
        let done = tallies[.clean]?.clips ?? 0
        progress(
            "\r\(index)/\(plan.count) recordings, \(format(milliseconds(since: runStart) / 1000, 0)) s, clean right "
                + "\(tallies[.clean]?.intentAndSlotsRight ?? 0)/\(done)   ")
    }
    let wakeSpoken = wakeCorpus[index]
    for noise in Condition.allCases {
        let clip = corpusClip(index, noise)
        let utterance = SpokenCorpus.endpointed(clip.audio)
        // Latency: from the end-point to the reply's audio. Decoding while the person speaks (`hark listen`'s way),
        // the endpointer has handed out all but the last frame when it decides that speech ended.
        let transcript: VoiceTranscript
        var start = ContinuousClock.now
        if options.decodeAtEnd {
            transcript = try await hark.recognize(utterance, requireWake: false)
        } else {
            let lastFrame = max(0, utterance.samples.count - 320)
            try await hark.startUtterance(requireWake: false)
            for offset in stride(from: 0, to: lastFrame, by: 1_600) {
                let piece = Array(utterance.samples[offset..<min(lastFrame, offset + 1_600)])
                try await hark.feed(AudioChunk(samples: piece, format: .speech))
            }
            start = ContinuousClock.now
            try await hark.feed(AudioChunk(samples: Array(utterance.samples[lastFrame...]), format: .speech))
            transcript = try await hark.endUtterance()
        }
        let decoded = milliseconds(since: start)
        let reply = await assistant.respond(
            to: transcript.text, sessionID: "bench-\(index)-\(noise)", area: clip.sentence.area)
        let answered = milliseconds(since: start)
        _ = try await Synthesizer.shared.synthesize(reply.reply, voice: configuration.voice, ssml: reply.isSSML)
        let latency = milliseconds(since: start)
        let meaning = checker.check(transcript.text, against: clip.sentence)
        tallies[noise, default: Tally()].add(
            reference: checker.words(clip.sentence.text),
            heard: transcript.text.split(separator: " ").map(String.init), meaningRight: meaning,
            audioSeconds: transcript.audioSeconds, decodeMilliseconds: transcript.decodeMilliseconds,
            doubted: transcript.doubt != nil)
        tallies[noise]!.latencies.append(latency)
        if checker.understands(transcript.text) {
            // Doubted for another reason than the confidence (competing n-best readings): doubted at any threshold.
            tallies[noise]!.understood.append(
                (transcript.confidence, meaning.intent && meaning.slots,
                    transcript.doubt.map { $0.reason != .lowConfidence } ?? false))
        }
        tallies[noise]!.stages["decode", default: []].append(decoded)
        tallies[noise]!.stages["respond", default: []].append(answered - decoded)
        tallies[noise]!.stages["synthesize", default: []].append(latency - answered)
        if !(meaning.intent && meaning.slots) && wrong.count < options.misses {
            wrong.append(
                "  \(noise.rawValue) \(clip.voice)@\(clip.rate): \"\(clip.sentence.text)\" → \"\(transcript.text)\"")
        }
        // Wake: the same recording with the wake phrase in front (detection), and without it (false alarms), both
        // through the wake-required decoder.
        if let wakeSpoken {
            let woken = SpokenCorpus.endpointed(
                SpokenCorpus.mix(wakeSpoken, noise: clip.noise, snr: options.snr, seed: noiseSeed(index) + 7))
            let withWake = try await hark.recognize(woken, requireWake: true)
            let withoutWake = try await hark.recognize(utterance, requireWake: true)
            func described(_ confidence: Double?) -> String {
                confidence.map { "wake confidence " + String(format: "%.4f", $0) } ?? "no wake phrase decoded"
            }
            if !withWake.heardWakePhrase && wrong.count < options.misses {
                wrong.append(
                    "  \(noise.rawValue) \(clip.voice)@\(clip.rate): wake phrase missed before \"\(clip.sentence.text)\" "
                        + "(\(described(withWake.wakeConfidence)))")
            }
            if withoutWake.heardWakePhrase && wrong.count < options.misses {
                wrong.append(
                    "  \(noise.rawValue) \(clip.voice)@\(clip.rate): false wake on \"\(clip.sentence.text)\" "
                        + "(\(described(withoutWake.wakeConfidence)))")
            }
            wakeTallies[noise, default: WakeTally()].add(
                detected: withWake.heardWakePhrase,
                requestRight: { let m = checker.check(withWake.text, against: clip.sentence); return m.intent && m.slots }(),
                requestRightUnwoken: meaning.intent && meaning.slots, falseAlarm: withoutWake.heardWakePhrase,
                wakeConfidence: withWake.wakeConfidence, falseAlarmConfidence: withoutWake.wakeConfidence,
                wakeSeconds: withWake.audioSeconds, nonWakeSeconds: withoutWake.audioSeconds,
                milliseconds: withWake.decodeMilliseconds + withoutWake.decodeMilliseconds)
        }
    }
}
let memoryHark = peakMemoryMegabytes()
let residentAfterHark = residentMemoryMegabytes()
progress("")

print("")
print("| system | condition | intent+slots | intent | WER | RTF | latency p50 | p99 | wrong doubted | right doubted |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
func row(_ system: String, _ condition: String, _ t: Tally) {
    let wrongCount = t.clips - t.intentAndSlotsRight
    print(
        "| \(system) | \(condition) | \(percent(t.accuracy)) | \(percent(t.intentAccuracy)) | "
            + "\(percent(t.wordErrorRate)) | \(format(t.realTimeFactor, 4)) | "
            + (t.latencies.isEmpty ? "– | – | " : "\(format(t.percentile(50))) ms | \(format(t.percentile(99))) ms | ")
            + (t.latencies.isEmpty
                ? "– | – |" : "\(t.wrongDoubted)/\(wrongCount) | \(t.rightDoubted)/\(t.intentAndSlotsRight) |"))
}
for noise in Condition.allCases {
    if let t = tallies[noise] { row("Hark (grammar)", noise.label(snr: options.snr), t) }
}
print("")
// The doubt threshold's trade-off: how many wrong readings would still be acted on without a question, and how many
// right ones asked back ("Did you mean …?"), were every reading below the threshold doubted too.
print(
    "Readings that mean an intent, doubted below a confidence threshold (now \(format(options.recognizer.minimumConfidence, 2)), "
        + "readings doubted for other reasons stay doubted): wrong ones acted on without asking / right ones asked back")
for noise in Condition.allCases {
    guard let t = tallies[noise] else { continue }
    let steps = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map { threshold in
        let (wrongActions, rightAsked) = t.doubting(below: threshold)
        return "\(format(threshold, 1)): \(wrongActions) / \(rightAsked)"
    }
    print("  \(noise.label(snr: options.snr)) (\(t.understood.count) of \(t.clips) understood): " + steps.joined(separator: ", "))
}
print("")
let decodedWhen = options.decodeAtEnd ? "decoding the whole utterance then" : "decoded while spoken: the last frame and the end"
print("Latency after the end-point, p50 (p99) of each part (\(decodedWhen)):")
for noise in Condition.allCases {
    guard let t = tallies[noise] else { continue }
    let parts = ["decode", "respond", "synthesize"].map { stage in
        "\(stage) \(format(Tally.percentile(50, of: t.stages[stage] ?? []))) ms "
            + "(p99 \(format(Tally.percentile(99, of: t.stages[stage] ?? []))) ms)"
    }
    print("  \(noise.label(snr: options.snr)): " + parts.joined(separator: ", "))
}
print("")
if !wakeTallies.isEmpty {
    print("Wake phrase \"\(configuration.wakePhrase)\" (wake-required decoder, every \(wakeStep)th recording):")
    for noise in Condition.allCases {
        if let t = wakeTallies[noise] {
            print("  \(noise.label(snr: options.snr)): " + t.summary)
            print("    " + t.confidences)
        }
    }
    print("")
}
print(
    "peak memory (VmHWM): \(format(memoryBeforeHark)) MB before the recognizer (assistant loaded, corpus "
        + "\(format(corpusMegabytes)) MB), "
        + "\(format(memoryHark)) MB after the Hark run (resident at its end \(format(residentAfterHark)) MB); eSpeak synthesis of the corpus took \(format(synthesisMs / 1000)) s")
if !wrong.isEmpty {
    print(
        "first misses (intent or slots wrong; wake phrases missed or heard where none was said):\n"
            + wrong.joined(separator: "\n"))
}

// The ceiling: the same acoustic model with a grammar of nothing but the corpus sentences (a grammar no real set of
// skills can be, since it knows the answer). A grammar built from the skills holds these sentences among many others;
// what this one misses (PocketSphinx finds no path through any of them, or a wrong one) a grammar with more
// sentences will not hear either (its best path only scores higher, and the beams prune relative to it), so it bounds
// what any grammar design reaches on this audio. With
// `--ceiling-distractors`, the same again with that many other sentences drawn from the skills' grammar added: how
// the figure falls as the grammar widens.
do {
    let expected = Set(sentences.map { checker.words($0.text).joined(separator: " ") })
    let ceiling = try Recognizer(
        models: .debianDefault, grammar: .jsgf("#JSGF V1.0;\ngrammar boot;\npublic <boot> = yes;\n", name: "boot"),
        extraDictionary: try HarkModelFiles.pronunciations())
    // The request grammar as `VoiceRecognizer` builds it: no bare list values, no yes and no.
    var commandGrammar = options.recognizer.grammar
    commandGrammar.bareAnswers = false
    commandGrammar.exceptIntents = Assistant.answerIntents
    let skillGrammar = try JSGFSampler(
        jsgf: VoiceGrammar.jsgf(
            engine: engine, wakeWords: [], vocabularies: hark.vocabularies, layout: .none, options: commandGrammar
        ).text, name: VoiceGrammar.name)
    print("")
    print("Ceiling: PocketSphinx with a grammar of only the \(expected.count) corpus sentences (and other sentences of the skills' grammar, drawn at random), all \(plan.count) recordings:")
    print("| grammar | condition | intent+slots | intent | WER | RTF | | | | |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    var ceilingMisses: [String] = []
    for distractors in options.ceilingDistractors {
        var random = SplitMix64(seed: 7)
        var others: Set<String> = []
        var attempts = 0
        while others.count < distractors && attempts < distractors * 20 {
            attempts += 1
            for words in try skillGrammar.sentences(count: 1, using: &random) {
                let sentence = words.joined(separator: " ")
                if !expected.contains(sentence) { others.insert(sentence) }
            }
        }
        let all = expected.union(others)
        _ = try await PronunciationFiller.fill(Set(all.flatMap { $0.split(separator: " ").map(String.init) }), into: ceiling)
        let jsgf = "#JSGF V1.0;\ngrammar ceiling;\npublic <ceiling> = "
            + all.sorted().map { "(\($0))" }.joined(separator: " | ") + ";\n"
        // As a minimal word graph, like the skills' grammar (shared beginnings and ends; the same 3,000 sentences as
        // a flat JSGF list were still being decoded after 30 minutes).
        try await ceiling.setGrammar(.wordGraph(try WordGraph(jsgf: jsgf, name: "ceiling"), name: "ceiling"))
        var ceilingTallies: [Condition: Tally] = [:]
        for (index, recording) in plan.enumerated() {
            for noise in Condition.allCases {
                let transcript = try await ceiling.transcribe(SpokenCorpus.endpointed(corpusClip(index, noise).audio))
                let meaning = checker.check(transcript.text, against: recording.sentence)
                if distractors == 0 && !(meaning.intent && meaning.slots) && ceilingMisses.count < options.misses {
                    ceilingMisses.append(
                        "  \(noise.rawValue) \(recording.voice)@\(recording.rate): \"\(recording.sentence.text)\" → "
                            + "\"\(transcript.text)\"")
                }
                ceilingTallies[noise, default: Tally()].add(
                    reference: checker.words(recording.sentence.text),
                    heard: transcript.text.split(separator: " ").map(String.init), meaningRight: meaning,
                    audioSeconds: transcript.audioSeconds, decodeMilliseconds: transcript.decodeMilliseconds)
            }
        }
        for noise in Condition.allCases {
            if let t = ceilingTallies[noise] {
                row(distractors == 0 ? "corpus sentences only" : "corpus + \(others.count) others", noise.label(snr: options.snr), t)
            }
        }
    }
    if !ceilingMisses.isEmpty { print("misses with the corpus sentences only:\n" + ceilingMisses.joined(separator: "\n")) }
}

// Wildcard strategies on the shopping recordings whose expected slots include an item.
if options.wildcards {
    print("")
    print("Wildcard strategies (shopping sentences with an item slot, clean; right = intent and every slot right):")
    var itemAudio: [(CorpusRecording, AudioChunk)] = []
    for (index, recording) in plan.enumerated() where recording.sentence.slots["item"] != nil {
        itemAudio.append((recording, SpokenCorpus.endpointed(spokenCorpus[index].audio)))
    }
    for strategy in WildcardStrategy.allCases {
        var recognizerOptions = options.recognizer
        recognizerOptions.wildcardStrategy = strategy
        let recognizer = try await VoiceRecognizer(
            assistant: assistant, wakePhrase: configuration.wakePhrase, options: recognizerOptions)
        var tally = Tally()
        for (recording, utterance) in itemAudio {
            let transcript = try await recognizer.recognize(utterance, requireWake: false)
            tally.add(
                reference: checker.words(recording.sentence.text),
                heard: transcript.text.split(separator: " ").map(String.init),
                meaningRight: checker.check(transcript.text, against: recording.sentence),
                audioSeconds: transcript.audioSeconds, decodeMilliseconds: transcript.decodeMilliseconds)
        }
        print(
            "  \(strategy.rawValue): \(percent(tally.accuracy)) of \(tally.clips) (RTF \(format(tally.realTimeFactor, 3)))")
    }
}

// Peers on the same audio (a subset: the generic language model decodes at several times Hark's cost).
if options.peers {
    print("")
    let step = max(1, plan.count / max(1, options.peerClips / 2))
    let peerPlan = Array(stride(from: 0, to: plan.count, by: step).prefix(max(1, options.peerClips / 2)))
    var peerClips: [(CorpusClip, AudioChunk)] = []
    for index in peerPlan {
        for noise in Condition.allCases {
            let clip = corpusClip(index, noise)
            peerClips.append((clip, SpokenCorpus.endpointed(clip.audio)))
        }
    }
    print("Peers on \(peerClips.count) of the clips (every \(step)th recording, clean and noisy), Hark's matcher on their text:")
    let generic = try Recognizer(models: .debianDefault, grammar: .languageModel)
    var genericTallies: [Condition: Tally] = [:]
    var harkSubset: [Condition: Tally] = [:]
    for (clip, utterance) in peerClips {
        let transcript = try await generic.transcribe(utterance)
        genericTallies[clip.noise.condition, default: Tally()].add(
            reference: checker.words(clip.sentence.text), heard: transcript.text.split(separator: " ").map(String.init),
            meaningRight: checker.check(transcript.text, against: clip.sentence), audioSeconds: transcript.audioSeconds,
            decodeMilliseconds: transcript.decodeMilliseconds)
        let ours = try await hark.recognize(utterance, requireWake: false)
        harkSubset[clip.noise.condition, default: Tally()].add(
            reference: checker.words(clip.sentence.text), heard: ours.text.split(separator: " ").map(String.init),
            meaningRight: checker.check(ours.text, against: clip.sentence), audioSeconds: ours.audioSeconds,
            decodeMilliseconds: ours.decodeMilliseconds)
    }
    let peerTallies = try PocketSphinx5Peer.run(clips: peerClips, folder: home + "/peer-wavs", checker: checker)
    print("| system | condition | intent+slots | intent | WER | RTF | | | | |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for noise in Condition.allCases {
        let label = noise.label(snr: options.snr)
        if let t = harkSubset[noise] { row("Hark (same clips)", label, t) }
        if let t = genericTallies[noise] { row("PocketSphinx 0.8 (Debian) generic en-us LM", label, t) }
        if let t = peerTallies?.tallies[noise] {
            row("pocketsphinx \(peerTallies?.version ?? "5") (PyPI) generic en-us LM", label, t)
        }
    }
    if peerTallies == nil {
        print(
            "(python pocketsphinx 5: not run — set POCKETSPHINX5_PYTHON or create .build/voicebench-venv with "
                + "`python3 -m venv .build/voicebench-venv && .build/voicebench-venv/bin/pip install pocketsphinx`)")
    } else if let peerTallies {
        print("pocketsphinx \(peerTallies.version) peak memory (its own process, VmHWM): \(format(peerTallies.peakMegabytes)) MB")
    }
    print("peak memory of this process with the Debian generic-LM peer loaded: \(format(peakMemoryMegabytes())) MB")
}
await assistant.shutdown()
