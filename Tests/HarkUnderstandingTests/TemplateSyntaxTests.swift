import Foundation
import Testing

@testable import HarkUnderstanding

/// A file with one intent whose only sentence is `sentence`, written on line 6 as `          - "SENTENCE"`, so the
/// sentence text starts at column 14.
private func fileWithSentence(_ sentence: String, rules: String = "", lists: String = "") -> String {
    """
    language: en
    intents:
      Test:
        data:
          - sentences:
              - "\(sentence)"
    lists:
      item: { wildcard: true }
      name: { values: [lamp, fan] }
    \(lists)
    """ + (rules.isEmpty ? "" : "expansion_rules:\n" + rules)
}

private let file = "Skills/Shopping/intents/en.yaml"

private func loadError(_ yaml: String) -> String? {
    do {
        _ = try SkillTemplates.load(yaml: yaml, file: file, skill: "Shopping")
        return nil
    } catch let error as TemplateError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
}

@Suite struct TemplateSyntaxTests {
    @Test func loadsEveryPartOfAFile() throws {
        let templates = try Fixtures.skill(Fixtures.home, "Home")
        #expect(templates.language == "en")
        #expect(templates.intents.map(\.name) == ["TurnOn", "TurnOff", "LightSet", "ClimateSetTemperature", "Sleep"])
        let turnOn = templates.intents[0]
        #expect(turnOn.data.count == 3)
        #expect(turnOn.data[1].fixedSlots == ["domain": .text("light")])
        #expect(turnOn.data[1].requiresContext == ["area": ContextRequirement(values: nil, copyToSlot: "area")])
        #expect(templates.intents[4].data[0].excludesContext == ["area": ["Garage"]])
        guard case .values(let names) = templates.lists["name"]?.kind else {
            Issue.record("name is not a value list")
            return
        }
        #expect(names.count == 4)
        #expect(names[0].value == .text("Bedroom Lamp"))
        #expect(names[0].context == ["area": "Bedroom"])
        #expect(names[2].value == .text("Ceiling Fan"))
        guard case .range(let brightness) = templates.lists["brightness"]?.kind else {
            Issue.record("brightness is not a range")
            return
        }
        #expect(brightness == NumberRange(from: 0, to: 100, step: 1, type: .percentage))
        let shopping = try Fixtures.skill(Fixtures.shopping, "Shopping")
        #expect(shopping.skipWords == ["hey there"])
        #expect(shopping.expansionRules["my_list"]?.text == "[the | my] (shopping | grocery) list")
        #expect(shopping.lists["item"]?.multiple == true)
    }

    @Test func sentenceLocationsPointAtTheText() throws {
        let yaml = """
            intents:
              A:
                data:
                  - sentences:
                      - "double quoted"
                      - 'single quoted'
                      - plain text
            """
        let templates = try SkillTemplates.load(yaml: yaml, file: "x.yaml", skill: "S")
        let locations = templates.intents[0].data[0].sentences.map(\.location.description)
        #expect(locations == ["x.yaml:5:14", "x.yaml:6:14", "x.yaml:7:13"])
    }

    @Test func parsesNestedAlternativesOptionalsAndGluedWords() throws {
        let location = SourceLocation(file: "t", line: 1, column: 1)
        let expression = try TemplateExpression.parse("turn [on] the light[s] ((kitchen|bath)room|hall)", at: location)
        #expect(
            Set(expression.spellings(limit: 100).map { $0.joined(separator: " ") }) == [
                "turn on the light kitchenroom", "turn on the light bathroom", "turn on the light hall",
                "turn on the lights kitchenroom", "turn on the lights bathroom", "turn on the lights hall",
                "turn the light kitchenroom", "turn the light bathroom", "turn the light hall",
                "turn the lights kitchenroom", "turn the lights bathroom", "turn the lights hall",
            ]
        )
        // A trailing empty alternative is an optional part; words are normalised (digits, contractions).
        let optional = try TemplateExpression.parse("what's (on | in |) channel 2", at: location)
        #expect(
            Set(optional.spellings(limit: 10).map { $0.joined(separator: " ") }) == [
                "what is on channel two", "what is in channel two", "what is channel two",
            ]
        )
        let slots = try TemplateExpression.parse("{item} to {list_name:target}", at: location)
        var references: [String] = []
        slots.forEachSlot { references.append("\($0.listName):\($0.slotName)@\($0.offset)") }
        #expect(references == ["item:item@0", "list_name:target@10"])
    }

    /// Every malformed template, with the exact place of the error: the sentence text starts at 6:14.
    @Test(arguments: [
        ("add (milk", "6:18: unbalanced '(' in \"add (milk\""),
        ("add milk)", "6:22: unbalanced ')' in \"add milk)\""),
        ("add [milk", "6:18: unbalanced '[' in \"add [milk\""),
        ("add (milk]", "6:23: '(' at column 18 closed by ']' in \"add (milk]\""),
        ("add {item", "6:18: unbalanced '{' in \"add {item\""),
        ("add item}", "6:22: unbalanced '}' in \"add item}\""),
        ("add <my_list", "6:18: unbalanced '<' in \"add <my_list\""),
        ("add (a||b)", "6:21: empty alternative in \"add (a||b)\""),
        ("add (|b)", "6:19: empty alternative in \"add (|b)\""),
        ("add () now", "6:18: empty group '()' in \"add () now\""),
        ("add [] now", "6:18: empty optional '[]' in \"add [] now\""),
        ("add milk |", "6:23: empty alternative in \"add milk |\""),
        ("add {}", "6:18: empty slot reference '{}' in \"add {}\""),
        ("add {thing}", "6:18: unknown list {thing} in \"add {thing}\""),
        ("add {item} to {thing:item}", "6:28: unknown list {thing} in \"add {item} to {thing:item}\""),
        ("add <nope>", "6:18: unknown rule <nope> in \"add <nope>\""),
        ("add {item} and {item}", "6:29: slot 'item' is bound twice in \"add {item} and {item}\""),
        ("add {item} and {name:item}", "6:29: slot 'item' is bound twice in \"add {item} and {name:item}\""),
        ("add {item}s", "6:18: a slot must be separated from the words around it by spaces in \"add {item}s\""),
        ("", "6:14: empty template in \"\""),
    ])
    func malformedSentence(sentence: String, expected: String) {
        #expect(loadError(fileWithSentence(sentence)) == "\(file):\(expected)")
    }

    @Test func recursiveRulesAreRejectedWhereTheCycleCloses() {
        let direct = fileWithSentence("say <a>", rules: "  a: \"x [<a>]\"\n")
        #expect(loadError(direct) == "\(file):11:10: recursive rule <a> (<a> → <a>) in \"x [<a>]\"")
        let indirect = fileWithSentence("say <a>", rules: "  a: \"x <b>\"\n  b: \"(y | <c>)\"\n  c: \"z <a>\"\n")
        #expect(loadError(indirect) == "\(file):13:9: recursive rule <a> (<a> → <b> → <c> → <a>) in \"z <a>\"")
    }

    @Test func ruleProblemsPointIntoTheRule() {
        let unknownList = fileWithSentence("say <a>", rules: "  a: \"to {nowhere}\"\n")
        #expect(loadError(unknownList) == "\(file):11:10: unknown list {nowhere} in \"to {nowhere}\"")
        let twice = fileWithSentence("add {item} <a>", rules: "  a: \"to {item}\"\n")
        #expect(loadError(twice) == "\(file):6:25: slot 'item' is bound twice in \"add {item} <a>\"")
        let badSyntax = fileWithSentence("say <a>", rules: "  a: \"to (x\"\n")
        #expect(loadError(badSyntax) == "\(file):11:10: unbalanced '(' in \"to (x\"")
    }

    @Test func listValueTemplatesAreChecked() {
        let yaml = fileWithSentence("turn on {device}", lists: "  device: { values: [ \"(lamp\" ] }")
        #expect(loadError(yaml) == "\(file):10:24: unbalanced '(' in \"(lamp\"")
        let withSlot = fileWithSentence("turn on {device}", lists: "  device: { values: [ \"the {item}\" ] }")
        #expect(loadError(withSlot) == "\(file):10:28: a list value cannot contain a slot in \"the {item}\"")
    }

    /// YAML syntax errors and wrong shapes carry a location too.
    @Test(arguments: [
        ("intents:\n  A:\n    data:\n      - sentences:\n          - \"unclosed\n", "6:1: YAML syntax error"),
        ("intents:\n  A:\n    data:\n      - sentences: [\"a\"\n", "5:1: YAML syntax error"),
        ("intents:\n  - A\n", "2:3: intents must be a mapping, found a list"),
        ("intents:\n  A:\n    data:\n      - sentences: { a: b }\n", "4:20: sentences must be a list, found a mapping"),
        (
            "intents:\n  A:\n    data:\n      - sentences: [\"a\"]\n        slot: {}\n",
            "5:9: unknown key 'slot' in a data block of A (expected one of: excludes_context, requires_context, "
                + "response, sentences, slots)"
        ),
        ("intents:\n  A:\n    data: []\n", "3:5: intent A has no 'data'"),
        ("intents:\n  A:\n    data:\n      - slots: {}\n", "4:9: a data block of A has no sentences"),
        ("language: en\n", "1:1: the file has no 'intents'"),
        (
            "intents: {}\nlists:\n  x: { values: [a], range: { from: 1, to: 2 } }\n",
            "3:6: list x mixes values and range; use one"
        ),
        (
            "intents: {}\nlists:\n  x: { step: 1 }\n",
            "3:8: unknown key 'step' in list x (expected one of: multiple, range, type, values, wildcard)"
        ),
        (
            "intents: {}\nlists:\n  x: { type: colour }\n",
            "3:14: unknown type 'colour' (known: number, percentage, "
                + "temperature, date, time, duration)"
        ),
        (
            "intents: {}\nlists:\n  x: { range: { from: 5, to: 1 } }\n",
            "3:15: range of list x must have from <= to and step >= 0"
        ),
        (
            "intents: {}\nlists:\n  x:\n    values:\n      - in: \"(a|b)\"\n",
            "5:9: a value whose 'in' is a template needs 'out'"
        ),
        (
            "intents:\n  A:\n    data:\n      - sentences: [\"a\"]\n"
                + "        requires_context: { area: { slot: [a] } }\n",
            "5:43: requires_context.area.slot must be text, found a list"
        ),
    ])
    func malformedFile(yaml: String, expected: String) {
        let error = loadError(yaml) ?? "no error"
        #expect(error.hasPrefix("\(file):\(expected)"), "got: \(error)")
    }

    @Test func loadsFromAFileAndReportsAMissingOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("en.yaml").path
        try Fixtures.shopping.write(toFile: path, atomically: true, encoding: .utf8)
        let templates = try SkillTemplates.load(yamlFile: path, skill: "Shopping")
        #expect(templates.intents.count == 3)
        #expect(templates.intents[0].data[0].sentences[0].location.description == "\(path):6:14")

        let missing = directory.appendingPathComponent("missing.yaml").path
        #expect(throws: TemplateError.self) { try SkillTemplates.load(yamlFile: missing, skill: "X") }
        do {
            _ = try SkillTemplates.load(yamlFile: missing, skill: "X")
        } catch let error as TemplateError {
            #expect(error.description.hasPrefix("\(missing):1:1: cannot read the file"))
        }
    }

    @Test func duplicateSkillIdsAreRejected() throws {
        let skill = try Fixtures.skill(Fixtures.shopping, "Shopping")
        #expect(throws: TemplateError.self) { try IntentEngine(skills: [skill, skill]) }
    }
}
