import AsyncHTTPClient
import Foundation
import HarkAssistant
import HarkSkillKit
import Logging
import NIOCore
import NIOHTTP1

/// A skill whose handler is a web service (`entry: http`): each request is an HTTP POST of the Alexa
/// request envelope (JSON) to the manifest's URL, and the response body is the response envelope.
///
/// The same limits as ``ExecSkill``: a time limit per request, an answer cap, a rest after failures (a
/// request during it fails at once), health for `hark skills list`. Requests run concurrently: the
/// service, not Hark, decides how many it serves at once.
public struct HTTPSkill: HostedSkill {
    public let id: String
    /// The URL requests are posted to.
    public let url: String
    let exchange: AlexaExchange
    let state: HTTPSkillState
    let client: HTTPClient

    /// A skill served at `url`, using `client` (the shared client by default).
    public init(
        package: SkillPackage, url: String, options: SkillHostOptions = SkillHostOptions(), client: HTTPClient = .shared
    ) {
        id = package.manifest.id
        self.url = url
        exchange = AlexaExchange(package: package, requiresRequestID: false)
        state = HTTPSkillState(skill: package.manifest.id, options: options)
        self.client = client
    }

    public var health: SkillHealth { get async { await state.health } }

    /// Nothing to release: the HTTP client is shared.
    public func shutdown() async {}

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let options = try await state.begin()
        do {
            let (body, requestID) = try exchange.encode(request, context: context)
            var post = HTTPClientRequest(url: url)
            post.method = .POST
            post.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            post.headers.add(name: "Accept", value: "application/json")
            post.body = .bytes(ByteBuffer(bytes: body))
            let data = try await send(post, options: options)
            let envelope = try exchange.decode(data, requestID: requestID, sessionID: request.session.id)
            await state.succeeded()
            return try await exchange.response(from: envelope, context: context)
        } catch {
            await state.failed(error)
            throw error
        }
    }

    private func send(_ post: HTTPClientRequest, options: SkillHostOptions) async throws -> Data {
        let timeout = TimeAmount.nanoseconds(Int64(options.timeout.seconds * 1e9))
        let response: HTTPClientResponse
        var body: ByteBuffer
        do {
            response = try await client.execute(post, timeout: timeout)
            body = try await response.body.collect(upTo: options.maxAnswerBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw SkillHostError.timedOut(seconds: options.timeout.seconds, skill: id)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw SkillHostError.tooLarge(limit: options.maxAnswerBytes, skill: id)
        } catch {
            throw SkillHostError.unreachable(url: url, message: "\(error)", skill: id)
        }
        let data = Data(body.readBytes(length: body.readableBytes) ?? [])
        guard response.status == .ok else {
            let excerpt = String(decoding: data.prefix(120), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw SkillHostError.httpStatus(url: url, status: Int(response.status.code), excerpt: excerpt, skill: id)
        }
        return data
    }
}

/// The health and restart pauses of one HTTP skill.
actor HTTPSkillState {
    let skill: String
    private var schedule: RestartSchedule

    init(skill: String, options: SkillHostOptions) {
        self.skill = skill
        schedule = RestartSchedule(options: options)
    }

    var health: SkillHealth { schedule.health }

    /// The options for a request; throws while the service rests after failures.
    func begin() throws -> SkillHostOptions {
        try schedule.checkAvailable(skill: skill)
        return schedule.options
    }

    func succeeded() { schedule.succeeded() }
    func failed(_ error: any Error) { schedule.failed(error) }
}
