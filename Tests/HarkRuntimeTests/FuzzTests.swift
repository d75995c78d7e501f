import Foundation
import HarkAssistant
import HarkRuntime
import HarkSkillKit
import HarkUnderstanding
import Testing

/// Seeded fuzzing (issue 20, point 6): thousands of mutations of real inputs for each reader of outside data.
/// Each input must be read or rejected with an error naming its file; a trap fails the whole run. The seed is
/// fixed, so a failure repeats; `HARK_FUZZ_SEED` and `HARK_FUZZ_ROUNDS` explore further.
@Suite struct FuzzTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["HARK_FUZZ_SEED"] ?? "") ?? 20
    static let rounds = Int(ProcessInfo.processInfo.environment["HARK_FUZZ_ROUNDS"] ?? "") ?? 5000

    @Test func configurationFiles() throws {
        let file = "/etc/hark/config.yaml"
        let outcome = try Self.fuzz(seeds: Self.configurationSeeds, tokens: Self.yamlTokens) { text in
            _ = try HarkConfiguration.parse(text, file: file)
        } describes: { $0.contains(file) }
        print("config.yaml: \(outcome)")
    }

    @Test func skillManifests() throws {
        let file = "/skills/x/skill.yaml"
        let outcome = try Self.fuzz(seeds: Self.manifestSeeds, tokens: Self.yamlTokens) { text in
            _ = try SkillManifest.parse(text, file: file)
        } describes: { $0.contains(file) }
        print("skill.yaml: \(outcome)")
    }

    @Test func templateFiles() throws {
        let file = "/skills/x/intents/en.yaml"
        let outcome = try Self.fuzz(seeds: Self.templateSeeds, tokens: Self.yamlTokens + Self.templateTokens) { text in
            let templates = try SkillTemplates.load(yaml: text, file: file, skill: "x")
            let engine = try IntentEngine(skills: [templates])
            for sentence in ["say hello to ada", "my favorite color is purple", "set a timer for 5 minutes"] {
                if let best = engine.match(sentence, context: MatchContext()).best {
                    for value in best.slots.values { _ = value.spoken + value.description }
                }
            }
        } describes: { $0.contains(file) }
        print("intents/en.yaml: \(outcome)")
    }

    @Test func alexaResponseEnvelopes() throws {
        let outcome = try Self.fuzz(seeds: Self.envelopeSeeds, tokens: Self.jsonTokens) { text in
            let envelope = try JSONDecoder().decode(AlexaResponseEnvelope.self, from: Data(text.utf8))
            let response = try envelope.skillResponse()
            for value in response.updatedSlots?.values.values ?? [:].values {
                _ = AlexaMapping.alexaText(value) + value.spoken
            }
            for call in try envelope.invocations {
                for value in call.slots.values.values { _ = AlexaMapping.alexaText(value) + value.spoken }
            }
        } describes: { !$0.isEmpty }
        print("Alexa response envelopes: \(outcome)")
    }

    // MARK: The fuzzer

    /// How many inputs were read and how many rejected.
    struct Outcome: CustomStringConvertible {
        var accepted = 0
        var rejected = 0
        var description: String { "\(accepted + rejected) inputs, \(accepted) read, \(rejected) rejected with an error" }
    }

    /// Runs `read` on `rounds` mutations of the seeds; every error's description must satisfy `describes`.
    static func fuzz(
        seeds: [String], tokens: [String], read: (String) throws -> Void, describes: (String) -> Bool
    ) throws -> Outcome {
        var random = SplitMix64(seed: seed)
        var outcome = Outcome()
        for seed in seeds { try read(seed) }  // the seeds themselves are good input
        for round in 0..<rounds {
            var text = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0...(random.next() % 4) { text = mutate(text, tokens: tokens, random: &random) }
            do {
                try read(text)
                outcome.accepted += 1
            } catch {
                outcome.rejected += 1
                let message = "\(error)"
                #expect(describes(message), "round \(round): unclear error \(message) for:\n\(text)")
            }
        }
        return outcome
    }

    /// One random change: a span deleted, duplicated or moved, a token inserted, or a number made extreme.
    static func mutate(_ text: String, tokens: [String], random: inout SplitMix64) -> String {
        var characters = Array(text)
        guard !characters.isEmpty else { return tokens[Int(random.next() % UInt64(tokens.count))] }
        let at = Int(random.next() % UInt64(characters.count))
        let length = min(characters.count - at, Int(random.next() % 12) + 1)
        switch random.next() % 6 {
        case 0: characters.removeSubrange(at..<at + length)
        case 1: characters.insert(contentsOf: characters[at..<at + length], at: at)
        case 2, 3: characters.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: at)
        case 4:
            let moved = Array(characters[at..<at + length])
            characters.removeSubrange(at..<at + length)
            characters.insert(contentsOf: moved, at: Int(random.next() % UInt64(characters.count + 1)))
        default:
            // Replace the number nearest `at` with an extreme one.
            if let start = characters[at...].firstIndex(where: \.isNumber) {
                var end = start
                while end < characters.count, characters[end].isNumber || characters[end] == "." { end += 1 }
                let extreme = ["1e300", "-1e300", "99999999999999999999", "-0", "0", ".nan", ".inf", "1e-300", "-7"]
                characters.replaceSubrange(start..<end, with: extreme[Int(random.next() % UInt64(extreme.count))])
            }
        }
        return String(characters)
    }

    // MARK: Seeds and tokens

    static let yamlTokens = [
        ":", ": ", "- ", "[", "]", "{", "}", ",", "\n", "\n  ", "\n    - ", "#", "'", "\"", "|", ">", "&a ", "*a",
        "!!str ", "!!int ", "!!binary ", "? ", "~", "null", "true", "1e300", "-1", "99999999999999999999", "\u{0}",
        "\t", "%YAML 1.2\n", "---\n", "...\n", "<<: *a\n", "é", "😀",
    ]
    static let templateTokens = [
        "{", "}", "<", ">", "(", ")", "|", "[", "]", "{name}", "<rule>", "{list:slot}", "range:", "from: ",
        "to: ", "step: ", "wildcard: true", "multiple: true", "in: ", "out: ", "values:", "expansion_rules:",
        "requires_context:", "slots:",
    ]
    static let jsonTokens = [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e300", "-1", "99999999999999999999", "\"P99999999999999999999D\"",
        "\"PT1H\"", "\"25:99\"", "\"2026-13-45\"", "{\"type\":\"duration\",\"seconds\":1e300}",
        "{\"type\":\"time\",\"hour\":99,\"minute\":-5}", "{\"type\":\"number\",\"value\":1e300}", "\\u0000", "é",
    ]

    static let configurationSeeds = [
        """
        wake_phrase: hey hark
        voice: { name: en-us, rate: 175, pitch: 50 }
        audio: { capture_device: default, playback_device: default }
        session_timeout: 600
        session_retention_days: 30
        log_level: info
        skills_directories: [~/my-skills]
        enabled_skills: [barista, shopping]
        disabled_skills: [recipes]
        skills:
          shopping: { purchase_code: "1234", spending_cap: 150, currency: GBP }
          weather: { location: London, units: metric }
        speech:
          acoustic_model: /usr/share/pocketsphinx/model/en-us/en-us
          dictionary: /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict

        """,
        "voice:\n  name: en-gb\n  rate: 120\n",
    ]

    static let manifestSeeds = [
        """
        id: barista
        name: Barista
        version: 1.2.0
        description: Orders coffee.
        entry: exec
        command: [python3, skill.py]
        timeout: 8
        permissions: [shopping.AddItem, weather.*, network]
        intents:
          Order: { required: [drink], confirm: true }
        slots:
          pin: { sensitive: true, label: PIN }

        """,
        "id: web\nname: Web\nentry: http\nurl: http://127.0.0.1:8080/skill\n",
    ]

    static let templateSeeds = [
        """
        language: en
        intents:
          HelloWorldIntent:
            data:
              - sentences:
                  - "say (hello | hi) [to {name}]"
                  - "<greet> {name}"
          MyColorIsIntent:
            data:
              - sentences:
                  - "my (favorite | favourite) (color | colour) is {color}"
          SetTimer:
            data:
              - sentences: ["set a timer for {minutes} minutes"]
                slots: { kind: timer }
        lists:
          name: { wildcard: true }
          minutes: { range: { from: 1, to: 90 } }
          color:
            values:
              - red
              - in: "(purple | violet)"
                out: purple
        expansion_rules:
          greet: "(greet | welcome)"

        """
    ]

    static let envelopeSeeds = [
        """
        {"version": "1.0", "requestId": "r1", "sessionAttributes": {"count": 2},
         "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>How long?</speak>"}, "shouldEndSession": false,
          "directives": [{"type": "Dialog.ElicitSlot", "slotToElicit": "length",
            "updatedIntent": {"name": "SetTimer", "slots": {
              "length": {"name": "length", "value": "PT1H30M"},
              "when": {"name": "when", "value": "2026-01-02"},
              "at": {"name": "at", "value": "19:45"},
              "count": {"name": "count", "value": "5"}}}}]}}
        """,
        """
        {"version": "1.0", "response": {"outputSpeech": {"type": "PlainText", "text": "Asking."},
          "directives": [{"type": "Hark.InvokeIntent", "skill": "shopping", "intent": "AddItem",
            "slots": {"item": "milk", "quantity": 2, "list": ["a", "b"],
                      "length": {"type": "duration", "seconds": 300}}}]}}
        """,
    ]
}
