import Foundation
import Testing

@testable import HarkUnderstanding

private let engine = Fixtures.standardEngine

private func garbage(seed: UInt64, count: Int) -> String {
    var random = SplitMix64(seed: seed)
    let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    return String(decoding: bytes, as: UTF8.self)
}

/// Bad input never matches, never crashes and is answered quickly.
@Suite struct RobustnessTests {
    static let inputs: [String] = [
        "", " ", "\n\t  \r\n", "?!.,;:", "...", "'''", "---", "%%%", "°°°", "( [ { < | > } ] )",
        "🙂🎉🔥", "turn 🙂 on", "\u{0000}\u{0001}\u{0007}", "\u{202E}gninrom doog",
        "Schalte das Licht im Wohnzimmer ein",
        "把灯打开", "включи свет", "أطفئ الضوء", "123456789012345678901234567890123456789",
        "99999999999999999999.999999999999999999", "-", "-5-5-5", "1,2,3,4,5,6,7,8,9", "3.14.15.92", "12:99:99",
        "25:61", "0x1F", "1e308", "∞", "NaN", String(repeating: "a", count: 10_000),
        String(repeating: "add ", count: 2500), String(repeating: "turn on the ", count: 900),
        String(repeating: "please ", count: 99), garbage(seed: 1, count: 10_000), garbage(seed: 2, count: 64),
        String(repeating: "🙂", count: 5000), String(repeating: "1", count: 10_000),
        String(repeating: "twenty ", count: 60), String(repeating: "and ", count: 60),
    ]

    @Test(arguments: inputs)
    func badInputDoesNotMatch(text: String) {
        let start = ContinuousClock.now
        let result = engine.match(text)
        let elapsed = ContinuousClock.now - start
        #expect(result.best == nil, "matched \(result.best.map { "\($0.skill)/\($0.intent)" } ?? "")")
        #expect(elapsed < .milliseconds(500), "took \(elapsed)")
    }

    @Test func longCommandsStillMatchUpToTheLimit() {
        let syllables = ["ka", "lo", "mi", "ra", "ne", "to", "vu", "shi"]
        let items = (0..<40).map { syllables[$0 % 8] + syllables[$0 / 8] + "berry" }.joined(separator: ", ")
        let result = engine.match("add \(items) to my shopping list")
        guard case .list(let values)? = result.best?.slots["item"] else {
            Issue.record("no list of items")
            return
        }
        #expect(values.count == 40)
        let tooLong = "add " + (1...120).map { "item\($0)" }.joined(separator: " ")
        #expect(engine.match(tooLong).best == nil)
    }

    @Test func concurrentMatchingGivesTheSameAnswers() async {
        let texts = [
            "add milk to my shopping list", "turn on the bedroom lamp", "set a timer for ten minutes",
            "turn on the garage heater", "what's on my shopping list",
        ]
        let expected = texts.map { engine.match($0).best?.intent ?? engine.match($0).nearest?.intent }
        let results = await withTaskGroup(of: (Int, String?).self) { group in
            for round in 0..<40 {
                let index = round % texts.count
                group.addTask {
                    let result = engine.match(texts[index])
                    return (index, result.best?.intent ?? result.nearest?.intent)
                }
            }
            var collected: [(Int, String?)] = []
            for await item in group { collected.append(item) }
            return collected
        }
        for (index, intent) in results { #expect(intent == expected[index]) }
    }
}
