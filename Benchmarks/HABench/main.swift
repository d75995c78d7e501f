// HABench: Home Assistant's English intent tests (shared/bench/ha_en_corpus.jsonl) through Hark's matcher with the
// smarthome skill's templates, the fixtures' devices as the registry and a name mapping only; hassil's figures on
// the same rows side by side when its venv exists. Prints figures; it is not a test.
//
//   swift build --package-path Benchmarks -c release --product HABench
//   Benchmarks/.build/release/HABench [FIXTURES.json [CORPUS.jsonl]] [--passes N]
//
// Environment: HASSIL_PYTHON (default /tmp/hassil-venv/bin/python) runs Benchmarks/HABench/hassil_bench.py.
import Foundation
import HarkAssistant
import HarkSkillKit
import HarkUnderstanding
import SmartHomeSkill

/// Where the package is: two folders above this file.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

struct Options {
    var fixtures = packageRoot + "/../shared/bench/ha_en_fixtures.json"
    var corpus: String?
    var passes = 5

    init(_ arguments: [String]) {
        var positional: [String] = []
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--passes", index + 1 < arguments.count {
                passes = max(1, Int(arguments[index + 1]) ?? 5)
                index += 2
                continue
            }
            positional.append(arguments[index])
            index += 1
        }
        if let first = positional.first { fixtures = first }
        corpus = positional.count > 1 ? positional[1] : nil
    }

    var corpusPath: String {
        corpus ?? URL(fileURLWithPath: fixtures).deletingLastPathComponent().appendingPathComponent("ha_en_corpus.jsonl").path
    }
}

/// One row of the corpus.
struct Row {
    let text: String
    let intent: String
    let slots: [String: Any]
    let context: [String: String]
    let domainHint: String?
}

/// HA intent → (skill, intent) in Hark: names only.
let intentMapping: [String: (skill: String, intent: String)] = [
    "HassTurnOn": ("smarthome", "TurnOn"), "HassTurnOff": ("smarthome", "TurnOff"),
    "HassToggle": ("smarthome", "Toggle"), "HassLightSet": ("smarthome", "LightSet"),
    "HassClimateSetTemperature": ("smarthome", "ClimateSetTemperature"), "HassGetState": ("smarthome", "GetState"),
    "HassClimateGetTemperature": ("smarthome", "GetState"),
    "HassShoppingListAddItem": ("shopping", "AddItem"), "HassGetWeather": ("weather", "GetWeather"),
]
let inScopeHints: Set<String> = ["light", "switch", "fan", "climate", "shopping_list", "todo", "weather"]
let actionIntents: Set<String> = ["TurnOn", "TurnOff", "Toggle", "LightSet", "ClimateSetTemperature"]
let actionMapping: [String: String] = [
    "TurnOn": "HassTurnOn", "TurnOff": "HassTurnOff", "Toggle": "HassToggle", "LightSet": "HassLightSet",
    "ClimateSetTemperature": "HassClimateSetTemperature",
]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("HABench: \(message)\n".utf8))
    exit(1)
}

func loadRows(_ path: String) -> [Row] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the corpus") }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().compactMap { number, line in
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
            let text = object["text"] as? String, let intent = object["intent"] as? String
        else { fail("\(path):\(number + 1): not a corpus row") }
        return Row(text: text, intent: intent, slots: object["slots"] as? [String: Any] ?? [:],
                   context: (object["context"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String },
                   domainHint: object["domain_hint"] as? String)
    }
}

/// Hark slot values in the corpus's terms: numbers for numbers, text for text, arrays for lists.
func plain(_ value: SlotValue) -> Any {
    switch value {
    case .number(let number), .percentage(let number), .temperature(let number, _): return number
    case .list(let items): return items.count == 1 ? plain(items[0]) : items.map(plain)
    case .text(let text): return text
    default: return value.description
    }
}

func same(_ expected: Any, _ actual: Any) -> Bool {
    if let number = expected as? NSNumber, !(expected is String) {
        guard let value = actual as? Double else { return false }
        return abs(value - number.doubleValue) < 1e-6
    }
    if let text = expected as? String { return (actual as? String)?.trimmingCharacters(in: .whitespaces) == text }
    if let list = expected as? [Any] {
        let items = actual as? [Any] ?? [actual]
        return list.count == items.count && zip(list, items).allSatisfy { same($0, $1) }
    }
    return false
}

func slotsMatch(_ expected: [String: Any], _ actual: [String: SlotValue]) -> Bool {
    Set(expected.keys) == Set(actual.keys) && expected.allSatisfy { key, value in same(value, plain(actual[key]!)) }
}

/// The fixtures' devices a set of slots points at (nil: no target named).
func devices(_ slots: [String: String], registry: DeviceRegistry) -> Set<String>? {
    if let name = slots["name"], name != "all" { return Set(registry.device(named: name).map { [$0.id] } ?? []) }
    guard slots["area"] != nil || slots["floor"] != nil || slots["domain"] != nil else { return nil }
    return Set(registry.devices.filter { device in
        (slots["area"].map { $0 == device.area } ?? true) && (slots["floor"].map { $0 == device.floor } ?? true)
            && (slots["domain"].map { $0 == device.domain } ?? true)
    }.map(\.id))
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[Int(p * Double(sorted.count - 1))]
}

/// Templates of another skill folder (Skills/Shopping, Skills/Weather) if it has the intent wanted.
func optionalSkill(folder: String, intent: String) -> SkillTemplates? {
    let path = packageRoot + "/Skills/\(folder)"
    guard let manifest = try? SkillManifest.load(path: path + "/skill.yaml"),
        let templates = try? SkillTemplates.load(yamlFile: path + "/intents/en.yaml", skill: manifest.id),
        templates.intents.contains(where: { $0.name == intent })
    else { return nil }
    return templates
}

// MARK: Run

let options = Options(Array(CommandLine.arguments.dropFirst()))
let registry: DeviceRegistry
do { registry = try DeviceRegistry.load(file: options.fixtures) } catch { fail("\(error)") }
let rows = loadRows(options.corpusPath)

var skills: [SkillTemplates] = []
do {
    let base = try SkillTemplates.load(yamlFile: SmartHomeSkill.folder + "/intents/en.yaml", skill: "smarthome")
    skills.append(SmartHomeSkill.templates(base, registry: registry))
} catch { fail("smarthome templates: \(error)") }
var skipped: [String] = []
for (folder, intent, id) in [("Shopping", "AddItem", "shopping"), ("Weather", "GetWeather", "weather")] {
    if let templates = optionalSkill(folder: folder, intent: intent) { skills.append(templates) } else { skipped.append(id) }
}
let engine: IntentEngine
do { engine = try IntentEngine(skills: skills) } catch { fail("\(error)") }

let inScope = rows.filter { inScopeHints.contains($0.domainHint ?? "") }
let outOfScope = rows.filter { !inScopeHints.contains($0.domainHint ?? "") }
let now = Date()
func match(_ row: Row) -> IntentMatch? { engine.match(row.text, context: MatchContext(row.context, now: now)).best }

var measured: [Row] = []
var unmapped: [String: Int] = [:]
var skippedRows = 0
for row in inScope {
    guard let target = intentMapping[row.intent] else {
        unmapped[row.intent, default: 0] += 1
        continue
    }
    if skipped.contains(target.skill) {
        skippedRows += 1
        continue
    }
    measured.append(row)
}

var intentCorrect = 0
var slotsCorrect = 0
var failures: [String] = []
for row in measured {
    let target = intentMapping[row.intent]!
    let best = match(row)
    guard let best, best.skill == target.skill, best.intent == target.intent else {
        failures.append("intent  \(row.text) → \(best.map { "\($0.skill)/\($0.intent)" } ?? "none") (want \(row.intent))")
        continue
    }
    intentCorrect += 1
    if slotsMatch(row.slots, best.slots) {
        slotsCorrect += 1
    } else {
        let got = best.slots.map { "\($0.key)=\(plain($0.value))" }.sorted().joined(separator: ", ")
        let want = row.slots.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", ")
        failures.append("slots   \(row.text) → {\(got)} (want {\(want)})")
    }
}

var latencies: [Double] = []
let started = DispatchTime.now().uptimeNanoseconds
for _ in 0..<options.passes {
    for row in measured {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = match(row)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
}
let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
latencies.sort()

var wrongDevice: [String] = []
var actionsOutOfScope = 0
for row in outOfScope {
    guard let best = match(row), best.skill == "smarthome", actionIntents.contains(best.intent) else { continue }
    actionsOutOfScope += 1
    let ours = best.slots.compactMapValues { value -> String? in if case .text(let text) = value { text } else { nil } }
    let expected = row.slots.compactMapValues { $0 as? String }
    let sameAction = actionMapping[best.intent] == row.intent
    if !sameAction || devices(ours, registry: registry) != devices(expected, registry: registry) {
        wrongDevice.append("\(row.text) → \(best.intent) \(ours) (want \(row.intent) \(expected))")
    }
}

// MARK: hassil, same rows

let excludedIntents = (Array(unmapped.keys) + intentMapping.filter { skipped.contains($0.value.skill) }.map(\.key)).sorted()
let python = ProcessInfo.processInfo.environment["HASSIL_PYTHON"] ?? "/tmp/hassil-venv/bin/python"
var hassil: [String: Any]?
var hassilNote = ""
if FileManager.default.isExecutableFile(atPath: python) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [packageRoot + "/Benchmarks/HABench/hassil_bench.py", "--fixtures", options.fixtures,
                         "--corpus", options.corpusPath, "--json", "--passes", String(options.passes), "--skip-intents", excludedIntents.joined(separator: ",")]
    let output = Pipe()
    process.standardOutput = output
    do {
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        hassil = (try? JSONSerialization.jsonObject(with: Data(lastLine.utf8))) as? [String: Any]
        if hassil == nil { hassilNote = "hassil_bench.py printed no figures (exit \(process.terminationStatus))" }
    } catch {
        hassilNote = "cannot run \(python): \(error)"
    }
} else {
    hassilNote = "no hassil venv at \(python) (set HASSIL_PYTHON)"
}

// MARK: Report

func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "-" : String(format: "%.1f %%", 100 * Double(part) / Double(whole)) }
func column(_ text: String) -> String { text.padding(toLength: 26, withPad: " ", startingAt: 0) }

print("HABench: \(rows.count) rows from \(options.corpusPath)")
print("registry: \(registry.devices.count) devices, \(registry.areas.count) areas, \(registry.floors.count) floors; "
    + "engine: \(engine.sentenceCount) sentences, \(engine.intentCount) intents")
print("in scope: \(inScope.count) rows; measured \(measured.count); skipped skills: "
    + (skipped.isEmpty ? "none" : "\(skipped.joined(separator: ", ")) (\(skippedRows) rows)")
    + "; no Hark intent for: " + unmapped.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
print("")
print(column("") + column("Hark") + "hassil")
let hassilRows = hassil?["rows"] as? Int ?? 0
@MainActor func hassilFigure(_ key: String, format: String) -> String {
    guard let value = hassil?[key] as? Double ?? (hassil?[key] as? Int).map(Double.init) else { return "-" }
    return String(format: format, value)
}
print(column("rows") + column("\(measured.count)") + (hassil == nil ? "-" : "\(hassilRows)"))
print(column("intent accuracy") + column(percent(intentCorrect, measured.count))
    + percent(hassil?["intent_correct"] as? Int ?? 0, hassilRows))
print(column("intent+slots accuracy") + column(percent(slotsCorrect, measured.count))
    + percent(hassil?["slots_correct"] as? Int ?? 0, hassilRows))
print(column("sentences/s") + column(String(format: "%.0f", Double(latencies.count) / elapsed))
    + hassilFigure("sentences_per_second", format: "%.0f"))
print(column("p50 latency (ms)") + column(String(format: "%.3f", percentile(latencies, 0.5)))
    + hassilFigure("p50_ms", format: "%.3f"))
print(column("p99 latency (ms)") + column(String(format: "%.3f", percentile(latencies, 0.99)))
    + hassilFigure("p99_ms", format: "%.3f"))
print(column("out-of-scope rows") + column("\(outOfScope.count)") + hassilFigure("out_of_scope_rows", format: "%.0f"))
print(column("  actions on wrong device") + column("\(wrongDevice.count) (of \(actionsOutOfScope) actions)")
    + hassilFigure("wrong_device_actions", format: "%.0f"))
if !hassilNote.isEmpty { print("hassil: \(hassilNote)") }
if let version = hassil?["engine"] as? String { print("hassil: \(version), home-assistant-intents \(hassil?["intents_version"] ?? "?")") }
print("")
if !failures.isEmpty {
    print("Hark misses (\(failures.count)):")
    for failure in failures { print("  " + failure) }
}
for wrong in wrongDevice { print("WRONG DEVICE  " + wrong) }
