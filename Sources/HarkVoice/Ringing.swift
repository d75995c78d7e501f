import HarkAssistant
import HarkAudio
import HarkSkillKit

/// Where the listening loop learns that something must ring (a timer or alarm that went off): asked about once a
/// second of stream time. An implementation returns each alert once and answers quickly.
public protocol AlertSource: Sendable {
    /// What must ring now, in the order it came due.
    func dueAlerts() async -> [SkillAlert]
}

/// The assistant's alerts are its skills' (``AlertingSkill``).
extension Assistant: AlertSource {}

/// How Hark rings in `hark listen` (`ringing:` in the configuration).
public struct RingSettings: Sendable, Equatable {
    /// Seconds of stream time between two questions to the ``AlertSource``.
    public var pollInterval: Double = 1
    /// Seconds of quiet between the end of one ring and the start of the next.
    public var pause: Double = 3
    /// Seconds after which ringing nobody answers stops by itself.
    public var limit: Double = 300

    public init() {}
}

/// The ringing state of a ``VoiceLoop``, in stream time: when to ask the source again, what rings, when it rings
/// next and when it gives up. No clock and no audio device: the loop feeds it the time of each chunk.
struct Ringing {
    /// What rings now and when.
    struct Ring {
        var alerts: [SkillAlert]
        /// The chime and the alerts' words.
        var audio: AudioChunk
        var started: Double
        var next: Double
    }

    /// What the loop must do at a chunk's time.
    enum Event: Equatable {
        /// Play the ring (again).
        case ring(AudioChunk, words: String)
        /// Nobody answered within ``RingSettings/limit``: ringing stopped.
        case gaveUp(words: String)
    }

    let settings: RingSettings
    private(set) var current: Ring?
    private var nextPoll = 0.0

    init(settings: RingSettings) { self.settings = settings }

    /// The words of what rings, nil when nothing does.
    var words: String? { current.map { $0.alerts.map(\.speech).joined(separator: " ") } }

    /// Whether "snooze" said now means what rings: the snooze intent (`skill/Intent`) of an alert ringing.
    func snoozes(intent: String) -> Bool { current?.alerts.contains { $0.snoozeIntent == intent } ?? false }

    /// True once a poll is due at `time` (and counts it as made).
    mutating func pollDue(at time: Double) -> Bool {
        guard time >= nextPoll else { return false }
        nextPoll = time + settings.pollInterval
        return true
    }

    /// Adds alerts that came due (they ring with those already ringing, at once); `audio` says them all.
    mutating func add(_ alerts: [SkillAlert], audio: AudioChunk, at time: Double) {
        current = Ring(
            alerts: (current?.alerts ?? []) + alerts, audio: audio, started: current?.started ?? time, next: time)
    }

    /// What rings with `alerts` added: every alert's words.
    func words(adding alerts: [SkillAlert]) -> String {
        ((current?.alerts ?? []) + alerts).map(\.speech).joined(separator: " ")
    }

    /// Stops ringing ("stop", a snooze, a request).
    mutating func stop() { current = nil }

    /// What to do at stream time `time`.
    mutating func tick(at time: Double) -> Event? {
        guard var ring = current, let words else { return nil }
        if time - ring.started >= settings.limit {
            current = nil
            return .gaveUp(words: words)
        }
        guard time >= ring.next else { return nil }
        ring.next = time + ring.audio.duration + settings.pause
        current = ring
        return .ring(ring.audio, words: words)
    }
}
