// Understanding benchmark: generates a large Home-Assistant-like template set, compiles it, and measures matching.
//
// Usage: swift build --package-path Benchmarks -c release --product UnderstandingBench
//        Benchmarks/.build/release/UnderstandingBench [SKILLS [INTENTS]] [--slowest] [--mismatches] [--near-only]
//            [--jsgf FILE] [--hassil PYTHON]
// Figures: load and compile time, peak memory (VmHWM), export sizes, then match throughput and latency (wall clock
// and this thread's CPU time, which leaves out time other processes took on a shared machine) on sampled
// sentences and near misses; with --hassil, Home Assistant's matcher on the same templates and sentences.
import Foundation
import HarkUnderstanding

let arguments = CommandLine.arguments
let numbers = arguments.dropFirst().compactMap { Int($0) }
let skillCount = numbers.count > 0 ? numbers[0] : 50
let intentsPerSkill = numbers.count > 1 ? numbers[1] : 110

extension SplitMix64 {
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

let verbs = [
    "turn", "switch", "set", "start", "stop", "open", "close", "lock", "unlock", "dim", "raise", "lower",
    "play", "pause", "show", "tell", "check", "find", "add", "remove", "call", "send", "read", "clean",
    "water", "feed", "boost", "reset", "arm", "disarm", "record", "cancel", "order", "book", "brew", "heat",
    "cool", "charge", "mute", "unmute",
]
let syllables = [
    "ka", "lo", "mi", "ra", "ne", "to", "vu", "shi", "zen", "pa", "dor", "bel", "fin", "gar", "hol",
    "jun", "kel", "mar", "nov", "pel", "qui", "ros", "sel", "tam", "vin", "wex", "yor", "zul",
]
let colours = ["red", "blue", "green", "white", "black", "silver", "golden", "orange", "purple", "yellow"]
let things = ["lamp", "fan", "speaker", "heater", "blind", "light", "plug", "sensor", "kettle", "camera"]
let rooms = [
    "kitchen", "bedroom", "living room", "office", "garage", "hallway", "bathroom", "attic", "basement",
    "porch", "garden", "dining room", "laundry", "nursery", "guest room", "study", "library", "gym",
    "pantry", "den",
]

/// A made-up noun per intent (unique up to 28³ intents), so that every intent has its own word like real skills do.
func noun(_ index: Int) -> String {
    let count = syllables.count
    let scrambled = (index &* 7919) % (count * count * count)
    return syllables[scrambled % count] + syllables[(scrambled / count) % count]
        + syllables[(scrambled / (count * count)) % count]
}

/// One skill's template file. `forHassil` writes the variant Home Assistant's hassil reads: intent names prefixed
/// with the skill (hassil has one namespace), the range type inside `range`, and a wildcard where Hark uses its
/// built-in duration type (hassil has none).
func skillYAML(_ skill: Int, forHassil: Bool = false) -> String {
    var generator = SplitMix64(seed: UInt64(skill) &+ 1000)
    var lines = ["language: en", "intents:"]
    for intent in 0..<intentsPerSkill {
        let index = skill * intentsPerSkill + intent
        let thing = noun(index)
        let verb = verbs[index % verbs.count]
        let other = verbs[(index / verbs.count + 7) % verbs.count]
        lines.append(forHassil ? "  Skill\(skill)_Intent\(intent):" : "  Intent\(intent):")
        lines.append("    data:")
        lines.append("      - sentences:")
        lines.append("          - \"(\(verb) | \(other)) [on] [the] \(thing) [of] {name} [in [the] {area}]\"")
        lines.append("          - \"<polite> \(verb) [my | the] \(thing) [to {level}]\"")
        lines.append(
            "          - \"[<polite>] \(thing) (\(generator.pick(verbs)) | \(generator.pick(verbs))) "
                + "[(now | right now | at once)]\""
        )
        if intent % 3 == 0 {
            lines.append("      - sentences:")
            lines.append("          - \"\(verb) \(thing) for {duration}\"")
            lines.append("          - \"\(thing) {item} [please]\"")
            lines.append("        slots: { kind: timed }")
        }
    }
    lines.append("lists:")
    lines.append("  name:")
    lines.append("    values:")
    for colour in colours {
        for thing in things {
            lines.append("      - in: \"\(colour) \(thing)\"")
            lines.append("        out: \"\(colour.capitalized) \(thing.capitalized)\"")
        }
    }
    lines.append("  area:")
    lines.append("    values: [\(rooms.map { "\"\($0)\"" }.joined(separator: ", "))]")
    if forHassil {
        lines.append("  level: { range: { from: 0, to: 100, step: 1, type: percentage } }")
        lines.append("  duration: { wildcard: true }")
    } else {
        lines.append("  level: { range: { from: 0, to: 100, step: 1 }, type: percentage }")
        lines.append("  duration: { type: duration }")
    }
    lines.append("  item: { wildcard: true }")
    lines.append("expansion_rules:")
    lines.append("  polite: \"[please] (can | could | would) you\"")
    return lines.joined(separator: "\n") + "\n"
}

func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kilobytes / 1024
    }
    return -1
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let clock = ContinuousClock()
print("UnderstandingBench: \(skillCount) skills × \(intentsPerSkill) intents")
print("peak memory at start: \(String(format: "%.1f", peakMemoryMB())) MB")

// 1. Load (YAML → templates) and compile.
let yamlTexts = (0..<skillCount).map { skillYAML($0) }
let loadStart = clock.now
let loadCPUStart = threadCPUTime()
var skills: [SkillTemplates] = []
do {
    for (index, text) in yamlTexts.enumerated() {
        skills.append(
            try SkillTemplates.load(
                yaml: text,
                file: "Bench/Skill\(index)/intents/en.yaml",
                skill: "Skill\(String(index).leftPad(3))"
            )
        )
    }
} catch {
    print("load failed: \(error)")
    exit(1)
}
let loadTime = seconds(clock.now - loadStart)
let loadCPUTime = threadCPUTime() - loadCPUStart
let compileStart = clock.now
let compileCPUStart = threadCPUTime()
let engine: IntentEngine
do {
    engine = try IntentEngine(skills: skills)
} catch {
    print("compile failed: \(error)")
    exit(1)
}
let compileTime = seconds(clock.now - compileStart)
let compileCPUTime = threadCPUTime() - compileCPUStart
print("intents: \(engine.intentCount), sentence templates: \(engine.sentenceCount), graph nodes: \(engine.nodeCount)")
print(
    String(
        format: "load (YAML parse + validate): %.2f s (cpu %.2f s); compile: %.2f s (cpu %.2f s); peak memory: %.1f MB",
        loadTime,
        loadCPUTime,
        compileTime,
        compileCPUTime,
        peakMemoryMB()
    )
)

// 2. Exports.
let jsgfStart = clock.now
let grammar = engine.jsgf(grammarName: "bench")
let jsgfTime = seconds(clock.now - jsgfStart)
let vocabulary = engine.vocabulary()
print(String(format: "JSGF: %d bytes in %.2f s; vocabulary: %d words", grammar.utf8.count, jsgfTime, vocabulary.count))
if let index = arguments.firstIndex(of: "--jsgf"), index + 1 < arguments.count {
    try? grammar.write(toFile: arguments[index + 1], atomically: true, encoding: .utf8)
}
let collisionStart = clock.now
let collisions = engine.collisions(perIntent: 1, seed: 3, reference: MatchContext())
print(
    String(
        format: "collision report over one sample per intent: %d collisions in %.2f s",
        collisions.count,
        seconds(clock.now - collisionStart)
    )
)

// 3. Sentences: samples (with expected intents) and near misses.
var calendar = Calendar(identifier: .gregorian)
calendar.timeZone = TimeZone(identifier: "UTC")!
let reference = MatchContext(now: Date(timeIntervalSince1970: 1_741_341_600), calendar: calendar)
let sampleStart = clock.now
let samples = engine.sampleSentences(limit: 20_000, perIntent: 3, seed: 42, reference: reference)
print(String(format: "sampled %d sentences in %.2f s", samples.count, seconds(clock.now - sampleStart)))
var generator = SplitMix64(seed: 99)
var nearMisses: [String] = []
for sample in samples.prefix(6000) {
    var words = sample.text.split(separator: " ").map(String.init)
    switch generator.next() % 4 {
    case 0 where words.count > 2: words.remove(at: Int(generator.next() % UInt64(words.count)))
    case 1:
        words.insert(
            generator.pick(["banana", "quantum", "yesterday's", "zebra"]),
            at: Int(generator.next() % UInt64(words.count + 1))
        )
    case 2: words[Int(generator.next() % UInt64(words.count))] = "flibbertigibbet"
    default: words = (0..<(3 + Int(generator.next() % 6))).map { _ in generator.pick(syllables + verbs + colours) }
    }
    nearMisses.append(words.joined(separator: " "))
}

/// CPU time of this thread in seconds (not counting time the scheduler gave to other processes).
func threadCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

struct Run {
    var texts: [String] = []
    var cpuTimes: [Double] = []
    var latencies: [Double] = []
    var matched = 0
    var correct = 0
}

func measure(_ texts: [(String, String?)]) -> Run {
    var run = Run()
    run.latencies.reserveCapacity(texts.count)
    for (text, expected) in texts {
        let start = clock.now
        let cpuStart = threadCPUTime()
        let result = engine.match(text, context: reference)
        run.cpuTimes.append(threadCPUTime() - cpuStart)
        run.latencies.append(seconds(clock.now - start))
        run.texts.append(text)
        if let best = result.best {
            run.matched += 1
            if best.intent == expected { run.correct += 1 }
        }
    }
    return run
}

func report(_ name: String, _ run: Run) {
    for (kind, values) in [("wall", run.latencies), ("cpu", run.cpuTimes)] {
        let sorted = values.sorted()
        let total = values.reduce(0, +)
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
        print(
            String(
                format: "%@ (%@ time): %d sentences, %.0f sentences/s, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, "
                    + "max %.3f ms",
                name,
                kind,
                sorted.count,
                Double(sorted.count) / total,
                total / Double(sorted.count) * 1000,
                percentile(0.5),
                percentile(0.99),
                (sorted.last ?? 0) * 1000
            )
        )
    }
    print("  matched \(run.matched), right intent \(run.correct)")
    if arguments.contains("--slowest") {
        for index in run.cpuTimes.indices.sorted(by: { run.cpuTimes[$0] > run.cpuTimes[$1] }).prefix(8) {
            print(String(format: "    %.3f ms cpu  %@", run.cpuTimes[index] * 1000, run.texts[index]))
        }
    }
}

// Warm-up, then the measured passes.
_ = measure(samples.prefix(500).map { ($0.text, $0.intent) })
if arguments.contains("--mismatches") {
    for sample in samples {
        let result = engine.match(sample.text, context: reference)
        guard let best = result.best, best.intent != sample.intent || best.skill != sample.skill else { continue }
        print(
            "\(sample.text) | expected \(sample.skill)/\(sample.intent) | got \(best.skill)/\(best.intent) "
                + "\(best.score) from \"\(best.template)\""
        )
    }
}
if arguments.contains("--near-only") {
    for _ in 0..<5 { _ = measure(nearMisses.map { ($0, nil) }) }
    exit(0)
}
let positives = measure(samples.map { ($0.text, $0.intent) })
report("samples", positives)
let misses = measure(nearMisses.map { ($0, nil) })
report("near misses", misses)
var combined = positives
combined.latencies += misses.latencies
combined.texts += misses.texts
combined.cpuTimes += misses.cpuTimes
report("all", combined)
print(String(format: "peak memory at end: %.1f MB", peakMemoryMB()))

// 4. Peer: Home Assistant's hassil on the same templates and a subset of the same sentences (optional).
let hassilScript = """
    import glob, sys, time, yaml
    from importlib.metadata import version
    from hassil import Intents, recognize
    merged = {"language": "en", "intents": {}, "lists": {}, "expansion_rules": {}}
    start = time.perf_counter()
    for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
        data = yaml.safe_load(open(path))
        for key in ("intents", "lists", "expansion_rules"):
            merged[key].update(data.get(key, {}))
    intents = Intents.from_dict(merged)
    for intent in intents.intents.values():
        for block in intent.data:
            block.sentences
    load = time.perf_counter() - start
    lines = open(sys.argv[2]).read().splitlines()
    times, matched = [], 0
    for line in lines:
        begin = time.perf_counter()
        result = recognize(line, intents)
        times.append(time.perf_counter() - begin)
        matched += result is not None
    times.sort()
    p = lambda q: 1000 * times[min(len(times) - 1, int(len(times) * q))]
    print(f"hassil {version('hassil')}: load+parse {load:.2f} s; {len(lines)} sentences, "
          f"{len(lines) / sum(times):.1f} sentences/s, mean {1000 * sum(times) / len(times):.2f} ms, "
          f"p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms, matched {matched}")
    """
if let index = arguments.firstIndex(of: "--hassil"), index + 1 < arguments.count {
    let python = arguments[index + 1]
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hark-bench-\(getpid())")
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for skill in 0..<skillCount {
            try skillYAML(skill, forHassil: true).write(
                to: directory.appendingPathComponent("skill\(skill).yaml"),
                atomically: true,
                encoding: .utf8
            )
        }
        var subsetGenerator = SplitMix64(seed: 5)
        let subset =
            (0..<200).map { _ in subsetGenerator.pick(samples).text }
            + (0..<100).map { _ in subsetGenerator.pick(nearMisses) }
        let sentencesFile = directory.appendingPathComponent("sentences.txt")
        try subset.joined(separator: "\n").write(to: sentencesFile, atomically: true, encoding: .utf8)
        let scriptFile = directory.appendingPathComponent("peer.py")
        try hassilScript.write(to: scriptFile, atomically: true, encoding: .utf8)
        report("Hark on the same 300 sentences", measure(subset.map { ($0, nil) }))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptFile.path, directory.path, sentencesFile.path]
        fflush(nil)  // all C streams: our figures print before the peer's
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { print("hassil run failed with status \(process.terminationStatus)") }
    } catch {
        print("hassil run failed: \(error)")
    }
} else {
    print("hassil: not run (pass --hassil PATH_TO_PYTHON with hassil and pyyaml installed)")
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
