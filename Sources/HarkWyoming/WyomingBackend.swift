import HarkAudio
import HarkSkillKit

/// What the Wyoming server asks of the assistant behind it. ``HarkWyomingBackend`` implements it over Hark's
/// recognizer, synthesizer and assistant; the server itself only speaks the protocol.
///
/// Implementations must be safe to call from several connections at once.
public protocol WyomingBackend: Sendable {
    /// What `describe` answers.
    func info() async -> WyomingInfo
    /// The name a `detection` carries (the wake phrase).
    func wakeName() async -> String
    /// The text of a recording (16 kHz mono), wake phrase removed; "" when nothing was understood.
    func transcribe(_ audio: AudioChunk, language: String?) async throws -> String
    /// `text` spoken with the named voice (nil: the configured one).
    func synthesize(_ text: String, voice: String?) async throws -> AudioChunk
    /// The intent `text` means, or nil when none.
    func recognize(_ text: String) async -> WyomingIntent?
    /// Answers `text` as a conversation agent, continuing `conversation`.
    func handle(_ text: String, conversation: WyomingConversation) async -> WyomingHandled
    /// Whether an utterance (16 kHz mono, endpointed) starts with the wake phrase.
    func hearsWakePhrase(in utterance: AudioChunk) async throws -> Bool
}

/// An intent recognized from text, as the `intent` event carries it.
public struct WyomingIntent: Sendable, Equatable {
    /// The intent's name (`AddItem`).
    public var name: String
    /// Slot name → value, sorted by name.
    public var entities: [(name: String, value: JSONValue)]
    /// Extra facts (`skill`).
    public var context: [String: JSONValue]

    public init(name: String, entities: [(name: String, value: JSONValue)], context: [String: JSONValue]) {
        self.name = name
        self.entities = entities
        self.context = context
    }

    public static func == (a: WyomingIntent, b: WyomingIntent) -> Bool {
        a.name == b.name && a.context == b.context && a.entities.map(\.name) == b.entities.map(\.name)
            && a.entities.map(\.value) == b.entities.map(\.value)
    }
}

/// The dialog a `transcript` continues: the session of the previous answer on the same connection and context.
public struct WyomingConversation: Sendable, Equatable {
    /// The assistant's session id, nil to start one.
    public var sessionID: String?
    /// The area the request comes from (a `context.area` string), if given.
    public var area: String?

    public init(sessionID: String? = nil, area: String? = nil) {
        self.sessionID = sessionID
        self.area = area
    }
}

/// The answer to a `transcript` handled as a conversation.
public struct WyomingHandled: Sendable, Equatable {
    /// The reply's text.
    public var text: String
    /// False when the assistant did not understand the request (the reply then says so): `not-handled`.
    public var understood: Bool
    /// The session to continue with the next request, nil when the conversation ended.
    public var sessionID: String?

    public init(text: String, understood: Bool, sessionID: String?) {
        self.text = text
        self.understood = understood
        self.sessionID = sessionID
    }
}
