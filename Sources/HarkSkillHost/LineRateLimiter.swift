import Foundation

/// Lets at most `burst` lines through in each `window`; the rest are counted, and the count is handed over
/// with the first line let through after the window turns. Used for a skill's standard error, which is
/// logged line by line from a reader thread.
final class LineRateLimiter: @unchecked Sendable {
    /// What to do with one line.
    enum Verdict: Equatable {
        /// Log it; `suppressedBefore` lines were held back since the last line logged.
        case log(suppressedBefore: Int)
        /// Do not log it (counted).
        case suppress
    }

    let burst: Int
    let window: Duration
    private let lock = NSLock()
    private var windowStart: ContinuousClock.Instant?
    private var inWindow = 0
    private var suppressed = 0
    private var totalSuppressed = 0

    init(burst: Int = 20, window: Duration = .seconds(10)) {
        self.burst = burst
        self.window = window
    }

    /// The verdict for a line arriving `now`.
    func admit(now: ContinuousClock.Instant = .now) -> Verdict {
        lock.withLock {
            if let start = windowStart, now - start < window {
                inWindow += 1
            } else {
                windowStart = now
                inWindow = 1
            }
            guard inWindow <= burst else {
                suppressed += 1
                totalSuppressed += 1
                return .suppress
            }
            defer { suppressed = 0 }
            return .log(suppressedBefore: suppressed)
        }
    }

    /// Lines suppressed since the last line let through or the last call, and resets that count.
    func takeSuppressed() -> Int {
        lock.withLock {
            defer { suppressed = 0 }
            return suppressed
        }
    }

    /// Lines suppressed since this limiter was made.
    var suppressedLines: Int { lock.withLock { totalSuppressed } }
}
