import Foundation
import HarkAudio
import HarkSkillKit
import NIOCore
import NIOEmbedded
import Testing

@testable import HarkWyoming

/// The Wyoming event codec on its own: round trips, input split anywhere, and input that is not events.
struct WyomingCodecTests {
    private func wire(_ events: [WyomingEvent]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for event in events { WyomingEventEncoder.write(event, into: &buffer) }
        return buffer
    }

    private func decodeAll(_ buffer: ByteBuffer, limits: WyomingLimits = WyomingLimits()) throws -> [WyomingEvent] {
        var decoder = WyomingEventDecoder(limits: limits)
        var buffer = buffer
        var events: [WyomingEvent] = []
        while let event = try decoder.next(from: &buffer) { events.append(event) }
        #expect(buffer.readableBytes == 0)
        return events
    }

    static let samples: [WyomingEvent] = [
        WyomingEvent(type: "describe"),
        WyomingEvent(type: "transcript", data: ["text": .string("add milk to my shopping list — ünïcode")]),
        WyomingEvent(
            type: "audio-chunk",
            data: ["rate": .number(16000), "width": .number(2), "channels": .number(1), "timestamp": .null],
            payload: (0..<3200).map { UInt8($0 % 251) }),
        WyomingEvent(
            type: "intent",
            data: [
                "name": .string("AddItem"),
                "entities": .array([.object(["name": .string("item"), "value": .string("milk")])]),
            ]),
    ]

    @Test func eventsSurviveARoundTrip() throws {
        #expect(try decodeAll(wire(Self.samples)) == Self.samples)
    }

    @Test func theHeaderCarriesVersionAndLengths() throws {
        var buffer = wire([Self.samples[2]])
        let line = buffer.readString(
            length: buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n"))! - buffer.readerIndex)!
        let header = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)).objectValue!
        #expect(header["type"] == .string("audio-chunk"))
        #expect(header["version"] == .string("1.2"))
        #expect(header["payload_length"] == .number(3200))
        let dataLength = Int(header["data_length"]!.numberValue!)
        buffer.moveReaderIndex(forwardBy: 1)
        let data = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readBytes(length: dataLength)!))
        #expect(data.objectValue?["rate"] == .number(16000))
        #expect(buffer.readableBytes == 3200)
    }

    /// Every way of cutting the stream in two, and one byte at a time, gives the same events.
    @Test func inputSplitAnywhereDecodesTheSame() throws {
        let bytes = Array(wire(Array(Self.samples.prefix(2)) + [Self.samples[3]]).readableBytesView)
        for cut in 0...bytes.count {
            var decoder = WyomingEventDecoder()
            var events: [WyomingEvent] = []
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            while let event = try decoder.next(from: &buffer) { events.append(event) }
            buffer.writeBytes(bytes[cut...])
            while let event = try decoder.next(from: &buffer) { events.append(event) }
            #expect(events.count == 3, "cut at \(cut)")
            #expect(events == Array(Self.samples.prefix(2)) + [Self.samples[3]], "cut at \(cut)")
        }
        var decoder = WyomingEventDecoder()
        var buffer = ByteBuffer()
        var events: [WyomingEvent] = []
        for byte in wire(Self.samples).readableBytesView {
            buffer.writeInteger(byte)
            while let event = try decoder.next(from: &buffer) { events.append(event) }
        }
        #expect(events == Self.samples)
    }

    /// What the `wyoming` Python package writes: inline data in the header is merged with the data block (the block
    /// wins), a header without lengths has neither, blank lines are skipped.
    @Test func pythonStyleHeadersAreRead() throws {
        let text =
            "{\"type\": \"describe\"}\n\n"
            + "{\"type\": \"synthesize\", \"data\": {\"text\": \"old\", \"voice\": {\"name\": \"en-us\"}}, \"data_length\": 15, \"version\": \"1.2\"}\n"
            + "{\"text\": \"hi\"}\r\n"
        let events = try decodeAll(ByteBuffer(string: text + "{\"type\":\"audio-stop\"}\r\n"))
        #expect(events.count == 3)
        #expect(events[0] == WyomingEvent(type: "describe"))
        #expect(events[1].string("text") == "hi")
        #expect(events[1].data["voice"]?.objectValue?["name"] == .string("en-us"))
        #expect(events[2].type == "audio-stop")
    }

    @Test(arguments: [
        ("not json\n", "not a JSON object"),
        ("[1, 2]\n", "not a JSON object"),
        ("{\"data\": {}}\n", "no \"type\""),
        ("{\"type\": \"\"}\n", "no \"type\""),
        ("{\"type\": \"x\", \"data_length\": -1}\n", "not a whole number"),
        ("{\"type\": \"x\", \"payload_length\": 1.5}\n", "not a whole number"),
        ("{\"type\": \"x\", \"payload_length\": \"12\"}\n", "not a number"),
        ("{\"type\": \"x\", \"data\": [1]}\n", "not a JSON object"),
        ("{\"type\": \"x\", \"data_length\": 3}\n[1]", "is not a JSON object"),
        ("{\"type\": \"x\", \"data_length\": 5}\n{\"a\":", "is not a JSON object"),
    ])
    func malformedInputIsRefused(input: String, reason: String) throws {
        var input = input
        if input.hasSuffix("{\"a\":") { input += "}" }
        var decoder = WyomingEventDecoder()
        var buffer = ByteBuffer(string: input)
        let error = #expect(throws: WyomingProtocolError.self) {
            while try decoder.next(from: &buffer) != nil {}
        }
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func oversizedLengthsAreRefusedBeforeTheBytesArrive() throws {
        var limits = WyomingLimits()
        limits.headerBytes = 100
        limits.dataBytes = 1000
        limits.payloadBytes = 10_000
        for (header, reason) in [
            ("{\"type\": \"audio-chunk\", \"payload_length\": 10001}\n", "above the limit of 10000"),
            ("{\"type\": \"x\", \"data_length\": 1001}\n", "above the limit of 1000"),
            ("{\"type\": \"x\", \"data\": {\"text\": \"\(String(repeating: "a", count: 200))\"}}\n", "longer than 100"),
        ] {
            var decoder = WyomingEventDecoder(limits: limits)
            var buffer = ByteBuffer(string: header)
            let error = #expect(throws: WyomingProtocolError.self) { _ = try decoder.next(from: &buffer) }
            #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
        }
        // A header line that never ends is refused once it passes the limit, not buffered for ever.
        var decoder = WyomingEventDecoder(limits: limits)
        var buffer = ByteBuffer(string: "{\"type\": \"" + String(repeating: "x", count: 150))
        #expect(throws: WyomingProtocolError.self) { _ = try decoder.next(from: &buffer) }
        // At the limit exactly, it is fine.
        var exact = WyomingEventDecoder(limits: limits)
        var payload = ByteBuffer(string: "{\"type\": \"audio-chunk\", \"payload_length\": 10000}\n")
        payload.writeBytes([UInt8](repeating: 7, count: 10_000))
        #expect(try exact.next(from: &payload)?.payload?.count == 10_000)
    }

    /// Through a channel pipeline, as the server runs it: events out, events in, and an error for garbage.
    @Test func channelHandlersDecodeAndEncode() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(WyomingEventDecoder()), MessageToByteHandler(WyomingEventEncoder()),
        ])
        try channel.writeInbound(wire(Self.samples))
        for expected in Self.samples { #expect(try channel.readInbound(as: WyomingEvent.self) == expected) }
        try channel.writeOutbound(Self.samples[1])
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(try decodeAll(written) == [Self.samples[1]])
        #expect(throws: WyomingProtocolError.self) { try channel.writeInbound(ByteBuffer(string: "garbage\n")) }
        _ = try? channel.finish()
    }

    @Test func audioEventsCarryTheSamplesAndTheirFormat() throws {
        let audio = AudioChunk(
            samples: (0..<2500).map { Int16($0 * 13 - 16000) }, format: AudioFormat(sampleRate: 22050))
        let events = WyomingAudio.events(for: audio, samplesPerChunk: 1024)
        #expect(events.map(\.type) == ["audio-start", "audio-chunk", "audio-chunk", "audio-chunk", "audio-stop"])
        var samples: [Int16] = []
        for event in events where event.type == "audio-chunk" {
            let format = try WyomingAudio.format(of: event)
            #expect(format == AudioFormat(sampleRate: 22050))
            samples += try WyomingAudio.samples(of: event, format: format)
        }
        #expect(samples == audio.samples)
        #expect(events[2].integer("timestamp") == 1024 * 1000 / 22050)

        let eightBit = WyomingEvent(
            type: "audio-start", data: ["rate": .number(16000), "width": .number(1), "channels": .number(1)])
        #expect(throws: WyomingRequestError("audio-start: width 1 is not supported; send 16-bit PCM (width 2)")) {
            try WyomingAudio.format(of: eightBit)
        }
        let odd = WyomingEvent(type: "audio-chunk", payload: [1, 2, 3])
        #expect(throws: WyomingRequestError.self) { try WyomingAudio.samples(of: odd, format: .speech) }
    }
}
