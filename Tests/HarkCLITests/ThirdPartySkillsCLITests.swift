import Foundation
import Testing

/// Third-party skills through the real `hark` binary, installed in `$HARK_HOME/skills`.
@Suite struct ThirdPartySkillsCLITests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/Skills").path

    /// A HARK_HOME with the named example skills copied into its skills directory.
    static func home(installing skills: [String]) throws -> HarkProcess {
        let hark = try HarkProcess()
        try FileManager.default.createDirectory(atPath: hark.home + "/skills", withIntermediateDirectories: true)
        for skill in skills {
            try FileManager.default.copyItem(atPath: examples + "/" + skill, toPath: hark.home + "/skills/" + skill)
        }
        return hark
    }

    @Test func askSDKSkillAnswersHarkAsk() throws {
        let hark = try Self.home(installing: ["hello-ask"])
        let launch = try hark.run(["ask", "open hello world"])
        #expect(launch.status == 0, "\(launch.stderr)")
        #expect(launch.stdout == "Welcome to hello world. You can say hello, or tell me your favorite color.\n")
        let hello = try hark.run(["ask", "say hello to ada", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(hello.stdout.utf8)) as? [String: Any])
        #expect(object["skill"] as? String == "hello-ask")
        #expect(object["intent"] as? String == "HelloWorldIntent")
        #expect(object["reply"] as? String == "Hello, ada!")
        #expect(object["endSession"] as? Bool == true)
    }

    @Test func askSDKSkillHoldsAMultiTurnChat() throws {
        let hark = try Self.home(installing: ["hello-ask", "coin-flip"])
        let chat = try hark.run(
            ["chat"],
            stdin: "open hello world\nmy favorite color is violet\nwhat is my favorite color\nflip a coin\nquit\n")
        #expect(chat.status == 0, "\(chat.stderr)")
        let replies = chat.stdout.split(separator: "\n").filter { $0.hasPrefix("hark> ") }
        #expect(replies.count == 4, "\(chat.stdout)")
        #expect(replies[0].contains("Welcome to hello world"))
        #expect(replies[1].contains("I now know your favorite color is purple"))
        #expect(replies[2] == "hark> Your favorite color is purple. Goodbye!")
        #expect(replies[3].contains("It's heads") || replies[3].contains("It's tails"))
    }

    @Test func skillsListShowsOriginHealthAndBrokenFolders() throws {
        let hark = try Self.home(installing: ["coin-flip"])
        let broken = hark.home + "/skills/broken"
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        try "id: broken\nentry: exec\n".write(toFile: broken + "/skill.yaml", atomically: true, encoding: .utf8)
        let list = try hark.run(["skills", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            list.stdout.contains("coin-flip  Coin flip 1.0.0  [\(hark.home)/skills/coin-flip]  ready"), "\(list.stdout)"
        )
        #expect(list.stdout.contains("intents: FlipCoin, FlipCoins"))
        #expect(list.stdout.contains("broken  [\(broken)]  unhealthy: \(broken)/skill.yaml"), "\(list.stdout)")
        // The broken folder does not stop anything else.
        #expect(try hark.run(["ask", "toss three coins"]).stdout.contains("heads and"))
    }

    @Test(arguments: ["python", "shell"])
    func newThenTestThenLintThenAsk(language: String) throws {
        let hark = try HarkProcess()
        let created = try hark.run([
            "skills", "new", "pet-facts", "--language", language, "--directory", "skills/pet-facts",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let test = try hark.run(["skills", "test", "skills/pet-facts"])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("6 passed, 0 failed"), "\(test.stdout)")
        let lint = try hark.run(["skills", "lint", "skills/pet-facts"])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        let ask = try hark.run(["ask", "ask pet facts to say hello to ada"])
        #expect(ask.stdout == "Hello, ada! Shall I say it again?\n", "\(ask.stderr)")
    }

    @Test func importAlexaWritesAFolderThatTests() throws {
        let hark = try HarkProcess()
        let model = """
            {"interactionModel":{"languageModel":{"invocationName":"space facts","intents":[
              {"name":"GetFactIntent","samples":["tell me a space fact","give me a fact about {planet}"],
               "slots":[{"name":"planet","type":"Planet"}]},{"name":"AMAZON.StopIntent","samples":[]}],
              "types":[{"name":"Planet","values":[{"name":{"value":"mars","synonyms":["the red planet"]}}]}]}}}
            """
        try model.write(toFile: hark.home + "/en-US.json", atomically: true, encoding: .utf8)
        let imported = try hark.run(["skills", "import-alexa", "en-US.json", "space"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("note: skipped built-in intents Hark handles itself: AMAZON.StopIntent"))
        let test = try hark.run(["skills", "test", "space"])
        #expect(test.stdout.contains("2 passed, 0 failed"), "\(test.stdout)\(test.stderr)")
    }
}
