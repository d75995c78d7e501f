import Foundation
import Testing

/// Issue 20, nothing lost: `hark` killed with SIGKILL in the middle of many writes keeps every write it
/// acknowledged, and the database opens clean.
@Suite struct DurabilityCLITests {
    @Test func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let hark = try HarkProcess()
        try "skills:\n  shopping: { purchase_code: \"4827\" }\n".write(
            toFile: hark.home + "/config.yaml", atomically: true, encoding: .utf8)
        // Requests on a pipe that stays open: list items, and an order every tenth request.
        let input = Pipe()
        let runner = try ProcessRunner.start(
            HarkProcess.binary, ["ask", "--batch", "--session", "durable"], environment: ["HARK_HOME": hark.home],
            directory: hark.home, standardInput: input)
        var requests: [String] = []
        var acknowledged: [String] = []
        let deadline = ContinuousClock.now + .seconds(300)  // generous: a loaded CI machine answers slowly
        while acknowledged.count < 60, ContinuousClock.now < deadline, runner.isRunning {
            let replies = runner.output.split(separator: "\n")
            while requests.count <= replies.count + 2 {
                let n = requests.count
                let request = n % 10 == 8 ? "order my shopping list" : n % 10 == 9 ? "four eight two seven" : Self.words(n)
                input.fileHandleForWriting.write(
                    Data(((n % 10 >= 8 ? request : "add \(request) to my shopping list") + "\n").utf8))
                requests.append(request)
            }
            // The n-th line answers the n-th request: an item is acknowledged once its AddItem reply is out.
            acknowledged = replies.enumerated().compactMap { index, line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    object["intent"] as? String == "AddItem"
                else { return nil }
                return requests[index]
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        runner.signal(SIGKILL)
        _ = runner.wait(timeout: 10)
        let replies = runner.output.split(separator: "\n")
        let orders = replies.filter { $0.contains("\"status\":\"placed\"") }.count
        #expect(acknowledged.count >= 60, "\(runner.output)\(runner.errorOutput)")

        let database = hark.home + "/hark.sqlite"
        #expect(try ProcessRunner.output("/usr/bin/sqlite3", [database, "PRAGMA integrity_check"]) == "ok\n")
        let items = try ProcessRunner.output(
            "/usr/bin/sqlite3", [database, "SELECT key FROM shopping_list_item UNION SELECT item FROM shopping_purchase"])
        let stored = Set(items.split(separator: "\n").map(String.init))
        let lost = acknowledged.filter { item in !stored.contains { $0.contains(item) } }
        #expect(lost.isEmpty, "acknowledged but not in the file: \(lost)")
        let storedOrders = try ProcessRunner.output("/usr/bin/sqlite3", [database, "SELECT count(*) FROM shopping_order"])
        #expect((Int(storedOrders.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1) >= orders, "\(storedOrders) < \(orders)")
    }

    /// "alpha bravo" for 0…99: item names the list keeps apart (digits would be read as quantities).
    static func words(_ n: Int) -> String {
        let names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
        return names[(n / 10) % 10] + " " + names[n % 10]
    }
}
