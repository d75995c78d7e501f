import Foundation
import Logging

/// Serves a Swift ``Skill`` as an `entry: exec` program: one Alexa request envelope per line on standard
/// input, one response envelope per line on standard output, logs on standard error.
///
/// ```swift
/// @main struct Main {
///     static func main() async { await SkillRunner.serve(HelloSkill()) }
/// }
/// ```
///
/// The skill's context comes from the process's environment, as Hark starts it: `HARK_SKILL_ID`,
/// `HARK_SKILL_DATA` (its private folder, where ``FileSkillStorage`` keeps its key-value storage), the
/// reply templates in `responses/en.yaml` of the current folder (the skill's folder), the settings Hark
/// sends in each request, and a clock stopped at the request's timestamp (so Hark's tests are reproducible).
public enum SkillRunner {
    /// Answers requests until standard input ends.
    public static func serve(_ skill: some Skill) async {
        let environment = ProcessInfo.processInfo.environment
        let logger = Logger(label: "hark.skill.\(skill.id)", factory: { StreamLogHandler.standardError(label: $0) })
        let dataDirectory = environment["HARK_SKILL_DATA"] ?? FileManager.default.currentDirectoryPath + "/.data"
        let responses: ResponseTemplates
        do {
            responses =
                FileManager.default.fileExists(atPath: "responses/en.yaml")
                ? try ResponseTemplates.load(path: "responses/en.yaml") : ResponseTemplates()
        } catch {
            logger.error("\(error)")
            responses = ResponseTemplates()
        }
        let storage = FileSkillStorage(path: dataDirectory + "/storage.json")
        while let line = readLine(strippingNewline: true) {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let answer = await answer(
                line, skill: skill, logger: logger, dataDirectory: dataDirectory, storage: storage,
                responses: responses)
            FileHandle.standardOutput.write(Data((answer + "\n").utf8))
        }
    }

    /// The response line for one request line (an `error` envelope when the request or the skill fails).
    public static func answer(
        _ line: String, skill: some Skill, logger: Logger, dataDirectory: String, storage: any SkillStorage,
        responses: ResponseTemplates
    ) async -> String {
        var requestID: String?
        var sessionID: String?
        let envelope: AlexaResponseEnvelope
        do {
            let request = try JSONDecoder().decode(AlexaRequestEnvelope.self, from: Data(line.utf8))
            requestID = request.request.requestId
            sessionID = request.session?.sessionId
            let harkRequest = try SkillRequest(alexa: request)
            let context = SkillContext(
                skillID: skill.id, storage: storage, dataDirectory: dataDirectory,
                settings: request.context?.hark?.settings ?? [:], clock: FixedClock(request.date ?? Date()),
                logger: logger, responses: responses, skills: DirectiveOnlyInvoker())
            let response = try await skill.handle(harkRequest, context: context)
            envelope = AlexaResponseEnvelope(
                response, intent: harkRequest.intent, requestID: requestID, sessionID: sessionID)
        } catch {
            logger.error("\(error)")
            envelope = AlexaResponseEnvelope(
                response: nil, requestId: requestID, sessionId: sessionID, error: "\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(envelope), as: UTF8.self))
            ?? #"{"version":"1.0","error":"the response could not be encoded"}"#
    }
}

/// The invoker of a skill served by ``SkillRunner``: an out-of-process skill calls other skills with the
/// `Hark.InvokeIntent` response directive instead (see the skill authors' guide).
struct DirectiveOnlyInvoker: SkillInvoker {
    func invoke(skill: String, intent: String, slots: Slots) async throws -> SkillResponse {
        throw SkillError.invalid(
            "an exec skill calls \(skill).\(intent) with a Hark.InvokeIntent directive in its response")
    }
}

/// Key-value storage in one JSON file, for skills that run outside Hark's process (``SkillRunner``).
/// Each write replaces the file atomically.
public actor FileSkillStorage: SkillStorage {
    /// The JSON file.
    public let path: String
    private var cache: [String: JSONValue]?

    public init(path: String) {
        self.path = path
    }

    public func value(forKey key: String) async throws -> JSONValue? { try load()[key] }

    public func setValue(_ value: JSONValue?, forKey key: String) async throws {
        var all = try load()
        all[key] = value
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(all).write(to: URL(fileURLWithPath: path), options: .atomic)
        cache = all
    }

    public func keys() async throws -> [String] { try load().keys.sorted() }

    private func load() throws -> [String: JSONValue] {
        if let cache { return cache }
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        do {
            let all = try JSONDecoder().decode([String: JSONValue].self, from: data)
            cache = all
            return all
        } catch {
            throw SkillError.invalid("\(path): not a JSON object of stored values (\(error))")
        }
    }
}
