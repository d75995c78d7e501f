import Foundation
import Testing

@testable import HarkUnderstanding

/// Template files shared by the tests: small skills in the shape real skills use.
enum Fixtures {
    static let shopping = """
        language: en
        intents:
          AddItem:
            data:
              - sentences:
                  - "add {item} [to [my] shopping list]"
                  - "put {item} on <my_list>"
                slots: { list: shopping }
          RemoveItem:
            data:
              - sentences:
                  - "(remove | delete) {item} from <my_list>"
          ReadList:
            data:
              - sentences:
                  - "what's on <my_list>"
                  - "read <my_list>"
        lists:
          item: { wildcard: true, multiple: true }
        expansion_rules:
          my_list: "[the | my] (shopping | grocery) list"
        skip_words: ["hey there"]
        """

    static let home = """
        language: en
        intents:
          TurnOn:
            data:
              - sentences:
                  - "(turn | switch) on [the] {name}"
                  - "(turn | switch) [the] {name} on"
              - sentences:
                  - "(turn | switch) on [the] lights in here"
                slots: { domain: light }
                requires_context: { area: { slot: true } }
              - sentences:
                  - "(turn | switch) on [the] lights in [the] {area}"
                slots: { domain: light }
          TurnOff:
            data:
              - sentences:
                  - "(turn | switch) off [the] {name}"
          LightSet:
            data:
              - sentences:
                  - "set [the] {name} [brightness] to {brightness}"
                  - "dim [the] {name} to {brightness}"
          ClimateSetTemperature:
            data:
              - sentences:
                  - "set [the] temperature to {temperature}"
                  - "make it {temperature} [in here]"
          Sleep:
            data:
              - sentences:
                  - "good night"
                excludes_context: { area: [Garage] }
        lists:
          name:
            values:
              - in: "(bedroom | bed room) lamp"
                out: "Bedroom Lamp"
                context: { area: Bedroom }
              - in: "kitchen light"
                out: "Kitchen Light"
                context: { area: Kitchen }
              - "Ceiling Fan"
              - in: "tv"
                out: "Living Room TV"
          area:
            values: [Kitchen, Bedroom, "Living Room"]
          brightness: { range: { from: 0, to: 100, step: 1 }, type: percentage }
          temperature: { range: { from: 10, to: 90, step: 0.5 }, type: temperature }
        """

    static let timers = """
        language: en
        intents:
          SetTimer:
            data:
              - sentences:
                  - "set [a] timer for {duration}"
                  - "{duration} timer"
          SetAlarm:
            data:
              - sentences:
                  - "(set | create) [an] alarm (for | at) {time} [{date}]"
                  - "wake me [up] at {time} [{date}]"
          Count:
            data:
              - sentences:
                  - "count to {n}"
                  - "set volume to 2"
        lists:
          n: { type: number }
          date: { type: date }
        """

    static func skill(_ yaml: String, _ name: String) throws -> SkillTemplates {
        try SkillTemplates.load(yaml: yaml, file: "Skills/\(name)/intents/en.yaml", skill: name)
    }

    static func engine(
        _ pairs: [(String, String)] = [(shopping, "Shopping"), (home, "Home"), (timers, "Timers")]
    )
        throws -> IntentEngine
    {
        try IntentEngine(skills: pairs.map { try skill($0.0, $0.1) })
    }

    /// The three fixture skills compiled once.
    static let standardEngine: IntentEngine = {
        do {
            return try engine()
        } catch {
            fatalError("fixtures must compile: \(error)")
        }
    }()

    /// Friday 7 March 2025, 10:00 UTC.
    static let friday: Date = Date(timeIntervalSince1970: 1_741_341_600)

    static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
