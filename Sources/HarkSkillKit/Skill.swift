import HarkUnderstanding

/// A skill: something Hark can do, such as keeping a shopping list or switching lights.
///
/// Hark calls `handle` once per turn of a conversation that is routed to the skill. An implementation
/// must answer with a ``SkillResponse`` (what to say, and whether the conversation goes on), should not
/// block (it is `async`), and may throw: a thrown error becomes a spoken apology and a log line, and the
/// conversation and every other skill go on.
///
/// ```swift
/// struct HelloSkill: Skill {
///     let id = "hello"
///     func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
///         .speak(context.responses.render("greeting", ["name": request.slots.text("name") ?? "there"]))
///     }
/// }
/// ```
public protocol Skill: Sendable {
    /// The skill's id, as in its `skill.yaml`.
    var id: String { get }

    /// Answers one request of a conversation.
    func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse
}

/// A skill that holds resources (an HTTP client, a child process, a broker connection) which must be
/// released when Hark stops. Hark calls `shutdown()` once, after the last request.
public protocol StoppableSkill: Skill {
    func shutdown() async throws
}

/// A skill with news that does not wait to be asked for, such as a timer that has gone off. Before every reply
/// Hark asks each such skill for its notices and says them first, whatever the request was ("Your pasta timer is
/// done. It's 10:05 AM."). An implementation must return each notice only once (it marks it said), answer
/// quickly, and return an empty array when there is nothing to say; a thrown error is logged and skipped.
public protocol NoticingSkill: Skill {
    /// What to say before the next reply, in order.
    func dueNotices(context: SkillContext) async throws -> [String]
}

/// A timer or alarm that has gone off: while Hark listens it rings (a chime and `speech`, again and again) until the
/// person says "stop", says the snooze intent, or a time limit passes.
public struct SkillAlert: Sendable, Equatable {
    /// What Hark says with each ring ("Your pasta timer is done.").
    public var speech: String
    /// The intent that snoozes it, as `skill/Intent` ("clock/Snooze"), said without the wake phrase while it rings;
    /// nil when it cannot be snoozed.
    public var snoozeIntent: String?

    public init(speech: String, snoozeIntent: String? = nil) {
        self.speech = speech
        self.snoozeIntent = snoozeIntent
    }
}

/// A skill whose news rings while Hark listens (`hark listen`), rather than waiting for the next request.
///
/// The listening loop asks about once a second. An implementation must return each alert only once (it marks it
/// taken, so that ``NoticingSkill/dueNotices(context:)`` does not say it again), answer quickly, and return an empty
/// array when nothing is due. Without a listening loop (`hark ask`, `hark serve`) the same news is said as notices.
public protocol AlertingSkill: NoticingSkill {
    /// What must ring now, in the order it came due.
    func dueAlerts(context: SkillContext) async throws -> [SkillAlert]
}

/// A yes/no question a skill puts after another reply, proposing one of its own intents ("You usually buy coffee every
/// 9 days; it's been 11. Shall I add it to your list?"): "yes" runs the intent confirmed, "no" runs it denied.
public struct SkillOffer: Sendable, Equatable {
    /// The question, said after the reply.
    public var speech: String
    /// The skill's own intent that "yes" runs ("AddItem").
    public var intent: String
    /// Its slots.
    public var slots: [String: SlotValue]

    public init(speech: String, intent: String, slots: [String: SlotValue] = [:]) {
        self.speech = speech
        self.intent = intent
        self.slots = slots
    }
}

/// A skill that now and then offers something nobody asked for (the shopping skill: the most overdue item, once a
/// day). After a reply that leaves no question open, Hark asks these skills in id order and puts the first offer
/// after the reply as a yes/no question. An implementation decides how often it offers (it keeps what it needs to:
/// asking counts as the chance to offer), answers quickly, and returns nil when it has nothing to offer; a thrown
/// error is logged and skipped.
public protocol OfferingSkill: Skill {
    /// The question to put after this reply, or nil.
    func offer(context: SkillContext) async throws -> SkillOffer?
}

/// A skill with a line for the morning briefing ("good morning"): the weather today, today's timers and alarms, the
/// shopping list. Hark asks each such skill and says their lines in one reply (``AssistantOptions``'s order: weather,
/// clock, shopping, then the others by id). An implementation returns nil when it has nothing to say or its line is
/// turned off in its settings (by convention `skills: { ID: { briefing: false } }`); a thrown error is logged and
/// skipped.
public protocol BriefingSkill: Skill {
    /// The skill's line of the briefing, or nil.
    func briefing(context: SkillContext) async throws -> String?
}
