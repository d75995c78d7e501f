import Foundation
import HarkSkillKit

/// Voice ordering, the way Alexa's voice purchasing works but local: a summary with prices and the total,
/// then the purchase code, then the order is recorded and its items leave the list.
///
/// Turn 1 (`Order`/`Reorder` without `code`): checks that ordering is on and not locked, plans the order
/// (products from the catalogue), refuses it when the total is over the spending cap, reads the summary and
/// elicits the slot `code`, remembering the plan in the session. Turn 2 (with `code`): parses the digits;
/// wrong codes are counted in SQLite and the third in a row locks ordering for 15 minutes, each later lock twice the last; the right code
/// places the order in one transaction. The code is never spoken and never kept in the reply's slots.
extension ShoppingTurn {
    mutating func order(reorder: Bool) async throws -> SkillResponse {
        if let refusal = try await orderingRefusal() { return refusal }
        if let spoken = request.slots.text("code"), let code = settings.purchaseCode {
            return try await checkCode(spoken, against: code)
        }
        let planned = try await reorder ? planReorder() : planOrder()
        guard let plan = planned.plan else { return .speak(planned.problem) }
        return try summary(plan, preface: planned.preface)
    }

    /// What to say instead of ordering: ordering is off (no purchase code) or locked; nil when an order may go ahead.
    private func orderingRefusal() async throws -> SkillResponse? {
        guard settings.purchaseCode != nil else {
            let setting = "skills: { shopping: { purchase_code: \"1234\" } }"
            return .speak(try say("ordering_off", ["setting": setting, "file": "~/.config/hark/config.yaml"]))
        }
        let lockout = try await store.lockout()
        if lockout.isLocked(at: now), let until = lockout.lockedUntil {
            return .speak(try say("locked", ["minutes": try minutes(until.timeIntervalSince(now))]))
        }
        return nil
    }

    /// Orders one product that advice recommended: the summary, then the purchase code, as for any order.
    func orderAdvised(_ product: Product) async throws -> SkillResponse {
        if let refusal = try await orderingRefusal() { return refusal }
        let line = OrderLine(
            productID: product.id, productName: product.name, item: product.item, count: 1, unitPrice: product.price)
        return try summary(OrderPlan(lines: [line], wholeList: false), preface: [])
    }

    /// A plan, or what to say instead; `preface` is said before the summary (skipped items, no history).
    private struct Planned {
        var plan: OrderPlan?
        var problem = ""
        var preface: [String] = []
    }

    // MARK: Planning

    private func line(for entry: ListEntry) -> OrderLine? {
        guard let product = skill.catalogue.product(for: entry.key) else { return nil }
        return OrderLine(
            productID: product.id, productName: product.name, item: entry.key,
            count: packs(of: entry.amount, product: product), unitPrice: product.price)
    }

    /// How many of `product` cover `amount`: "3 apples" is one pack of 6, "2 litres of milk" one 2-litre
    /// bottle, "2 dozen eggs" two boxes of 12; container units ("2 bottles") count products.
    func packs(of amount: Amount, product: Product) -> Int {
        guard let quantity = amount.quantity, quantity > 0 else { return 1 }
        let productMeasure: (family: String, factor: Double)? =
            product.unit == "each" ? ("count", 1) : skill.units.measure(product.unit)
        if let wanted = skill.units.measure(amount.unit), let have = productMeasure, wanted.family == have.family,
            amount.unit != nil || product.unit == "each"
        {
            return max(1, Int((quantity * wanted.factor / (product.size * have.factor) - 1e-9).rounded(.up)))
        }
        return max(1, Int(quantity.rounded(.up)))
    }

    private func unknown(_ name: String) throws -> String {
        if let suggestion = skill.catalogue.suggestion(for: name) {
            return try say("unknown_product_suggest", ["item": name, "suggestion": suggestion])
        }
        return try say("unknown_product", ["item": name])
    }

    private func planOrder() async throws -> Planned {
        let phrases = request.slots.text("scope") == "list" ? [] : requestedPhrases()
        var lines: [OrderLine] = []
        var missing: [String] = []
        let wholeList = phrases.isEmpty
        if wholeList {
            let entries = try await store.list()
            if entries.isEmpty { return Planned(problem: try say("order_empty_list")) }
            for entry in entries {
                if let line = line(for: entry) { lines.append(line) } else { missing.append(entry.name) }
            }
        } else {
            for phrase in phrases {
                let entry = ListEntry(key: skill.catalogue.key(for: phrase.name), name: phrase.name, amount: phrase.amount)
                if let product = skill.catalogue.product(for: entry.key) {
                    lines.append(
                        OrderLine(
                            productID: product.id, productName: product.name, item: entry.key,
                            count: packs(of: entry.amount, product: product), unitPrice: product.price))
                } else {
                    missing.append(phrase.name)
                }
            }
        }
        if lines.isEmpty {
            if missing.count == 1 { return Planned(problem: try unknown(missing[0])) }
            return Planned(problem: try say("unknown_products", ["items": SpokenText.list(missing)]))
        }
        var preface: [String] = []
        if !missing.isEmpty {
            preface.append(
                try say(wholeList ? "order_skipped_list" : "order_skipped", ["items": SpokenText.list(missing)]))
        }
        return Planned(plan: OrderPlan(lines: Self.merged(lines), wholeList: wholeList), preface: preface)
    }

    /// Lines for one product become one line.
    private static func merged(_ lines: [OrderLine]) -> [OrderLine] {
        var result: [OrderLine] = []
        for line in lines {
            if let index = result.firstIndex(where: { $0.productID == line.productID }) {
                result[index].count += line.count
            } else {
                result.append(line)
            }
        }
        return result
    }

    private func planReorder() async throws -> Planned {
        guard let phrase = requestedPhrases().first else {
            return Planned(problem: try say("ask_Reorder_item"))
        }
        let key = skill.catalogue.key(for: phrase.name)
        let orders = try await store.orders(limit: 50)
        for order in orders {
            if let last = order.lines.first(where: { skill.catalogue.sameItem(key, $0.item) }) {
                // The price is today's catalogue price when the product is still listed.
                var line = last
                if let product = skill.catalogue.products.first(where: { $0.id == last.productID }) {
                    line.unitPrice = product.price
                }
                return Planned(plan: OrderPlan(lines: [line], wholeList: false))
            }
        }
        var planned = try await planOrder()
        if planned.plan != nil { planned.preface.insert(try say("reorder_first_time", ["item": phrase.name]), at: 0) }
        return planned
    }

    // MARK: Summary and code

    func summary(_ plan: OrderPlan, preface: [String]) throws -> SkillResponse {
        let total = try speech.money(plan.total)
        if plan.total > settings.spendingCap {
            return .speak(
                (preface + [try say("over_cap", ["total": total, "cap": try speech.money(settings.spendingCap)])])
                    .joined(separator: " "))
        }
        var lines: [String] = []
        for line in plan.lines {
            let price = try speech.money(line.lineTotal)
            if line.count == 1 {
                lines.append(try say("order_line_one", ["product": line.productName, "price": price]))
            } else {
                lines.append(
                    try say("order_line_many", ["count": String(line.count), "product": line.productName, "price": price]))
            }
        }
        let text = (preface + [try say("order_summary", ["lines": lines.joined(separator: "; "), "total": total])])
            .joined(separator: " ")
        var slots = request.slots
        slots["code"] = nil
        slots.spoken["code"] = nil
        return .speak(text).reprompt(try say("ask_code")).elicitSlot("code", keeping: slots)
            .remembering(["order": try JSONValue.encoding(plan)])
            .with(data: [
                "order": .object([
                    "total": .number(plan.total), "currency": .string(settings.currency),
                    "products": .array(plan.lines.map { .string($0.productID) }),
                ])
            ])
    }

    /// A Dash button's press (the request's `item` is what it reorders): the reorder placed at once, without the
    /// purchase code but under the spending cap; what happened is kept to be said at the next request, and returned.
    func orderByButton(_ button: String) async throws -> String {
        let planned = try await planReorder()
        var said: String
        if let plan = planned.plan, plan.total <= settings.spendingCap {
            let number = try await store.place(plan, at: now, currency: settings.currency)
            let products = SpokenText.list(
                try plan.lines.map {
                    $0.count == 1 ? $0.productName : try say("status_line_many", ["count": String($0.count), "product": $0.productName])
                })
            said = try say(
                "button_ordered",
                ["button": button, "products": products, "total": try speech.money(plan.total), "number": String(number)])
        } else if let plan = planned.plan {
            let cap = try speech.money(settings.spendingCap)
            said = try say("button_over_cap", ["button": button, "total": try speech.money(plan.total), "cap": cap])
        } else {
            said = try say("button_failed", ["button": button, "problem": planned.problem])
        }
        try await store.addNotice(said)
        return said
    }

    private func checkCode(_ spoken: String, against code: String) async throws -> SkillResponse {
        var slots = request.slots
        slots["code"] = nil
        slots.spoken["code"] = nil
        guard let stored = request.session.attributes["order"], let plan = try? stored.decode(OrderPlan.self) else {
            return SkillResponse(speech: try say("no_pending_order"), updatedSlots: slots)
        }
        guard let digits = PurchaseCode.digits(in: spoken) else {
            return .speak(try say("code_not_heard")).reprompt(try say("ask_code")).elicitSlot("code", keeping: slots)
        }
        guard digits == code else {
            let state = try await store.recordWrongCode(
                at: now, limit: ShoppingSkill.codeAttemptLimit, duration: ShoppingSkill.lockDuration,
                longest: ShoppingSkill.longestLock)
            if let until = state.lockedUntil, state.isLocked(at: now) {
                let text = try say("code_locked_now", ["minutes": try minutes(until.timeIntervalSince(now))])
                return SkillResponse(speech: text, updatedSlots: slots, sessionAttributes: [:])
            }
            let left = ShoppingSkill.codeAttemptLimit - state.failedAttempts
            return .speak(try say("code_wrong", ["tries": try speech.count(left, "tries")]))
                .reprompt(try say("ask_code")).elicitSlot("code", keeping: slots)
        }
        if plan.total > settings.spendingCap {
            let text = try say(
                "over_cap", ["total": try speech.money(plan.total), "cap": try speech.money(settings.spendingCap)])
            return SkillResponse(speech: text, updatedSlots: slots, sessionAttributes: [:])
        }
        let number = try await store.place(plan, at: now, currency: settings.currency)
        let items = plan.lines.reduce(0) { $0 + $1.count }
        let text = try say(
            "order_placed",
            ["number": String(number), "items": try speech.count(items, "items"), "total": try speech.money(plan.total)])
        return SkillResponse(
            speech: text, updatedSlots: slots, sessionAttributes: [:],
            data: ["order": .object(["number": .number(Double(number)), "total": .number(plan.total), "status": "placed"])])
    }

    private func minutes(_ seconds: TimeInterval) throws -> String {
        try speech.count(max(1, Int((seconds / 60).rounded(.up))), "minutes")
    }

    // MARK: Status

    func orderStatus() async throws -> SkillResponse {
        guard let last = try await store.orders(limit: 1).first else { return .speak(try say("no_orders")) }
        let calendar = context.clock.calendar
        let days = calendar.dateComponents(
            [.day], from: calendar.startOfDay(for: last.placedAt), to: calendar.startOfDay(for: now)
        ).day ?? 0
        let when =
            days <= 0 ? try say("when_today") : days == 1 ? try say("when_yesterday") : try say("when_days", ["days": String(days)])
        let products = SpokenText.list(
            try last.lines.map {
                $0.count == 1 ? $0.productName : try say("status_line_many", ["count": String($0.count), "product": $0.productName])
            })
        let saved = ShoppingSpeech(
            responses: speech.responses, units: speech.units, catalogue: speech.catalogue, currencies: speech.currencies,
            currency: last.currency)
        return .speak(
            try say(
                "order_status",
                [
                    "number": String(last.id), "when": when, "products": products, "total": try saved.money(last.total),
                    "status": last.status,
                ])
        ).with(data: ["order": .object(["number": .number(Double(last.id)), "status": .string(last.status)])])
    }
}
