// SLURPBench: real people's own phrasing of home-assistant requests (shared/bench/slurp_dev.jsonl, SLURP's
// development split mapped to Hark's skills) through the whole assistant — every built-in skill, the dialog, the
// skills' handlers — exactly as `hark ask` answers typed text. Prints figures; it is not a test.
//
//   swift build --package-path Benchmarks -c release --product SLURPBench
//   Benchmarks/.build/release/SLURPBench [--data FILE] [--misses] [--no-fallback] [--hassil PYTHON] [--passes N]
//       [--classify TEXT] [--ask TEXT]  (the classifier's / the whole assistant's reading of one sentence)
//
// Per row the outcome is one of: acted (a skill's handler ran), asked for a missing slot of an intent, asked back
// ("Did you mean …?" / "…, right?") about an intent, or not understood. "Intent right" counts a row whose intent Hark
// acted on or asked a missing slot for; "asked back right" is counted apart. On the out-of-scope rows (skill
// `none`) any action is a wrong action; apart from that, the bench counts the rows that changed what the skills keep
// (any table of the Hark home's database but the dialog's sessions: the list, orders, devices, timers), which is
// what a wrong action costs the user, whatever the reply said. Slots: SLURP annotates `location` (weather) and `target` (a room); a slot is
// right when Hark's value says the same words (spaces and case aside), or when the annotated words, read alone with
// the skill's own list for that slot, are that value: the list's synonyms ("hall" is the house's Hallway) mean the
// annotated words are what Hark heard. Nothing looser: "the drawing hall" read as the Hallway is wrong.
//
// The weather skill is pointed at a closed local port: the benchmark measures understanding, not forecasts, and no
// request leaves the machine. hassil (Home Assistant's matcher, with home-assistant-intents' English templates and
// the corpus fixtures' devices) is the peer on the rows it covers (smart home, shopping list, weather) when
// `--hassil` names a python with it installed.
import Foundation
import GRDB
import HarkAssistant
import HarkRuntime
import HarkUnderstanding

/// Where the package is: two folders above this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

struct Options {
    var data = packageRoot + "/../shared/bench/slurp_dev.jsonl"
    var misses = false
    var hassil: String?
    var passes = 3
    var fallback = true
    /// Sentences to show the classifier's reading of (`--classify TEXT`, repeatable), instead of the run.
    var classify: [String] = []
    /// Sentences to show the whole assistant's answer to (`--ask TEXT`, repeatable), instead of the run.
    var ask: [String] = []

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--data": data = value()
            case "--misses": misses = true
            case "--no-fallback": fallback = false
            case "--classify": classify.append(value())
            case "--ask": ask.append(value())
            case "--hassil": hassil = value()
            case "--passes": passes = max(1, Int(value()) ?? 3)
            default: fail("unknown argument \(arguments[index])")
            }
            index += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("SLURPBench: \(message)\n".utf8))
    exit(1)
}

/// One row of slurp_dev.jsonl.
struct Row {
    let text: String
    let skill: String
    let intent: String
    let slots: [String: String]
}

func loadRows(_ path: String) -> [Row] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read") }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { number, line in
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
            let text = object["text"] as? String, let skill = object["skill"] as? String,
            let intent = object["intent"] as? String
        else { fail("\(path):\(number + 1): not a row") }
        return Row(
            text: text, skill: skill, intent: intent,
            slots: (object["slots"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
    }
}

/// What Hark did with one row.
enum Outcome: String {
    case acted = "acted", askedSlot = "asked for a slot", askedBack = "asked back", notUnderstood = "not understood"
}

struct Verdict {
    let row: Row
    let outcome: Outcome
    /// "skill/intent" Hark acted on or asked about.
    let intent: String?
    let slots: [String: SlotValue]
    let spoken: String
    let understandMilliseconds: Double
    let reply: String
    /// Whether what the skills keep changed (``storedState(_:)``).
    var changedState = false

    var intentRight: Bool { intent == "\(row.skill)/\(row.intent)" }
}

func squeeze(_ text: String) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }

/// SLURP's slot → Hark's value: the location's words, or the room among the smart home's area and name.
func slotRight(_ name: String, expected: String, verdict: Verdict) -> Bool {
    let names = name == "target" ? ["area", "name"] : [name]
    return names.contains { slot in
        guard let value = verdict.slots[slot] else { return false }
        if squeeze(value.description) == squeeze(expected) { return true }
        guard let skill = verdict.intent?.split(separator: "/").first.map(String.init) else { return false }
        return listValue(of: expected, skill: skill, slot: slot) == value
    }
}

/// The value `words` alone are in the list the skill binds to `slot` ("hall" → Hallway), if the whole of them is one.
func listValue(of words: String, skill: String, slot: String) -> SlotValue? {
    guard let templates = skillTemplates[skill], templates.lists[slot] != nil else { return nil }
    let location = SourceLocation(file: templates.file, line: 1, column: 1)
    let sentence = IntentSentences(sentences: [TemplateText("{\(slot)}", location: location)], location: location)
    let reader = SkillTemplates(
        skill: skill, file: templates.file, intents: [IntentTemplates(name: "Value", data: [sentence])],
        lists: templates.lists, skipWords: templates.skipWords)
    guard let match = (try? IntentEngine(skills: [reader]))?.match(words).best, match.isComplete else { return nil }
    return match.slots[slot]
}

func verdict(for row: Row, reply: AssistantReply) -> Verdict {
    let outcome: Outcome
    var intent: String?
    if reply.timings["skill"] != nil && reply.questionIntent == nil {
        outcome = .acted
        intent = reply.skill.flatMap { skill in reply.intent.map { "\(skill)/\($0)" } }
    } else if reply.awaitedSlot != nil {
        outcome = .askedSlot
        intent = reply.questionIntent
    } else if let question = reply.questionIntent {
        outcome = .askedBack
        intent = question
    } else {
        outcome = .notUnderstood
    }
    let slots = outcome == .askedBack ? reply.questionSlots : reply.slots
    return Verdict(
        row: row, outcome: outcome, intent: intent, slots: slots,
        spoken: slots.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "),
        understandMilliseconds: reply.timings["understand"] ?? 0, reply: reply.reply)
}

/// What the skills keep, as text: every table of the home's database but the dialog's sessions and the migrations'
/// log, row by row.
func storedState(_ database: DatabaseQueue) throws -> String {
    try database.read { db in
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return try tables.filter { $0 != "session" && $0 != "grdb_migrations" }.map { table in
            let rows = try GRDB.Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid")
            return table + ": " + rows.map(\.description).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
}

func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "—" : String(format: "%.1f %%", 100 * Double(part) / Double(whole)) }

/// A throwaway Hark home: every built-in skill, the weather skill pointed at a closed port.
func makeAssistant(fallback: Bool) throws -> (Assistant, String) {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("slurpbench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    let config = """
        statistical_fallback: \(fallback)
        skills:
          weather: { location: London, forecast_url: "http://127.0.0.1:9/v1/forecast", geocoding_url: "http://127.0.0.1:9/v1/search" }
        """
    try config.write(toFile: home + "/config.yaml", atomically: true, encoding: .utf8)
    let paths = HarkPaths(configFile: home + "/config.yaml", dataDirectory: home)
    let environment = HarkEnvironment(paths: paths, configuration: try HarkConfiguration.load(path: paths.configFile))
    return (try environment.makeAssistant(), home)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let rows = loadRows(options.data)
let (assistant, home) = try makeAssistant(fallback: options.fallback)
defer { try? FileManager.default.removeItem(atPath: home) }
/// Each skill's sentences and lists (the smart home's from its device registry), by skill id.
let skillTemplates = Dictionary(
    uniqueKeysWithValues: await assistant.installedSkills.map { ($0.package.templates.skill, $0.package.templates) })

for text in options.ask {
    let reply = await assistant.respond(to: text)
    let slots = (reply.questionIntent == nil ? reply.slots : reply.questionSlots).map { "\($0.key)=\($0.value)" }
    let outcome = reply.questionIntent.map { "asked about \($0)" } ?? "\(reply.skill ?? "-")/\(reply.intent ?? "-")"
    print("\(text) (confidence \(reply.confidence))")
    print("  \(outcome) \(slots.sorted().joined(separator: " "))\n  \(reply.reply)")
    _ = await assistant.respond(to: "cancel")
}
if !options.ask.isEmpty { exit(0) }
if !options.classify.isEmpty {
    let engine = try IntentEngine(skills: await assistant.installedSkills.map(\.package.templates))
    let classifier = IntentClassifier.train(engine: engine)
    for text in options.classify {
        print(text)
        for guess in classifier.classify(text).prefix(3) {
            let name = guess.label.isOutOfScope ? "out of scope" : "\(guess.label.skill)/\(guess.label.intent)"
            print(String(format: "  %.3f  %@  coverage %.2f  markers %@", guess.probability, name, guess.coverage, guess.markers.joined(separator: " ")))
        }
        if let top = classifier.classify(text).first, !top.label.isOutOfScope,
            let near = engine.nearest(text, skill: top.label.skill, intent: top.label.intent)
        {
            print("  closest sentence: \(near.matchedText) (score \(near.score); missing \(near.missingParts); unmatched \(near.unmatchedWords); unknown values \(near.unresolvedSlots))")
        }
    }
    exit(0)
}

var verdicts: [Verdict] = []
var times: [Double] = []
let database = try DatabaseQueue(path: home + "/hark.sqlite")
for pass in 0..<options.passes {
    for row in rows {
        let before = pass == 0 ? try storedState(database) : ""
        let reply = await assistant.respond(to: row.text)
        if pass == 0 {
            var verdict = verdict(for: row, reply: reply)
            verdict.changedState = try storedState(database) != before
            verdicts.append(verdict)
        }
        times.append((reply.timings["total"] ?? 0) - (reply.timings["skill"] ?? 0))
    }
}

let inScope = verdicts.filter { $0.row.skill != "none" }
let outOfScope = verdicts.filter { $0.row.skill == "none" }
let understood = inScope.filter { $0.intentRight && ($0.outcome == .acted || $0.outcome == .askedSlot) }
let askedRight = inScope.filter { $0.intentRight && $0.outcome == .askedBack }
let wrongActed = inScope.filter { !$0.intentRight && $0.outcome == .acted }
let slotRows = inScope.filter { !$0.row.slots.isEmpty }
let slotsRight = slotRows.filter { verdict in
    verdict.intentRight && verdict.row.slots.allSatisfy { slotRight($0.key, expected: $0.value, verdict: verdict) }
}
let outActed = outOfScope.filter { $0.outcome == .acted }
let outChanged = outOfScope.filter(\.changedState)

print("SLURP development rows (\(options.data)): \(verdicts.count) rows, \(inScope.count) in scope, \(outOfScope.count) out of scope")
print("")
print("| in scope | rows | intent right | asked back, right intent | wrong intent acted on | not understood |")
print("| --- | --- | --- | --- | --- | --- |")
func line(_ name: String, _ group: [Verdict]) {
    let right = group.filter { $0.intentRight && ($0.outcome == .acted || $0.outcome == .askedSlot) }.count
    let asked = group.filter { $0.intentRight && $0.outcome == .askedBack }.count
    let wrong = group.filter { !$0.intentRight && $0.outcome == .acted }.count
    let none = group.filter { $0.outcome == .notUnderstood }.count
    print("| \(name) | \(group.count) | \(percent(right, group.count)) | \(percent(asked, group.count)) | \(percent(wrong, group.count)) | \(percent(none, group.count)) |")
}
for skill in Set(inScope.map(\.row.skill)).sorted() { line(skill, inScope.filter { $0.row.skill == skill }) }
line("**all**", inScope)
print("")
print("intent right: \(understood.count)/\(inScope.count) = \(percent(understood.count, inScope.count)) (asked back with the right intent: \(percent(askedRight.count, inScope.count)))")
print("slots right where annotated (intent right too): \(slotsRight.count)/\(slotRows.count) = \(percent(slotsRight.count, slotRows.count))")
print("out of scope: \(outActed.count)/\(outOfScope.count) = \(percent(outActed.count, outOfScope.count)) started an action; asked back \(outOfScope.filter { $0.outcome == .askedBack || $0.outcome == .askedSlot }.count), not understood \(outOfScope.filter { $0.outcome == .notUnderstood }.count)")
print("in scope acted on: \(inScope.filter { $0.outcome == .acted }.count), of which changed what the skills keep: \(inScope.filter { $0.outcome == .acted && $0.changedState }.count)")
print("out of scope that changed what the skills keep (the list, orders, devices, timers): \(outChanged.count)/\(outOfScope.count) = \(percent(outChanged.count, outOfScope.count))")
print(String(format: "understanding and dialog time per sentence (skill time left out) (%d passes): p50 %.3f ms, p99 %.3f ms, max %.3f ms", options.passes,
             percentile(times, 0.5), percentile(times, 0.99), times.max() ?? 0))

if options.misses {
    print("\nmisses (in scope):")
    for v in inScope where !(v.intentRight && (v.outcome == .acted || v.outcome == .askedSlot)) {
        print("  [\(v.row.skill)/\(v.row.intent)] \(v.row.text)  →  \(v.outcome.rawValue) \(v.intent ?? "") \(v.spoken)")
    }
    print("\nslot misses:")
    for v in slotRows where v.intentRight && !v.row.slots.allSatisfy({ slotRight($0.key, expected: $0.value, verdict: v) }) {
        print("  \(v.row.text)  expected \(v.row.slots)  →  \(v.spoken)")
    }
    print("\nin scope acted on, by intent: rows (of which changed what the skills keep)")
    let acted = Dictionary(grouping: inScope.filter { $0.outcome == .acted }) { $0.intent ?? "-" }
    for (intent, group) in acted.sorted(by: { $0.key < $1.key }) {
        print("  \(intent): \(group.count) (\(group.filter(\.changedState).count))")
    }
    print("\nout of scope acted on:")
    for v in outActed {
        print("  \(v.row.text)  →  \(v.intent ?? "") \(v.spoken)\(v.changedState ? " (changed what the skills keep)" : "")")
        print("      \(v.reply)")
    }
    for v in outChanged where v.outcome != .acted { print("  changed, not acted: \(v.row.text)  →  \(v.reply)") }
}

if let python = options.hassil {
    fflush(nil)  // our figures print before the peer's
    let script = packageRoot + "/Benchmarks/SLURPBench/hassil_slurp.py"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script, options.data, packageRoot + "/../shared/bench/ha_en_fixtures.json"]
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        print("hassil: cannot run \(python): \(error)")
    }
}

// The statistical reading alone (no templates, no dialog): its top class against the row's label.
do {
    let skills = await assistant.installedSkills
    let engine = try IntentEngine(skills: skills.map(\.package.templates))
    let trainStart = ContinuousClock.now
    var trainOptions = IntentClassifier.Options()
    let environment = ProcessInfo.processInfo.environment
    if let value = environment["SAMPLES"].flatMap(Int.init) { trainOptions.samplesPerIntent = value }
    if let value = environment["EPOCHS"].flatMap(Int.init) { trainOptions.epochs = value }
    if let value = environment["SEED"].flatMap(UInt64.init) { trainOptions.seed = value }
    let classifier = IntentClassifier.train(engine: engine, options: trainOptions)
    let trainTime = ContinuousClock.now - trainStart
    var right = 0, outRight = 0
    var tops: [(inScope: Bool, right: Bool, probability: Double)] = []
    var confusion: [String: Int] = [:]
    for row in rows {
        let top = classifier.classify(row.text)[0]
        let said = top.label.isOutOfScope ? "none/" : "\(top.label.skill)/\(top.label.intent)"
        let expected = row.skill == "none" ? "none/" : "\(row.skill)/\(row.intent)"
        tops.append((row.skill != "none", said == expected, top.label.isOutOfScope || top.coverage < 0.5 ? 0 : top.probability))
        if said == expected { if row.skill == "none" { outRight += 1 } else { right += 1 } }
        else { confusion["\(expected) → \(said)", default: 0] += 1 }
        if options.misses && said != expected { print(String(format: "  classifier %@ (%.2f, coverage %.2f) for [%@] %@", said, top.probability, top.coverage, expected, row.text)) }
    }
    print("\nclassifier alone (trained in \(trainTime), \(classifier.labels.count) classes): in scope \(right)/\(inScope.count) = \(percent(right, inScope.count)), out of scope kept out \(outRight)/\(outOfScope.count) = \(percent(outRight, outOfScope.count))")
    print("  acting on the top intent at probability ≥ t: in scope right / out of scope acted on")
    for t in [0.5, 0.6, 0.7, 0.8, 0.9, 0.95] {
        let r = tops.filter { $0.inScope && $0.right && $0.probability >= t }.count
        let w = tops.filter { !$0.inScope && $0.probability >= t }.count
        let wi = tops.filter { $0.inScope && !$0.right && $0.probability >= t }.count
        print("  t \(t): \(percent(r, inScope.count)) right, \(percent(wi, inScope.count)) wrong intent, out of scope \(percent(w, outOfScope.count))")
    }
    for (pair, count) in confusion.sorted(by: { $0.value > $1.value }).prefix(12) { print("  \(count)  \(pair)") }
}

await assistant.shutdown()
