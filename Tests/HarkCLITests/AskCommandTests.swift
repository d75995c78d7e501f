import Foundation
import Testing

/// `hark ask` and `hark chat` through the real binary, with the built-in skills and a private HARK_HOME.
@Suite struct AskCommandTests {
    static func json(_ line: some StringProtocol) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func askShowsSkillIntentAndSlotsAsJSON() throws {
        let hark = try HarkProcess()
        let result = try hark.run(["ask", "add milk to my shopping list", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result.stdout)
        #expect(object["skill"] as? String == "shopping")
        #expect(object["intent"] as? String == "AddItem")
        let slots = try #require(object["slots"] as? [String: Any])
        #expect((slots["item"] as? [String]) == ["milk"] || (slots["item"] as? String) == "milk", "\(slots)")
        #expect(object["endSession"] as? Bool != nil)
        #expect((object["timings"] as? [String: Double])?["understand"] != nil)
        // The row is really there: a second process reads the list back.
        let list = try hark.run(["ask", "what's on my shopping list"])
        #expect(list.stdout.lowercased().contains("milk"), "\(list.stdout)")
    }

    @Test func sessionsContinueAcrossProcesses() throws {
        let hark = try HarkProcess()
        let first = try Self.json(try hark.run(["ask", "add something to my shopping list", "--json", "--session", "s1"]).stdout)
        #expect(first["endSession"] as? Bool == false, "\(first)")
        let second = try Self.json(try hark.run(["ask", "bread", "--json", "--session", "s1"]).stdout)
        #expect(second["intent"] as? String == "AddItem", "\(second)")
        #expect((second["reply"] as? String)?.lowercased().contains("bread") == true, "\(second)")
    }

    @Test func batchAnswersOneJSONLinePerRequest() throws {
        let hark = try HarkProcess()
        let result = try hark.run(["ask", "--batch"], stdin: "add eggs to my shopping list\n\nblorp zzz\nturn on the kitchen light\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(try Self.json(lines[0])["intent"] as? String == "AddItem")
        #expect(try Self.json(lines[1])["fallback"] as? Bool == true)
        #expect(try Self.json(lines[2])["fallback"] as? Bool == true)
        #expect(try Self.json(lines[3])["skill"] as? String == "smarthome")
    }

    @Test func chatCarriesATwoTurnElicitation() throws {
        let hark = try HarkProcess()
        let result = try hark.run(["chat", "--verbose"], stdin: "add something to my shopping list\ncoffee\nquit\n")
        #expect(result.status == 0, "\(result.stderr)")
        let replies = result.stdout.split(separator: "\n").filter { $0.hasPrefix("hark> ") }
        #expect(replies.count == 2, "\(result.stdout)")
        #expect(replies.last?.lowercased().contains("coffee") == true, "\(result.stdout)")
        #expect(result.stdout.contains("[shopping/AddItem"), "\(result.stdout)")
    }
}

/// The built-in skills together, as a person would use them in one `hark chat`.
@Suite struct DinnerPlanTests {
    @Test func planADinnerAddWhatIsMissingAndOrderIt() throws {
        let hark = try HarkProcess()
        try "skills:\n  shopping: { purchase_code: \"1234\" }\n"
            .write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let script = """
            what can i make with chicken and rice
            yes
            add the missing ingredients to my shopping list
            order my shopping list
            1 2 3 4
            what's on my shopping list
            quit

            """
        let result = try hark.run(["chat", "--verbose"], stdin: script)
        #expect(result.status == 0, "\(result.stderr)")
        // Replies vary their wording; the verbose line says which skill and intent answered.
        let lines = result.stdout.split(separator: "\n").map { $0.lowercased() }
        let replies = lines.filter { $0.hasPrefix("hark> ") }
        try #require(replies.count == 6, "\(result.stdout)")
        for handled in ["[recipes/suggestrecipe", "[recipes/yes", "[recipes/addmissingtolist", "[shopping/order"] {
            #expect(lines.contains { $0.contains(handled) }, "no \(handled) in \(result.stdout)")
        }
        #expect(replies[2].contains("lemon"), "\(replies[2])")
        #expect(replies[3].contains("pounds") && replies[3].contains("purchase code"), "\(replies[3])")
        #expect(replies[4].contains("number 1"), "\(replies[4])")
        // Ordered items leave the list.
        #expect(!replies[5].contains("lemon"), "\(replies[5])")
    }
}
