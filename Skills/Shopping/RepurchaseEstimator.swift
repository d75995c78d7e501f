import Foundation

/// Estimates how often a household buys one item from the days it bought it: the item's own interval, not a rule
/// for every item. Public for the benchmark (`Benchmarks/RepurchaseBench`) that replays synthetic households.
public enum RepurchaseEstimator {
    /// The interval in days, or nil with fewer than two distinct days. `days` are day numbers (any origin, any order;
    /// a day counted twice counts once). Each gap between purchases is read as a whole number of the median gap (a gap
    /// about twice the median is a purchase skipped or made elsewhere), and the interval is the sum of the gaps over
    /// the sum of those numbers: a missed purchase does not stretch the estimate as it stretches a plain mean.
    public static func interval(days: [Int]) -> Double? {
        let gaps = gaps(days)
        guard !gaps.isEmpty else { return nil }
        let sorted = gaps.sorted()
        let median = sorted.count % 2 == 1
            ? Double(sorted[sorted.count / 2]) : Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        guard median > 0 else { return nil }
        let periods = gaps.map { max(1, (Double($0) / median).rounded()) }
        return Double(gaps.reduce(0, +)) / periods.reduce(0, +)
    }

    /// The plain mean gap (first day to last over the number of gaps): what Hark used before, kept for comparison.
    public static func meanInterval(days: [Int]) -> Double? {
        let gaps = gaps(days)
        return gaps.isEmpty ? nil : Double(gaps.reduce(0, +)) / Double(gaps.count)
    }

    /// The gaps between successive distinct days, in order.
    private static func gaps(_ days: [Int]) -> [Int] {
        let distinct = Array(Set(days)).sorted()
        return zip(distinct, distinct.dropFirst()).map { $1 - $0 }
    }
}
