import Foundation

/// Picks the products that suit a use and the weather ("a jacket for hiking in Scotland in March"): made for the
/// use, waterproof when it will be wet, warm enough for the coldest it is likely to be and not far warmer (at most
/// ``tooWarmMargin``, and the closer the better), made for the season; the cheaper first when two fit as well.
struct ProductAdvisor: Sendable {
    /// One recommended product and why.
    struct Recommendation: Sendable, Equatable {
        var product: Product
        var reasons: [Reason]
    }

    /// Why a product suits.
    enum Reason: Sendable, Equatable {
        /// It is made for this use.
        case madeFor(String)
        /// It keeps out the rain or snow that is likely.
        case waterproof
        /// It is comfortable down to this temperature (°C), at or below the coldest likely.
        case warmEnough(downTo: Double)
        /// It is made for the season of the trip.
        case season(String)
    }

    let catalogue: ProductCatalogue

    /// How many degrees a product may fall short of the coldest likely temperature and still count as warm enough
    /// (layers do the rest).
    static let warmthTolerance = 2.0
    /// How many degrees warmer than the coldest likely a product may be made for before it is too warm (a winter
    /// sleeping bag for August).
    static let tooWarmMargin = 15.0

    /// Up to `limit` products of `kind` for `use` (any use when nil) under `conditions`, best first. Empty when the
    /// catalogue has no product of that kind for that use; when none of them is warm enough, the warmest.
    func recommend(kind: String, use: String?, conditions: AdviceConditions?, limit: Int = 3) -> [Recommendation] {
        let forUse = catalogue.advisable(kind: kind).filter { use == nil || $0.traits.uses.contains(use!) }
        var fitting = forUse.filter { fits($0, conditions, tolerance: Self.warmthTolerance) }
        if fitting.isEmpty {
            // Nothing is warm enough (nor too warm): the warmest of those that keep out the wet (or of all, when none
            // does).
            let dry = forUse.filter { fits($0, conditions, tolerance: .infinity) }
            let candidates = dry.isEmpty ? forUse : dry
            let warmest = candidates.compactMap(\.traits.comfortableDownTo).min()
            fitting = candidates.filter { $0.traits.comfortableDownTo == nil || $0.traits.comfortableDownTo == warmest }
        }
        let chosen = fitting.sorted { a, b in
            let (x, y) = (score(a, use: use, conditions: conditions), score(b, use: use, conditions: conditions))
            return x != y ? x < y : a.price != b.price ? a.price < b.price : a.id < b.id
        }
        return chosen.prefix(limit).map {
            Recommendation(product: $0, reasons: reasons($0, use: use, conditions: conditions))
        }
    }

    /// True when a worn product keeps out the wet that is likely and is warm enough for the coldest likely (short of
    /// it by at most `tolerance` degrees).
    private func fits(_ product: Product, _ conditions: AdviceConditions?, tolerance: Double) -> Bool {
        guard let conditions, let comfortable = product.traits.comfortableDownTo else { return true }
        if conditions.wet && product.traits.waterproof == false { return false }
        if let low = conditions.low, comfortable > low + tolerance || comfortable < low - Self.tooWarmMargin {
            return false
        }
        return true
    }

    /// Lower is better: far warmer than needed (or short of warm enough), made for another season, the use not its
    /// main one.
    private func score(_ product: Product, use: String?, conditions: AdviceConditions?) -> Double {
        var score = 0.0
        if let low = conditions?.low, let comfortable = product.traits.comfortableDownTo {
            score += abs(low - comfortable) / 5
        }
        if let season = conditions?.season, !product.traits.seasons.isEmpty, !product.traits.seasons.contains(season) {
            score += 1
        }
        if conditions?.wet == false, product.traits.waterproof == true, conditions?.low != nil {
            score += 0.2
        }
        if let use, let rank = product.traits.uses.firstIndex(of: use) { score += Double(rank) * 0.3 }
        return score
    }

    private func reasons(_ product: Product, use: String?, conditions: AdviceConditions?) -> [Reason] {
        var reasons: [Reason] = []
        if let conditions, conditions.wet, product.traits.waterproof == true { reasons.append(.waterproof) }
        if let conditions, conditions.low != nil, let comfortable = product.traits.comfortableDownTo {
            reasons.append(.warmEnough(downTo: comfortable))
        }
        if let use { reasons.append(.madeFor(use)) }
        if let season = conditions?.season, product.traits.seasons.contains(season), reasons.count < 3 {
            reasons.append(.season(season))
        }
        return reasons
    }
}
