import Foundation
import HarkAssistant
import HarkSkillKit

/// How an installed skill is doing, for `hark skills list`.
public enum SkillHealth: Sendable, Equatable, CustomStringConvertible {
    /// Installed; no request has reached it yet.
    case ready
    /// Its last request was answered.
    case healthy
    /// Its last request failed (or it could not be installed), with the precise reason.
    case unhealthy(String)

    /// False when the skill is unhealthy.
    public var isHealthy: Bool { if case .unhealthy = self { false } else { true } }

    public var description: String {
        switch self {
        case .ready: return "ready"
        case .healthy: return "healthy"
        case .unhealthy(let reason): return "unhealthy: \(reason)"
        }
    }
}

/// A skill whose handler runs outside Hark's process and can report its health.
public protocol HostedSkill: StoppableSkill {
    /// The skill's current health.
    var health: SkillHealth { get async }
}

/// Limits for out-of-process skills.
public struct SkillHostOptions: Sendable {
    /// How long one request may take (skill.yaml `timeout` or the setting `timeout` override it).
    public var timeout: Duration = .seconds(8)
    /// Extra time for the first request after a program starts (interpreters and SDKs load slowly).
    public var startupAllowance: Duration = .seconds(10)
    /// The largest answer accepted, in bytes.
    public var maxAnswerBytes = 1 << 20
    /// The first pause before a crashed skill is started again; it doubles with each further failure.
    public var firstBackoff: Duration = .milliseconds(500)
    /// The longest pause between restarts.
    public var maxBackoff: Duration = .seconds(30)
    /// How exec skills are confined (bubblewrap when this machine allows it, rlimits, process groups).
    public var sandbox = SkillSandbox()

    public init() {}

    /// These options with the timeout a skill's manifest or settings ask for (settings win).
    /// - Throws: ``SettingRangeError`` (field `timeout`) when the setting is not a number of seconds in
    ///   ``SkillManifest/timeoutRange``.
    public func applying(manifestTimeout: Double?, settings: [String: JSONValue]) throws -> SkillHostOptions {
        var copy = self
        if let setting = settings["timeout"] {
            guard let seconds = setting.numberValue, SkillManifest.timeoutRange.contains(seconds) else {
                throw SettingRangeError(
                    field: "timeout",
                    message: "must be a number of seconds from \(SkillManifest.timeoutRange.lowerBound) to "
                        + "\(SkillManifest.timeoutRange.upperBound), not \(setting)")
            }
            copy.timeout = .milliseconds(Int64((seconds * 1000).rounded()))
        } else if let seconds = manifestTimeout, SkillManifest.timeoutRange.contains(seconds) {
            copy.timeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return copy
    }
}

/// A setting out of its range: the field and what it must be.
public struct SettingRangeError: Error, CustomStringConvertible {
    /// The setting's name within the skill's settings.
    public var field: String
    /// What the value must be.
    public var message: String

    public var description: String { "\(field): \(message)" }
}

/// Failures and restart pauses of one skill: after a crash the skill rests for a pause that doubles with
/// each further failure; a request during the pause fails at once.
struct RestartSchedule: Sendable {
    var options: SkillHostOptions
    private(set) var health: SkillHealth = .ready
    private var failures = 0
    private var resumeAt: ContinuousClock.Instant?
    private var lastFailure = ""

    init(options: SkillHostOptions) { self.options = options }

    /// Throws when the skill is resting after a failure.
    func checkAvailable(skill: String) throws {
        if let resumeAt, resumeAt > .now {
            let left = resumeAt - .now
            throw SkillHostError.restarting(seconds: left.seconds, after: lastFailure, skill: skill)
        }
    }

    mutating func succeeded() {
        failures = 0
        resumeAt = nil
        health = .healthy
    }

    /// Records a failure; a broken program or server rests before its next try.
    mutating func failed(_ error: any Error) {
        health = .unhealthy("\(error)")
        guard (error as? SkillHostError)?.needsRestart == true else { return }
        failures += 1
        lastFailure = "\(error)"
        var pause = options.firstBackoff
        for _ in 1..<min(failures, 20) { pause = min(pause * 2, options.maxBackoff) }
        resumeAt = .now + min(pause, options.maxBackoff)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
