import Foundation
import Testing

/// Product advice and the morning briefing said aloud: eSpeak NG speaks them, `hark run` hears them with the grammar
/// built from the skills' sentences, and the shopping skill answers (no weather place is set: the climate table, the
/// use alone, or the briefing without the weather).
@Suite struct AdviceVoiceTests {
    @Test func adviceSentencesAndGoodMorningAreHeardAndAnswered() throws {
        let hark = try HarkProcess()
        let sentences: [(said: String, intent: String, slots: [String: String], reply: String)] = [
            ("which coffee is good for espresso", "Advise", ["kind": "coffee", "use": "espresso"], "Espresso ground coffee"),
            (
                "what jacket should i get for hiking in scotland in march", "Advise",
                ["kind": "jacket", "use": "hiking", "place": "Scotland", "when": "march"], "In Scotland in March"
            ),
            ("i need boots for snow", "Advise", ["kind": "boots", "use": "snow"], "Insulated snow boots"),
            ("good morning", "Briefing", [:], "Good morning."),
        ]
        var inputs: [String] = []
        for (index, sentence) in sentences.enumerated() {
            let said = try hark.run(["say", sentence.said, "--voice", "en-us+f2", "-o", "s\(index).wav"])
            #expect(said.status == 0, "\(said.stderr)")
            inputs += ["--input", "s\(index).wav"]
        }
        let run = try hark.run(["run", "--no-wake", "--json"] + inputs)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == sentences.count)
        for (line, sentence) in zip(lines, sentences) {
            let result = try RunCommandTests.object(line)
            #expect(result["intent"] as? String == sentence.intent, "\(sentence.said): heard \(result["text"] ?? "")")
            let slots = result["slots"] as? [String: Any] ?? [:]
            for (name, value) in sentence.slots {
                #expect(slots[name] as? String == value, "\(sentence.said): \(name) heard as \(slots[name] ?? "nothing")")
            }
            #expect((result["reply"] as? String)?.contains(sentence.reply) == true, "\(result["reply"] ?? "")")
        }
    }
}
