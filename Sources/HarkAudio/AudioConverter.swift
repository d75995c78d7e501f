/// Converts PCM between formats: downmixes channels by averaging and changes the rate with a
/// band-limited (windowed-sinc, Kaiser window) resampler.
///
/// The filter's cut-off sits just below the lower of the two Nyquist frequencies, so downsampling from
/// 22 050 Hz or 44 100 Hz to 16 kHz does not fold high frequencies back into the speech band.
public struct AudioConverter: Sendable {
    /// Taps on each side of the centre of the interpolation kernel.
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
        for f in 0..<frames {
            var acc: Float = 0
            for c in 0..<channels { acc += samples[f * channels + c] }
            out[f] = acc * scale
        }
        return out
    }

    /// Resamples mono samples from one rate to another.
    public func resample(_ input: [Float], from sourceRate: Int, to targetRate: Int) -> [Float] {
        precondition(sourceRate > 0 && targetRate > 0, "sample rates must be positive")
        guard sourceRate != targetRate, !input.isEmpty else { return input }
        let ratio = Double(targetRate) / Double(sourceRate)
        let outputCount = Int((Double(input.count) * ratio).rounded(.down))
        // Cut-off relative to the source rate: below the lower Nyquist, with a small guard band.
        let cutoff = min(1.0, ratio) * 0.94
        let width = Double(halfWidth) / min(1.0, ratio)
        var output = [Float](repeating: 0, count: outputCount)
        let i0 = Self.besselI0(beta)
        input.withUnsafeBufferPointer { src in
            for n in 0..<outputCount {
                let t = Double(n) / ratio
                let first = max(0, Int((t - width).rounded(.up)))
                let last = min(src.count - 1, Int((t + width).rounded(.down)))
                guard first <= last else { continue }
                var acc = 0.0
                var norm = 0.0
                for k in first...last {
                    let x = Double(k) - t
                    let r = x / width
                    let window = Self.besselI0(beta * (1 - r * r).squareRoot()) / i0
                    let arg = Double.pi * x * cutoff
                    let sinc = arg == 0 ? 1 : sin(arg) / arg
                    let w = cutoff * sinc * window
                    acc += Double(src[k]) * w
                    norm += w
                }
                // Normalising by the kernel's DC gain keeps levels exact near the edges.
                output[n] = Float(norm != 0 ? acc / norm : 0)
            }
        }
        return output
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

    /// Float in [-1, 1] to 16-bit with rounding and clipping.
    public static func toInt16(_ value: Float) -> Int16 {
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
