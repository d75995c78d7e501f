import Foundation
import HarkAudio

/// Short tones Hark plays instead of words: the "I'm listening" beep after the wake phrase alone.
public enum Earcon {
    /// A sine tone with raised-cosine fades at both ends (so it does not click), at `level` (0...1 of full scale).
    public static func tone(
        frequency: Double = 880, duration: Double = 0.12, fade: Double = 0.015, level: Double = 0.4,
        format: AudioFormat = .speech
    ) -> AudioChunk {
        let rate = Double(format.sampleRate)
        let count = max(0, Int(duration * rate))
        let fadeCount = max(1, min(count / 2, Int(fade * rate)))
        var samples = [Int16](repeating: 0, count: count * format.channels)
        for index in 0..<count {
            var gain = 1.0
            let fromEdge = min(index, count - 1 - index)
            if fromEdge < fadeCount { gain = 0.5 - 0.5 * cos(Double.pi * Double(fromEdge) / Double(fadeCount)) }
            let value = Int16(level * gain * 32_767 * sin(2 * Double.pi * frequency * Double(index) / rate))
            for channel in 0..<format.channels { samples[index * format.channels + channel] = value }
        }
        return AudioChunk(samples: samples, format: format)
    }

    /// The tone played after the wake phrase alone: 120 ms at 880 Hz.
    public static let listening = tone()
}
