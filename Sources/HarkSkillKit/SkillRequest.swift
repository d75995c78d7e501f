import HarkUnderstanding

/// One turn of a conversation as a skill sees it: what kind of request, which intent, its slots, and
/// the session it belongs to. Shaped after the Alexa Skills Kit request envelope.
public struct SkillRequest: Sendable, Equatable {
    /// What happened.
    public enum Kind: Sendable, Equatable {
        /// The user opened the skill without asking for anything in particular.
        case launch
        /// The user asked for an intent.
        case intent
        /// The session ended (the user said stop, it expired, or an error ended it).
        case sessionEnded(SessionEndReason)
    }

    /// Why a session ended.
    public enum SessionEndReason: String, Sendable, Equatable, Codable {
        case userInitiated = "USER_INITIATED"
        case expired = "EXCEEDED_MAX_REPROMPTS"
        case error = "ERROR"
    }

    /// Whether the user has confirmed the intent (after a ``SkillResponse/confirmIntent()``).
    public enum Confirmation: String, Sendable, Equatable, Codable {
        case none = "NONE"
        case confirmed = "CONFIRMED"
        case denied = "DENIED"
    }

    /// How far the dialog of a multi-turn intent has come.
    public enum DialogState: String, Sendable, Equatable, Codable {
        case started = "STARTED"
        case inProgress = "IN_PROGRESS"
        case completed = "COMPLETED"
    }

    public var kind: Kind
    /// The intent's name (`AddItem`); empty for launch and session-ended requests.
    public var intent: String
    /// The intent's slots with their canonical values.
    public var slots: Slots
    /// What the user said (normalised text of this turn).
    public var utterance: String
    /// The session this turn belongs to.
    public var session: SessionInfo
    /// Confirmation of the whole intent.
    public var confirmation: Confirmation
    /// Confirmation of individual slots, by slot name.
    public var slotConfirmations: [String: Confirmation]
    /// Where the multi-turn dialog of this intent stands.
    public var dialogState: DialogState
    /// The area the request came from ("Kitchen"), when the device that heard it knows.
    public var area: String?
    /// The language, e.g. `en-US`.
    public var locale: String

    public init(
        kind: Kind, intent: String = "", slots: Slots = Slots(), utterance: String = "",
        session: SessionInfo = SessionInfo(id: "test"), confirmation: Confirmation = .none,
        slotConfirmations: [String: Confirmation] = [:], dialogState: DialogState = .started,
        area: String? = nil, locale: String = "en-US"
    ) {
        self.kind = kind
        self.intent = intent
        self.slots = slots
        self.utterance = utterance
        self.session = session
        self.confirmation = confirmation
        self.slotConfirmations = slotConfirmations
        self.dialogState = dialogState
        self.area = area
        self.locale = locale
    }
}

/// The session a request belongs to, with the attributes the skill stored in earlier turns.
public struct SessionInfo: Sendable, Equatable {
    /// Stable id of the conversation.
    public var id: String
    /// True on the first turn of the session.
    public var isNew: Bool
    /// What the skill put in ``SkillResponse/sessionAttributes`` earlier in this session.
    public var attributes: [String: JSONValue]

    public init(id: String, isNew: Bool = true, attributes: [String: JSONValue] = [:]) {
        self.id = id
        self.isNew = isNew
        self.attributes = attributes
    }
}

/// An intent's slot values with typed accessors.
public struct Slots: Sendable, Equatable, Sequence {
    /// Canonical values by slot name.
    public var values: [String: SlotValue]
    /// The words the user said for each slot.
    public var spoken: [String: String]
    /// Slots whose words matched none of the slot's known values (Alexa's `ER_SUCCESS_NO_MATCH`): the
    /// value is the words said, as text, so the skill can answer "I don't know a device called …".
    public var unresolved: Set<String>

    public init(_ values: [String: SlotValue] = [:], spoken: [String: String] = [:], unresolved: Set<String> = []) {
        self.values = values
        self.spoken = spoken
        self.unresolved = unresolved
    }

    public subscript(name: String) -> SlotValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public func makeIterator() -> Dictionary<String, SlotValue>.Iterator { values.makeIterator() }

    /// True when the slot has a value.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// The slot as text (a list's canonical output, free text, or the written form of other values).
    public func text(_ name: String) -> String? {
        guard let value = values[name] else { return nil }
        if case .text(let text) = value { return text }
        if case .list(let items) = value { return items.map(\.description).joined(separator: ", ") }
        return value.description
    }

    /// Every value of a slot that may hold several (`milk, eggs and bread`); one value gives one element.
    public func texts(_ name: String) -> [String] {
        guard let value = values[name] else { return [] }
        if case .list(let items) = value { return items.map { item in
            if case .text(let text) = item { return text }
            return item.description
        } }
        return text(name).map { [$0] } ?? []
    }

    /// The slot as a number (numbers, percentages and temperatures give their value).
    public func number(_ name: String) -> Double? {
        switch values[name] {
        case .number(let value), .percentage(let value), .temperature(let value, _): return value
        case .text(let text): return Double(text)
        default: return nil
        }
    }

    /// The slot as a whole number, when it is one.
    public func integer(_ name: String) -> Int? {
        guard let value = number(name), value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// The slot as a range of days.
    public func date(_ name: String) -> DateRange? {
        if case .date(let range) = values[name] { return range }
        return nil
    }

    /// The slot as a time of day.
    public func time(_ name: String) -> (hour: Int, minute: Int)? {
        if case .time(let hour, let minute) = values[name] { return (hour, minute) }
        return nil
    }

    /// The slot as a length of time in seconds.
    public func duration(_ name: String) -> Double? {
        if case .duration(let seconds) = values[name] { return seconds }
        return nil
    }

    /// The slot as a temperature with its unit, if one was said.
    public func temperature(_ name: String) -> (value: Double, unit: TemperatureUnit?)? {
        switch values[name] {
        case .temperature(let value, let unit): return (value, unit)
        case .number(let value): return (value, nil)
        default: return nil
        }
    }
}
