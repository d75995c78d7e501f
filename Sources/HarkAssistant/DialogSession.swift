import Foundation
import HarkSkillKit
import HarkUnderstanding

/// The state of one conversation, kept between turns (and between `hark ask --session ID` processes).
public struct DialogSession: Codable, Sendable, Equatable {
    /// Stable id.
    public var id: String
    public var createdAt: Date
    public var updatedAt: Date
    /// The skill the conversation is with, while it is open.
    public var activeSkill: String?
    /// The active skill's session attributes.
    public var attributes: [String: JSONValue]
    /// What Hark waits for from the next utterance, if anything.
    public var pending: PendingQuestion?
    /// The last reply, for "repeat".
    public var lastReply: String?
    /// What to say when the user's answer is unusable.
    public var lastReprompt: String?
    /// The most recent turns, oldest first (at most ``DialogSession/historyLimit``).
    public var history: [Turn]
    /// True while a skill (or Hark) expects an answer.
    public var isOpen: Bool

    /// How many turns a session remembers.
    public static let historyLimit = 50

    public init(id: String, now: Date) {
        self.id = id
        createdAt = now
        updatedAt = now
        attributes = [:]
        history = []
        isOpen = false
    }

    /// One exchange.
    public struct Turn: Codable, Sendable, Equatable {
        public var at: Date
        public var user: String
        public var skill: String?
        public var intent: String?
        public var reply: String
    }

    /// Appends a turn and drops the oldest beyond the limit.
    mutating func record(_ turn: Turn) {
        history.append(turn)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// Forgets the conversation's skill and questions (history and the last reply stay for "repeat").
    mutating func close() {
        activeSkill = nil
        attributes = [:]
        pending = nil
        lastReprompt = nil
        isOpen = false
    }
}

/// A question Hark asked that the next utterance answers.
public enum PendingQuestion: Codable, Sendable, Equatable {
    /// "What should I add?": the next utterance is the value of `slot`.
    case elicitSlot(IntentCall, slot: String)
    /// "…, right?": yes or no on the whole intent; `bySkill` when the skill asked (it then hears the
    /// answer), else Hark asked because the manifest says `confirm: true`.
    case confirmIntent(IntentCall, bySkill: Bool)
    /// "Did you mean the Bedroom Lamp?": yes or no on one slot's value.
    case confirmSlot(IntentCall, slot: String)
    /// "Did you mean …?" after a weak match: yes runs the call.
    case didYouMean(IntentCall)

    /// The intent the question is about.
    public var call: IntentCall {
        switch self {
        case .elicitSlot(let call, _), .confirmIntent(let call, _), .confirmSlot(let call, _), .didYouMean(let call):
            return call
        }
    }
}

/// An intent of a skill with the slots collected so far.
public struct IntentCall: Codable, Sendable, Equatable {
    public var skill: String
    public var intent: String
    public var slots: [String: SlotValue]
    public var spoken: [String: String]
    /// Slots whose words were not a known value.
    public var unresolved: Set<String> = []
    /// Confirmation so far (after a yes or no).
    public var confirmation: SkillRequest.Confirmation
    /// Per-slot confirmation so far.
    public var slotConfirmations: [String: SkillRequest.Confirmation]

    public init(
        skill: String, intent: String, slots: [String: SlotValue] = [:], spoken: [String: String] = [:],
        confirmation: SkillRequest.Confirmation = .none, slotConfirmations: [String: SkillRequest.Confirmation] = [:]
    ) {
        self.skill = skill
        self.intent = intent
        self.slots = slots
        self.spoken = spoken
        self.confirmation = confirmation
        self.slotConfirmations = slotConfirmations
    }

    /// The slots as the SDK sees them.
    public var skillSlots: Slots { Slots(slots, spoken: spoken, unresolved: unresolved) }
}
