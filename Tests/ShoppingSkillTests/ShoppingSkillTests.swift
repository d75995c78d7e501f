import Foundation
import GRDB
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import HarkUnderstanding
import Testing

@testable import ShoppingSkill

/// The shopping skill end to end: its YAML tests, the SQLite state a user relies on, and the parts that
/// read what was said (item phrases, purchase codes, amounts, prices).
@Suite struct ShoppingSkillTests {
    static let code: [String: JSONValue] = ["purchase_code": "1234"]

    /// A factory for testers and runners: the skill on the tester's own database.
    static func factory(_ settings: [String: JSONValue]) -> SkillTestRunner.SkillFactory {
        { database, _ in
            [
                InstalledSkill(
                    package: try SkillPackage.load(folder: ShoppingSkill.folder, variation: .first),
                    handler: try ShoppingSkill(database: database.pool, defaultSettings: settings), origin: "built-in")
            ]
        }
    }

    static func tester(_ settings: [String: JSONValue] = code, now: Date? = nil) throws -> SkillTester {
        if let now { return try SkillTester(now: now, makeSkills: factory(settings)) }
        return try SkillTester(makeSkills: factory(settings))
    }

    /// A separate connection to the tester's file: what another process would see after a crash.
    static func separateQueue(_ tester: SkillTester) throws -> DatabaseQueue {
        try DatabaseQueue(path: tester.folder + "/hark.sqlite")
    }

    // MARK: The YAML tests

    @Test func theSkillsTestFilePasses() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let report = try await tester.runTestFile(of: tester.skills[0])
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.sentencesRun >= 50)
        #expect(report.dialogsRun >= 10)
        print("shopping tests/en.yaml: \(report.sentencesRun) sentences, \(report.dialogsRun) dialogs, \(report.passed) passed")
    }

    @Test func orderingWithoutAPurchaseCodeExplainsHowToTurnItOn() async throws {
        let runner = SkillTestRunner(skillID: "shopping", makeSkills: Self.factory([:]))
        let file = try SkillTestFile.load(path: ShoppingSkill.folder + "/tests/without-purchase-code.yaml")
        let report = try await runner.run(file)
        #expect(report.dialogsRun == 1)
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
    }

    // MARK: Durability

    @Test func anAcknowledgedAddIsInTheFileForAnotherConnection() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        let reply = await tester.ask("add two litres of milk and a dozen eggs")
        #expect(reply.reply == "I've added 2 litres of milk and 1 dozen eggs to your shopping list.")
        let queue = try Self.separateQueue(tester)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT key, name, quantity, unit FROM shopping_list_item ORDER BY id")
        }
        #expect(rows.map { $0["key"] as String } == ["milk", "egg"])
        #expect(rows.map { $0["quantity"] as Double } == [2, 1])
        #expect(rows.map { $0["unit"] as String } == ["litre", "dozen"])
    }

    @Test func aPlacedOrderIsRecordedWithLinesAndPurchasesAndLeavesTheList() async throws {
        let tester = try Self.tester()
        defer { tester.close() }
        _ = await tester.ask("add milk, coffee and bread")
        let summary = await tester.ask("order milk and coffee")
        #expect(summary.reply.contains("The total is 4 pounds 95"), "\(summary.reply)")
        let placed = await tester.ask("1234")
        #expect(placed.reply == "Done. I've placed order number 1: 2 items for 4 pounds 95.")
        #expect(!placed.reply.contains("1234"))
        #expect(placed.slots["code"] == nil)
        let queue = try Self.separateQueue(tester)
        try await queue.read { db in
            let order = try #require(try Row.fetchOne(db, sql: "SELECT status, total, currency, placed_at FROM shopping_order"))
            #expect(order["status"] as String == "placed")
            #expect(order["total"] as Double == 4.95)
            #expect(order["currency"] as String == "GBP")
            #expect(order["placed_at"] as Double == 1_767_261_600)
            let lines = try Row.fetchAll(db, sql: "SELECT product_id, count, unit_price FROM shopping_order_line ORDER BY id")
            #expect(lines.map { $0["product_id"] as String } == ["milk-semi-skimmed-2l", "coffee-ground-227g"])
            #expect(try String.fetchAll(db, sql: "SELECT item FROM shopping_purchase ORDER BY id") == ["milk", "coffee"])
            #expect(try String.fetchAll(db, sql: "SELECT key FROM shopping_list_item") == ["bread"])
        }
    }

    @Test func theLockoutSurvivesARestartAndEndsAfterFifteenMinutes() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-shop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let start = Date(timeIntervalSince1970: 1_767_261_600)
        func assistant(at now: Date) throws -> Assistant {
            let database = try HarkDatabase(path: home + "/hark.sqlite")
            var options = AssistantOptions(dataDirectory: home)
            options.variation = .first
            options.clock = FixedClock(now)
            return try Assistant(skills: Self.factory(Self.code)(database, home), database: database, options: options)
        }
        let first = try assistant(at: start)
        _ = await first.respond(to: "order coffee", sessionID: "a")
        _ = await first.respond(to: "one one one one", sessionID: "a")
        // The process "restarts" between the second and third wrong code: the count is in the file.
        let second = try assistant(at: start.addingTimeInterval(30))
        let wrong = await second.respond(to: "two two two two", sessionID: "a")
        #expect(wrong.reply.contains("1 try left"), "\(wrong.reply)")
        _ = await second.respond(to: "order coffee", sessionID: "b")
        let locked = await second.respond(to: "nine nine nine nine", sessionID: "b")
        #expect(locked.reply == "Sorry, that code isn't right either. After three wrong codes, ordering is locked for 15 minutes.")
        let third = try assistant(at: start.addingTimeInterval(60 + 10 * 60))
        let stillLocked = await third.respond(to: "order coffee", sessionID: "c")
        #expect(stillLocked.reply.contains("locked for another 5 minutes"), "\(stillLocked.reply)")
        let later = try assistant(at: start.addingTimeInterval(60 + 16 * 60))
        let open = await later.respond(to: "order coffee", sessionID: "d")
        #expect(open.reply.hasPrefix("Here's your order"), "\(open.reply)")
        let placed = await later.respond(to: "1 2 3 4", sessionID: "d")
        #expect(placed.reply.hasPrefix("Done."), "\(placed.reply)")
    }

    @Test func eachLockLastsTwiceTheLastUntilAnOrderIsPlaced() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-shop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        var now = Date(timeIntervalSince1970: 1_767_261_600)
        func assistant() throws -> Assistant {
            let database = try HarkDatabase(path: home + "/hark.sqlite")
            var options = AssistantOptions(dataDirectory: home)
            options.variation = .first
            options.clock = FixedClock(now)
            return try Assistant(skills: Self.factory(Self.code)(database, home), database: database, options: options)
        }
        /// Three wrong codes; the reply to the third.
        func guessThreeTimes() async throws -> String {
            let hark = try assistant()
            let session = UUID().uuidString
            _ = await hark.respond(to: "order coffee", sessionID: session)
            _ = await hark.respond(to: "one one one one", sessionID: session)
            _ = await hark.respond(to: "two two two two", sessionID: session)
            return await hark.respond(to: "nine nine nine nine", sessionID: session).reply
        }
        var minutes = 15
        for _ in 0..<4 {
            #expect(try await guessThreeTimes().hasSuffix("ordering is locked for \(minutes) minutes."))
            now = now.addingTimeInterval(Double(minutes * 60 - 60))
            #expect(try await assistant().respond(to: "order coffee", sessionID: "x").reply.contains("another 1 minute"))
            now = now.addingTimeInterval(61)
            minutes *= 2
        }
        // The right code resets the doubling.
        let hark = try assistant()
        _ = await hark.respond(to: "order coffee", sessionID: "ok")
        #expect(await hark.respond(to: "1 2 3 4", sessionID: "ok").reply.hasPrefix("Done."))
        #expect(try await guessThreeTimes().hasSuffix("ordering is locked for 15 minutes."))
    }

    // MARK: Settings

    @Test func theSpendingCapAndCurrencyComeFromTheSettings() async throws {
        let tester = try Self.tester(["purchase_code": "4321", "spending_cap": 4, "currency": "USD"])
        defer { tester.close() }
        let refused = await tester.ask("order milk and eggs")
        #expect(refused.reply == "That order comes to 4 dollars 55, which is over your spending limit of 4 dollars, so I haven't placed it.")
        #expect(refused.endSession)
        let summary = await tester.ask("order milk")
        #expect(summary.reply.contains("1 dollar 45"), "\(summary.reply)")
        #expect(await tester.ask("1234").reply.contains("isn't right"))
        #expect(await tester.ask("forty three twenty one").reply.hasPrefix("Done."))
    }

    @Test func aMalformedPurchaseCodeSettingIsExplainedWithoutRepeatingIt() async throws {
        let tester = try Self.tester(["purchase_code": "12a4"])
        defer { tester.close() }
        let reply = await tester.ask("order milk")
        #expect(reply.reply.hasPrefix("The shopping setting purchase_code"))
        #expect(!reply.reply.contains("12a4"))
    }

    // MARK: Calls from other skills and history

    func context(_ skill: ShoppingSkill, now: Date, settings: [String: JSONValue] = [:]) throws -> SkillContext {
        SkillContext(
            skillID: "shopping", storage: NoStorage(), dataDirectory: NSTemporaryDirectory(), settings: settings,
            clock: FixedClock(now),
            responses: try ResponseTemplates.load(path: ShoppingSkill.folder + "/responses/en.yaml", variation: .first))
    }

    static func openSkill() throws -> (ShoppingSkill, String) {
        let path = NSTemporaryDirectory() + "hark-shop-\(UUID().uuidString).sqlite"
        return (try ShoppingSkill(database: try DatabasePool(path: path)), path)
    }

    @Test func aDashButtonPressOrdersOnceAMinuteUnderTheCapAndIsSaidAtTheNextRequest() async throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let now = Date(timeIntervalSince1970: 1_767_261_600)
        let button = "zigbee2mqtt/kitchen_button"
        let first = try await skill.buttonPressed(topic: button, reorder: "coffee", context: try context(skill, now: now))
        #expect(first == "Your kitchen button ordered Ground coffee, medium roast, 227 grams for 3 pounds 50: order number 1.")
        // 59 seconds on: ignored; a minute after the first: ordered again (the last order's product).
        let again = try await skill.buttonPressed(
            topic: button, reorder: "coffee", context: try context(skill, now: now.addingTimeInterval(59)))
        #expect(again == nil)
        let later = try await skill.buttonPressed(
            topic: button, reorder: "coffee", context: try context(skill, now: now.addingTimeInterval(60)))
        #expect(later == "Your kitchen button ordered Ground coffee, medium roast, 227 grams for 3 pounds 50: order number 2.")
        // Over the cap: refused, and said so; no purchase code is needed or asked for.
        let capped = try await skill.buttonPressed(
            topic: "zigbee2mqtt/hall_button", reorder: "gin",
            context: try context(skill, now: now, settings: ["spending_cap": 10]))
        #expect(capped == "Your hall button's order comes to 16 pounds, over your spending limit of 10 pounds, so I haven't placed it.")
        #expect(try await skill.store.orders().count == 2)
        // Said once, in order, before the next reply.
        let notices = try await skill.dueNotices(context: try context(skill, now: now))
        #expect(notices == [first, later, capped].compactMap { $0 })
        #expect(try await skill.dueNotices(context: try context(skill, now: now)).isEmpty)
    }

    @Test func theRecipesSkillCanAddIngredientsWithoutAnUtterance() async throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let now = Date(timeIntervalSince1970: 1_767_261_600)
        let context = try context(skill, now: now)
        _ = try await skill.handle(
            SkillRequest(kind: .intent, intent: "AddItem", slots: Slots(["item": .list([.text("onions"), .text("garlic")])])),
            context: context)
        let request = SkillRequest(
            kind: .intent, intent: "AddItem",
            slots: Slots(["item": .list([.text("garlic"), .text("2 onions"), .text("olive oil"), .text("onion")])]),
            dialogState: .completed)
        let response = try await skill.handle(request, context: context)
        #expect(
            response.speech
                == "I've added olive oil to your shopping list. I've updated your list: 2 onions. Garlic is already on your list.")
        #expect(response.data["added"] == ["olive oil"])
        #expect(response.data["already"] == ["garlic"])
        let list = try await skill.handle(SkillRequest(kind: .intent, intent: "ReadList"), context: context)
        #expect(list.speech == "You have 3 items on your list: 2 onions, garlic and olive oil.")
    }

    @Test func whatToBuyUsesTheIntervalFromHistoryAndTheCataloguePriorForOnePurchase() async throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let day0 = Date(timeIntervalSince1970: 1_767_261_600)
        func on(_ day: Int) throws -> SkillContext { try context(skill, now: day0.addingTimeInterval(Double(day) * 86_400)) }
        func bought(_ item: String, day: Int) async throws {
            let slots = Slots(["item": .list([.text(item)]), "bought": .text("true")])
            _ = try await skill.handle(SkillRequest(kind: .intent, intent: "AddItem", slots: Slots(["item": .text(item)])), context: try on(day))
            let reply = try await skill.handle(SkillRequest(kind: .intent, intent: "RemoveItem", slots: slots), context: try on(day))
            #expect(reply.speech.hasPrefix("Nice, I've ticked off"), "\(reply.speech)")
        }
        try await bought("coffee", day: 0)
        try await bought("coffee", day: 12)
        try await bought("coffee", day: 24)
        try await bought("milk", day: 30)
        try await bought("bread", day: 37)
        // Removing without buying is no purchase.
        _ = try await skill.handle(SkillRequest(kind: .intent, intent: "AddItem", slots: Slots(["item": .text("tea")])), context: try on(1))
        _ = try await skill.handle(SkillRequest(kind: .intent, intent: "RemoveItem", slots: Slots(["item": .text("tea")])), context: try on(2))
        let reply = try await skill.handle(SkillRequest(kind: .intent, intent: "WhatToBuy"), context: try on(38))
        #expect(
            reply.speech
                == "You might need milk and coffee: you've bought milk once, 8 days ago, and most households buy it about every 4 days; you buy coffee about every 12 days, and the last was 14 days ago. Shall I add them to your list?"
        )
        #expect(!reply.endSession)
        var yes = SkillRequest(kind: .intent, intent: "Yes")
        yes.session = SessionInfo(id: "s", isNew: false, attributes: reply.sessionAttributes ?? [:])
        let added = try await skill.handle(yes, context: try on(38))
        #expect(added.speech == "I've added milk and coffee to your shopping list.")
        let none = try await skill.handle(SkillRequest(kind: .intent, intent: "WhatToBuy"), context: try on(38))
        #expect(none.speech.hasPrefix("Nothing looks due yet"))
    }

    // MARK: Reading what was said

    @Test(arguments: [
        ("one two three four", "1234"), ("1234", "1234"), ("12 34", "1234"), ("twelve thirty four", "1234"),
        ("oh nine nine one", "0991"), ("double one two two", "1122"), ("one thousand two hundred thirty four", "1234"),
        ("my code is four three two one", "4321"), ("it's 4 3 2 1", "4321"), ("nineteen oh five", "1905"),
        ("twelve hundred", "1200"), ("zero zero zero seven", "0007"),
    ])
    func purchaseCodesAreReadAsDigits(text: String, digits: String) {
        #expect(PurchaseCode.digits(in: text) == digits)
    }

    @Test func textWithoutANumberIsNoCode() {
        #expect(PurchaseCode.digits(in: "purple") == nil)
        #expect(PurchaseCode.digits(in: "") == nil)
    }

    @Test(arguments: [
        ("milk", "milk", nil, nil), ("2 litres of milk", "milk", 2.0, "litre"), ("a dozen eggs", "eggs", 1.0, "dozen"),
        ("half a dozen eggs", "eggs", 0.5, "dozen"), ("3 apples", "apples", 3.0, nil),
        ("two and a half kilos of potatoes", "potatoes", 2.5, "kg"), ("a bottle of olive oil", "olive oil", 1.0, "bottle"),
        ("the semi skimmed milk", "semi skimmed milk", nil, nil), ("500 g of minced beef", "minced beef", 500.0, "g"),
        ("twelve eggs", "eggs", 12.0, nil), ("some garlic", "garlic", nil, nil),
    ] as [(String, String, Double?, String?)])
    func itemPhrasesGiveNameQuantityAndUnit(text: String, name: String, quantity: Double?, unit: String?) throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let phrase = skill.phrases.read(text)
        #expect(phrase.name == name)
        #expect(phrase.amount.quantity == quantity)
        #expect(phrase.amount.unit == unit)
    }

    @Test func singularAndPluralShareOneKey() throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let catalogue = skill.catalogue
        #expect(catalogue.key(for: "eggs") == "egg")
        #expect(catalogue.key(for: "egg") == "egg")
        #expect(catalogue.key(for: "tortilla wrap") == "tortilla wraps")
        #expect(catalogue.key(for: "tomatoes") == "tomato")
        #expect(catalogue.key(for: "strawberries") == "strawberry")
        #expect(catalogue.key(for: "peas") == "peas")
        #expect(catalogue.key(for: "pea") == "peas")
        #expect(catalogue.key(for: "hummus") == "hummus")
        #expect(catalogue.key(for: "loaves") == "loaf")
        #expect(catalogue.key(for: "whole milk") == "whole milk")
        #expect(catalogue.product(for: "whole milk")?.id == "milk-whole-1l")
        #expect(catalogue.product(for: "detergent")?.item == "laundry detergent")
        #expect(catalogue.product(for: "unicorn steak") == nil)
        #expect(catalogue.suggestion(for: "bananna") == "banana")
    }

    @Test func amountsMergeWhenTheirUnitsAgreeOrConvert() throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let units = skill.units
        func merge(_ a: Amount, _ b: Amount) -> Amount { AmountMerge.merge(a, b, units: units).0 }
        #expect(merge(Amount(quantity: 2, unit: "litre"), Amount(quantity: 1, unit: "litre")) == Amount(quantity: 3, unit: "litre"))
        #expect(merge(Amount(quantity: 1, unit: "litre"), Amount(quantity: 500, unit: "ml")) == Amount(quantity: 1500, unit: "ml"))
        #expect(merge(Amount(quantity: 1, unit: "dozen"), Amount(quantity: 6, unit: nil)) == Amount(quantity: 18, unit: nil))
        #expect(merge(Amount(quantity: 1, unit: "dozen"), Amount(quantity: 12, unit: nil)) == Amount(quantity: 2, unit: "dozen"))
        #expect(merge(.none, Amount(quantity: 3, unit: nil)) == Amount(quantity: 3, unit: nil))
        #expect(merge(Amount(quantity: 3, unit: nil), .none) == Amount(quantity: 3, unit: nil))
        #expect(AmountMerge.merge(Amount(quantity: 2, unit: "bottle"), Amount(quantity: 1, unit: "litre"), units: units).1 == .replaced)
    }

    @Test func pricesAreSpokenInTheConfiguredCurrency() throws {
        let (skill, path) = try Self.openSkill()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let responses = try ResponseTemplates.load(path: ShoppingSkill.folder + "/responses/en.yaml", variation: .first)
        func speech(_ currency: String) -> ShoppingSpeech {
            ShoppingSpeech(
                responses: responses, units: skill.units, catalogue: skill.catalogue, currencies: skill.currencies,
                currency: currency)
        }
        #expect(try speech("GBP").money(0.85) == "85 pence")
        #expect(try speech("GBP").money(1) == "1 pound")
        #expect(try speech("GBP").money(12.05) == "12 pounds 05")
        #expect(try speech("USD").money(0.01) == "1 cent")
        #expect(try speech("EUR").money(150) == "150 euros")
        #expect(try speech("JPY").money(3.5) == "3.50 JPY")
    }
}

/// Skill storage that the shopping skill never uses (its state is in its own tables).
struct NoStorage: SkillStorage {
    func value(forKey key: String) async throws -> JSONValue? { nil }
    func setValue(_ value: JSONValue?, forKey key: String) async throws {}
    func keys() async throws -> [String] { [] }
}
