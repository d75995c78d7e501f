import Foundation
import HarkAssistant
import HarkSkillKit
import HarkUnderstanding

/// One skill's side of the Alexa-envelope conversation: encodes Hark's requests, checks and decodes the
/// answers, and runs the answers' `Hark.InvokeIntent` directives through the caller's permissions.
struct AlexaExchange: Sendable {
    let skillID: String
    /// The slot names each intent's sentences can fill (Alexa sends every declared slot, empty or not).
    let declaredSlots: [String: [String]]
    /// Exec skills answer on a shared stream, so they must echo the request id.
    let requiresRequestID: Bool

    init(package: SkillPackage, requiresRequestID: Bool) {
        skillID = package.manifest.id
        declaredSlots = Self.slotNames(of: package.templates)
        self.requiresRequestID = requiresRequestID
    }

    /// The request line or body, and its id.
    func encode(_ request: SkillRequest, context: SkillContext) throws -> (body: Data, requestID: String) {
        let requestID = "hark.request.\(UUID().uuidString.lowercased())"
        let envelope = AlexaRequestEnvelope(
            request, skillID: skillID, requestID: requestID, now: context.clock.now,
            declaredSlots: declaredSlots[request.intent] ?? [], settings: context.settings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try encoder.encode(envelope), requestID)
    }

    /// The answer's envelope, checked: JSON, for this request and session.
    func decode(_ data: Data, requestID: String, sessionID: String) throws -> AlexaResponseEnvelope {
        let envelope: AlexaResponseEnvelope
        do {
            envelope = try JSONDecoder().decode(AlexaResponseEnvelope.self, from: data)
        } catch {
            throw SkillHostError.notJSON(Array(data), problem: Self.describe(error), skill: skillID)
        }
        if let got = envelope.requestId, got != requestID {
            throw SkillHostError.wrongRequest(expected: requestID, got: got, skill: skillID)
        }
        if envelope.requestId == nil && requiresRequestID {
            throw SkillHostError.wrongRequest(expected: requestID, got: nil, skill: skillID)
        }
        if let got = envelope.sessionId, got != sessionID {
            throw SkillHostError.wrongSession(expected: sessionID, got: got, skill: skillID)
        }
        if let message = envelope.error { throw SkillHostError.reported(message, skill: skillID) }
        return envelope
    }

    /// The Hark response: the envelope's speech and directives, then any `Hark.InvokeIntent` calls (checked
    /// against the manifest's permissions by the assistant); their replies are spoken after the skill's own.
    func response(from envelope: AlexaResponseEnvelope, context: SkillContext) async throws -> SkillResponse {
        var response: SkillResponse
        let invocations: [(skill: String, intent: String, slots: Slots)]
        do {
            response = try envelope.skillResponse()
            invocations = try envelope.invocations
        } catch {
            throw SkillHostError.directive("\(error)", skill: skillID)
        }
        for call in invocations {
            let invoked = try await context.skills.invoke(skill: call.skill, intent: call.intent, slots: call.slots)
            let said = invoked.isSSML ? AlexaMapping.plainText(ofSSML: invoked.speech) : invoked.speech
            let own = response.isSSML ? AlexaMapping.plainText(ofSSML: response.speech) : response.speech
            if !said.isEmpty {
                response.speech = [own, said].filter { !$0.isEmpty }.joined(separator: " ")
                response.isSSML = false
            }
            response.data["\(call.skill).\(call.intent)"] = .object(invoked.data)
        }
        return response
    }

    /// A decoding error in one line: the member and the problem.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "malformed JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default: return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Slot names by intent: every `{slot}` or `{list:slot}` its sentences (and the rules they use) mention.
    static func slotNames(of templates: SkillTemplates) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for intent in templates.intents {
            var names = Set<String>()
            var seenRules = Set<String>()
            var texts = intent.data.flatMap { $0.sentences.map(\.text) }
            while let text = texts.popLast() {
                for reference in references(in: text, open: "{", close: "}") {
                    names.insert(String(reference.split(separator: ":").last ?? Substring(reference)))
                }
                for rule in references(in: text, open: "<", close: ">") where seenRules.insert(rule).inserted {
                    if let body = templates.expansionRules[rule] { texts.append(body.text) }
                }
            }
            for block in intent.data { names.formUnion(block.fixedSlots.keys) }
            result[intent.name] = names.sorted()
        }
        return result
    }

    private static func references(in text: String, open: Character, close: Character) -> [String] {
        var found: [String] = []
        var current: String?
        for ch in text {
            if ch == open {
                current = ""
            } else if ch == close, let name = current {
                found.append(name)
                current = nil
            } else if current != nil {
                current!.append(ch)
            }
        }
        return found
    }
}
