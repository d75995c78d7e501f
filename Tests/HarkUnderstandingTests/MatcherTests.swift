import Foundation
import Testing

@testable import HarkUnderstanding

private let engine = Fixtures.standardEngine

private func context(_ values: [String: String] = [:]) -> MatchContext {
    MatchContext(values, now: Fixtures.friday, calendar: Fixtures.utcCalendar)
}

private func best(_ text: String, _ values: [String: String] = [:]) -> IntentMatch? {
    engine.match(text, context: context(values)).best
}

private func items(_ names: String...) -> SlotValue { .list(names.map { .text($0) }) }

@Suite struct MatcherTests {
    // MARK: Wildcards

    @Test(
        arguments: [
            ("add milk to my shopping list", items("milk")),
            ("add milk to shopping list", items("milk")),
            ("add milk", items("milk")),
            ("add green tea to my shopping list", items("green tea")),
            ("put oat milk on the grocery list", items("oat milk")),
            ("add milk, eggs and bread to my shopping list", items("milk", "eggs", "bread")),
            ("add milk and eggs", items("milk", "eggs")),
            ("add 2 apples to my shopping list", items("2 apples")),
            ("Add Paper Towels to my shopping list.", items("Paper Towels")),
        ] as [(String, SlotValue)]
    )
    func wildcardsEndAtTheFollowingWords(text: String, expected: SlotValue) throws {
        let match = try #require(best(text))
        #expect(match.intent == "AddItem")
        #expect(match.slots["item"] == expected)
        #expect(match.slots["list"] == .text("shopping"))
    }

    @Test func wildcardDoesNotSwallowTheLiteralsItNeeds() throws {
        let match = try #require(best("remove eggs from my shopping list"))
        #expect(match.intent == "RemoveItem")
        #expect(match.slots["item"] == items("eggs"))
        #expect(match.rawSlots["item"] == "eggs")
        let several = try #require(best("add milk, eggs and bread"))
        #expect(several.rawSlots["item"] == "milk, eggs and bread")
        // "add {item}" alone could take the whole rest; the longer template explains more words and wins.
        let add = try #require(best("add eggs to the grocery list"))
        #expect(add.slots["item"] == items("eggs to the grocery list"))
        let put = try #require(best("put eggs on the grocery list"))
        #expect(put.slots["item"] == items("eggs"))
    }

    @Test func listsAndLiteralsBeatWildcards() throws {
        let yaml = """
            intents:
              PlayStation:
                data:
                  - sentences: ["play {station}"]
              PlayAnything:
                data:
                  - sentences: ["play {query}"]
            lists:
              station: { values: [ { in: "jazz (radio | fm)", out: "Jazz FM" } ] }
              query: { wildcard: true }
            """
        let radio = try IntentEngine(skills: [try Fixtures.skill(yaml, "Radio")])
        let station = try #require(radio.match("play jazz radio").best)
        #expect(station.intent == "PlayStation")
        #expect(station.slots["station"] == .text("Jazz FM"))
        #expect(radio.match("play jazz radio").alternatives.first?.intent == "PlayAnything")
        let anything = try #require(radio.match("play some blues").best)
        #expect(anything.intent == "PlayAnything")
        #expect(anything.slots["query"] == .text("some blues"))
        #expect(anything.score < station.score)
    }

    // MARK: Lists, ranges, built-in types

    @Test func multipleValuesFromAList() throws {
        let yaml = """
            intents:
              Buy:
                data:
                  - sentences: ["buy {fruit} [today]"]
            lists:
              fruit:
                multiple: true
                values: [apples, pears, { in: "(green | runner) beans", out: Beans }]
            """
        let shop = try IntentEngine(skills: [try Fixtures.skill(yaml, "Shop")])
        let several = try #require(shop.match("buy apples, pears and runner beans today").best)
        #expect(several.slots["fruit"] == .list([.text("apples"), .text("pears"), .text("Beans")]))
        #expect(several.rawSlots["fruit"] == "apples, pears and runner beans")
        #expect(shop.match("buy pears").best?.slots["fruit"] == .list([.text("pears")]))
        #expect(shop.match("buy pears and plums").best == nil)
    }

    @Test func listsCanBeReplacedBeforeCompiling() throws {
        var home = try Fixtures.skill(Fixtures.home, "Home")
        let location = SourceLocation(file: "config.yaml", line: 1, column: 1)
        home.lists["name"] = SlotList(
            kind: .values([
                SlotListValue(spoken: TemplateText("garage heater", location: location), value: .text("Heater"))
            ]),
            location: location
        )
        let replaced = try IntentEngine(skills: [home])
        #expect(replaced.match("turn on the garage heater").best?.slots["name"] == .text("Heater"))
        #expect(replaced.match("turn on the bedroom lamp").best == nil)
    }

    @Test(arguments: [
        ("turn on the bedroom lamp", "Bedroom Lamp", "bedroom lamp"),
        ("turn on the bed room lamp", "Bedroom Lamp", "bed room lamp"),
        ("switch the tv on", "Living Room TV", "tv"),
        ("turn on ceiling fan", "Ceiling Fan", "ceiling fan"),
        ("Turn ON the Kitchen Light!", "Kitchen Light", "Kitchen Light"),
    ])
    func listSynonymsGiveTheCanonicalValue(text: String, name: String, raw: String) throws {
        let match = try #require(best(text))
        #expect(match.intent == "TurnOn")
        #expect(match.slots["name"] == .text(name))
        #expect(match.rawSlots["name"] == raw)
    }

    @Test(arguments: [
        ("set the kitchen light to 50%", 50.0), ("set the kitchen light to fifty percent", 50),
        ("set kitchen light brightness to 75", 75), ("dim the bedroom lamp to twenty five percent", 25),
        ("set the tv to 0", 0), ("set the tv to one hundred percent", 100),
    ])
    func rangesAcceptDigitsAndWords(text: String, value: Double) throws {
        let match = try #require(best(text))
        #expect(match.intent == "LightSet")
        #expect(match.slots["brightness"] == .percentage(value))
    }

    @Test(arguments: ["set the kitchen light to 150 percent", "set the kitchen light to 50.5 percent"])
    func valuesOutsideARangeDoNotMatch(text: String) {
        #expect(best(text)?.intent != "LightSet")
    }

    @Test func temperatureRangeWithHalfSteps() throws {
        #expect(
            best("set the temperature to 21.5 degrees")?.slots["temperature"]
                == .temperature(value: 21.5, unit: nil)
        )
        #expect(
            best("make it twenty one degrees celsius in here")?.slots["temperature"]
                == .temperature(value: 21, unit: .celsius)
        )
        #expect(best("set the temperature to 21.3 degrees") == nil)
    }

    @Test func builtinTypesInSentences() throws {
        let timer = try #require(best("set a timer for an hour and a half"))
        #expect(timer.intent == "SetTimer")
        #expect(timer.slots["duration"] == .duration(seconds: 5400))
        #expect(best("ten minutes timer")?.slots["duration"] == .duration(seconds: 600))
        let alarm = try #require(best("wake me up at 7 pm tomorrow"))
        #expect(alarm.intent == "SetAlarm")
        #expect(alarm.slots["time"] == .time(hour: 19, minute: 0))
        #expect(alarm.slots["date"] == .date(DateRange(day: CalendarDay(year: 2025, month: 3, day: 8))))
        #expect(alarm.rawSlots["time"] == "7 pm")
        let half = try #require(best("set an alarm for half past six"))
        #expect(half.slots["time"] == .time(hour: 6, minute: 30))
        #expect(half.slots["date"] == nil)
    }

    // MARK: Digits and words, contractions, fillers

    @Test(arguments: ["count to 25", "count to twenty five", "count to twenty-five"])
    func numberSlotsTakeDigitsAndWords(text: String) {
        #expect(best(text)?.slots["n"] == .number(25))
    }

    @Test(arguments: ["set volume to 2", "set volume to two", "Set volume to 2."])
    func literalDigitsMatchWords(text: String) throws {
        let match = try #require(best(text))
        #expect(match.intent == "Count")
        #expect(match.score == 1)
    }

    @Test(arguments: ["what's on my shopping list", "what is on my shopping list", "What’s on the grocery list?"])
    func contractionsAreExpanded(text: String) {
        #expect(best(text)?.intent == "ReadList")
    }

    @Test(arguments: [
        "please turn on the tv", "turn on the tv please", "um turn on the uh tv", "hey hark could you turn on the tv",
        "can you turn on the tv for me please",
    ])
    func fillersAreSkippedAnywhere(text: String) throws {
        let match = try #require(best(text))
        #expect(match.intent == "TurnOn")
        #expect(match.slots["name"] == .text("Living Room TV"))
        #expect(!match.skippedWords.isEmpty)
        #expect(match.score < 1)
        #expect(match.score > 0.9)
    }

    @Test func fillersAreNotInsideWildcards() throws {
        let match = try #require(best("please add milk please"))
        #expect(match.slots["item"] == items("milk"))
        #expect(match.skippedWords == ["please", "please"])
    }

    @Test func skillSkipWordsOnlyApplyToTheirSkill() {
        #expect(best("hey there read my shopping list")?.intent == "ReadList")
        #expect(best("hey there turn on the tv") == nil)
    }

    // MARK: Context

    @Test func requiresContextTakesTheAreaFromTheContext() throws {
        let match = try #require(best("turn on the lights in here", ["area": "Living Room"]))
        #expect(match.intent == "TurnOn")
        #expect(match.slots == ["area": .text("Living Room"), "domain": .text("light")])
        #expect(match.rawSlots.isEmpty)
        #expect(best("turn on the lights in here") == nil)
        let named = try #require(best("turn on the lights in the kitchen"))
        #expect(named.slots == ["area": .text("Kitchen"), "domain": .text("light")])
    }

    @Test func excludesContext() {
        #expect(best("good night", ["area": "Bedroom"])?.intent == "Sleep")
        #expect(best("good night") != nil)
        #expect(best("good night", ["area": "Garage"]) == nil)
    }

    @Test func listValueContextMustFitTheSentence() throws {
        let yaml = """
            intents:
              KitchenOnly:
                data:
                  - sentences: ["brighten [the] {name}"]
                    requires_context: { area: Kitchen }
                    slots: { brightness: 100 }
              Elsewhere:
                data:
                  - sentences: ["brighten [the] {name}"]
                    excludes_context: { area: [Kitchen] }
            lists:
              name:
                values:
                  - { in: kitchen light, out: Kitchen Light, context: { area: Kitchen } }
                  - { in: bedroom lamp, out: Bedroom Lamp, context: { area: Bedroom } }
            """
        let lights = try IntentEngine(skills: [try Fixtures.skill(yaml, "Lights")])
        let kitchen = try #require(lights.match("brighten the kitchen light").best)
        #expect(kitchen.intent == "KitchenOnly")
        #expect(kitchen.slots == ["name": .text("Kitchen Light"), "brightness": .number(100)])
        #expect(lights.match("brighten the kitchen light").alternatives.isEmpty)
        #expect(lights.match("brighten the bedroom lamp").best?.intent == "Elsewhere")
    }

    // MARK: Scores, alternatives, ties, near misses

    @Test func scoresRankLiteralsAboveListsAboveTypedAboveWildcards() throws {
        let literal = try #require(best("what is on my shopping list"))
        #expect(literal.score == 1)
        let list = try #require(best("turn on the tv"))
        #expect(list.score == (3 * 100 + 90) / 400.0)
        let typed = try #require(best("count to seven"))
        #expect(typed.score == (2 * 100 + 85) / 300.0)
        let wildcard = try #require(best("add milk"))
        #expect(wildcard.score == (100 + 50) / 200.0)
        #expect(literal.isComplete && wildcard.isComplete)
        #expect(literal.unmatchedWords.isEmpty && literal.missingParts.isEmpty)
        #expect(list.matchedText == "turn on the tv")
    }

    @Test func tiesAreBrokenBySkillThenIntentThenSentenceOrder() throws {
        let beta = "intents:\n  Play:\n    data:\n      - sentences: [\"play music\"]\n"
        let alpha =
            "intents:\n  Zeta:\n    data:\n      - sentences: [\"play music\"]\n"
            + "  Music:\n    data:\n      - sentences: [\"play music\", \"play (music | songs)\"]\n"
        for order in [[(beta, "Beta"), (alpha, "Alpha")], [(alpha, "Alpha"), (beta, "Beta")]] {
            let tied = try Fixtures.engine(order)
            let result = tied.match("play music")
            #expect(result.best?.skill == "Alpha")
            #expect(result.best?.intent == "Music")
            #expect(result.best?.template.text == "play music")
            #expect(result.alternatives.map { "\($0.skill)/\($0.intent)" } == ["Alpha/Zeta", "Beta/Play"])
            #expect(result.alternatives.allSatisfy { $0.score == 1 })
            #expect(result.isAmbiguous)
        }
        #expect(engine.match("play music").best == nil)
        #expect(!engine.match("turn on the tv", context: context()).isAmbiguous)
    }

    @Test func nearestExplainsWhatWasNotUnderstood() throws {
        let result = engine.match("turn on the garage heater", context: context())
        #expect(result.best == nil)
        let nearest = try #require(result.nearest)
        #expect(nearest.intent == "TurnOn")
        #expect(!nearest.isComplete)
        #expect(nearest.matchedText == "turn on the")
        #expect(nearest.unmatchedWords == ["garage", "heater"])
        #expect(nearest.unresolvedSlots == ["name": "garage heater"])
        #expect(nearest.score > 0.5 && nearest.score < 1)
        #expect(result.alternatives.allSatisfy { !$0.isComplete && $0.score <= nearest.score })

        let missing = try #require(engine.match("turn on the", context: context()).nearest)
        #expect(missing.intent == "TurnOn")
        #expect(missing.missingParts == ["{name}"])

        let extra = try #require(engine.match("set a long timer for ten minutes", context: context()).nearest)
        #expect(extra.intent == "SetTimer")
        #expect(extra.unmatchedWords == ["long"])
        #expect(extra.slots["duration"] == .duration(seconds: 600))
    }

    @Test func aWordNoSentenceUsesBeforeAValueNamesSomethingElse() throws {
        // "the guest bedroom" is not the bedroom: the near miss reads the words said as an unknown area.
        let guest = try #require(engine.match("turn on the lights in the guest bedroom", context: context()).nearest)
        #expect(guest.intent == "TurnOn")
        #expect(guest.unresolvedSlots == ["area": "guest bedroom"])
        #expect(guest.slots["area"] == nil)
        // A word left over elsewhere leaves the value alone.
        let after = try #require(engine.match("turn on the lights in the bedroom guest", context: context()).nearest)
        #expect(after.slots["area"] == .text("Bedroom"))
        #expect(after.unresolvedSlots.isEmpty)
    }

    @Test func matchingIsDeterministic() {
        let texts = ["add milk", "turn on the tv", "turn on the garage heater", "set the tv to 50 percent"]
        for text in texts {
            let first = engine.match(text, context: context())
            let second = engine.match(text, context: context())
            #expect(first.best == second.best)
            #expect(first.alternatives == second.alternatives)
            #expect(first.nearest == second.nearest)
        }
    }
}
