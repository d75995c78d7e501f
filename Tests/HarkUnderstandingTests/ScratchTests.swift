import Foundation
import Testing
@testable import HarkUnderstanding

@Test func scratch() throws {
    let engine = try Fixtures.engine()
    for text in ["add milk, eggs and bread to my shopping list", "please add milk", "turn on the bedroom lamp",
                 "set the kitchen light to 50%", "set the bed room lamp brightness to fifty percent",
                 "turn on the lights in here", "turn on the garage heater", "set a timer for an hour and a half",
                 "wake me up at 7 pm tomorrow", "what's on my shopping list", "set volume to two", "count to 25",
                 "make it 21 degrees", "hey hark could you turn off the tv", "good night", "xyzzy"] {
        let result = engine.match(text, context: MatchContext(["area": "Living Room"], now: Fixtures.friday, calendar: Fixtures.utcCalendar))
        if let best = result.best {
            print(text, "=>", best.skill, best.intent, best.slots.mapValues(\.description), best.rawSlots, best.score, "alts:", result.alternatives.map { "\($0.intent) \($0.score)" })
        } else {
            print(text, "=> NONE nearest:", result.nearest.map { "\($0.intent) matched='\($0.matchedText)' unmatched=\($0.unmatchedWords) missing=\($0.missingParts) unresolved=\($0.unresolvedSlots) \($0.score)" } ?? "nil")
        }
    }
}
