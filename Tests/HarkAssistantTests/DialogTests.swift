import Foundation
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import Testing

/// The dialog manager, end to end through the errands fixture skill and a real SQLite database.
@Suite struct DialogTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/errands").path

    static func tester() throws -> SkillTester {
        try SkillTester(skill: ErrandsSkill(), folder: folder)
    }

    @Test func theFixtureTestFilePasses() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let report = try await tester.runTestFile(of: tester.skills[0])
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.sentencesRun == 6)
        #expect(report.dialogsRun == 2)
    }

    @Test func aRequiredSlotIsElicitedAndABareAnswerFillsIt() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let first = await tester.ask("remember something")
        #expect(first.reply == "What should I remember?")
        #expect(!first.endSession)
        // What a voice front end needs to listen for the answer.
        #expect(first.awaitedSlot != nil && first.questionIntent == "errands/Remember")
        let second = await tester.ask("eggs and bread")
        #expect(second.intent == "Remember")
        #expect(second.reply == "I'll remember eggs and bread.")
        #expect(second.endSession)
    }

    @Test func anUnusableAnswerIsAskedAgainAndStopEndsIt() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        _ = await tester.ask("plan a trip")
        let again = await tester.ask("purple")
        #expect(again.reply.contains("For which day?"), "\(again.reply)")
        #expect(!again.endSession)
        let stop = await tester.ask("stop")
        #expect(stop.reply == "Okay.")
        #expect(stop.endSession)
        let after = await tester.ask("tomorrow")
        #expect(after.intent != "PlanTrip")
    }

    @Test func noToAConfirmationCancels() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let question = await tester.ask("plan a trip for friday")
        #expect(question.questionIntent == "errands/PlanTrip" && question.awaitedSlot == nil)
        let no = await tester.ask("no")
        #expect(no.reply == "Okay, I won't.")
        #expect(no.endSession && no.questionIntent == nil)
    }

    @Test func yesGoesToTheSkillThatOfferedSomething() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let offer = await tester.ask("surprise me")
        #expect(offer.reply == "Shall I tell you a joke?")
        let yes = await tester.ask("yes please")
        #expect(yes.reply.hasPrefix("Why did the microphone blush"))
        let yesAgain = await tester.ask("yes")
        #expect(yesAgain.reply == "There's nothing to say yes or no to right now.")
    }

    @Test func aMisheardRequestIsAskedBackBeforeItRuns() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let assistant = tester.assistant
        // The words match perfectly, but the speech recognizer doubted them.
        let asked = await assistant.respond(to: "remember eggs", sessionID: tester.sessionID, misheard: true)
        #expect(asked.reply == "Did you mean: remember eggs?", "\(asked.reply)")
        #expect(asked.intent == nil && !asked.endSession)
        #expect(asked.questionIntent == "errands/Remember", "Hark asked about the skill's intent")
        let yes = await tester.ask("yes")
        #expect(yes.intent == "Remember")
        #expect(yes.reply == "I'll remember eggs.")
        // "No" drops it; a built-in ("stop") is never asked back.
        _ = await assistant.respond(to: "remember bread", sessionID: tester.sessionID, misheard: true)
        let no = await tester.ask("no")
        #expect(no.intent != "Remember", "\(no.reply)")
        let stop = await assistant.respond(to: "stop", sessionID: tester.sessionID, misheard: true)
        #expect(stop.reply == "Okay.")
    }

    @Test func repeatSaysTheLastReplyAgain() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        #expect(await tester.ask("repeat").reply == "I haven't said anything yet.")
        let said = await tester.ask("count to three")
        #expect(said.reply == "1, 2, 3.")
        #expect(await tester.ask("say that again").reply == "1, 2, 3.")
    }

    @Test func anUnknownDeviceReachesTheSkillWhichSaysWhatItKnows() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let reply = await tester.ask("switch on the garage heater")
        #expect(reply.intent == "Switch")
        #expect(reply.reply == "I don't know a device called garage heater; you have Bedroom Lamp and Kettle.")
    }

    @Test func aCrashingSkillCostsOneApology() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let crash = await tester.ask("break yourself")
        #expect(crash.reply == "Sorry, Errands ran into a problem. Please try again.")
        #expect(crash.endSession)
        #expect(await tester.ask("count to two").reply == "1, 2.")
    }

    @Test func helpListsWhatHarkCanDo() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let help = await tester.ask("what can you do")
        #expect(help.intent == "Help")
        #expect(help.reply.hasPrefix("You can ask me things like:"))
    }

    @Test func fallbackExplainsWhatWasNotUnderstood() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let reply = await tester.ask("count to five hundred bananas")
        #expect(reply.fallback || reply.reply.hasPrefix("Did you mean"), "\(reply.reply)")
        let nonsense = await tester.ask("the weather on mars is purple")
        #expect(nonsense.fallback)
        #expect(nonsense.reply.hasPrefix("Sorry"))
    }

    @Test(arguments: ["", "   ", "?!...", String(repeating: "ab ", count: 3334), "\u{0}\u{1}\u{7f}ÿ", "🎉🎉", "¿Dónde está la biblioteca?"])
    func badInputGetsAClearReply(text: String) async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let reply = await tester.ask(text)
        #expect(reply.fallback)
        #expect(!reply.reply.isEmpty)
        #expect(await tester.ask("count to two").reply == "1, 2.")
    }

    @Test func sessionsSurviveANewAssistantOnTheSameDatabase() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-dialog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        func assistant() throws -> Assistant {
            let database = try HarkDatabase(path: home + "/hark.sqlite")
            var options = AssistantOptions(dataDirectory: home)
            options.variation = .first
            let package = try SkillPackage.load(folder: Self.folder, variation: .first)
            return try Assistant(
                skills: [InstalledSkill(package: package, handler: ErrandsSkill(), origin: Self.folder)], database: database,
                options: options)
        }
        let first = try await assistant().respond(to: "remember something", sessionID: "s1")
        #expect(!first.endSession)
        let second = try await assistant().respond(to: "butter", sessionID: "s1")
        #expect(second.reply == "I'll remember butter.")
        let unknown = try await assistant().respond(to: "butter", sessionID: "never-seen")
        #expect(unknown.intent != "Remember")
    }
}
