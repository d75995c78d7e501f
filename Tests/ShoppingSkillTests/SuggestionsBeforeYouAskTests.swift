import Foundation
import HarkAssistant
import HarkSkillKit
import HarkUnderstanding
import Testing

@testable import ShoppingSkill

/// Suggestions before you ask: the item's own interval from its purchases and the list, the daily offer of the most overdue item
/// after the first request of a day (yes adds it, no does not; once a day; off in the settings), and what should I buy
/// turned off.
@Suite struct SuggestionsBeforeYouAskTests {
    static let day0 = Date(timeIntervalSince1970: 1_767_261_600)  // Thursday 1 January 2026, 10:00 UTC

    /// Assistants over one Hark home, each at its own instant: successive days of one household.
    final class Household: Sendable {
        let home: String
        let settings: [String: JSONValue]

        init(settings: [String: JSONValue] = ShoppingSkillTests.code) throws {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-offer-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            self.settings = settings
        }

        func on(day: Int, hour: Double = 0) throws -> Assistant {
            let database = try HarkDatabase(path: home + "/hark.sqlite")
            var options = AssistantOptions(dataDirectory: home)
            options.variation = .first
            options.clock = FixedClock(SuggestionsBeforeYouAskTests.day0.addingTimeInterval(Double(day) * 86_400 + hour * 3600))
            return try Assistant(
                skills: ShoppingSkillTests.factory(settings)(database, home), database: database, options: options)
        }

        /// Puts `item` on the list and ticks it off as bought on `day`.
        func buy(_ item: String, day: Int) async throws {
            let assistant = try on(day: day)
            _ = await assistant.respond(to: "add \(item)", sessionID: "buy-\(day)")
            let bought = await assistant.respond(to: "i bought the \(item)", sessionID: "buy-\(day)")
            #expect(bought.reply.hasPrefix("Nice, I've ticked off"), "\(bought.reply)")
        }

        func remove() { try? FileManager.default.removeItem(atPath: home) }

        /// A household that bought milk on days 0, 5 and 10: every 5 days, due from day 15.
        static func buyingMilkEveryFiveDays(settings: [String: JSONValue] = ShoppingSkillTests.code) async throws -> Household {
            let household = try Household(settings: settings)
            for day in [0, 5, 10] { try await household.buy("milk", day: day) }
            return household
        }
    }

    @Test func theMostOverdueItemIsOfferedOnceADayAfterTheFirstRequestAndYesAddsIt() async throws {
        let household = try Household()
        defer { household.remove() }
        for day in [0, 9, 18] { try await household.buy("coffee", day: day) }
        for day in [3, 10, 17] { try await household.buy("bread", day: day) }

        // Day 29: coffee (every 9 days) is 11 days on, bread (every 7) 12: bread is more overdue (1.71 against 1.22).
        let morning = try household.on(day: 29)
        let first = await morning.respond(to: "what's on my list", sessionID: "kitchen")
        #expect(
            first.reply
                == "Your shopping list is empty. You usually buy bread every 7 days; it's been 12. Shall I add it to your list?",
            "\(first.reply)")
        #expect(!first.endSession)
        #expect(first.questionIntent == "shopping/AddItem")
        let yes = await morning.respond(to: "yes", sessionID: "kitchen")
        #expect(yes.reply == "I've added bread to your shopping list.", "\(yes.reply)")

        // Later the same day, another request, another session: no second offer, though coffee is due.
        let later = try household.on(day: 29, hour: 5)
        let second = await later.respond(to: "what's on my list", sessionID: "hall")
        #expect(second.reply == "You have one item on your list: bread.", "\(second.reply)")
        #expect(second.endSession)

        // The next day: coffee, and "no" leaves the list as it is.
        let next = try household.on(day: 30)
        let offered = await next.respond(to: "what's on my list", sessionID: "kitchen")
        #expect(offered.reply.hasSuffix("You usually buy coffee every 9 days; it's been 12. Shall I add it to your list?"), "\(offered.reply)")
        let no = await next.respond(to: "no", sessionID: "kitchen")
        #expect(no.reply == "Okay, I won't add it.", "\(no.reply)")
        let list = await next.respond(to: "what's on my list", sessionID: "kitchen")
        #expect(list.reply == "You have one item on your list: bread.", "\(list.reply)")
    }

    @Test func theDayAnItemWentOnTheListIsWhenItRanOut() async throws {
        let household = try Household(settings: ["daily_offer": false])
        defer { household.remove() }
        // Coffee goes on the list on days 0, 9 and 18 and is bought 2, 1 and 3 days later: it runs out every 9 days
        // (the purchases alone, on days 2, 10 and 21, would say every 9 and a half and not due until day 31).
        for (added, bought) in [(0, 2), (9, 10), (18, 21)] {
            _ = await (try household.on(day: added)).respond(to: "add coffee", sessionID: "add-\(added)")
            let ticked = await (try household.on(day: bought)).respond(to: "i bought the coffee", sessionID: "buy-\(bought)")
            #expect(ticked.reply.hasPrefix("Nice, I've ticked off"), "\(ticked.reply)")
        }
        let asked = await (try household.on(day: 27)).respond(to: "what should i buy", sessionID: "s")
        #expect(
            asked.reply.hasPrefix("You might need coffee: you buy coffee about every 9 days, and the last was 9 days ago."),
            "\(asked.reply)")
    }

    @Test func whatShouldIBuyTakesTheDaysOffer() async throws {
        let household = try await Household.buyingMilkEveryFiveDays()
        defer { household.remove() }
        let assistant = try household.on(day: 20)
        let asked = await assistant.respond(to: "what should i buy", sessionID: "s")
        #expect(asked.reply.hasPrefix("You might need milk"), "\(asked.reply)")
        _ = await assistant.respond(to: "no", sessionID: "s")
        let later = await assistant.respond(to: "what's on my list", sessionID: "s")
        #expect(later.reply == "Your shopping list is empty.", "\(later.reply)")
    }

    @Test func aNewRequestInsteadOfAnAnswerDropsTheOffer() async throws {
        let household = try await Household.buyingMilkEveryFiveDays()
        defer { household.remove() }
        let assistant = try household.on(day: 20)
        let first = await assistant.respond(to: "add eggs", sessionID: "s")
        #expect(first.reply.hasSuffix("You usually buy milk every 5 days; it's been 10. Shall I add it to your list?"), "\(first.reply)")
        let other = await assistant.respond(to: "what's on my list", sessionID: "s")
        #expect(other.reply == "You have one item on your list: eggs.", "\(other.reply)")
    }

    @Test func theDailyOfferAndSuggestionsCanBeTurnedOff() async throws {
        let household = try await Household.buyingMilkEveryFiveDays(settings: ["purchase_code": "1234", "daily_offer": false])
        defer { household.remove() }
        let quiet = await (try household.on(day: 20)).respond(to: "what's on my list", sessionID: "s")
        #expect(quiet.reply == "Your shopping list is empty.", "\(quiet.reply)")
        // What should I buy still answers while only the offer is off.
        let asked = await (try household.on(day: 20)).respond(to: "what should i buy", sessionID: "s")
        #expect(asked.reply.hasPrefix("You might need milk: you buy milk about every 5 days"), "\(asked.reply)")

        let off = try await Household.buyingMilkEveryFiveDays(settings: ["suggestions": false])
        defer { off.remove() }
        let noOffer = await (try off.on(day: 20)).respond(to: "what should i buy", sessionID: "s")
        #expect(noOffer.reply.hasPrefix("Suggestions from your purchase history are turned off."), "\(noOffer.reply)")
        let bad = await (try off.on(day: 20)).respond(to: "what's on my list", sessionID: "t")
        #expect(bad.reply == "Your shopping list is empty.", "\(bad.reply)")
    }

    @Test(arguments: [
        ([0, 7, 14, 21], 7.0),
        // A purchase skipped (a 14-day gap) reads as two intervals, not a longer one.
        ([0, 7, 21, 28], 7.0),
        ([0, 10], 10.0),
        ([3, 3, 12, 21, 30], 9.0),
    ])
    func eachItemHasItsOwnIntervalRobustToASkippedPurchase(days: [Int], interval: Double) throws {
        let estimate = try #require(RepurchaseEstimator.interval(days: days))
        #expect(abs(estimate - interval) < 1e-9)
        #expect(RepurchaseEstimator.interval(days: [5]) == nil)
    }
}
