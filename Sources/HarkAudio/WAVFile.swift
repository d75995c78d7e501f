/// How samples are stored in a WAV file's `data` chunk.
public enum WAVEncoding: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 8-bit unsigned integer PCM (128 is silence).
    case pcm8
    /// 16-bit signed little-endian integer PCM.
    case pcm16
    /// 24-bit signed little-endian integer PCM, packed in three bytes.
    case pcm24
    /// 32-bit signed little-endian integer PCM.
    case pcm32
    /// 32-bit IEEE 754 float, nominally in -1...1.
    case float32

    /// Bytes one sample takes in the file.
    public var bytesPerSample: Int {
        switch self {
        case .pcm8: 1
        case .pcm16: 2
        case .pcm24: 3
        case .pcm32, .float32: 4
        }
    }

    public var description: String {
        switch self {
        case .pcm8: "8-bit PCM"
        case .pcm16: "16-bit PCM"
        case .pcm24: "24-bit PCM"
        case .pcm32: "32-bit PCM"
        case .float32: "32-bit float"
        }
    }
}

/// Decoded WAV audio: its format, how the file stored it, and the samples as floats.
public struct WAVAudio: Sendable, Equatable {
    /// Rate and channel count.
    public var format: AudioFormat
    /// The encoding the file used, and the one ``WAVFile/encode(_:)`` writes.
    public var encoding: WAVEncoding
    /// Interleaved samples, nominally in -1...1 (integer PCM is scaled by its full range; float files are
    /// passed through, so they may exceed it).
    public var samples: [Float]

    public init(format: AudioFormat, encoding: WAVEncoding, samples: [Float]) {
        self.format = format
        self.encoding = encoding
        self.samples = samples
    }

    /// 16-bit audio from a chunk, to encode with ``WAVFile/encode(_:)``.
    public init(_ chunk: AudioChunk) {
        self.init(format: chunk.format, encoding: .pcm16, samples: chunk.samples.map { Float($0) / 32768 })
    }

    /// Frames (one sample per channel).
    public var frameCount: Int { format.channels > 0 ? samples.count / format.channels : 0 }

    /// Length in seconds.
    public var duration: Double { format.sampleRate > 0 ? Double(frameCount) / Double(format.sampleRate) : 0 }

    /// The audio as 16-bit PCM in its own format (rounded and clipped), timestamped 0.
    public func chunk() -> AudioChunk {
        AudioChunk(samples: samples.map(AudioConverter.toInt16), format: format)
    }

    /// The audio as 16 kHz mono 16-bit PCM (``AudioFormat/speech``), converted from the float samples.
    public func speechChunk(converter: AudioConverter = AudioConverter()) -> AudioChunk {
        let mono = converter.downmix(samples, channels: format.channels)
        let resampled = converter.resample(mono, from: format.sampleRate, to: AudioFormat.speech.sampleRate)
        return AudioChunk(samples: resampled.map(AudioConverter.toInt16), format: .speech)
    }
}

/// Why a WAV file could not be read or written; the message starts with the file's name.
public struct WAVError: Error, CustomStringConvertible, Sendable {
    private enum Problem: Sendable {
        case notRIFFWave(String)
        case truncatedHeader(String)
        case truncatedData(present: Int, declared: Int)
        case missingFormatChunk
        case unsupportedEncoding(formatTag: Int)
        case unsupportedSubformat
        case unsupportedBitDepth(bits: Int, float: Bool)
        case zeroChannels
        case unsupportedSampleRate(Int)
        case missingDataChunk
        case emptyAudio
        case tooLarge(String)
        case unreadable(String)
        case unwritable(String)
    }

    /// The file (path or name) the error is about.
    public let fileName: String
    private let problem: Problem

    private init(_ fileName: String, _ problem: Problem) {
        self.fileName = fileName
        self.problem = problem
    }

    public var description: String { "\(fileName): \(detail)" }

    private var detail: String {
        switch problem {
        case .notRIFFWave(let why): "not a RIFF/WAVE file (\(why))"
        case .truncatedHeader(let why): "truncated header: \(why)"
        case .truncatedData(let present, let declared): "truncated data chunk: \(present) of \(declared) bytes"
        case .missingFormatChunk: "no 'fmt ' chunk before the end of the file"
        case .unsupportedEncoding(let tag):
            "unsupported encoding: \(Self.encodingName(tag)); "
                + "convert it to PCM (e.g. sox in.wav -e signed -b 16 out.wav)"
        case .unsupportedSubformat: "unsupported encoding: WAVE_FORMAT_EXTENSIBLE with an unknown subformat GUID"
        case .unsupportedBitDepth(let bits, let float):
            float
                ? "unsupported bit depth: \(bits)-bit float (supported: 32-bit float)"
                : "unsupported bit depth: \(bits)-bit integer PCM (supported: 8, 16, 24, 32)"
        case .zeroChannels: "zero channels"
        case .unsupportedSampleRate(let rate):
            rate == 0
                ? "unsupported sample rate: 0 Hz"
                : "unsupported sample rate: \(rate) Hz (limit \(WAVFile.maxSampleRate) Hz)"
        case .missingDataChunk: "no 'data' chunk"
        case .emptyAudio: "empty audio: the data chunk holds no complete frame"
        case .tooLarge(let why): "too large: \(why)"
        case .unreadable(let why): "cannot read: \(why)"
        case .unwritable(let why): "cannot write: \(why)"
        }
    }

    private static func encodingName(_ tag: Int) -> String {
        let names: [Int: String] = [
            0x0002: "MS ADPCM", 0x0006: "A-law", 0x0007: "mu-law", 0x0011: "IMA ADPCM",
            0x0031: "GSM 6.10", 0x0050: "MPEG", 0x0055: "MP3",
        ]
        let number = "format \(tag) (0x\(String(tag, radix: 16, uppercase: true)))"
        if let name = names[tag] { return "\(name), \(number)" }
        return number
    }

    static func notRIFFWave(_ file: String, _ why: String) -> Self { Self(file, .notRIFFWave(why)) }
    static func truncatedHeader(_ file: String, _ why: String) -> Self { Self(file, .truncatedHeader(why)) }
    static func truncatedData(_ file: String, present: Int, declared: Int) -> Self {
        Self(file, .truncatedData(present: present, declared: declared))
    }
    static func missingFormatChunk(_ file: String) -> Self { Self(file, .missingFormatChunk) }
    static func unsupportedEncoding(_ file: String, formatTag: Int) -> Self {
        Self(file, .unsupportedEncoding(formatTag: formatTag))
    }
    static func unsupportedSubformat(_ file: String) -> Self { Self(file, .unsupportedSubformat) }
    static func unsupportedBitDepth(_ file: String, bits: Int, float: Bool) -> Self {
        Self(file, .unsupportedBitDepth(bits: bits, float: float))
    }
    static func zeroChannels(_ file: String) -> Self { Self(file, .zeroChannels) }
    static func unsupportedSampleRate(_ file: String, _ rate: Int) -> Self { Self(file, .unsupportedSampleRate(rate)) }
    static func missingDataChunk(_ file: String) -> Self { Self(file, .missingDataChunk) }
    static func emptyAudio(_ file: String) -> Self { Self(file, .emptyAudio) }
    static func tooLarge(_ file: String, _ why: String) -> Self { Self(file, .tooLarge(why)) }
    static func unreadable(_ file: String, _ why: String) -> Self { Self(file, .unreadable(why)) }
    static func unwritable(_ file: String, _ why: String) -> Self { Self(file, .unwritable(why)) }
}

/// Reads and writes RIFF/WAVE files.
///
/// Reads integer PCM (8-bit unsigned, 16/24/32-bit signed) and 32-bit float, plain (format 1 and 3) or
/// `WAVE_FORMAT_EXTENSIBLE` with a PCM or float subformat, any channel count, rates 1...384 000 Hz.
/// Unknown chunks (`LIST`, `fact`, `cue `, ...) are skipped, honouring the pad byte after odd sizes.
/// A file whose `data` chunk is shorter than its header declares is an error, not silently shortened.
/// Audio longer than an hour or with more than 512 MiB of sample data is refused.
public enum WAVFile {
    /// Highest sample rate accepted.
    public static let maxSampleRate = 384_000
    /// Longest audio accepted, in seconds at the file's own rate.
    public static let maxDurationSeconds = 3600
    /// Most sample data accepted, in bytes.
    public static let maxDataBytes = 512 << 20
    /// Room for chunks other than `data` when a file's size is checked before it is read.
    static let headerAllowance = 16 << 20

    /// Reads and decodes the WAV file at `path`; errors name `path`.
    public static func read(path: String) throws(WAVError) -> WAVAudio {
        let bytes: [UInt8]
        do {
            bytes = try PosixFile.readAll(path: path, limit: maxDataBytes + headerAllowance)
        } catch {
            switch error {
            case .system(let message): throw .unreadable(path, message)
            case .tooLarge(let size):
                throw .tooLarge(path, "file is \(mebibytes(size)) (limit \(mebibytes(maxDataBytes)) of audio data)")
            }
        }
        return try read(data: bytes, name: path)
    }

    /// Decodes WAV bytes; `name` is what error messages call the file.
    public static func read(data bytes: [UInt8], name: String) throws(WAVError) -> WAVAudio {
        try bytes.withUnsafeBufferPointer { (buffer) throws(WAVError) -> WAVAudio in
            var reader = WAVReader(bytes: buffer, name: name)
            return try reader.decode()
        }
    }

    /// Encodes `audio` in its own ``WAVAudio/encoding`` and writes it to `path`.
    public static func write(_ audio: WAVAudio, to path: String) throws(WAVError) {
        guard audio.format.channels > 0 else { throw .zeroChannels(path) }
        guard audio.format.channels <= Int(UInt16.max) else {
            throw .tooLarge(path, "\(audio.format.channels) channels (a WAV file holds at most \(UInt16.max))")
        }
        guard audio.format.sampleRate > 0 && audio.format.sampleRate <= maxSampleRate else {
            throw .unsupportedSampleRate(path, audio.format.sampleRate)
        }
        let dataBytes = audio.frameCount * audio.format.channels * audio.encoding.bytesPerSample
        guard dataBytes <= Int(UInt32.max) - 1024 else {
            throw .tooLarge(path, "\(mebibytes(dataBytes)) of audio data does not fit a WAV file's 4 GiB limit")
        }
        do {
            try PosixFile.writeAll(encode(audio), to: path)
        } catch {
            switch error {
            case .system(let message): throw .unwritable(path, message)
            case .tooLarge: throw .unwritable(path, "too large")
            }
        }
    }

    /// Writes a chunk as a 16-bit PCM WAV file in the chunk's own format.
    public static func write(_ chunk: AudioChunk, to path: String) throws(WAVError) {
        try write(WAVAudio(chunk), to: path)
    }

    /// The bytes of a WAV file holding `audio` in its ``WAVAudio/encoding``.
    ///
    /// Integer PCM gets a plain 16-byte `fmt ` chunk (format 1); float gets format 3 with a `fact` chunk.
    /// Samples are rounded and clipped to the integer range; a trailing partial frame is dropped. Sizes
    /// over 4 GiB cannot be represented (the `write` functions refuse them).
    public static func encode(_ audio: WAVAudio) -> [UInt8] {
        let channels = max(0, audio.format.channels)
        let width = audio.encoding.bytesPerSample
        let sampleCount = audio.frameCount * channels
        let dataSize = sampleCount * width
        let isFloat = audio.encoding == .float32
        let formatSize = isFloat ? 18 : 16
        let factSize = isFloat ? 12 : 0
        let padding = dataSize & 1
        let riffSize = 4 + (8 + formatSize) + factSize + 8 + dataSize + padding

        var out: [UInt8] = []
        out.reserveCapacity(8 + riffSize)
        out.appendASCII("RIFF")
        out.appendLE(UInt32(clamping: riffSize))
        out.appendASCII("WAVE")
        out.appendASCII("fmt ")
        out.appendLE(UInt32(formatSize))
        out.appendLE(UInt16(isFloat ? 3 : 1))
        out.appendLE(UInt16(clamping: channels))
        out.appendLE(UInt32(clamping: audio.format.sampleRate))
        out.appendLE(UInt32(clamping: audio.format.sampleRate * channels * width))
        out.appendLE(UInt16(clamping: channels * width))
        out.appendLE(UInt16(width * 8))
        if isFloat {
            out.appendLE(UInt16(0))  // cbSize
            out.appendASCII("fact")
            out.appendLE(UInt32(4))
            out.appendLE(UInt32(clamping: audio.frameCount))
        }
        out.appendASCII("data")
        out.appendLE(UInt32(clamping: dataSize))
        let headerSize = out.count
        out.append(contentsOf: repeatElement(0, count: dataSize + padding))
        guard sampleCount > 0 else { return out }
        audio.samples.withUnsafeBufferPointer { samples in
            out.withUnsafeMutableBufferPointer { buffer in
                SampleCodec.encode(
                    samples.baseAddress!, count: sampleCount, as: audio.encoding,
                    into: buffer.baseAddress! + headerSize)
            }
        }
        return out
    }

    static func mebibytes(_ bytes: Int) -> String {
        let value = Double(bytes) / Double(1 << 20)
        if value >= 10 || value == value.rounded() { return "\(Int(value.rounded())) MiB" }
        return "\(value.rounded(toPlaces: 1)) MiB"
    }
}

/// Walks the chunks of one WAV file held in memory and decodes its samples.
private struct WAVReader {
    /// The fields of a `fmt ` chunk that decoding needs.
    struct Format {
        var encoding: WAVEncoding
        var channels: Int
        var sampleRate: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let name: String

    init(bytes: UnsafeBufferPointer<UInt8>, name: String) {
        self.bytes = bytes
        self.name = name
    }

    mutating func decode() throws(WAVError) -> WAVAudio {
        try checkRIFFHeader()
        var format: Format?
        var data: Range<Int>?
        var offset = 12
        while offset < bytes.count, format == nil || data == nil {
            guard bytes.count - offset >= 8 else {
                throw .truncatedHeader(name, "the file ends inside a chunk header at byte \(offset)")
            }
            let id = chunkID(at: offset)
            let size = Int(uint32(at: offset + 4))
            let body = offset + 8
            let remaining = bytes.count - body
            switch id {
            case "data":
                guard size <= remaining else { throw .truncatedData(name, present: remaining, declared: size) }
                if data == nil { data = body..<(body + size) }
            case "fmt ":
                guard size <= remaining else {
                    throw .truncatedHeader(name, "'fmt ' chunk declares \(size) bytes but \(remaining) remain")
                }
                if format == nil { format = try parseFormat(body..<(body + size)) }
            default:
                guard size <= remaining else {
                    throw .truncatedHeader(name, "'\(id)' chunk declares \(size) bytes but \(remaining) remain")
                }
            }
            offset = body + size + (size & 1)
        }
        if format == nil || data == nil {
            // A RIFF header that promises more than the file holds means the file was cut short.
            let declared = Int(uint32(at: 4)) + 8
            if declared > bytes.count {
                let missing = format == nil ? "'fmt '" : "'data'"
                throw .truncatedHeader(
                    name, "the file ends after \(bytes.count) bytes, before the \(missing) chunk "
                        + "(the RIFF header declares \(declared))")
            }
        }
        guard let format else { throw .missingFormatChunk(name) }
        guard let data else { throw .missingDataChunk(name) }

        let frameSize = format.channels * format.encoding.bytesPerSample
        let frames = data.count / frameSize
        guard frames > 0 else { throw .emptyAudio(name) }
        guard data.count <= WAVFile.maxDataBytes else {
            throw .tooLarge(
                name,
                "\(WAVFile.mebibytes(data.count)) of audio data (limit \(WAVFile.mebibytes(WAVFile.maxDataBytes)))")
        }
        guard frames <= format.sampleRate * WAVFile.maxDurationSeconds else {
            let seconds = (Double(frames) / Double(format.sampleRate)).rounded(toPlaces: 1)
            throw .tooLarge(name, "\(seconds) s of audio (limit \(WAVFile.maxDurationSeconds) s, 1 hour)")
        }
        let samples = SampleCodec.decode(
            bytes.baseAddress! + data.lowerBound, count: frames * format.channels, as: format.encoding)
        return WAVAudio(
            format: AudioFormat(sampleRate: format.sampleRate, channels: format.channels),
            encoding: format.encoding, samples: samples)
    }

    private func checkRIFFHeader() throws(WAVError) {
        let riff: [UInt8] = Array("RIFF".utf8)
        guard bytes.count >= 12 else {
            if bytes.isEmpty { throw .notRIFFWave(name, "the file is empty") }
            if bytes.elementsEqual(riff.prefix(bytes.count)) || bytes.starts(with: riff) {
                throw .truncatedHeader(name, "the file ends after \(bytes.count) bytes")
            }
            throw .notRIFFWave(name, "it does not start with 'RIFF'")
        }
        let magic = chunkID(at: 0)
        guard magic == "RIFF" else {
            if magic == "RF64" { throw .notRIFFWave(name, "RF64 files are not supported") }
            throw .notRIFFWave(name, "it starts with '\(magic)', not 'RIFF'")
        }
        let form = chunkID(at: 8)
        guard form == "WAVE" else { throw .notRIFFWave(name, "RIFF form '\(form)', not 'WAVE'") }
    }

    /// The standard GUID tail shared by the PCM and float `WAVE_FORMAT_EXTENSIBLE` subformats.
    private static let subformatGUIDTail: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ]

    private func parseFormat(_ range: Range<Int>) throws(WAVError) -> Format {
        guard range.count >= 16 else {
            throw .truncatedHeader(name, "'fmt ' chunk is \(range.count) bytes, needs at least 16")
        }
        let start = range.lowerBound
        let formatTag = Int(uint16(at: start))
        let channels = Int(uint16(at: start + 2))
        let sampleRate = Int(uint32(at: start + 4))
        let bits = Int(uint16(at: start + 14))
        var code = formatTag
        if formatTag == 0xFFFE {
            guard range.count >= 40 else {
                throw .truncatedHeader(
                    name, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is \(range.count) bytes, needs at least 40")
            }
            code = Int(uint16(at: start + 24))
            let tail = UnsafeBufferPointer(rebasing: bytes[(start + 26)..<(start + 40)])
            guard tail.elementsEqual(Self.subformatGUIDTail) else { throw .unsupportedSubformat(name) }
        }
        let encoding: WAVEncoding
        switch (code, bits) {
        case (1, 8): encoding = .pcm8
        case (1, 16): encoding = .pcm16
        case (1, 24): encoding = .pcm24
        case (1, 32): encoding = .pcm32
        case (1, _): throw .unsupportedBitDepth(name, bits: bits, float: false)
        case (3, 32): encoding = .float32
        case (3, _): throw .unsupportedBitDepth(name, bits: bits, float: true)
        default: throw .unsupportedEncoding(name, formatTag: code)
        }
        guard channels > 0 else { throw .zeroChannels(name) }
        guard sampleRate > 0 && sampleRate <= WAVFile.maxSampleRate else {
            throw .unsupportedSampleRate(name, sampleRate)
        }
        return Format(encoding: encoding, channels: channels, sampleRate: sampleRate)
    }

    /// Four bytes as text, with anything unprintable shown as `?`.
    private func chunkID(at offset: Int) -> String {
        String(decoding: bytes[offset..<(offset + 4)].map { (0x20...0x7E).contains($0) ? $0 : 0x3F }, as: UTF8.self)
    }

    private func uint16(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private func uint32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}

/// Converts between little-endian sample bytes and floats in -1...1.
private enum SampleCodec {
    static func decode(_ source: UnsafePointer<UInt8>, count: Int, as encoding: WAVEncoding) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let p = source
            switch encoding {
            case .pcm8:
                for i in 0..<count { out[i] = Float(Int(p[i]) - 128) / 128 }
            case .pcm16:
                for i in 0..<count {
                    let b = 2 &* i
                    out[i] = Float(Int16(bitPattern: UInt16(p[b]) | UInt16(p[b &+ 1]) << 8)) / 32768
                }
            case .pcm24:
                for i in 0..<count {
                    let b = 3 &* i
                    // Assemble in the top three bytes of an Int32, then shift back down with the sign.
                    let raw = UInt32(p[b]) << 8 | UInt32(p[b &+ 1]) << 16 | UInt32(p[b &+ 2]) << 24
                    out[i] = Float(Int32(bitPattern: raw) >> 8) / 8_388_608
                }
            case .pcm32:
                for i in 0..<count {
                    out[i] = Float(Int32(bitPattern: word(p + 4 &* i))) / 2_147_483_648
                }
            case .float32:
                for i in 0..<count { out[i] = Float(bitPattern: word(p + 4 &* i)) }
            }
            initialized = count
        }
    }

    static func encode(
        _ samples: UnsafePointer<Float>, count: Int, as encoding: WAVEncoding,
        into destination: UnsafeMutablePointer<UInt8>
    ) {
        let p = destination
        switch encoding {
        case .pcm8:
            for i in 0..<count { p[i] = UInt8(integer(samples[i], scale: 128, min: -128, max: 127) + 128) }
        case .pcm16:
            for i in 0..<count {
                let v = UInt16(bitPattern: Int16(integer(samples[i], scale: 32768, min: -32768, max: 32767)))
                p[2 &* i] = UInt8(truncatingIfNeeded: v)
                p[2 &* i &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
            }
        case .pcm24:
            for i in 0..<count {
                let v = integer(samples[i], scale: 8_388_608, min: -8_388_608, max: 8_388_607)
                let bits = UInt32(bitPattern: Int32(v))
                p[3 &* i] = UInt8(truncatingIfNeeded: bits)
                p[3 &* i &+ 1] = UInt8(truncatingIfNeeded: bits >> 8)
                p[3 &* i &+ 2] = UInt8(truncatingIfNeeded: bits >> 16)
            }
        case .pcm32:
            for i in 0..<count {
                let v = integer(samples[i], scale: 2_147_483_648, min: -2_147_483_648, max: 2_147_483_647)
                putWord(UInt32(bitPattern: Int32(v)), p + 4 &* i)
            }
        case .float32:
            for i in 0..<count { putWord(samples[i].bitPattern, p + 4 &* i) }
        }
    }

    /// `value * scale`, rounded and clipped to `min...max` (NaN becomes 0).
    private static func integer(_ value: Float, scale: Double, min: Int, max: Int) -> Int {
        guard !value.isNaN else { return 0 }
        let scaled = (Double(value) * scale).rounded()
        if scaled <= Double(min) { return min }
        if scaled >= Double(max) { return max }
        return Int(scaled)
    }

    private static func word(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    private static func putWord(_ v: UInt32, _ p: UnsafeMutablePointer<UInt8>) {
        p[0] = UInt8(truncatingIfNeeded: v)
        p[1] = UInt8(truncatingIfNeeded: v >> 8)
        p[2] = UInt8(truncatingIfNeeded: v >> 16)
        p[3] = UInt8(truncatingIfNeeded: v >> 24)
    }
}

extension [UInt8] {
    fileprivate mutating func appendASCII(_ text: String) { append(contentsOf: text.utf8) }

    fileprivate mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
