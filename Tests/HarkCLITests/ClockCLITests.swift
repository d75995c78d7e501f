import Foundation
import Testing

/// Issue 19, timers across a restart of the real binary: each `hark ask` is a new process, with its clock fixed by
/// `HARK_NOW`, so the timer set by one is listed by the next and said as done by the one after its end.
@Suite struct ClockCLITests {
    static func ask(_ hark: HarkProcess, _ text: String, at now: String) throws -> String {
        var hark = hark
        hark.environment["HARK_NOW"] = now
        hark.environment["TZ"] = "UTC"
        let result = try hark.run(["ask", text])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aTimerSetByOneProcessIsListedByTheNextAndSaidWhenDue() throws {
        let hark = try HarkProcess()
        let set = try Self.ask(hark, "set a pasta timer for 10 minutes", at: "2026-01-01T10:00:00Z")
        #expect(set == "Okay, pasta timer for 10 minutes, starting now.", "\(set)")

        let listed = try Self.ask(hark, "what timers do I have", at: "2026-01-01T10:04:00Z")
        #expect(listed == "You have one timer: the pasta timer with 6 minutes left.", "\(listed)")

        let due = try Self.ask(hark, "what's on my shopping list", at: "2026-01-01T10:12:00Z")
        #expect(due.hasPrefix("Your pasta timer is done. "), "\(due)")
        #expect(due.count > "Your pasta timer is done. ".count, "the request itself is answered too: \(due)")

        let after = try Self.ask(hark, "what timers do I have", at: "2026-01-01T10:13:00Z")
        #expect(after == "You have no timers.", "\(after)")
    }

    @Test func aMalformedHarkNowIsRefusedWithTheReason() throws {
        var hark = try HarkProcess()
        hark.environment["HARK_NOW"] = "tomorrow-ish"
        let result = try hark.run(["ask", "what time is it"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("HARK_NOW"), "\(result.stderr)")
    }
}
