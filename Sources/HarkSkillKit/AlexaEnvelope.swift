import Foundation
import HarkUnderstanding

/// The Alexa Skills Kit request body, as Hark sends it to out-of-process skills (`entry: exec` and
/// `entry: http`), so that skills written for Alexa — by hand or with an ASK SDK — run under Hark.
///
/// Only the members Hark fills are modelled; unknown members of incoming JSON are ignored. Hark adds one
/// member of its own, `context.Hark` (area, utterance, settings), which ASK SDKs ignore.
public struct AlexaRequestEnvelope: Codable, Sendable, Equatable {
    public var version: String
    public var session: Session?
    public var context: Context?
    public var request: Request

    public init(version: String = "1.0", session: Session?, context: Context?, request: Request) {
        self.version = version
        self.session = session
        self.context = context
        self.request = request
    }

    /// `session`: the conversation and the attributes the skill stored in earlier turns.
    public struct Session: Codable, Sendable, Equatable {
        public var new: Bool
        public var sessionId: String
        public var attributes: [String: JSONValue]?
        public var application: Application
        public var user: User

        public init(
            new: Bool, sessionId: String, attributes: [String: JSONValue]?, application: Application, user: User
        ) {
            self.new = new
            self.sessionId = sessionId
            self.attributes = attributes
            self.application = application
            self.user = user
        }
    }

    /// `application`: which skill the request is for.
    public struct Application: Codable, Sendable, Equatable {
        public var applicationId: String
        public init(applicationId: String) { self.applicationId = applicationId }
    }

    /// `user`: who is speaking (Hark has one local user).
    public struct User: Codable, Sendable, Equatable {
        public var userId: String
        public init(userId: String) { self.userId = userId }
    }

    /// `device`: the device that heard the request.
    public struct Device: Codable, Sendable, Equatable {
        public var deviceId: String
        public var supportedInterfaces: [String: JSONValue]
        public init(deviceId: String, supportedInterfaces: [String: JSONValue] = [:]) {
            self.deviceId = deviceId
            self.supportedInterfaces = supportedInterfaces
        }
    }

    /// `context.System`.
    public struct SystemState: Codable, Sendable, Equatable {
        public var application: Application
        public var user: User
        public var device: Device
        public init(application: Application, user: User, device: Device) {
            self.application = application
            self.user = user
            self.device = device
        }
    }

    /// Hark's own part of the context: what Alexa has no member for.
    public struct HarkState: Codable, Sendable, Equatable {
        /// The area the request came from ("Kitchen"), when known.
        public var area: String?
        /// What the user said, normalised.
        public var utterance: String?
        /// The skill's settings from `config.yaml` (`skills: { ID: { … } }`).
        public var settings: [String: JSONValue]?
        public init(area: String? = nil, utterance: String? = nil, settings: [String: JSONValue]? = nil) {
            self.area = area
            self.utterance = utterance
            self.settings = settings
        }
    }

    /// `context`.
    public struct Context: Codable, Sendable, Equatable {
        public var system: SystemState
        public var hark: HarkState?
        enum CodingKeys: String, CodingKey {
            case system = "System"
            case hark = "Hark"
        }
        public init(system: SystemState, hark: HarkState? = nil) {
            self.system = system
            self.hark = hark
        }
    }

    /// `request`: a LaunchRequest, IntentRequest or SessionEndedRequest.
    public struct Request: Codable, Sendable, Equatable {
        /// `LaunchRequest`, `IntentRequest` or `SessionEndedRequest`.
        public var type: String
        public var requestId: String
        /// ISO 8601, e.g. `2026-01-01T10:00:00Z`.
        public var timestamp: String
        public var locale: String
        public var intent: AlexaIntent?
        /// `STARTED`, `IN_PROGRESS` or `COMPLETED` (intent requests).
        public var dialogState: String?
        /// Why the session ended (`USER_INITIATED`, `ERROR`, `EXCEEDED_MAX_REPROMPTS`).
        public var reason: String?

        public init(
            type: String, requestId: String, timestamp: String, locale: String, intent: AlexaIntent? = nil,
            dialogState: String? = nil, reason: String? = nil
        ) {
            self.type = type
            self.requestId = requestId
            self.timestamp = timestamp
            self.locale = locale
            self.intent = intent
            self.dialogState = dialogState
            self.reason = reason
        }
    }
}

/// An Alexa `intent` object: in an IntentRequest, and as `updatedIntent` of a dialog directive.
public struct AlexaIntent: Codable, Sendable, Equatable {
    public var name: String
    /// `NONE`, `CONFIRMED` or `DENIED`.
    public var confirmationStatus: String?
    public var slots: [String: AlexaSlot]?

    public init(name: String, confirmationStatus: String? = "NONE", slots: [String: AlexaSlot]? = nil) {
        self.name = name
        self.confirmationStatus = confirmationStatus
        self.slots = slots
    }
}

/// An Alexa slot: `value` is what was said (or the canonical text of a typed value: `5`, `2026-01-02`,
/// `19:45`, `PT5M`); `resolutions` carries the canonical value of a list slot (`ER_SUCCESS_MATCH`) or says
/// that the words matched no value (`ER_SUCCESS_NO_MATCH`). Hark adds `hark`, the exact typed value.
public struct AlexaSlot: Codable, Sendable, Equatable {
    public var name: String
    public var value: String?
    public var confirmationStatus: String?
    public var resolutions: Resolutions?
    /// Several values (`multiple: true` slots), as Alexa's multi-value slots.
    public var slotValue: JSONValue?
    /// Hark's typed value (the `SlotValue` JSON form).
    public var hark: SlotValue?

    public init(
        name: String, value: String?, confirmationStatus: String? = "NONE", resolutions: Resolutions? = nil,
        slotValue: JSONValue? = nil, hark: SlotValue? = nil
    ) {
        self.name = name
        self.value = value
        self.confirmationStatus = confirmationStatus
        self.resolutions = resolutions
        self.slotValue = slotValue
        self.hark = hark
    }

    /// `resolutions`.
    public struct Resolutions: Codable, Sendable, Equatable {
        public var resolutionsPerAuthority: [Authority]
        public init(resolutionsPerAuthority: [Authority]) { self.resolutionsPerAuthority = resolutionsPerAuthority }
    }

    /// One authority's resolution: its status and the canonical values.
    public struct Authority: Codable, Sendable, Equatable {
        public var authority: String
        public var status: Status
        public var values: [ValueWrapper]?
        public init(authority: String, status: Status, values: [ValueWrapper]?) {
            self.authority = authority
            self.status = status
            self.values = values
        }
    }

    /// `{ "code": "ER_SUCCESS_MATCH" }`.
    public struct Status: Codable, Sendable, Equatable {
        public var code: String
        public init(code: String) { self.code = code }
    }

    /// `{ "value": { "name": …, "id": … } }`.
    public struct ValueWrapper: Codable, Sendable, Equatable {
        public var value: ResolvedValue
        public init(value: ResolvedValue) { self.value = value }
    }

    /// A canonical value.
    public struct ResolvedValue: Codable, Sendable, Equatable {
        public var name: String
        public var id: String?
        public init(name: String, id: String?) {
            self.name = name
            self.id = id
        }
    }

    /// The canonical value of the first successful resolution, if any.
    public var resolvedName: String? {
        resolutions?.resolutionsPerAuthority.first { $0.status.code == "ER_SUCCESS_MATCH" }?.values?.first?.value.name
    }

    /// True when a resolution says the words matched none of the slot's values.
    public var isUnresolved: Bool {
        guard let authorities = resolutions?.resolutionsPerAuthority, !authorities.isEmpty else { return false }
        return authorities.allSatisfy { $0.status.code == "ER_SUCCESS_NO_MATCH" }
    }
}

/// The Alexa Skills Kit response body an out-of-process skill answers with.
///
/// Hark reads `outputSpeech`, `reprompt`, `shouldEndSession`, `sessionAttributes` and the dialog directives
/// (`Dialog.ElicitSlot`, `Dialog.ConfirmSlot`, `Dialog.ConfirmIntent`, `Dialog.Delegate`), plus its own:
/// the directive `Hark.InvokeIntent` (call another skill's intent, if the manifest's permissions allow it),
/// top-level `requestId`/`sessionId` (the request answered; checked when present, required from `exec`
/// skills), `data` (structured data for `--json` output) and `error` (the skill could not answer).
public struct AlexaResponseEnvelope: Codable, Sendable, Equatable {
    public var version: String
    public var sessionAttributes: [String: JSONValue]?
    public var response: Response?
    /// Hark: the id of the request this answers.
    public var requestId: String?
    /// Hark: the session this answers.
    public var sessionId: String?
    /// Hark: structured data for `--json` output and tests.
    public var data: [String: JSONValue]?
    /// Hark: the skill could not answer (the message is logged; the user hears an apology).
    public var error: String?

    public init(
        version: String = "1.0", sessionAttributes: [String: JSONValue]? = nil, response: Response?,
        requestId: String? = nil, sessionId: String? = nil, data: [String: JSONValue]? = nil, error: String? = nil
    ) {
        self.version = version
        self.sessionAttributes = sessionAttributes
        self.response = response
        self.requestId = requestId
        self.sessionId = sessionId
        self.data = data
        self.error = error
    }

    /// `response`.
    public struct Response: Codable, Sendable, Equatable {
        public var outputSpeech: OutputSpeech?
        public var reprompt: Reprompt?
        public var shouldEndSession: Bool?
        public var directives: [Directive]?

        public init(
            outputSpeech: OutputSpeech? = nil, reprompt: Reprompt? = nil, shouldEndSession: Bool? = nil,
            directives: [Directive]? = nil
        ) {
            self.outputSpeech = outputSpeech
            self.reprompt = reprompt
            self.shouldEndSession = shouldEndSession
            self.directives = directives
        }
    }

    /// `outputSpeech`: `{ "type": "PlainText", "text": … }` or `{ "type": "SSML", "ssml": "<speak>…</speak>" }`.
    public struct OutputSpeech: Codable, Sendable, Equatable {
        public var type: String
        public var text: String?
        public var ssml: String?

        public init(type: String, text: String? = nil, ssml: String? = nil) {
            self.type = type
            self.text = text
            self.ssml = ssml
        }

        /// Plain text or SSML, from a text and a flag.
        public init(_ speech: String, isSSML: Bool) {
            self = isSSML ? OutputSpeech(type: "SSML", ssml: speech) : OutputSpeech(type: "PlainText", text: speech)
        }

        /// True for SSML.
        public var isSSML: Bool { type == "SSML" }
        /// The text or SSML said.
        public var speech: String { (isSSML ? ssml : text) ?? "" }
    }

    /// `reprompt`.
    public struct Reprompt: Codable, Sendable, Equatable {
        public var outputSpeech: OutputSpeech
        public init(outputSpeech: OutputSpeech) { self.outputSpeech = outputSpeech }
    }

    /// A directive: Alexa's dialog directives, or Hark's `Hark.InvokeIntent`.
    public struct Directive: Codable, Sendable, Equatable {
        /// `Dialog.ElicitSlot`, `Dialog.ConfirmSlot`, `Dialog.ConfirmIntent`, `Dialog.Delegate`, `Hark.InvokeIntent`.
        public var type: String
        public var slotToElicit: String?
        public var slotToConfirm: String?
        public var updatedIntent: AlexaIntent?
        /// `Hark.InvokeIntent`: the skill to call.
        public var skill: String?
        /// `Hark.InvokeIntent`: the intent to call.
        public var intent: String?
        /// `Hark.InvokeIntent`: slot values (strings or numbers, or `SlotValue` JSON objects).
        public var slots: [String: JSONValue]?

        public init(
            type: String, slotToElicit: String? = nil, slotToConfirm: String? = nil, updatedIntent: AlexaIntent? = nil,
            skill: String? = nil, intent: String? = nil, slots: [String: JSONValue]? = nil
        ) {
            self.type = type
            self.slotToElicit = slotToElicit
            self.slotToConfirm = slotToConfirm
            self.updatedIntent = updatedIntent
            self.skill = skill
            self.intent = intent
            self.slots = slots
        }
    }
}

// MARK: - Mapping between Hark's SDK types and the envelope

/// Names and conversions shared by both directions of the Alexa mapping.
public enum AlexaMapping {
    /// Hark's built-in intents as Alexa names them.
    public static let builtinIntents: [String: String] = [
        "Yes": "AMAZON.YesIntent", "No": "AMAZON.NoIntent", "Help": "AMAZON.HelpIntent",
        "Stop": "AMAZON.StopIntent", "Cancel": "AMAZON.CancelIntent", "Repeat": "AMAZON.RepeatIntent",
        "Fallback": "AMAZON.FallbackIntent",
    ]
    /// An intent of a Hark skill with this name is sent as an Alexa `LaunchRequest` ("open hello world").
    public static let launchIntent = "Launch"
    /// The resolution authority Hark names in slot resolutions.
    public static let authority = "hark.slots"

    /// The Alexa name of a Hark intent (`Yes` → `AMAZON.YesIntent`; others unchanged).
    public static func alexaName(ofIntent name: String) -> String { builtinIntents[name] ?? name }

    /// The Hark name of an Alexa intent (`AMAZON.YesIntent` → `Yes`; others unchanged).
    public static func harkName(ofIntent name: String) -> String {
        builtinIntents.first { $0.value == name }?.key ?? name
    }

    /// The text Alexa would put in `value` for a typed slot: `5`, `2026-01-02`, `19:45`, `PT1H30M`, `50`, `21`.
    public static func alexaText(_ value: SlotValue) -> String {
        switch value {
        case .text(let text): return text
        case .number(let n), .percentage(let n), .temperature(let n, _): return SpokenText.number(n)
        case .date(let range): return range.isSingleDay ? range.start.description : range.description
        case .time: return value.description
        case .duration(let seconds): return isoDuration(seconds)
        case .list(let items): return items.map { alexaText($0) }.joined(separator: ", ")
        }
    }

    /// The longest duration a slot may hold: a hundred years, in seconds.
    public static let maximumDurationSeconds: Double = 100 * 366 * 86_400
    /// The largest magnitude a number slot may hold.
    public static let maximumNumber: Double = 1e15

    /// Why `value` is out of range (a duration beyond ``maximumDurationSeconds`` or negative, a number beyond
    /// ``maximumNumber``, a time that is no time of day), or nil when it is in range.
    public static func rangeProblem(_ value: SlotValue) -> String? {
        switch value {
        case .duration(let seconds):
            guard seconds.isFinite, seconds >= 0, seconds <= maximumDurationSeconds else {
                return "a duration of \(seconds) seconds is out of range (0 to 100 years)"
            }
        case .number(let n), .percentage(let n), .temperature(let n, _):
            guard n.isFinite, abs(n) <= maximumNumber else { return "the number \(n) is out of range (±1e15)" }
        case .time(let hour, let minute):
            guard (0..<24).contains(hour), (0..<60).contains(minute) else {
                return "\(hour):\(minute) is not a time of day"
            }
        case .list(let items): return items.lazy.compactMap(rangeProblem).first
        case .text, .date: break
        }
        return nil
    }

    /// Hark slots from an answer's slots, each value range-checked; `field` names them in errors.
    /// - Throws: ``SkillError/invalid(_:)`` naming the field and the value out of range.
    public static func checkedSlots(_ alexa: [String: AlexaSlot]?, field: String) throws -> Slots {
        let slots = slots(alexa).slots
        for name in slots.values.keys.sorted() {
            if let value = slots[name], let problem = rangeProblem(value) {
                let said = alexa?[name]?.value.map { " ('\($0)')" } ?? ""
                throw SkillError.invalid("\(field).\(name)\(said): \(problem)")
            }
        }
        return slots
    }

    /// `PT1H30M` for 5400 seconds (durations beyond ``maximumDurationSeconds`` are written as that).
    public static func isoDuration(_ seconds: Double) -> String {
        var rest = Int(seconds.isFinite ? min(max(seconds, 0), maximumDurationSeconds).rounded() : 0)
        var text = "P"
        let days = rest / 86_400
        rest %= 86_400
        if days > 0 { text += "\(days)D" }
        if rest > 0 || days == 0 {
            text += "T"
            let h = rest / 3600
            let m = (rest % 3600) / 60
            let s = rest % 60
            if h > 0 { text += "\(h)H" }
            if m > 0 { text += "\(m)M" }
            if s > 0 || (h == 0 && m == 0) { text += "\(s)S" }
        }
        return text
    }

    /// Seconds of an ISO 8601 duration (`PT1H30M`, `P1D`), or nil.
    public static func seconds(isoDuration text: String) -> Double? {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var total = 0.0
        var number = ""
        var inTime = false
        for ch in text.dropFirst() {
            if ch == "T" {
                inTime = true
            } else if ch.isNumber || ch == "." {
                number.append(ch)
            } else {
                guard let n = Double(number) else { return nil }
                number = ""
                switch (ch, inTime) {
                case ("D", false): total += n * 86_400
                case ("W", false): total += n * 7 * 86_400
                case ("H", true): total += n * 3600
                case ("M", true): total += n * 60
                case ("S", true): total += n
                default: return nil
                }
            }
        }
        return number.isEmpty ? total : nil
    }

    /// An Alexa slot for a Hark slot value. `spoken` is what the user said; `unresolved` marks words that
    /// matched none of the slot's values.
    public static func slot(name: String, value: SlotValue?, spoken: String?, unresolved: Bool) -> AlexaSlot {
        guard let value else { return AlexaSlot(name: name, value: nil) }
        if unresolved {
            let words = spoken ?? alexaText(value)
            return AlexaSlot(
                name: name, value: words,
                resolutions: .init(resolutionsPerAuthority: [
                    .init(authority: authority, status: .init(code: "ER_SUCCESS_NO_MATCH"), values: nil)
                ]))
        }
        switch value {
        case .text(let canonical):
            return AlexaSlot(
                name: name, value: spoken ?? canonical,
                resolutions: .init(resolutionsPerAuthority: [
                    .init(
                        authority: authority, status: .init(code: "ER_SUCCESS_MATCH"),
                        values: [.init(value: .init(name: canonical, id: canonical))])
                ]),
                hark: value)
        case .list(let items):
            let values: [JSONValue] = items.map { .object(["type": "Simple", "value": .string(alexaText($0))]) }
            return AlexaSlot(
                name: name, value: spoken ?? alexaText(value),
                slotValue: .object(["type": "List", "values": .array(values)]), hark: value)
        default:
            return AlexaSlot(name: name, value: alexaText(value), hark: value)
        }
    }

    /// The Hark value of an Alexa slot: Hark's own typed value when present, else the resolved canonical
    /// value, else the `value` text read as a number, date, time or duration when it is one.
    public static func slotValue(_ slot: AlexaSlot) -> SlotValue? {
        if let hark = slot.hark { return hark }
        if let canonical = slot.resolvedName { return .text(canonical) }
        guard let text = slot.value, !text.isEmpty else { return nil }
        if let n = Double(text), text.range(of: "^-?[0-9]+(\\.[0-9]+)?$", options: .regularExpression) != nil {
            return .number(n)
        }
        if text.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil {
            let p = text.split(separator: "-").compactMap { Int($0) }
            return .date(DateRange(day: CalendarDay(year: p[0], month: p[1], day: p[2])))
        }
        if text.range(of: "^[0-9]{2}:[0-9]{2}$", options: .regularExpression) != nil {
            let p = text.split(separator: ":").compactMap { Int($0) }
            return .time(hour: p[0], minute: p[1])
        }
        if text.hasPrefix("P"), let seconds = seconds(isoDuration: text) { return .duration(seconds: seconds) }
        return .text(text)
    }

    /// Hark slots from an Alexa intent's slots (empty slots are left out).
    public static func slots(_ alexa: [String: AlexaSlot]?) -> (
        slots: Slots, confirmations: [String: SkillRequest.Confirmation]
    ) {
        var slots = Slots()
        var confirmations: [String: SkillRequest.Confirmation] = [:]
        for (name, slot) in alexa ?? [:] {
            if let status = slot.confirmationStatus.flatMap(SkillRequest.Confirmation.init(rawValue:)), status != .none
            {
                confirmations[name] = status
            }
            guard let value = slotValue(slot) else { continue }
            slots[name] = value
            if let said = slot.value, said != alexaText(value) { slots.spoken[name] = said }
            if slot.isUnresolved { slots.unresolved.insert(name) }
        }
        return (slots, confirmations)
    }

    /// The speech of an `outputSpeech`: SSML that is only a `<speak>` wrapper around words (what ASK SDKs
    /// make of every `speak("…")`) becomes plain text; SSML with markup stays SSML.
    public static func simplified(_ speech: AlexaResponseEnvelope.OutputSpeech?) -> (text: String, isSSML: Bool) {
        guard let speech else { return ("", false) }
        guard speech.isSSML else { return (speech.speech, false) }
        var inner = speech.speech.trimmingCharacters(in: .whitespacesAndNewlines)
        guard inner.hasPrefix("<speak>"), inner.hasSuffix("</speak>") else { return (inner, true) }
        inner = String(inner.dropFirst("<speak>".count).dropLast("</speak>".count))
        guard !inner.contains("<") else { return (speech.speech, true) }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            inner = inner.replacingOccurrences(of: entity, with: character)
        }
        return (inner.trimmingCharacters(in: .whitespacesAndNewlines), false)
    }

    /// Strips SSML tags, leaving the words (for reprompts and logs).
    public static func plainText(ofSSML ssml: String) -> String {
        ssml.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension AlexaRequestEnvelope {
    /// The envelope for a Hark request to skill `skillID`.
    /// - Parameters:
    ///   - declaredSlots: the slot names the intent's sentences can fill; Alexa sends every one of them,
    ///     empty when not said, and ASK SDK code relies on that.
    ///   - now: the request's timestamp (the assistant's clock).
    public init(
        _ request: SkillRequest, skillID: String, requestID: String, now: Date, declaredSlots: [String] = [],
        settings: [String: JSONValue]? = nil
    ) {
        let application = Application(applicationId: "hark.skill.\(skillID)")
        let user = User(userId: "hark.user.local")
        let device = Device(deviceId: "hark.device.\(request.area ?? "default")")
        let timestamp = now.formatted(.iso8601)
        var body: Request
        switch request.kind {
        case .launch:
            body = Request(type: "LaunchRequest", requestId: requestID, timestamp: timestamp, locale: request.locale)
        case .sessionEnded(let reason):
            body = Request(
                type: "SessionEndedRequest", requestId: requestID, timestamp: timestamp, locale: request.locale,
                reason: reason.rawValue)
        case .intent where request.intent == AlexaMapping.launchIntent:
            body = Request(type: "LaunchRequest", requestId: requestID, timestamp: timestamp, locale: request.locale)
        case .intent:
            var slots: [String: AlexaSlot] = [:]
            for name in Set(declaredSlots).union(request.slots.values.keys) {
                var slot = AlexaMapping.slot(
                    name: name, value: request.slots[name], spoken: request.slots.spoken[name],
                    unresolved: request.slots.unresolved.contains(name))
                slot.confirmationStatus = request.slotConfirmations[name]?.rawValue ?? "NONE"
                slots[name] = slot
            }
            body = Request(
                type: "IntentRequest", requestId: requestID, timestamp: timestamp, locale: request.locale,
                intent: AlexaIntent(
                    name: AlexaMapping.alexaName(ofIntent: request.intent),
                    confirmationStatus: request.confirmation.rawValue, slots: slots),
                dialogState: request.dialogState.rawValue)
        }
        self.init(
            session: Session(
                new: request.session.isNew, sessionId: request.session.id, attributes: request.session.attributes,
                application: application, user: user),
            context: Context(
                system: SystemState(application: application, user: user, device: device),
                hark: HarkState(area: request.area, utterance: request.utterance, settings: settings)),
            request: body)
    }

    /// The request's time, from its ISO 8601 timestamp.
    public var date: Date? { try? Date(request.timestamp, strategy: .iso8601) }
}

extension SkillRequest {
    /// The Hark request an Alexa envelope describes (for skills served by ``SkillRunner``).
    public init(alexa envelope: AlexaRequestEnvelope) throws {
        let body = envelope.request
        let kind: Kind
        switch body.type {
        case "LaunchRequest": kind = .launch
        case "IntentRequest": kind = .intent
        case "SessionEndedRequest":
            kind = .sessionEnded(body.reason.flatMap(SessionEndReason.init(rawValue:)) ?? .userInitiated)
        default:
            throw SkillError.invalid(
                "request type '\(body.type)' is not LaunchRequest, IntentRequest or SessionEndedRequest")
        }
        var intent = ""
        var slots = Slots()
        var confirmations: [String: Confirmation] = [:]
        var confirmation = Confirmation.none
        if kind == .intent {
            guard let alexaIntent = body.intent else { throw SkillError.invalid("IntentRequest without an 'intent'") }
            intent = AlexaMapping.harkName(ofIntent: alexaIntent.name)
            (slots, confirmations) = AlexaMapping.slots(alexaIntent.slots)
            confirmation = alexaIntent.confirmationStatus.flatMap(Confirmation.init(rawValue:)) ?? .none
        }
        self.init(
            kind: kind, intent: intent, slots: slots, utterance: envelope.context?.hark?.utterance ?? "",
            session: SessionInfo(
                id: envelope.session?.sessionId ?? body.requestId, isNew: envelope.session?.new ?? true,
                attributes: envelope.session?.attributes ?? [:]),
            confirmation: confirmation, slotConfirmations: confirmations,
            dialogState: body.dialogState.flatMap(DialogState.init(rawValue:)) ?? .started,
            area: envelope.context?.hark?.area, locale: body.locale)
    }
}

extension AlexaResponseEnvelope {
    /// The envelope for a Hark response (what ``SkillRunner`` writes).
    public init(_ response: SkillResponse, intent: String, requestID: String?, sessionID: String?) {
        var directives: [Directive] = []
        if let directive = response.directive {
            let updated = AlexaIntent(
                name: AlexaMapping.alexaName(ofIntent: intent),
                slots: response.updatedSlots.map { slots in
                    Dictionary(
                        uniqueKeysWithValues: slots.values.keys.map { name in
                            (
                                name,
                                AlexaMapping.slot(
                                    name: name, value: slots[name], spoken: slots.spoken[name],
                                    unresolved: slots.unresolved.contains(name))
                            )
                        })
                })
            switch directive {
            case .elicitSlot(let slot):
                directives.append(Directive(type: "Dialog.ElicitSlot", slotToElicit: slot, updatedIntent: updated))
            case .confirmSlot(let slot):
                directives.append(Directive(type: "Dialog.ConfirmSlot", slotToConfirm: slot, updatedIntent: updated))
            case .confirmIntent: directives.append(Directive(type: "Dialog.ConfirmIntent", updatedIntent: updated))
            case .delegate: directives.append(Directive(type: "Dialog.Delegate", updatedIntent: updated))
            }
        }
        self.init(
            sessionAttributes: response.sessionAttributes,
            response: Response(
                outputSpeech: response.speech.isEmpty ? nil : OutputSpeech(response.speech, isSSML: response.isSSML),
                reprompt: response.reprompt.map { Reprompt(outputSpeech: OutputSpeech($0, isSSML: false)) },
                shouldEndSession: response.endSession, directives: directives.isEmpty ? nil : directives),
            requestId: requestID, sessionId: sessionID, data: response.data.isEmpty ? nil : response.data)
    }

    /// The Hark response this envelope describes, apart from `Hark.InvokeIntent` directives (the host runs
    /// those). A missing `shouldEndSession` ends the session, as on an Alexa device without a screen,
    /// unless a dialog directive keeps it open.
    public func skillResponse() throws -> SkillResponse {
        if let error { throw SkillError.invalid("the skill reported an error: \(error)") }
        let body = response ?? Response()
        let (speech, isSSML) = AlexaMapping.simplified(body.outputSpeech)
        var result = SkillResponse(
            speech: speech, isSSML: isSSML,
            reprompt: body.reprompt.map {
                $0.outputSpeech.isSSML
                    ? AlexaMapping.plainText(ofSSML: $0.outputSpeech.speech) : $0.outputSpeech.speech
            },
            endSession: body.shouldEndSession ?? true, sessionAttributes: sessionAttributes, data: data ?? [:])
        for (index, directive) in (body.directives ?? []).enumerated() {
            let updated = try directive.updatedIntent.map {
                try AlexaMapping.checkedSlots($0.slots, field: "response.directives[\(index)].updatedIntent.slots")
            }
            switch directive.type {
            case "Dialog.ElicitSlot":
                guard let slot = directive.slotToElicit else {
                    throw SkillError.invalid("Dialog.ElicitSlot without 'slotToElicit'")
                }
                result = result.elicitSlot(slot, keeping: updated)
            case "Dialog.ConfirmSlot":
                guard let slot = directive.slotToConfirm else {
                    throw SkillError.invalid("Dialog.ConfirmSlot without 'slotToConfirm'")
                }
                result = result.confirmSlot(slot, keeping: updated)
            case "Dialog.ConfirmIntent": result = result.confirmIntent(keeping: updated)
            case "Dialog.Delegate":
                var delegated = SkillResponse.delegate(keeping: updated)
                delegated.sessionAttributes = result.sessionAttributes
                delegated.data = result.data
                result = delegated
            case "Hark.InvokeIntent": continue
            default: continue  // Display, AudioPlayer and other interfaces Hark does not have.
            }
        }
        return result
    }

    /// The `Hark.InvokeIntent` directives: calls of other skills' intents.
    public var invocations: [(skill: String, intent: String, slots: Slots)] {
        get throws {
            try (response?.directives ?? []).filter { $0.type == "Hark.InvokeIntent" }.map { directive in
                guard let skill = directive.skill, let intent = directive.intent else {
                    throw SkillError.invalid("Hark.InvokeIntent needs 'skill' and 'intent'")
                }
                var slots = Slots()
                for (name, value) in directive.slots ?? [:] {
                    switch value {
                    case .string(let text): slots[name] = .text(text)
                    case .number(let n): slots[name] = .number(n)
                    case .array(let items): slots[name] = .list(items.compactMap { $0.stringValue.map(SlotValue.text) })
                    case .object:
                        guard let typed = try? value.decode(SlotValue.self) else {
                            throw SkillError.invalid("Hark.InvokeIntent: slot '\(name)' is not a slot value")
                        }
                        slots[name] = typed
                    default: throw SkillError.invalid("Hark.InvokeIntent: slot '\(name)' has no value")
                    }
                    if let value = slots[name], let problem = AlexaMapping.rangeProblem(value) {
                        throw SkillError.invalid("Hark.InvokeIntent: slot '\(name)': \(problem)")
                    }
                }
                return (skill, intent, slots)
            }
        }
    }
}
