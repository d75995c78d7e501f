import Foundation
import HarkSkillKit
import NIOCore

/// Reads Wyoming events from a byte stream: a JSON header line, then its data and payload bytes.
///
/// Input may arrive split anywhere (a header in pieces, a payload over several reads): the decoder waits for the
/// rest. Blank lines between events are skipped. Anything else that is not an event — a header that is not a JSON
/// object, a missing `type`, a negative or fractional length, data that is not a JSON object, a size beyond
/// ``WyomingLimits`` — throws ``WyomingProtocolError``; the connection is then closed.
public struct WyomingEventDecoder: ByteToMessageDecoder {
    public typealias InboundOut = WyomingEvent

    /// A header read whose data and payload have not all arrived.
    private struct Header {
        var type: String
        var data: [String: JSONValue]
        var dataLength: Int
        var payloadLength: Int
    }

    private let limits: WyomingLimits
    private var header: Header?

    public init(limits: WyomingLimits = WyomingLimits()) {
        self.limits = limits
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let event = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(event))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while let event = try next(from: &buffer) { context.fireChannelRead(wrapInboundOut(event)) }
        return .needMoreData
    }

    /// The next complete event in `buffer` (its bytes consumed), or nil when more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) throws -> WyomingEvent? {
        if header == nil {
            guard let parsed = try readHeader(from: &buffer) else { return nil }
            header = parsed
        }
        guard let pending = header, buffer.readableBytes >= pending.dataLength + pending.payloadLength else {
            return nil
        }
        var data = pending.data
        if pending.dataLength > 0 {
            let bytes = buffer.readBytes(length: pending.dataLength)!
            guard let block = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
                case .object(let members) = block
            else {
                throw WyomingProtocolError("the data of a '\(pending.type)' event is not a JSON object")
            }
            data.merge(members) { _, block in block }
        }
        let payload = pending.payloadLength > 0 ? buffer.readBytes(length: pending.payloadLength)! : nil
        header = nil
        return WyomingEvent(type: pending.type, data: data, payload: payload)
    }

    private func readHeader(from buffer: inout ByteBuffer) throws -> Header? {
        while true {
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > limits.headerBytes {
                    throw WyomingProtocolError("a header line is longer than \(limits.headerBytes) bytes")
                }
                return nil
            }
            let length = newline - buffer.readerIndex
            guard length <= limits.headerBytes else {
                throw WyomingProtocolError("a header line is longer than \(limits.headerBytes) bytes")
            }
            var line = buffer.readBytes(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            return try parseHeader(line)
        }
    }

    private func parseHeader(_ line: [UInt8]) throws -> Header {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line)), case .object(let header) = value
        else {
            let shown = String(decoding: line.prefix(80), as: UTF8.self)
            throw WyomingProtocolError("a header line is not a JSON object: \(shown)")
        }
        guard let type = header["type"]?.stringValue, !type.isEmpty else {
            throw WyomingProtocolError("a header has no \"type\"")
        }
        var data: [String: JSONValue] = [:]
        switch header["data"] {
        case nil, .null?: break
        case .object(let members)?: data = members
        default: throw WyomingProtocolError("the \"data\" of a '\(type)' header is not a JSON object")
        }
        let dataLength = try length("data_length", of: header, type: type, limit: limits.dataBytes)
        let payloadLength = try length("payload_length", of: header, type: type, limit: limits.payloadBytes)
        return Header(type: type, data: data, dataLength: dataLength, payloadLength: payloadLength)
    }

    private func length(_ key: String, of header: [String: JSONValue], type: String, limit: Int) throws -> Int {
        switch header[key] {
        case nil, .null?: return 0
        case .number(let n)?:
            guard n >= 0, n.rounded() == n else {
                throw WyomingProtocolError("\(key) of a '\(type)' event is not a whole number of bytes: \(n)")
            }
            guard n <= Double(limit) else {
                throw WyomingProtocolError(
                    "\(key) of a '\(type)' event is \(Int(n)) bytes, above the limit of \(limit)")
            }
            return Int(n)
        default:
            throw WyomingProtocolError("\(key) of a '\(type)' event is not a number")
        }
    }
}

/// Writes Wyoming events: the header line (with `version`, `data_length`, `payload_length`), the data as UTF-8
/// JSON, then the payload. Data is always written as a block (`{}` when empty), so that readers which expect
/// `data` to be an object get one.
public struct WyomingEventEncoder: MessageToByteEncoder {
    public typealias OutboundIn = WyomingEvent

    public init() {}

    public func encode(data event: WyomingEvent, out: inout ByteBuffer) throws {
        Self.write(event, into: &out)
    }

    /// Appends `event` in wire form to `buffer`.
    public static func write(_ event: WyomingEvent, into buffer: inout ByteBuffer) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONValue encodes without failing: its cases are JSON's.
        let data = (try? encoder.encode(JSONValue.object(event.data))) ?? Data("{}".utf8)
        var header: [String: JSONValue] = [
            "type": .string(event.type), "version": .string(WyomingEvent.version),
            "data_length": .number(Double(data.count)),
        ]
        if let payload = event.payload, !payload.isEmpty { header["payload_length"] = .number(Double(payload.count)) }
        buffer.writeBytes((try? encoder.encode(JSONValue.object(header))) ?? Data())
        buffer.writeInteger(UInt8(ascii: "\n"))
        buffer.writeBytes(data)
        if let payload = event.payload, !payload.isEmpty { buffer.writeBytes(payload) }
    }
}
