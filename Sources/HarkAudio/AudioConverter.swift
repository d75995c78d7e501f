#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Converts PCM between formats: downmixes channels by averaging and changes the rate with a
/// band-limited (windowed-sinc, Kaiser window) polyphase resampler.
///
/// The filter's cut-off sits just below the lower of the two Nyquist frequencies, so downsampling from
/// 22 050 Hz or 44 100 Hz to 16 kHz does not fold high frequencies back into the speech band.
///
/// The kernel is computed once per rate pair into a table of phases (``PolyphaseKernel``) and cached,
/// so converting a stream chunk by chunk does not recompute it.
public struct AudioConverter: Sendable {
    /// Zero crossings of the interpolation kernel on each side of its centre, counted at the lower rate.
    public let halfWidth: Int
    /// Kaiser window shape parameter: higher means more stop-band attenuation and a wider transition.
    public let beta: Double

    public init(halfWidth: Int = 32, beta: Double = 8.6) {
        self.halfWidth = halfWidth
        self.beta = beta
    }

    /// Averages interleaved channels into one.
    public func downmix(_ samples: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return samples }
        let frames = samples.count / channels
        var out = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(channels)
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for f in 0..<frames {
                    var acc: Float = 0
                    let base = f * channels
                    for c in 0..<channels { acc += src[base + c] }
                    dst[f] = acc * scale
                }
            }
        }
        return out
    }

    /// Resamples mono samples from one rate to another.
    ///
    /// The output has `floor(input.count * targetRate / sourceRate)` samples; output sample `n` sits at
    /// input time `n * sourceRate / targetRate`. Near the ends, where the kernel runs off the input, the
    /// taps that exist are renormalised so levels stay exact.
    public func resample(_ input: [Float], from sourceRate: Int, to targetRate: Int) -> [Float] {
        precondition(sourceRate > 0 && targetRate > 0, "sample rates must be positive")
        guard sourceRate != targetRate, !input.isEmpty else { return input }
        let kernel = PolyphaseKernel.cached(
            from: sourceRate, to: targetRate, halfWidth: max(1, halfWidth), beta: beta)
        return kernel.apply(to: input)
    }

    /// Converts interleaved 16-bit PCM of any format to 16 kHz mono (``AudioFormat/speech``).
    public func toSpeechFormat(_ chunk: AudioChunk) -> AudioChunk {
        convert(chunk, to: .speech)
    }

    /// Converts interleaved 16-bit PCM to another rate, downmixing to mono when `target.channels == 1`.
    public func convert(_ chunk: AudioChunk, to target: AudioFormat) -> AudioChunk {
        if chunk.format == target { return chunk }
        precondition(target.channels == 1, "conversion produces mono only")
        let floats = chunk.samples.map { Float($0) / 32768 }
        let mono = downmix(floats, channels: chunk.format.channels)
        let resampled = resample(mono, from: chunk.format.sampleRate, to: target.sampleRate)
        return AudioChunk(samples: resampled.map(Self.toInt16), format: target, timestamp: chunk.timestamp)
    }

    /// Float in [-1, 1] to 16-bit with rounding and clipping (NaN becomes 0).
    public static func toInt16(_ value: Float) -> Int16 {
        guard !value.isNaN else { return 0 }
        let scaled = (value * 32768).rounded()
        return Int16(max(-32768, min(32767, scaled)))
    }

    /// Zeroth-order modified Bessel function of the first kind (series expansion).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let half = x / 2
        for k in 1..<50 {
            term *= (half / Double(k)) * (half / Double(k))
            sum += term
            if term < sum * 1e-12 { break }
        }
        return sum
    }
}

/// A windowed-sinc kernel sampled at every phase a rate change needs, ready to run as a polyphase filter.
///
/// For a ratio `target / source = L / M` in lowest terms, output sample `n` sits at input position
/// `n * M / L`, whose fractional part is always one of `p / L`: one table row per phase `p` makes the
/// filter exact. When `L` is large (an awkward ratio such as 44 100 → 16 001) the table instead holds
/// ``PolyphaseKernel/interpolatedPhaseCount`` evenly spaced phases plus the end point, and the weights
/// for an output are interpolated linearly between the two nearest rows.
struct PolyphaseKernel: Sendable {
    /// Largest reduced numerator `L` that gets one row per exact phase.
    static let maxExactPhases = 1024
    /// Rows (plus one) of the fine-grained table used when `L` exceeds ``maxExactPhases``.
    static let interpolatedPhaseCount = 1024
    /// Upper bound on the table's size in weights; very lopsided ratios get fewer interpolated rows.
    static let maxTableWeights = 4 << 20

    /// Output samples per `outputStep` input samples: the reduced ratio `L / M`.
    let outputStep: Int
    let inputStep: Int
    /// Rows in the table that are addressed by phase: `L` when exact, the interpolation grid otherwise.
    let phaseRows: Int
    /// Whether rows are interpolated (the table then has `phaseRows + 1` rows).
    let interpolated: Bool
    /// Weights per row.
    let taps: Int
    /// Input offset of a row's first tap relative to the integer part of the output's input position.
    let firstTap: Int
    /// Row-major weights; each row sums to 1.
    let weights: [Float]

    init(from sourceRate: Int, to targetRate: Int, halfWidth: Int, beta: Double) {
        let divisor = Self.gcd(sourceRate, targetRate)
        outputStep = targetRate / divisor
        inputStep = sourceRate / divisor
        let ratio = Double(targetRate) / Double(sourceRate)
        // Cut-off relative to the source rate: below the lower Nyquist, with a small guard band.
        let cutoff = min(1.0, ratio) * 0.94
        let width = Double(halfWidth) / min(1.0, ratio)
        let reach = Int(width.rounded(.down))
        // Taps j = -reach ... reach + 1 cover |j - frac| <= width for every frac in [0, 1].
        taps = 2 * reach + 2
        firstTap = -reach
        let exactFits = outputStep <= Self.maxExactPhases && outputStep * taps <= Self.maxTableWeights
        interpolated = !exactFits
        if exactFits {
            phaseRows = outputStep
        } else {
            phaseRows = max(16, min(Self.interpolatedPhaseCount, Self.maxTableWeights / taps - 1))
        }
        let rowCount = interpolated ? phaseRows + 1 : phaseRows
        var table = [Float](repeating: 0, count: rowCount * taps)
        let i0 = AudioConverter.besselI0(beta)
        var raw = [Double](repeating: 0, count: taps)
        for row in 0..<rowCount {
            let frac = Double(row) / Double(phaseRows)
            var sum = 0.0
            for j in 0..<taps {
                let x = Double(firstTap + j) - frac
                let r = x / width
                guard abs(r) <= 1 else {
                    raw[j] = 0
                    continue
                }
                let window = AudioConverter.besselI0(beta * (1 - r * r).squareRoot()) / i0
                let arg = Double.pi * x * cutoff
                let sinc = arg == 0 ? 1 : sin(arg) / arg
                raw[j] = sinc * window
                sum += raw[j]
            }
            let scale = sum != 0 ? 1 / sum : 0
            for j in 0..<taps { table[row * taps + j] = Float(raw[j] * scale) }
        }
        weights = table
    }

    /// Filters `input` into `floor(input.count * L / M)` output samples.
    func apply(to input: [Float]) -> [Float] {
        let outputCount = input.count * outputStep / inputStep
        var output = [Float](repeating: 0, count: outputCount)
        guard outputCount > 0 else { return output }
        input.withUnsafeBufferPointer { source in
            weights.withUnsafeBufferPointer { table in
                output.withUnsafeMutableBufferPointer { destination in
                    run(source, table, destination)
                }
            }
        }
        return output
    }

    private func run(
        _ source: UnsafeBufferPointer<Float>, _ table: UnsafeBufferPointer<Float>,
        _ destination: UnsafeMutableBufferPointer<Float>
    ) {
        let src = source.baseAddress!
        let tab = table.baseAddress!
        let count = source.count
        let taps = self.taps
        let wholeStep = inputStep / outputStep
        let phaseStep = inputStep % outputStep
        var base = 0  // integer part of the input position
        var phase = 0  // fractional part, in units of 1 / outputStep
        for n in 0..<destination.count {
            let start = base + firstTap
            let lo = max(0, -start)
            let hi = min(taps, count - start)
            // Whole kernel inside the input: rows already sum to 1. Otherwise renormalise by the taps
            // that exist, so levels stay exact at the ends.
            let whole = lo == 0 && hi == taps
            let x = src + (start + lo)
            let used = max(0, hi - lo)
            var value: Float
            if interpolated {
                let position = Double(phase) * Double(phaseRows) / Double(outputStep)
                let row = min(Int(position), phaseRows - 1)
                let alpha = Float(position - Double(row))
                let w0 = tab + (row * taps + lo)
                let w1 = w0 + taps
                let acc0 = Self.dot(x, w0, used)
                let acc1 = Self.dot(x, w1, used)
                value = acc0 + alpha * (acc1 - acc0)
                if !whole {
                    let norm0 = Self.sum(w0, used)
                    let norm = norm0 + alpha * (Self.sum(w1, used) - norm0)
                    value = norm != 0 ? value / norm : 0
                }
            } else {
                let w = tab + (phase * taps + lo)
                value = Self.dot(x, w, used)
                if !whole {
                    let norm = Self.sum(w, used)
                    value = norm != 0 ? value / norm : 0
                }
            }
            destination[n] = value
            base += wholeStep
            phase += phaseStep
            if phase >= outputStep {
                phase -= outputStep
                base += 1
            }
        }
    }

    /// The inner product of `count` samples with `count` weights.
    ///
    /// Unrolled by eight into four accumulators with wrapping index arithmetic: this is the resampler's
    /// whole cost, and the unrolled form is about four times faster in debug builds (where nothing is
    /// vectorised for us) and no slower in release builds.
    private static func dot(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ count: Int) -> Float {
        var a0: Float = 0
        var a1: Float = 0
        var a2: Float = 0
        var a3: Float = 0
        var j = 0
        let unrolled = count & ~7
        while j < unrolled {
            a0 += x[j] * w[j]
            a1 += x[j &+ 1] * w[j &+ 1]
            a2 += x[j &+ 2] * w[j &+ 2]
            a3 += x[j &+ 3] * w[j &+ 3]
            a0 += x[j &+ 4] * w[j &+ 4]
            a1 += x[j &+ 5] * w[j &+ 5]
            a2 += x[j &+ 6] * w[j &+ 6]
            a3 += x[j &+ 7] * w[j &+ 7]
            j &+= 8
        }
        while j < count {
            a0 += x[j] * w[j]
            j &+= 1
        }
        return (a0 + a1) + (a2 + a3)
    }

    private static func sum(_ w: UnsafePointer<Float>, _ count: Int) -> Float {
        var total: Float = 0
        for j in 0..<count { total += w[j] }
        return total
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    // MARK: Cache

    private struct Key: Hashable {
        var sourceRate: Int
        var targetRate: Int
        var halfWidth: Int
        var beta: Double
    }

    /// Kernels already built, by rate pair and shape; cleared when it grows past a handful of entries.
    private static let cache = Mutex<[Key: PolyphaseKernel]>([:])

    static func cached(from sourceRate: Int, to targetRate: Int, halfWidth: Int, beta: Double) -> PolyphaseKernel {
        let key = Key(sourceRate: sourceRate, targetRate: targetRate, halfWidth: halfWidth, beta: beta)
        if let kernel = cache.withLock({ $0[key] }) { return kernel }
        let kernel = PolyphaseKernel(from: sourceRate, to: targetRate, halfWidth: halfWidth, beta: beta)
        cache.withLock { entries in
            if entries.count >= 16 { entries.removeAll() }
            entries[key] = kernel
        }
        return kernel
    }
}
