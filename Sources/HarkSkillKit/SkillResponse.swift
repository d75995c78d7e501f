/// What a skill answers: what to say, whether the conversation goes on, and what it asks for next.
/// Shaped after the Alexa Skills Kit response (outputSpeech, reprompt, shouldEndSession, directives).
///
/// Build one with the chainable helpers:
/// `.speak("What should I add?").reprompt("Say an item, like milk.").elicitSlot("item")`.
public struct SkillResponse: Sendable, Equatable {
    /// A dialog directive: the skill asks the dialog manager to collect or confirm something.
    public enum Directive: Sendable, Equatable {
        /// Ask for a slot's value; the next utterance fills it, even a bare "milk" or "tomorrow".
        case elicitSlot(String)
        /// Ask the user to confirm a slot's value with yes or no.
        case confirmSlot(String)
        /// Ask the user to confirm the whole intent with yes or no.
        case confirmIntent
        /// Let Hark collect the intent's required slots with their prompts, then call the skill again.
        case delegate
    }

    /// What to say.
    public var speech: String
    /// True when `speech` is SSML (`<speak>…</speak>`).
    public var isSSML: Bool
    /// What to say if the user says nothing or something unusable while the session is open.
    public var reprompt: String?
    /// True when the conversation is over; false keeps the session open for a follow-up.
    public var endSession: Bool
    /// A dialog directive, if any.
    public var directive: Directive?
    /// Slot values the skill wants the dialog manager to keep (e.g. when eliciting a second slot).
    public var updatedSlots: Slots?
    /// Replaces the session attributes when set; nil leaves them as they are.
    public var sessionAttributes: [String: JSONValue]?
    /// Structured data for `--json` output and tests (a list's items, an order's total).
    public var data: [String: JSONValue]

    public init(
        speech: String, isSSML: Bool = false, reprompt: String? = nil, endSession: Bool = true,
        directive: Directive? = nil, updatedSlots: Slots? = nil, sessionAttributes: [String: JSONValue]? = nil,
        data: [String: JSONValue] = [:]
    ) {
        self.speech = speech
        self.isSSML = isSSML
        self.reprompt = reprompt
        self.endSession = endSession
        self.directive = directive
        self.updatedSlots = updatedSlots
        self.sessionAttributes = sessionAttributes
        self.data = data
    }

    /// Says `text` and ends the conversation (call ``keepOpen()`` or a directive to go on).
    public static func speak(_ text: String) -> SkillResponse { SkillResponse(speech: text) }

    /// Says SSML and ends the conversation.
    public static func speakSSML(_ ssml: String) -> SkillResponse { SkillResponse(speech: ssml, isSSML: true) }

    /// Adds a reprompt and keeps the session open.
    public func reprompt(_ text: String) -> SkillResponse {
        var copy = self
        copy.reprompt = text
        copy.endSession = false
        return copy
    }

    /// Keeps the session open for a follow-up.
    public func keepOpen() -> SkillResponse {
        var copy = self
        copy.endSession = false
        return copy
    }

    /// Asks for a slot: the next utterance fills it.
    public func elicitSlot(_ name: String, keeping slots: Slots? = nil) -> SkillResponse {
        withDirective(.elicitSlot(name), slots: slots)
    }

    /// Asks for a yes or no on a slot's value.
    public func confirmSlot(_ name: String, keeping slots: Slots? = nil) -> SkillResponse {
        withDirective(.confirmSlot(name), slots: slots)
    }

    /// Asks for a yes or no on the whole intent; the skill is called again with the confirmation status.
    public func confirmIntent(keeping slots: Slots? = nil) -> SkillResponse {
        withDirective(.confirmIntent, slots: slots)
    }

    /// Lets Hark collect the required slots with their prompts from `responses/en.yaml`.
    public static func delegate(keeping slots: Slots? = nil) -> SkillResponse {
        SkillResponse(speech: "").withDirective(.delegate, slots: slots)
    }

    /// Stores session attributes for the following turns.
    public func remembering(_ attributes: [String: JSONValue]) -> SkillResponse {
        var copy = self
        copy.sessionAttributes = attributes
        return copy
    }

    /// Attaches structured data for `--json` output and tests.
    public func with(data: [String: JSONValue]) -> SkillResponse {
        var copy = self
        copy.data.merge(data) { _, new in new }
        return copy
    }

    private func withDirective(_ directive: Directive, slots: Slots?) -> SkillResponse {
        var copy = self
        copy.directive = directive
        copy.updatedSlots = slots
        copy.endSession = false
        return copy
    }
}
