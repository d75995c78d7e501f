import Foundation
import HarkSkillKit
import HarkUnderstanding

/// Product advice by use ("what jacket should I get for hiking in Scotland in March", "which coffee is good for
/// espresso", "I need boots for snow").
///
/// `Advise` (slots `kind`, `use`, `place`, `when`): asks what it lacks that matters — what for, and for things that
/// are worn where and when, unless the use brings its own weather (`data/advice.yaml`) — at most two questions in
/// all (the rest is taken as this week at the weather skill's own place). The weather is the weather skill's forecast
/// (`weather.GetWeather` through the skill invoker) for days it covers, else the place's typical month from
/// `data/climate.yaml`. It recommends one to three products with the reason for each, and remembers them:
/// `ChooseAdvice` ("add the second one", "order it") or "yes" then adds one to the list or orders it (purchase code
/// and spending cap as for any order).
extension ShoppingTurn {
    /// What the weather will be and how to say it.
    struct AdviceWeather {
        var conditions: AdviceConditions?
        /// Said before the recommendations ("In Scotland in March it's usually 2 to 9 degrees.").
        var preface: String?
    }

    /// The slots advice may ask for, in the order it asks.
    static let adviceQuestions = ["use", "place", "when"]
    /// How many questions advice asks at most.
    static let adviceQuestionLimit = 2

    mutating func advise() async throws -> SkillResponse {
        let kind = request.slots.text("kind") ?? ""
        let products = skill.catalogue.advisable(kind: kind)
        guard !products.isEmpty else { return .speak(try say("advice_no_kind", ["kind": kind])) }
        let use = request.slots.text("use")
        let uses = Set(products.flatMap(\.traits.uses))
        if let use, !uses.contains(use) {
            return .speak(try say("advice_no_use", ["kind": kind, "use": use, "uses": SpokenText.list(uses.sorted())]))
        }
        let implied = use.flatMap { skill.adviceRules.useConditions[$0] }
        let worn = products.contains { $0.traits.warmth != nil }

        // What matters and was not said, asked in order, at most two questions in the whole conversation.
        var asked = (try? request.session.attributes["advice_asked"]?.decode([String].self)) ?? []
        let missing = Self.adviceQuestions.filter { slot in
            guard !request.slots.has(slot) else { return false }
            switch slot {
            case "use": return uses.count > 1
            default: return worn && implied == nil
            }
        }
        if let next = missing.first, asked.count < Self.adviceQuestionLimit {
            asked.append(next)
            return .speak(try say("ask_advice_\(next)", ["kind": kind])).elicitSlot(next, keeping: request.slots)
                .remembering(["advice_asked": try JSONValue.encoding(asked)])
        }

        let weather = worn ? try await adviceWeather(use: use, implied: implied) : AdviceWeather()
        let advisor = ProductAdvisor(catalogue: skill.catalogue)
        let chosen = advisor.recommend(kind: kind, use: use, conditions: weather.conditions)
        guard let first = chosen.first else { return .speak(try say("advice_no_kind", ["kind": kind])) }

        // A sentence for each product with its reason.
        var lines: [String] = []
        for (index, recommendation) in chosen.enumerated() {
            let reasons = try recommendation.reasons.map(reasonText)
            let values = [
                "ordinal": try say("ordinal_\(index + 1)"), "name": recommendation.product.name,
                "price": try speech.money(recommendation.product.price),
                "reasons": reasons.isEmpty ? try say("advice_reason_none") : SpokenText.list(reasons),
            ]
            lines.append(try say(chosen.count == 1 ? "advice_one" : "advice_product", values))
        }
        let recommendation =
            chosen.count == 1
            ? lines[0]
            : try say(
                "advice_many",
                ["count": try speech.count(chosen.count, "suggestions"), "products": lines.joined(separator: " ")])
        let question = try say(chosen.count == 1 ? "advice_question_one" : "advice_question")
        let text = ([weather.preface].compactMap { $0 } + [recommendation, question]).joined(separator: " ")
        return .speak(text).reprompt(try say("advice_reprompt"))
            .remembering([
                "advice": .array(chosen.map { .string($0.product.id) }),
                "offer": "add", "items": try JSONValue.encoding([adviceEntry(first.product)]),
            ])
            .with(data: ["advice": .array(chosen.map { .string($0.product.id) })])
    }

    /// "Add the second one", "order it": one of the products just recommended, to the list or ordered.
    mutating func chooseAdvice() async throws -> SkillResponse {
        // The purchase code for the advised product's order.
        if request.slots.has("code") { return try await order(reorder: false) }
        guard let ids = try? request.session.attributes["advice"]?.decode([String].self), !ids.isEmpty else {
            // "Add it to my list" after another offer ("Would you like me to add it?").
            if request.slots.text("action") == "add", request.session.attributes["offer"] != nil {
                return try await acceptOffer()
            }
            return .speak(try say("nothing_advised"))
        }
        let products = ids.compactMap { id in skill.catalogue.products.first { $0.id == id } }
        let choice = request.slots.text("choice") ?? "1"
        let picked: Product?
        if choice == "cheapest" {
            picked = products.min { $0.price < $1.price }
        } else {
            let index = (Int(choice) ?? 1) - 1
            picked = products.indices.contains(index) ? products[index] : nil
        }
        guard let product = picked else {
            return .speak(try say("advice_no_such_choice", ["count": String(products.count)]))
                .reprompt(try say("advice_reprompt")).remembering(request.session.attributes)
        }
        if request.slots.text("action") == "order" { return try await orderAdvised(product) }
        return try await add([adviceEntry(product)])
    }

    /// The list entry for an advised product: its first spoken name, which the catalogue maps back to it.
    func adviceEntry(_ product: Product) -> ListEntry {
        let name = product.aliases.first ?? product.item
        return ListEntry(key: skill.catalogue.key(for: name), name: name, amount: .none)
    }

    // MARK: The weather

    /// When the advice is for: days the forecast may cover, or a month.
    enum AdviceTime: Equatable {
        case days(DateRange, spoken: String)
        case month(Int)
    }

    /// The `when` slot's value as days or a month; nil and "now" are this week.
    func adviceTime(_ value: String?) -> AdviceTime {
        let calendar = context.clock.calendar
        let today = calendar.startOfDay(for: now)
        func day(_ offset: Int) -> CalendarDay {
            CalendarDay(calendar.date(byAdding: .day, value: offset, to: today)!, calendar: calendar)
        }
        let thisMonth = calendar.component(.month, from: today)
        let weekday = calendar.component(.weekday, from: today)  // 1 = Sunday
        switch value {
        case "tomorrow": return .days(DateRange(day: day(1)), spoken: "tomorrow")
        case "weekend":
            let toSaturday = (7 - weekday) % 7
            let start = weekday == 1 ? 0 : toSaturday
            let end = weekday == 1 ? 0 : toSaturday + 1
            return .days(DateRange(start: day(start), end: day(end)), spoken: "this weekend")
        case "next week":
            let toMonday = (9 - weekday) % 7 == 0 ? 7 : (9 - weekday) % 7
            return .days(DateRange(start: day(toMonday), end: day(toMonday + 6)), spoken: "next week")
        case "next month": return .month(thisMonth % 12 + 1)
        case "winter": return .month(1)
        case "spring": return .month(4)
        case "summer": return .month(7)
        case "autumn": return .month(10)
        case let name?:
            if let index = Self.monthNames.firstIndex(of: name), index + 1 != thisMonth { return .month(index + 1) }
            return .days(DateRange(start: day(0), end: day(6)), spoken: "this week")
        case nil: return .days(DateRange(start: day(0), end: day(6)), spoken: "this week")
        }
    }

    /// The `place` value for the weather skill's own place.
    static let herePlace = "here"

    static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    /// The conditions to advise for: what the use brings, else the forecast of the days, else the place's typical
    /// month; with the sentence that says which.
    private func adviceWeather(use: String?, implied: AdviceConditions?) async throws -> AdviceWeather {
        if let implied { return AdviceWeather(conditions: implied) }
        // A place the list does not know comes as it was said ("peru"): written as a name. "Here" is the weather
        // skill's own place.
        let said = request.slots.text("place").map { request.slots.unresolved.contains("place") ? $0.capitalized : $0 }
        let place = said == Self.herePlace ? nil : said
        let useWords = use ?? request.slots.text("kind") ?? ""
        let month: Int
        switch adviceTime(request.slots.text("when")) {
        case .days(let range, let spoken):
            if let forecast = try await forecast(place: place, range: range, spoken: spoken) { return forecast }
            month = range.start.month
        case .month(let number):
            month = number
        }
        let monthName = Self.monthNames[month - 1].capitalized
        guard let place else { return AdviceWeather(preface: try say("advice_no_weather", ["use": useWords])) }
        guard let typical = skill.climate.month(month, at: place) else {
            return AdviceWeather(
                preface: try say("advice_no_climate", ["place": place, "month": monthName, "use": useWords]))
        }
        let conditions = skill.adviceRules.conditions(typical, monthNumber: month)
        let values = [
            "place": place, "month": monthName, "low": Self.degrees(typical.low), "high": Self.degrees(typical.high),
            "days": String(typical.wetDays),
        ]
        return AdviceWeather(
            conditions: conditions, preface: try say(conditions.wet ? "advice_climate_wet" : "advice_climate", values))
    }

    /// The weather skill's forecast of `range` at `place` (its own place when nil), or nil when it cannot give one
    /// (not installed, offline, too far ahead).
    private func forecast(place: String?, range: DateRange, spoken: String) async throws -> AdviceWeather? {
        var slots: [String: SlotValue] = ["date": .date(range)]
        if let place { slots["location"] = .text(place) }
        let response: SkillResponse
        do {
            response = try await context.skills.invoke(skill: "weather", intent: "GetWeather", slots: Slots(slots))
        } catch {
            context.logger.info("advice: no forecast from the weather skill: \(error)")
            return nil
        }
        guard let days = response.data["days"]?.arrayValue?.compactMap(\.objectValue), !days.isEmpty else {
            return nil
        }
        let imperial = response.data["units"]?.stringValue == "imperial"
        func celsius(_ value: Double) -> Double { imperial ? (value - 32) * 5 / 9 : value }
        let lows = days.compactMap { $0["low"]?.numberValue }.map(celsius)
        let highs = days.compactMap { $0["high"]?.numberValue }.map(celsius)
        guard let low = lows.min(), let high = highs.max() else { return nil }
        let chances = days.compactMap { $0["precipitation_probability"]?.numberValue }
        let codes = days.compactMap { $0["weather_code"]?.numberValue }.map { Int($0) }
        let snow = codes.contains { (71...77).contains($0) || $0 == 85 || $0 == 86 }
        let wet = snow || chances.contains { $0 >= skill.adviceRules.wetChanceThreshold }
        let conditions = AdviceConditions(
            low: low, high: high, wet: wet, snow: snow, season: AdviceConditions.season(ofMonth: range.start.month))
        let name = place ?? response.data["place"]?.stringValue ?? ""
        let values = ["place": name, "when": spoken, "low": Self.degrees(low), "high": Self.degrees(high)]
        return AdviceWeather(
            conditions: conditions, preface: try say(wet ? "advice_forecast_wet" : "advice_forecast", values))
    }

    /// A temperature as said: whole degrees, "minus 3".
    static func degrees(_ value: Double) -> String {
        let whole = Int(value.rounded())
        return whole < 0 ? "minus \(-whole)" : String(whole)
    }

    private func reasonText(_ reason: ProductAdvisor.Reason) throws -> String {
        switch reason {
        case .waterproof: return try say("advice_reason_waterproof")
        case .warmEnough(let degrees): return try say("advice_reason_warm", ["degrees": Self.degrees(degrees)])
        case .madeFor(let use): return try say("advice_reason_use", ["use": use])
        case .season(let season): return try say("advice_reason_season", ["season": season])
        }
    }
}
