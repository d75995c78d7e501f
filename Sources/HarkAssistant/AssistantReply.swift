import Foundation
import HarkSkillKit
import HarkUnderstanding

/// What Hark answered to one utterance, with everything `--json` output and tests look at.
public struct AssistantReply: Sendable, Encodable {
    /// What the user said.
    public var text: String
    /// The session the turn belongs to.
    public var sessionID: String
    /// The skill that answered (nil when Hark itself answered: fallback, help, repeat…).
    public var skill: String?
    /// The intent that was handled (`AddItem`, or a built-in such as `Help`).
    public var intent: String?
    /// Canonical slot values of the handled intent.
    public var slots: [String: SlotValue]
    /// What Hark says.
    public var reply: String
    /// True when `reply` is SSML.
    public var isSSML: Bool
    /// What Hark says if the user's next answer is unusable.
    public var reprompt: String?
    /// True when the conversation is over; false when Hark waits for an answer.
    public var endSession: Bool
    /// How sure the understanding was, 0…1.
    public var confidence: Double
    /// Other intents the sentence could have meant, best first.
    public var alternatives: [Alternative]
    /// True when Hark did not understand the request.
    public var fallback: Bool
    /// Structured data from the skill.
    public var data: [String: JSONValue]
    /// Milliseconds per stage: understand, dialog, skill, total.
    public var timings: [String: Double]
    /// The slot Hark asked for ("Which room?"), while it waits for its value: the value alone is an answer.
    public var awaitedSlot: String? = nil
    /// The intent ("skill/intent") of the question Hark waits for an answer to (a slot's value, or yes or no to
    /// "…, right?" and "Did you mean …?"); nil when it asked nothing.
    public var questionIntent: String? = nil
    /// The slots of the request Hark asks about ("Did you mean …?", "…, right?", or the ones known so far when it asks
    /// for a missing slot); empty when it asked nothing.
    public var questionSlots: [String: SlotValue] = [:]
    /// When the words held a slot a skill marks sensitive: the label shown in their place ("[purchase code]"),
    /// which is then also ``text``. Whoever prints what was heard prints this instead.
    public var redaction: String? = nil
    /// The error the skill's handler threw this turn (the reply is then Hark's apology); not part of the JSON.
    public var skillError: (any Error)? = nil

    /// Another reading of the sentence.
    public struct Alternative: Sendable, Encodable, Equatable {
        public var skill: String
        public var intent: String
        public var score: Double
    }

    enum CodingKeys: String, CodingKey {
        case text, sessionID = "session", skill, intent, slots, reply, isSSML = "ssml", reprompt, endSession,
            confidence, alternatives, fallback, data, timings, awaitedSlot, questionIntent, questionSlots
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encode(skill, forKey: .skill)
        try c.encode(intent, forKey: .intent)
        try c.encode(Self.written(slots), forKey: .slots)
        try c.encode(reply, forKey: .reply)
        if isSSML { try c.encode(true, forKey: .isSSML) }
        try c.encodeIfPresent(reprompt, forKey: .reprompt)
        try c.encode(endSession, forKey: .endSession)
        try c.encode((confidence * 1000).rounded() / 1000, forKey: .confidence)
        try c.encode(alternatives, forKey: .alternatives)
        try c.encode(fallback, forKey: .fallback)
        if !data.isEmpty { try c.encode(data, forKey: .data) }
        try c.encode(timings.mapValues { ($0 * 1000).rounded() / 1000 }, forKey: .timings)
        try c.encodeIfPresent(awaitedSlot, forKey: .awaitedSlot)
        try c.encodeIfPresent(questionIntent, forKey: .questionIntent)
        if questionIntent != nil { try c.encode(Self.written(questionSlots), forKey: .questionSlots) }
    }

    /// Slots as name → canonical written value (lists as arrays), the form HA's tests and users read.
    static func written(_ slots: [String: SlotValue]) -> [String: JSONValue] {
        slots.mapValues { value in
            if case .list(let items) = value { return .array(items.map { canonical($0) }) }
            return canonical(value)
        }
    }

    /// Numbers as JSON numbers, everything else in its written form.
    static func canonical(_ value: SlotValue) -> JSONValue {
        switch value {
        case .number(let n), .percentage(let n): return .number(n)
        case .temperature(let v, nil): return .number(v)
        default: return .string(value.description)
        }
    }
}

extension AssistantReply {
    /// The reply as one line of sorted-key JSON: the object `hark ask --json` prints and `POST /v1/ask` returns.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
