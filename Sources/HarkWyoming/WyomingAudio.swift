import HarkAudio
import HarkSkillKit

/// Wyoming's audio events (`audio-start`, `audio-chunk`, `audio-stop`) to and from Hark's ``AudioChunk``s.
///
/// Hark takes and gives 16-bit PCM (`width` 2) only; any rate from 8 to 96 kHz and 1 to 8 channels are accepted and
/// converted where Hark needs 16 kHz mono.
public enum WyomingAudio {
    /// The audio format of an `audio-start` or `audio-chunk` event, checked; the error says what is wrong.
    public static func format(of event: WyomingEvent) throws(WyomingRequestError) -> AudioFormat {
        guard let rate = event.integer("rate"), let width = event.integer("width"),
            let channels = event.integer("channels")
        else {
            throw WyomingRequestError("\(event.type): rate, width and channels must be whole numbers")
        }
        guard width == 2 else {
            throw WyomingRequestError("\(event.type): width \(width) is not supported; send 16-bit PCM (width 2)")
        }
        guard (8_000...96_000).contains(rate) else {
            throw WyomingRequestError("\(event.type): rate \(rate) Hz is outside 8000…96000")
        }
        guard (1...8).contains(channels) else {
            throw WyomingRequestError("\(event.type): \(channels) channels is outside 1…8")
        }
        return AudioFormat(sampleRate: rate, channels: channels)
    }

    /// The samples of an `audio-chunk` event (little-endian 16-bit); a payload of an odd length or not whole frames is
    /// refused.
    public static func samples(of event: WyomingEvent, format: AudioFormat) throws(WyomingRequestError) -> [Int16] {
        let bytes = event.payload ?? []
        guard bytes.count % (2 * format.channels) == 0 else {
            throw WyomingRequestError(
                "audio-chunk: \(bytes.count) bytes is not a whole number of \(format.channels)-channel 16-bit frames")
        }
        var samples = [Int16](repeating: 0, count: bytes.count / 2)
        for i in samples.indices {
            samples[i] = Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)
        }
        return samples
    }

    /// Little-endian bytes of `samples`.
    public static func bytes(of samples: ArraySlice<Int16>) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            bytes.append(UInt8(bits & 0xFF))
            bytes.append(UInt8(bits >> 8))
        }
        return bytes
    }

    /// The data of an `audio-start` or `audio-chunk` event for `format`.
    static func formatData(_ format: AudioFormat, timestamp: Int? = nil) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "rate": .number(Double(format.sampleRate)), "width": .number(2),
            "channels": .number(Double(format.channels)),
        ]
        data["timestamp"] = timestamp.map { .number(Double($0)) } ?? .null
        return data
    }

    /// `audio` as `audio-start`, `audio-chunk`s of `samplesPerChunk` frames (with millisecond timestamps from 0), and
    /// `audio-stop`: how a reply is played.
    public static func events(for audio: AudioChunk, samplesPerChunk: Int = 1024) -> [WyomingEvent] {
        var events = [WyomingEvent(type: "audio-start", data: formatData(audio.format, timestamp: 0))]
        let step = max(1, samplesPerChunk) * max(1, audio.format.channels)
        var offset = 0
        while offset < audio.samples.count {
            let end = min(audio.samples.count, offset + step)
            let milliseconds = offset / max(1, audio.format.channels) * 1000 / max(1, audio.format.sampleRate)
            events.append(
                WyomingEvent(
                    type: "audio-chunk", data: formatData(audio.format, timestamp: milliseconds),
                    payload: bytes(of: audio.samples[offset..<end])))
            offset = end
        }
        events.append(WyomingEvent(type: "audio-stop", data: ["timestamp": .number((audio.duration * 1000).rounded())]))
        return events
    }
}

/// A well-framed event that cannot be acted on (a missing field, an unsupported audio format): the client gets an
/// `error` event with this text and the connection goes on.
public struct WyomingRequestError: Error, Equatable, CustomStringConvertible {
    /// What was wrong, for the client.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
