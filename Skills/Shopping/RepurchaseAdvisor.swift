import Foundation

/// Decides which items are due again from the purchase history ("what should I buy?").
///
/// History is every order line placed and every item ticked off the list as bought (`RemoveItem` with
/// `bought`); items simply removed from the list are not purchases. An item bought from the list ran out when it went
/// on the list (the list history); one bought without, when it was bought. With two or more purchases on different
/// days, an item's interval is its own (``RepurchaseEstimator``: gaps read as whole intervals of the median gap, so a
/// skipped purchase does not stretch it); with a single purchase, the catalogue's `repurchase_days` stands in as a
/// prior, and the reply says so.
struct RepurchaseAdvisor: Sendable {
    /// Why an item is due.
    enum Basis: Sendable, Equatable {
        /// From the household's own purchases: its interval in days.
        case history(intervalDays: Int)
        /// One purchase only: the catalogue's typical interval.
        case prior(intervalDays: Int)
    }

    /// One item that looks due.
    struct Suggestion: Sendable, Equatable {
        var item: String
        var basis: Basis
        var daysSinceLast: Int
        /// How far past due, as a share of the interval (1 = exactly due).
        var ratio: Double
    }

    let catalogue: ProductCatalogue

    /// Items whose usual interval has passed, most overdue first; items already on the list are left out.
    func suggestions(purchases: [Purchase], onList: Set<String>, now: Date, calendar: Calendar) -> [Suggestion] {
        var days: [String: Set<Date>] = [:]
        for purchase in purchases {
            days[purchase.item, default: []].insert(calendar.startOfDay(for: purchase.ranOutAt))
        }
        let today = calendar.startOfDay(for: now)
        var result: [Suggestion] = []
        for (item, dates) in days where !onList.contains(item) {
            let sorted = dates.sorted()
            guard let last = sorted.last else { continue }
            let since = calendar.dateComponents([.day], from: last, to: today).day ?? 0
            let basis: Basis
            if sorted.count >= 2 {
                let days = sorted.map { calendar.dateComponents([.day], from: sorted[0], to: $0).day ?? 0 }
                let interval = Int((RepurchaseEstimator.interval(days: days) ?? 0).rounded())
                guard interval > 0 else { continue }
                basis = .history(intervalDays: interval)
            } else if let prior = catalogue.repurchaseDays(for: item), prior > 0 {
                basis = .prior(intervalDays: prior)
            } else {
                continue
            }
            let interval: Int
            switch basis {
            case .history(let days), .prior(let days): interval = days
            }
            guard since >= interval else { continue }
            result.append(
                Suggestion(item: item, basis: basis, daysSinceLast: since, ratio: Double(since) / Double(interval)))
        }
        return result.sorted { $0.ratio != $1.ratio ? $0.ratio > $1.ratio : $0.item < $1.item }
    }
}
