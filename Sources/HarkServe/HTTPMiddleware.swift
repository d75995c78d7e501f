import Foundation
import Hummingbird
import Logging
import NIOCore

/// A refusal with an HTTP status and a sentence saying why; the body is `{"error": "…"}`.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: ["error": message], options: [.sortedKeys, .withoutEscapingSlashes])
        var response = Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data + [10])))
        response.headers[.contentType] = "application/json"
        return response
    }
}

/// Turns every error into a JSON `{"error": "…"}` answer: Hummingbird's own (404, 405, 413) and any unexpected one
/// (500, its details in the log, not the answer).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? Self.sentence(for: error.status, request: request))
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is over the limit (serve.max_body_bytes)")
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, Self.sentence(for: error.status, request: request))
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            throw APIError(.internalServerError, "internal error (the server's log says more)")
        }
    }

    static func sentence(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "no such endpoint: \(request.method) \(request.uri.path) (see docs/openapi.yaml)"
        case .methodNotAllowed: "\(request.uri.path) does not take \(request.method)"
        default: status.reasonPhrase
        }
    }
}

/// With a token, every request but `/healthz` must carry `Authorization: Bearer TOKEN`; else 401.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    var token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard token != nil, request.uri.path != "/healthz" else { return try await next(request, context) }
        guard Self.authorized(request, token: token) else {
            var error = APIError(
                .unauthorized,
                request.headers[.authorization] == nil
                    ? "this server needs a token: send Authorization: Bearer <serve.token>"
                    : "wrong token: send Authorization: Bearer <serve.token>")
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
        return try await next(request, context)
    }

    /// True without a token, or when the request carries it (compared in constant time).
    static func authorized(_ request: Request, token: String?) -> Bool {
        guard let token else { return true }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst("Bearer ".count).utf8)
        let expected = Array(token.utf8)
        var difference = given.count ^ expected.count
        for index in 0..<given.count { difference |= Int(given[index] ^ expected[index % max(1, expected.count)]) }
        return difference == 0
    }
}

/// One structured log line per request: method, path, status, milliseconds.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    var logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        var metadata: Logger.Metadata = [
            "method": "\(request.method)", "path": "\(request.uri.path)", "request": "\(context.id)",
        ]
        do {
            let response = try await next(request, context)
            metadata["status"] = "\(response.status.code)"
            metadata["ms"] = "\(Self.milliseconds(since: started))"
            logger.info("request", metadata: metadata)
            return response
        } catch {
            metadata["status"] = "\((error as? any HTTPResponseError)?.status.code ?? 500)"
            metadata["ms"] = "\(Self.milliseconds(since: started))"
            metadata["error"] = "\(error)"
            logger.info("request", metadata: metadata)
            throw error
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        return String(format: "%.1f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
}
