import CALSA
import Synchronization

/// Why an ALSA device could not be opened, configured, read or written.
///
/// The message names the device and carries ALSA's own explanation (`snd_strerror`), e.g.
/// `ALSA device 'nosuch': cannot open for capture: No such file or directory`.
public struct ALSAError: Error, CustomStringConvertible, Sendable {
    private enum Problem: Sendable {
        case open(capture: Bool, code: Int32)
        case configure(AudioFormat, code: Int32)
        case read(code: Int32)
        case write(code: Int32)
        case drain(code: Int32)
        case noProgress(capture: Bool)
        case closed
        case formatMismatch(expected: AudioFormat, got: AudioFormat)
    }

    /// The ALSA PCM name, as given (`default`, `hw:0,0`, `plughw:1`, a name from an ALSA config).
    public let device: String
    private let problem: Problem

    private init(_ device: String, _ problem: Problem) {
        self.device = device
        self.problem = problem
    }

    public var description: String { "ALSA device '\(device)': \(detail)" }

    private var detail: String {
        switch problem {
        case .open(let capture, let code):
            "cannot open for \(capture ? "capture" : "playback"): \(ALSAError.message(code))"
        case .configure(let format, let code):
            "cannot set 16-bit interleaved \(format): \(ALSAError.message(code))"
        case .read(let code): "capture failed: \(ALSAError.message(code))"
        case .write(let code): "playback failed: \(ALSAError.message(code))"
        case .drain(let code): "cannot drain playback: \(ALSAError.message(code))"
        case .noProgress(let capture): "\(capture ? "capture" : "playback") made no progress"
        case .closed: "already closed"
        case .formatMismatch(let expected, let got): "chunk is \(got), but the device was opened for \(expected)"
        }
    }

    private static func message(_ code: Int32) -> String { String(cString: snd_strerror(code)) }

    static func open(_ device: String, capture: Bool, code: Int32) -> Self {
        Self(device, .open(capture: capture, code: code))
    }
    static func configure(_ device: String, _ format: AudioFormat, code: Int32) -> Self {
        Self(device, .configure(format, code: code))
    }
    static func read(_ device: String, code: Int32) -> Self { Self(device, .read(code: code)) }
    static func write(_ device: String, code: Int32) -> Self { Self(device, .write(code: code)) }
    static func drain(_ device: String, code: Int32) -> Self { Self(device, .drain(code: code)) }
    static func noProgress(_ device: String, capture: Bool) -> Self { Self(device, .noProgress(capture: capture)) }
    static func closed(_ device: String) -> Self { Self(device, .closed) }
    static func formatMismatch(_ device: String, expected: AudioFormat, got: AudioFormat) -> Self {
        Self(device, .formatMismatch(expected: expected, got: got))
    }
}

/// Records 16-bit interleaved PCM from an ALSA capture device (16 kHz mono by default).
///
/// Calls block until the requested frames arrive. The handle sits behind a lock, so the object can be
/// shared, but it is meant for one reader (an actor or a dedicated thread): a second caller waits for
/// the first one's `read` to finish, and so does `close`.
public final class AudioCapture: Sendable {
    /// The ALSA PCM name this capture was opened on.
    public let device: String
    /// Rate and channel count of every chunk `read` returns.
    public let format: AudioFormat
    private let state: Mutex<PCMState>

    /// Opens `device` for capture as signed 16-bit little-endian interleaved PCM in `format`, letting
    /// ALSA resample or remix when the hardware cannot do it natively, with about `latency` seconds of
    /// buffering.
    public init(device: String = "default", format: AudioFormat = .speech, latency: Double = 0.1) throws(ALSAError) {
        self.device = device
        self.format = format
        let handle = try PCMState.open(device, capture: true, format: format, latency: latency)
        state = Mutex(PCMState(handle: handle))
    }

    deinit { close() }

    /// Blocks until `frames` frames have been captured and returns them.
    ///
    /// Timestamps count the frames delivered since the device was opened, so consecutive chunks are
    /// contiguous. An overrun (the reader fell behind) is recovered from; the audio lost in it is not
    /// counted.
    public func read(frames: Int) throws(ALSAError) -> AudioChunk {
        let device = self.device
        let format = self.format
        let channels = format.channels
        return try state.withLock { (state) throws(ALSAError) -> AudioChunk in
            guard let pcm = state.handle else { throw .closed(device) }
            let wanted = max(0, frames)
            var samples = [Int16](repeating: 0, count: wanted * channels)
            try samples.withUnsafeMutableBufferPointer { (buffer) throws(ALSAError) in
                try PCMState.transfer(pcm, frames: wanted, device: device, capture: true) { done in
                    snd_pcm_readi(pcm, buffer.baseAddress! + done * channels, snd_pcm_uframes_t(wanted - done))
                }
            }
            let timestamp = Double(state.frames) / Double(format.sampleRate)
            state.frames += wanted
            return AudioChunk(samples: samples, format: format, timestamp: timestamp)
        }
    }

    /// Frames delivered so far: the timestamp of the next chunk is this over the sample rate.
    public var framesRead: Int { state.withLock { $0.frames } }

    /// Closes the device; later reads throw. Closing twice is harmless.
    public func close() {
        state.withLock { $0.close() }
    }
}

/// Plays 16-bit interleaved PCM on an ALSA playback device.
///
/// `write` blocks while the device's buffer is full. Like ``AudioCapture``, the handle is behind a lock
/// and the object is meant for one writer at a time.
public final class AudioPlayback: Sendable {
    /// The ALSA PCM name this playback was opened on.
    public let device: String
    /// The format every written chunk must have.
    public let format: AudioFormat
    private let state: Mutex<PCMState>

    /// Opens `device` for playback of signed 16-bit little-endian interleaved PCM in `format`.
    public init(device: String = "default", format: AudioFormat, latency: Double = 0.1) throws(ALSAError) {
        self.device = device
        self.format = format
        let handle = try PCMState.open(device, capture: false, format: format, latency: latency)
        state = Mutex(PCMState(handle: handle))
    }

    deinit { close() }

    /// Queues a chunk for playback, blocking while the device's buffer is full; recovers from underruns.
    ///
    /// The chunk's format must be the device's ``format`` (convert with ``AudioConverter`` first).
    public func write(_ chunk: AudioChunk) throws(ALSAError) {
        let device = self.device
        guard chunk.format == format else { throw .formatMismatch(device, expected: format, got: chunk.format) }
        let channels = format.channels
        let frames = chunk.frameCount
        try state.withLock { (state) throws(ALSAError) in
            guard let pcm = state.handle else { throw .closed(device) }
            try chunk.samples.withUnsafeBufferPointer { (buffer) throws(ALSAError) in
                try PCMState.transfer(pcm, frames: frames, device: device, capture: false) { done in
                    snd_pcm_writei(pcm, buffer.baseAddress! + done * channels, snd_pcm_uframes_t(frames - done))
                }
            }
            state.frames += frames
        }
    }

    /// Blocks until everything written has been played, then readies the device for more.
    public func drain() throws(ALSAError) {
        let device = self.device
        try state.withLock { (state) throws(ALSAError) in
            guard let pcm = state.handle else { throw .closed(device) }
            let drained = snd_pcm_drain(pcm)
            guard drained >= 0 else { throw .drain(device, code: drained) }
            let prepared = snd_pcm_prepare(pcm)
            guard prepared >= 0 else { throw .drain(device, code: prepared) }
        }
    }

    /// Frames written so far.
    public var framesWritten: Int { state.withLock { $0.frames } }

    /// Closes the device without waiting: call ``drain()`` first to hear the end. Closing twice is harmless.
    public func close() {
        state.withLock { $0.close() }
    }
}

/// Checks on the ALSA installation, for `hark doctor`.
public enum ALSADevices {
    /// Whether `name` opens for capture or playback; opened without blocking and closed at once.
    public static func canOpen(_ name: String, forCapture: Bool) -> Result<Void, ALSAError> {
        ALSALibrary.prepare()
        var pcm: OpaquePointer?
        let stream = forCapture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK
        let opened = snd_pcm_open(&pcm, name, stream, SND_PCM_NONBLOCK)
        guard opened >= 0, let pcm else { return .failure(.open(name, capture: forCapture, code: opened)) }
        snd_pcm_close(pcm)
        return .success(())
    }

    /// The version of the ALSA library in use, e.g. `1.2.8`.
    public static var libraryVersion: String { String(cString: snd_asoundlib_version()) }
}

/// Process-wide ALSA setup, done once before the first device is opened.
private enum ALSALibrary {
    private static let silenced: Bool = hark_alsa_silence_errors() >= 0

    /// Routes ALSA's own error printing to a no-op: failures are reported as ``ALSAError`` instead.
    static func prepare() { _ = silenced }
}

/// An open PCM handle and the frames moved through it; lives inside a lock.
private struct PCMState {
    /// Consecutive failed or empty transfers tolerated before giving up.
    static let maxRetries = 16

    var handle: OpaquePointer?
    var frames = 0

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    static func open(_ device: String, capture: Bool, format: AudioFormat, latency: Double) throws(ALSAError)
        -> OpaquePointer
    {
        ALSALibrary.prepare()
        var pcm: OpaquePointer?
        let stream = capture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK
        let opened = snd_pcm_open(&pcm, device, stream, 0)
        guard opened >= 0, let pcm else { throw .open(device, capture: capture, code: opened) }
        guard format.channels > 0, format.sampleRate > 0 else {
            snd_pcm_close(pcm)
            throw .configure(device, format, code: -EINVAL)
        }
        let microseconds = UInt32(clamping: Int((max(0.001, latency) * 1_000_000).rounded()))
        let configured = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(clamping: format.channels),
            UInt32(clamping: format.sampleRate), 1, microseconds)
        guard configured >= 0 else {
            snd_pcm_close(pcm)
            throw .configure(device, format, code: configured)
        }
        return pcm
    }

    /// Moves `frames` frames through `pcm`: `move(done)` transfers from frame `done` on and returns ALSA's
    /// result (frames moved, or a negative error). Overruns, underruns (-EPIPE), suspends (-ESTRPIPE) and
    /// signals (-EINTR) are recovered from with `snd_pcm_recover`; anything else, or a run of failures
    /// with no progress, throws.
    static func transfer(
        _ pcm: OpaquePointer, frames: Int, device: String, capture: Bool, move: (Int) -> Int
    ) throws(ALSAError) {
        var done = 0
        var failures = 0
        while done < frames {
            let moved = move(done)
            if moved > 0 {
                done += moved
                failures = 0
                continue
            }
            failures += 1
            if moved < 0 {
                let code = Int32(moved)
                if snd_pcm_recover(pcm, code, 1) < 0 || failures > maxRetries {
                    throw capture ? .read(device, code: code) : .write(device, code: code)
                }
            } else if failures > maxRetries {
                throw .noProgress(device, capture: capture)
            }
        }
    }

    mutating func close() {
        if let handle {
            snd_pcm_close(handle)
            self.handle = nil
        }
    }
}
