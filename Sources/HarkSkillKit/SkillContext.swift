import Foundation
import Logging

/// Everything a skill may use while it answers: its own storage and data folder, its settings, a clock,
/// a logger, its reply templates, and the other skills it has permission to call.
public struct SkillContext: Sendable {
    /// The skill's id.
    public var skillID: String
    /// Persistent key-value storage private to this skill.
    public var storage: any SkillStorage
    /// A folder private to this skill, for its own files or database.
    public var dataDirectory: String
    /// The skill's settings from `config.yaml` (`skills: { ID: { … } }`).
    public var settings: [String: JSONValue]
    /// The time and calendar to use (tests pin them).
    public var clock: any SkillClock
    /// A logger labelled with the skill's id.
    public var logger: Logger
    /// The skill's reply templates from `responses/LANG.yaml`.
    public var responses: ResponseTemplates
    /// Other skills, reachable only through the permissions the manifest declares.
    public var skills: any SkillInvoker

    public init(
        skillID: String, storage: any SkillStorage, dataDirectory: String, settings: [String: JSONValue] = [:],
        clock: any SkillClock = SystemClock(), logger: Logger? = nil, responses: ResponseTemplates = ResponseTemplates(),
        skills: any SkillInvoker = NoSkills()
    ) {
        self.skillID = skillID
        self.storage = storage
        self.dataDirectory = dataDirectory
        self.settings = settings
        self.clock = clock
        self.logger = logger ?? Logger(label: "hark.skill.\(skillID)")
        self.responses = responses
        self.skills = skills
    }
}

/// Persistent key-value storage for one skill. Values are JSON; writes are durable when the call returns.
public protocol SkillStorage: Sendable {
    /// The value stored under `key`, or nil.
    func value(forKey key: String) async throws -> JSONValue?
    /// Stores `value` under `key`; nil removes the key.
    func setValue(_ value: JSONValue?, forKey key: String) async throws
    /// Every key this skill has stored.
    func keys() async throws -> [String]
}

extension SkillStorage {
    /// Decodes the value under `key` into `T`.
    public func value<T: Decodable>(_ type: T.Type, forKey key: String) async throws -> T? {
        try await value(forKey: key)?.decode(T.self)
    }

    /// Encodes `value` and stores it under `key`.
    public func set(_ value: some Encodable, forKey key: String) async throws {
        try await setValue(JSONValue.encoding(value), forKey: key)
    }
}

/// The current time and the calendar (time zone, first weekday) a skill should use.
public protocol SkillClock: Sendable {
    var now: Date { get }
    var calendar: Calendar { get }
}

/// The system's clock and current calendar.
public struct SystemClock: SkillClock {
    public init() {}
    public var now: Date { Date() }
    public var calendar: Calendar { Calendar.current }
}

/// A clock stopped at one instant, for tests and reproducible transcripts.
public struct FixedClock: SkillClock {
    public var now: Date
    public var calendar: Calendar

    public init(_ now: Date, calendar: Calendar = Calendar(identifier: .gregorian)) {
        self.now = now
        self.calendar = calendar
    }
}

/// Calls another skill's intent on behalf of a skill, if its manifest's permissions allow it
/// (`permissions: [shopping.AddItem]`).
public protocol SkillInvoker: Sendable {
    /// Runs `intent` of skill `skill` with `slots` and returns its response.
    func invoke(skill: String, intent: String, slots: Slots) async throws -> SkillResponse
}

/// An invoker for a skill that may call no other skill.
public struct NoSkills: SkillInvoker {
    public init() {}
    public func invoke(skill: String, intent: String, slots: Slots) async throws -> SkillResponse {
        throw SkillError.permissionDenied(caller: "this skill", target: "\(skill).\(intent)")
    }
}

/// Errors a skill or the SDK reports; the runtime turns them into a spoken apology and a log line.
public struct SkillError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case permissionDenied(caller: String, target: String)
        case unknownSkill(String)
        case unknownResponse(key: String, file: String)
        case missingValue(key: String, placeholder: String)
        case invalid(String)
        case invocationCycle([String])
        case invocationTooDeep([String], limit: Int)
    }
    private let kind: Kind

    /// A skill tried to call an intent its manifest does not allow.
    public static func permissionDenied(caller: String, target: String) -> SkillError {
        SkillError(kind: .permissionDenied(caller: caller, target: target))
    }
    /// No skill with that id is installed.
    public static func unknownSkill(_ id: String) -> SkillError { SkillError(kind: .unknownSkill(id)) }
    /// A reply template key is missing from the responses file.
    public static func unknownResponse(key: String, file: String) -> SkillError {
        SkillError(kind: .unknownResponse(key: key, file: file))
    }
    /// A reply template needs a value that was not given.
    public static func missingValue(key: String, placeholder: String) -> SkillError {
        SkillError(kind: .missingValue(key: key, placeholder: placeholder))
    }
    /// A skill-to-skill call that would call a skill already in the chain (`a → b → a`).
    public static func invocationCycle(_ chain: [String]) -> SkillError { SkillError(kind: .invocationCycle(chain)) }
    /// A chain of skill-to-skill calls longer than the limit.
    public static func invocationTooDeep(_ chain: [String], limit: Int) -> SkillError {
        SkillError(kind: .invocationTooDeep(chain, limit: limit))
    }
    /// Anything else, with a message.
    public static func invalid(_ message: String) -> SkillError { SkillError(kind: .invalid(message)) }

    public var description: String {
        switch kind {
        case .permissionDenied(let caller, let target):
            return "\(caller) has no permission for \(target) (add it to permissions in skill.yaml)"
        case .unknownSkill(let id): return "no skill with id '\(id)' is installed"
        case .unknownResponse(let key, let file): return "\(file): no response '\(key)'"
        case .missingValue(let key, let placeholder): return "response '\(key)' needs a value for {\(placeholder)}"
        case .invalid(let message): return message
        case .invocationCycle(let chain):
            return "InvokeIntent cycle refused: \(chain.joined(separator: " → ")) (a skill may not be called again by a skill it called)"
        case .invocationTooDeep(let chain, let limit):
            return "InvokeIntent chain refused: \(chain.joined(separator: " → ")) nests deeper than \(limit) calls"
        }
    }
}
