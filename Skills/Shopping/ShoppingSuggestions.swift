import Foundation
import HarkSkillKit
import HarkUnderstanding

/// Suggestions before you ask: once a day, after the first request, the most overdue item is offered ("You usually buy
/// coffee every 9 days; it's been 11. Shall I add it to your list?"), and the morning briefing has the list and what
/// is due. Settings `daily_offer`, `briefing` and `suggestions` (all on by default) turn them off.
extension ShoppingSkill: OfferingSkill, BriefingSkill {
    /// The storage key of the day the skill last had its chance to offer (`2026-01-01`, in the clock's calendar).
    static let offerDayKey = "offer.day"

    /// The most overdue item, the first time it is asked on a day (later that day: nil, whatever is due).
    public func offer(context: SkillContext) async throws -> SkillOffer? {
        guard case .success(let turn) = turn(SkillRequest(kind: .intent, intent: "Offer"), context: context),
            turn.settings.dailyOffer, turn.settings.suggestions
        else { return nil }
        guard try await turn.takeTodaysOffer() else { return nil }
        guard let top = try await turn.dueItems().first else { return nil }
        let values = ["item": top.item, "interval": String(top.basis.intervalDays), "since": String(top.daysSinceLast)]
        let key: String
        switch top.basis {
        case .history: key = "daily_offer"
        case .prior: key = "daily_offer_prior"
        }
        return SkillOffer(speech: try turn.say(key, values), intent: "AddItem", slots: ["item": .text(top.item)])
    }

    /// "Your shopping list has 3 items: milk, eggs and bread. Due to buy: coffee."
    public func briefing(context: SkillContext) async throws -> String? {
        guard case .success(let turn) = turn(SkillRequest(kind: .intent, intent: "Briefing"), context: context),
            turn.settings.briefing
        else { return nil }
        let entries = try await store.list()
        var parts = [
            entries.isEmpty
                ? try turn.say("briefing_list_empty")
                : try turn.say(
                    "briefing_list",
                    ["count": try turn.speech.count(entries.count, "items"), "items": turn.speech.list(entries)])
        ]
        if turn.settings.suggestions {
            let due = try await turn.dueItems().prefix(5).map(\.item)
            if !due.isEmpty {
                parts.append(try turn.say("briefing_due", ["items": SpokenText.list(due)]))
                // Heard today: no offer of the same after this reply.
                _ = try await turn.takeTodaysOffer()
            }
        }
        return parts.joined(separator: " ")
    }
}

extension RepurchaseAdvisor.Basis {
    /// The interval in days, whichever way it was found.
    var intervalDays: Int {
        switch self {
        case .history(let days), .prior(let days): days
        }
    }
}

extension ShoppingTurn {
    /// True the first time it is called on a day (the clock's calendar), when the day's chance to offer is taken;
    /// the day is kept in the skill's storage.
    func takeTodaysOffer() async throws -> Bool {
        let today = CalendarDay(now, calendar: context.clock.calendar).description
        if try await context.storage.value(forKey: ShoppingSkill.offerDayKey)?.stringValue == today { return false }
        try await context.storage.setValue(.string(today), forKey: ShoppingSkill.offerDayKey)
        return true
    }

    /// The items due again, most overdue first, leaving out what is on the list.
    func dueItems() async throws -> [RepurchaseAdvisor.Suggestion] {
        let purchases = try await store.purchases()
        guard !purchases.isEmpty else { return [] }
        let onList = Set(try await store.list().map(\.key))
        return RepurchaseAdvisor(catalogue: skill.catalogue).suggestions(
            purchases: purchases, onList: onList, now: now, calendar: context.clock.calendar)
    }
}
