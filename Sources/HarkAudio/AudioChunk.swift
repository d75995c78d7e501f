/// A run of 16-bit PCM audio with its format and the time of its first sample.
///
/// Samples are interleaved when `format.channels > 1`. The timestamp is in seconds from the start of the
/// stream the chunk belongs to (a file, a capture session), so later stages can say when speech began.
public struct AudioChunk: Sendable, Equatable {
    /// Interleaved signed 16-bit samples.
    public var samples: [Int16]
    /// Rate and channel count of `samples`.
    public var format: AudioFormat
    /// Seconds from the start of the stream to the first sample of this chunk.
    public var timestamp: Double

    public init(samples: [Int16], format: AudioFormat, timestamp: Double = 0) {
        self.samples = samples
        self.format = format
        self.timestamp = timestamp
    }

    /// Frames (one sample per channel) in the chunk.
    public var frameCount: Int { format.channels > 0 ? samples.count / format.channels : 0 }

    /// Length in seconds.
    public var duration: Double { format.sampleRate > 0 ? Double(frameCount) / Double(format.sampleRate) : 0 }

    /// The sample rate shorthand.
    public var sampleRate: Int { format.sampleRate }

    /// Root-mean-square level in dBFS (-inf for digital silence).
    public var levelDBFS: Double {
        guard !samples.isEmpty else { return -.infinity }
        var sum = 0.0
        for s in samples { sum += Double(s) * Double(s) }
        let rms = (sum / Double(samples.count)).squareRoot()
        return rms > 0 ? 20 * log10(rms / 32768) : -.infinity
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
