// Repurchase benchmark: how often Hark's per-item interval estimate predicts when an item runs out, against a
// fixed-interval baseline, on synthetic households' purchase histories.
//
// Usage: swift build --package-path Benchmarks -c release --product RepurchaseBench
//        Benchmarks/.build/release/RepurchaseBench [--households N] [--days N] [--seed N] [--skip P] [--fixed DAYS]
// Each household buys 6 to 14 regular items for a year, each item on its own interval (a typical interval for the
// item times the household's own factor, 0.7 to 1.4), every gap jittered by up to ±20 %, and a purchase skipped
// with probability P (0.1; bought elsewhere or forgotten: that gap doubles). Before every purchase from an item's
// third on, each estimator predicts the day it runs out (the last purchase plus its interval); a prediction is right
// when it is within N days of the actual purchase. Estimators: Hark's (`RepurchaseEstimator.interval`: gaps as whole
// median intervals), the plain mean gap (Hark's estimate before), and a fixed interval for every item (7 days).
// Figures only; nothing is asserted.
import Foundation
import HarkUnderstanding
import ShoppingSkill

func option(_ name: String, _ fallback: Double) -> Double {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let value = Double(arguments[index + 1])
    else { return fallback }
    return value
}

let households = Int(option("--households", 500))
let horizon = Int(option("--days", 365))
let seed = UInt64(option("--seed", 19))
let skipChance = option("--skip", 0.1)
let fixedInterval = option("--fixed", 7)

/// Regular items and their typical days between purchases.
let typicalIntervals: [(item: String, days: Double)] = [
    ("milk", 4), ("bread", 5), ("eggs", 8), ("bananas", 6), ("coffee", 11), ("tea", 21), ("butter", 14),
    ("cheese", 10), ("yogurt", 7), ("toilet paper", 16), ("washing up liquid", 25), ("laundry detergent", 30),
    ("shampoo", 40), ("toothpaste", 35), ("rice", 28), ("pasta", 12), ("cat food", 9), ("nappies", 6),
    ("orange juice", 5), ("apples", 7),
]

var random = SplitMix64(seed: seed)
@MainActor func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &random) }

/// One estimator's tally: predictions within ±1, ±2 and ±3 days, and the absolute error.
struct Tally {
    var within = [0, 0, 0]
    var absoluteError = 0.0
    var count = 0

    mutating func add(predicted: Double, actual: Int) {
        let error = abs(predicted - Double(actual))
        for (index, days) in [1.0, 2.0, 3.0].enumerated() where error <= days + 1e-9 { within[index] += 1 }
        absoluteError += error
        count += 1
    }

    func line(_ name: String) -> String {
        let shares = within.map { String(format: "%5.1f %%", 100 * Double($0) / Double(max(count, 1))) }
        let mae = String(format: "%5.2f", absoluteError / Double(max(count, 1)))
        return name.padding(toLength: 34, withPad: " ", startingAt: 0) + shares.joined(separator: "   ") + "   " + mae
    }
}

var hark = Tally()
var mean = Tally()
var fixed = Tally()
var itemsSimulated = 0
var purchasesSimulated = 0
let started = ContinuousClock.now
for _ in 0..<households {
    let factor = uniform(0.7...1.4)
    let count = Int(uniform(6...14.999))
    var pool = typicalIntervals
    pool.shuffle(using: &random)
    for (_, typical) in pool.prefix(count) {
        itemsSimulated += 1
        let interval = max(1, typical * factor)
        var days = [Int(uniform(0...interval))]
        while true {
            var gap = interval * uniform(0.8...1.2)
            if uniform(0...1) < skipChance { gap += interval * uniform(0.8...1.2) }
            let next = days.last! + max(1, Int(gap.rounded()))
            if next >= horizon { break }
            days.append(next)
        }
        purchasesSimulated += days.count
        guard days.count >= 3 else { continue }
        for index in 2..<days.count {
            let history = Array(days[..<index])
            let last = Double(history.last!)
            if let estimate = RepurchaseEstimator.interval(days: history) {
                hark.add(predicted: last + estimate, actual: days[index])
            }
            if let estimate = RepurchaseEstimator.meanInterval(days: history) {
                mean.add(predicted: last + estimate, actual: days[index])
            }
            fixed.add(predicted: last + fixedInterval, actual: days[index])
        }
    }
}
let elapsed = ContinuousClock.now - started

print("RepurchaseBench: \(households) synthetic households, \(horizon) days, seed \(seed), skip chance \(skipChance)")
print("  \(itemsSimulated) regular items, \(purchasesSimulated) purchases,")
print("  \(hark.count) predictions (from each item's third purchase)")
print("")
let header = "  ±1 day    ±2 days    ±3 days   mean error (days)"
print("estimator".padding(toLength: 34, withPad: " ", startingAt: 0) + header)
print(hark.line("Hark: per item, median-robust"))
print(mean.line("per item, plain mean gap"))
print(fixed.line("fixed \(Int(fixedInterval)) days for every item"))
print("")
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("(\(String(format: "%.2f", seconds)) s)")
