import Foundation
import HarkAudio

/// Short tones Hark plays instead of words: the "I'm listening" beep after the wake phrase alone, the ringing chime.
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

    /// The chime a timer or alarm rings with: three rising notes, then a breath before the words.
    public static func ring(format: AudioFormat) -> AudioChunk {
        let gap = silence(0.06, format: format)
        let notes = [784.0, 988, 1319].map { tone(frequency: $0, duration: 0.16, level: 0.35, format: format).samples }
        return AudioChunk(samples: notes.joined(separator: gap).map { $0 } + silence(0.3, format: format), format: format)
    }

    /// The chime, then `words` (already spoken in `format`): one ring.
    public static func ring(then words: AudioChunk) -> AudioChunk {
        AudioChunk(samples: ring(format: words.format).samples + words.samples, format: words.format)
    }

    private static func silence(_ seconds: Double, format: AudioFormat) -> [Int16] {
        [Int16](repeating: 0, count: Int(seconds * Double(format.sampleRate)) * format.channels)
    }
}
