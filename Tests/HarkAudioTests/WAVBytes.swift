/// Hand-built WAV files for tests, written field by field so that they do not depend on the encoder
/// under test, and so that any header field can be set to a wrong value.
struct WAVBytes {
    var formatTag: UInt16 = 1
    var channels: UInt16 = 1
    var sampleRate: UInt32 = 16_000
    var bitsPerSample: UInt16 = 16
    /// Subformat code for WAVE_FORMAT_EXTENSIBLE (written when `formatTag` is 0xFFFE).
    var subformat: UInt16 = 1
    /// Overrides the size written in the `fmt ` chunk header (its body stays as built).
    var formatSizeOverride: UInt32?
    /// Truncates the `fmt ` body to this many bytes.
    var formatBodyLength: Int?
    /// Chunks written between `fmt ` and `data`, as (id, body).
    var chunksBeforeData: [(String, [UInt8])] = []
    /// Chunks written before `fmt `.
    var chunksBeforeFormat: [(String, [UInt8])] = []
    var includeFormat = true
    var includeData = true
    var data: [UInt8] = []
    /// Overrides the size written in the `data` chunk header.
    var dataSizeOverride: UInt32?
    /// Overrides the RIFF size field.
    var riffSizeOverride: UInt32?

    var bytes: [UInt8] {
        var body: [UInt8] = Array("WAVE".utf8)
        for (id, chunk) in chunksBeforeFormat { body += Self.chunk(id, chunk) }
        if includeFormat {
            var fmt: [UInt8] = []
            let blockAlign = UInt16(truncatingIfNeeded: Int(channels) * Int(bitsPerSample) / 8)
            fmt += Self.le(formatTag) + Self.le(channels) + Self.le(sampleRate)
            fmt += Self.le(UInt32(truncatingIfNeeded: Int(sampleRate) * Int(blockAlign)))
            fmt += Self.le(blockAlign) + Self.le(bitsPerSample)
            if formatTag == 0xFFFE {
                fmt += Self.le(UInt16(22)) + Self.le(bitsPerSample) + Self.le(UInt32(channels == 2 ? 3 : 4))
                fmt += Self.le(subformat) + Self.guidTail
            }
            if let formatBodyLength { fmt = Array(fmt.prefix(formatBodyLength)) }
            body += Self.chunk("fmt ", fmt, sizeOverride: formatSizeOverride)
        }
        for (id, chunk) in chunksBeforeData { body += Self.chunk(id, chunk) }
        if includeData { body += Self.chunk("data", data, sizeOverride: dataSizeOverride) }
        return Array("RIFF".utf8) + Self.le(riffSizeOverride ?? UInt32(body.count)) + body
    }

    static let guidTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

    static func chunk(_ id: String, _ body: [UInt8], sizeOverride: UInt32? = nil) -> [UInt8] {
        var out = Array(id.utf8) + le(sizeOverride ?? UInt32(body.count)) + body
        if body.count % 2 == 1 { out.append(0) }
        return out
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    /// 16-bit little-endian bytes of `samples`.
    static func pcm16(_ samples: [Int16]) -> [UInt8] { samples.flatMap { le($0) } }
}

extension WAVBytes {
    /// A copy with some fields changed.
    func with(_ change: (inout WAVBytes) -> Void) -> WAVBytes {
        var copy = self
        change(&copy)
        return copy
    }
}
