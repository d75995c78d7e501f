/// The shape of a stream of PCM samples: how fast, how many channels.
///
/// Hark's pipeline works on ``AudioFormat/speech`` (16 kHz mono); every other format is converted to it
/// at the edge (``WAVFile``, the ALSA devices) by ``AudioConverter``.
public struct AudioFormat: Sendable, Hashable, CustomStringConvertible {
    /// Samples per second per channel.
    public var sampleRate: Int
    /// Interleaved channels per frame.
    public var channels: Int

    public init(sampleRate: Int, channels: Int = 1) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// 16 kHz mono: what the recognizer, the wake-phrase detector and the endpointer take.
    public static let speech = AudioFormat(sampleRate: 16_000, channels: 1)

    public var description: String { "\(sampleRate) Hz, \(channels == 1 ? "mono" : "\(channels) channels")" }
}
