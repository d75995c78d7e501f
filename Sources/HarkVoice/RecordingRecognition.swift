import Foundation
import HarkAudio

/// Where the wake phrase may be in a recording that is recognised whole (``VoiceRecognizer/recognizeRecording(_:wake:)``).
public enum RecordingWake: Sendable, Equatable {
    /// Said or not: tried with the wake phrase first, then without it.
    case optional
    /// Not in the recording: the request alone.
    case absent
    /// Required: a recording without it is not heard (text "").
    case required
}

/// What ``VoiceRecognizer/recognizeRecording(_:wake:)`` found in a recording.
public struct RecordingRecognition: Sendable {
    /// The reading, nil when the recording holds no speech.
    public var transcript: VoiceTranscript?
    /// When the last chunk of the speech was fed (the end of speech, as for a live microphone).
    public var speechEnded: ContinuousClock.Instant
    /// Time spent finding the speech.
    public var endpointing: Duration
    /// Time spent decoding.
    public var decoding: Duration
}

extension VoiceRecognizer {
    /// Recognises a whole recording (16 kHz mono) as the microphone loop would have heard it: the speech found
    /// (``Endpointer/speechSpan(of:settings:)``), then fed in 100 ms chunks while it is "spoken"
    /// (``stream(_:requireWake:)``), with the wake phrase as `wake` says. `hark run` and the Wyoming server's speech
    /// to text share this path.
    public func recognizeRecording(_ recording: AudioChunk, wake: RecordingWake) async throws -> RecordingRecognition {
        let clock = ContinuousClock()
        let started = clock.now
        let speech = Endpointer.speechSpan(of: recording)
        let endpointing = clock.now - started
        var result = RecordingRecognition(
            transcript: nil, speechEnded: clock.now, endpointing: endpointing, decoding: .zero)
        guard let speech else { return result }
        // With the wake phrase in front, or else without it (a recording may be either), unless it is absent.
        if wake != .absent {
            let (woken, ended, spent) = try await stream(speech, requireWake: true)
            (result.transcript, result.speechEnded, result.decoding) = (woken, ended, spent)
        }
        if result.transcript?.heardWakePhrase != true && wake != .required {
            let (request, ended, spent) = try await stream(speech, requireWake: false)
            if wake == .absent { result.speechEnded = ended }
            (result.transcript, result.decoding) = (request, result.decoding + spent)
        }
        return result
    }

    /// Decodes `speech` as the microphone loop does: fed in 100 ms chunks while it is "spoken", then ended. Returns
    /// the transcript, when the last chunk was fed (the end of speech), and the time spent decoding.
    public func stream(
        _ speech: AudioChunk, requireWake: Bool
    ) async throws -> (VoiceTranscript, ended: ContinuousClock.Instant, decoding: Duration) {
        let started = ContinuousClock.now
        try await startUtterance(requireWake: requireWake)
        let step = Int(speech.format.sampleRate / 10)
        var offset = 0
        while offset < speech.samples.count {
            let end = min(speech.samples.count, offset + step)
            let chunk = AudioChunk(
                samples: Array(speech.samples[offset..<end]), format: speech.format,
                timestamp: speech.timestamp + Double(offset) / Double(speech.format.sampleRate))
            try await feed(chunk)
            offset = end
        }
        let ended = ContinuousClock.now
        let transcript = try await endUtterance()
        return (transcript, ended, ContinuousClock.now - started)
    }
}
