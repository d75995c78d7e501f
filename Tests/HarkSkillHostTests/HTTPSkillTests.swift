import Foundation
import HarkAssistant
import HarkSkillHost
import HarkSkillKit
import HarkSkillTesting
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// `entry: http` skills against a real local HTTP server.
@Suite struct HTTPSkillTests {
    /// Answers by path: /ok, /slow (never), /huge (10 MB), /other-session, /fail (HTTP 500).
    final class SkillServerHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private var path = ""
        private var body = ByteBuffer()

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                body.clear()
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end:
                let request = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
                let requestID = (request?["request"] as? [String: Any])?["requestId"] as? String ?? ""
                let sessionID = (request?["session"] as? [String: Any])?["sessionId"] as? String ?? ""
                let intent =
                    ((request?["request"] as? [String: Any])?["intent"] as? [String: Any])?["name"] as? String ?? ""
                var status = HTTPResponseStatus.ok
                var text: String
                switch path {
                case "/slow": return
                case "/huge": text = "{\"version\":\"" + String(repeating: "x", count: 10_000_000) + "\"}"
                case "/other-session":
                    text =
                        #"{"version":"1.0","sessionId":"intruder","response":{"outputSpeech":{"type":"PlainText","text":"hi"}}}"#
                case "/fail":
                    status = .internalServerError
                    text = "boom"
                default:
                    text =
                        #"{"version":"1.0","requestId":"\#(requestID)","sessionId":"\#(sessionID)","response":{"outputSpeech":{"type":"PlainText","text":"web says \#(intent)"}}}"#
                }
                var head = HTTPResponseHead(version: .http1_1, status: status)
                head.headers.add(name: "Content-Length", value: String(text.utf8.count))
                head.headers.add(name: "Content-Type", value: "application/json")
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    static func startServer() async throws -> (Channel, Int) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(SkillServerHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, channel.localAddress!.port!)
    }

    static func scenario(path: String) async throws -> (
        reply: AssistantReply, health: SkillHealth, good: AssistantReply, goodMs: Double
    ) {
        let (server, port) = try await startServer()
        defer { server.close(promise: nil) }
        let folders = try SkillFolders()
        defer { folders.remove() }
        try folders.write(
            "web",
            manifest:
                "id: web\nname: Web\nentry: http\nurl: http://127.0.0.1:\(port)\(path)\ntimeout: \(path == "/slow" ? 0.5 : 5)\n"
        )
        try folders.write("good", program: SkillFolders.goodProgram("good"))
        let (tester, scan) = try folders.makeTester()
        defer { tester.close() }
        #expect(scan.problems.isEmpty, "\(scan.problems)")
        _ = await tester.ask("good test", session: "warm")
        let reply = await tester.ask("web greet ada", session: "s-web")
        let health = await SkillDirectoryScan.health(of: try #require(scan.skills.first { $0.id == "web" }))
        let start = ContinuousClock.now
        let good = await tester.ask("good test", session: "s-good")
        return (reply, health, good, milliseconds(since: start))
    }

    @Test func aWebSkillAnswers() async throws {
        let result = try await Self.scenario(path: "/ok")
        #expect(result.reply.reply == "web says Greet")
        #expect(result.health == .healthy)
    }

    @Test(arguments: [
        ("/slow", "no answer within 0.5 s"),
        ("/huge", "answer larger than 1048576 bytes"),
        ("/other-session", "answered for session intruder, not s-web"),
        ("/fail", "answered HTTP 500: boom"),
    ])
    func aBrokenWebSkillCostsOneApology(path: String, reason: String) async throws {
        let result = try await Self.scenario(path: path)
        #expect(result.reply.reply.contains("ran into a problem"), "\(result.reply.reply)")
        #expect("\(result.health)".contains(reason), "\(result.health)")
        #expect(result.good.reply == "good is fine")
        let skillMs = result.good.timings["skill"] ?? .infinity
        #expect(
            skillMs < 1000 && result.goodMs < 3000, "the good skill took \(skillMs) ms (\(result.goodMs) ms in all)")
    }

    @Test func anUnreachableServer() async throws {
        let folders = try SkillFolders()
        defer { folders.remove() }
        try folders.write("web", manifest: "id: web\nname: Web\nentry: http\nurl: http://127.0.0.1:9/\n")
        let (tester, scan) = try folders.makeTester()
        defer { tester.close() }
        #expect(await tester.ask("web test").reply.contains("ran into a problem"))
        #expect("\(await SkillDirectoryScan.health(of: scan.skills[0]))".contains("cannot reach http://127.0.0.1:9/"))
    }
}
