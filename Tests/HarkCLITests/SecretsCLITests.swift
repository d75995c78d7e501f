import Foundation
import Testing

/// Issue 20, secrets, through the real `hark` binary and the real database file: the purchase code is never
/// stored, printed or logged; state is private to its user; old sessions go; lockouts grow.
@Suite struct SecretsCLITests {
    /// A home whose configuration sets the purchase code 4827, with milk on the list.
    static func shopper() throws -> HarkProcess {
        let hark = try HarkProcess()
        try "skills:\n  shopping: { purchase_code: \"4827\" }\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        #expect(try hark.run(["ask", "add milk to my shopping list"]).status == 0)
        return hark
    }

    /// `sqlite3 FILE .dump`, and the sessions' JSON (a blob, which the dump shows in hex) as text.
    static func dump(_ database: String) throws -> String {
        try sqlite3(database, ".dump") + sqlite3(database, "SELECT id, CAST(state AS TEXT) FROM session")
    }

    static func sqlite3(_ database: String, _ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, command]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func permissions(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func thePurchaseCodeIsNeitherStoredNorPrinted() throws {
        let hark = try Self.shopper()
        let summary = try hark.run(["ask", "order my shopping list", "--session", "s1"])
        #expect(summary.stdout.contains("purchase code"), "\(summary.stdout)")
        let placed = try hark.run(["ask", "four eight two seven", "--session", "s1", "--json"])
        #expect(placed.status == 0, "\(placed.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(placed.stdout.utf8)) as? [String: Any])
        #expect((object["reply"] as? String)?.contains("placed") == true, "\(placed.stdout)")
        #expect(object["text"] as? String == "[purchase code]")
        #expect(!placed.stdout.contains("four eight two seven") && !placed.stdout.contains("4827"), "\(placed.stdout)")
        #expect(!placed.stderr.contains("four eight two seven"), "\(placed.stderr)")
        // Said inside a sentence, too.
        #expect(try hark.run(["ask", "add eggs to my shopping list"]).status == 0)
        #expect(try hark.run(["ask", "order my shopping list", "--session", "s2"]).status == 0)
        let inSentence = try hark.run(["ask", "my code is forty eight twenty seven", "--session", "s2", "--json"])
        #expect(inSentence.stdout.contains("\"text\":\"[purchase code]\""), "\(inSentence.stdout)")

        let dump = try Self.dump(hark.home + "/hark.sqlite")
        #expect(dump.contains("[purchase code]"), "the history keeps the turn, with the label")
        for secret in ["four eight two seven", "forty eight twenty seven"] {
            #expect(!dump.contains(secret), "\(secret) is in hark.sqlite")
        }
        // The digits alone, not inside a timestamp or a blob's hex (where "4827" can occur by chance).
        let digits = try NSRegularExpression(pattern: "(?<![0-9A-Fa-f.])4827(?![0-9A-Fa-f.])")
        #expect(digits.firstMatch(in: dump, range: NSRange(dump.startIndex..., in: dump)) == nil, "4827 is in hark.sqlite")
    }

    @Test func theVoicePipelinePrintsTheLabelNotTheWords() throws {
        let hark = try Self.shopper()
        #expect(try hark.run(["ask", "order my shopping list", "--session", "v"]).stdout.contains("purchase code"))
        #expect(try hark.run(["say", "four eight two seven", "-o", "code.wav"]).status == 0)
        let run = try hark.run(["run", "--input", "code.wav", "--session", "v", "--no-wake", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "[purchase code]", "\(run.stdout)")
        #expect((object["alternatives"] as? [Any])?.isEmpty == true, "\(run.stdout)")
        #expect(!run.stdout.contains("four eight") && !run.stdout.contains("4827"), "\(run.stdout)")
    }

    @Test func stateIsReadableByItsUserAlone() throws {
        let hark = try Self.shopper()
        #expect(try Self.permissions(hark.home) == 0o700)
        #expect(try Self.permissions(hark.home + "/hark.sqlite") == 0o600)
        for file in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: hark.home + "/hark.sqlite" + file) {
            #expect(try Self.permissions(hark.home + "/hark.sqlite" + file) == 0o600, "\(file)")
        }
        // An existing database made world-readable is made private again.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: hark.home + "/hark.sqlite")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hark.home)
        #expect(try hark.run(["ask", "what is on my shopping list"]).status == 0)
        #expect(try Self.permissions(hark.home + "/hark.sqlite") == 0o600)
        #expect(try Self.permissions(hark.home) == 0o700)
    }

    @Test func sessionsIdleLongerThanTheRetentionAreDeleted() throws {
        let hark = try Self.shopper()
        try "session_retention_days: 2\n".write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        #expect(try hark.run(["ask", "what is on my shopping list", "--session", "old"]).status == 0)
        #expect(try hark.run(["ask", "what is on my shopping list", "--session", "recent"]).status == 0)
        let now = Date().timeIntervalSince1970
        _ = try Self.sqlite3(
            hark.home + "/hark.sqlite",
            "UPDATE session SET updatedAt = \(now - 3 * 86_400) WHERE id = 'old'; "
                + "UPDATE session SET updatedAt = \(now - 1 * 86_400) WHERE id = 'recent';")
        #expect(try hark.run(["ask", "what is on my shopping list"]).status == 0)
        let dump = try Self.dump(hark.home + "/hark.sqlite")
        #expect(!dump.contains("'old'"), "a session idle 3 days is kept with session_retention_days: 2")
        #expect(dump.contains("'recent'"))
    }

    @Test func aRetentionOutOfRangeIsAnErrorNamingTheFileAndField() throws {
        let hark = try HarkProcess()
        try "session_retention_days: 0\n".write(toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        let ask = try hark.run(["ask", "what is on my shopping list"])
        #expect(ask.status != 0)
        #expect(ask.stderr.contains("\(hark.home)/config.yaml: session_retention_days: must be a number of days"), "\(ask.stderr)")
    }
}
