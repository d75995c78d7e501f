import HarkSkillKit

/// One Wyoming event: a type, its JSON data and an optional binary payload (audio).
///
/// On the wire an event is a JSON header line (`type`, `version`, `data_length`, `payload_length`, and possibly
/// `data` inline), then `data_length` bytes of UTF-8 JSON data, then `payload_length` bytes of payload
/// (``WyomingEventDecoder``, ``WyomingEventEncoder``).
public struct WyomingEvent: Sendable, Equatable, CustomStringConvertible {
    /// The event type (`describe`, `audio-chunk`, `transcript`…).
    public var type: String
    /// The event's data (the header's inline `data` merged with the data block, the block winning).
    public var data: [String: JSONValue]
    /// The binary payload (raw PCM for `audio-chunk`), nil for none.
    public var payload: [UInt8]?

    public init(type: String, data: [String: JSONValue] = [:], payload: [UInt8]? = nil) {
        self.type = type
        self.data = data
        self.payload = payload
    }

    /// The protocol version Hark writes in headers (that of the `wyoming` Python package it was tested against).
    public static let version = "1.2"

    /// A string member of the data, nil when missing or not a string.
    public func string(_ key: String) -> String? { data[key]?.stringValue }

    /// An integer member of the data, nil when missing or not a whole number.
    public func integer(_ key: String) -> Int? {
        guard let number = data[key]?.numberValue, number.rounded() == number, abs(number) < 1e15 else { return nil }
        return Int(number)
    }

    public var description: String {
        "\(type) \(JSONValue.object(data))" + (payload.map { " +\($0.count) bytes" } ?? "")
    }
}

/// Why a byte stream is not Wyoming events: the connection that sent it is closed.
public struct WyomingProtocolError: Error, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Size limits for one incoming event, so a client cannot make the server buffer without bound.
public struct WyomingLimits: Sendable, Equatable {
    /// The longest header line, newline excluded (bytes).
    public var headerBytes = 64 * 1024
    /// The largest data block (bytes).
    public var dataBytes = 1024 * 1024
    /// The largest payload (bytes): 4 MiB is two minutes of 16 kHz 16-bit mono in one chunk.
    public var payloadBytes = 4 * 1024 * 1024

    public init() {}
}
