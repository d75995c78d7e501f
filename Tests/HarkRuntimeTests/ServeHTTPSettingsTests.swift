import HarkRuntime
import Testing

/// `serve:` in config.yaml and the `HOST:PORT` addresses `hark serve` listens on.
@Suite struct ServeHTTPSettingsTests {
    @Test(arguments: [
        ("127.0.0.1:8088", "127.0.0.1", 8088, true),
        ("127.3.2.1:0", "127.3.2.1", 0, true),
        ("localhost:80", "localhost", 80, true),
        ("[::1]:10400", "::1", 10400, true),
        ("0.0.0.0:8088", "0.0.0.0", 8088, false),
        ("192.168.1.20:65535", "192.168.1.20", 65535, false),
        ("[::]:1", "::", 1, false),
        ("hark.local:8088", "hark.local", 8088, false),
        ("127.0.0.256:1", "127.0.0.256", 1, false),
    ])
    func addressesAreReadAndLoopbackIsKnown(text: String, host: String, port: Int, loopback: Bool) throws {
        let address = try ServeAddress.parse(text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.isLoopback == loopback)
        #expect(try ServeAddress.parse(address.description) == address)
    }

    @Test(arguments: ["8088", "127.0.0.1", "127.0.0.1:", ":8088", "127.0.0.1:65536", "127.0.0.1:-1", "::1:80", "[::1]8080", "a b:1", ""])
    func whatIsNotHostAndPortIsRefused(text: String) {
        #expect(throws: ServeAddressError.self) { try ServeAddress.parse(text) }
    }

    @Test func theSectionIsReadWithDefaults() throws {
        #expect(try HarkConfiguration.parse("", file: "c.yaml").serve == ServeSettings())
        let settings = try HarkConfiguration.parse(
            "serve:\n  http: 0.0.0.0:9000\n  wyoming: '[::1]:10400'\n  token: abc\n  max_body_bytes: 2048\n", file: "c.yaml"
        ).serve
        #expect(settings.http == ServeAddress(host: "0.0.0.0", port: 9000))
        #expect(settings.wyoming == ServeAddress(host: "::1", port: 10400))
        #expect(settings.token == "abc")
        #expect(settings.maxBodyBytes == 2048)
    }

    @Test(arguments: [
        ("serve:\n  htp: 1.2.3.4:5\n", "c.yaml:2: unknown key 'serve.htp' (known in serve: http, max_body_bytes, token, wyoming)"),
        ("serve:\n  http: localhost\n", "c.yaml: serve.http: 'localhost' is not HOST:PORT"),
        ("serve:\n  wyoming: x:99999\n", "c.yaml: serve.wyoming: 'x:99999' is not HOST:PORT"),
        ("serve:\n  token: '  '\n", "c.yaml: serve.token: must not be empty"),
        ("serve:\n  max_body_bytes: 10\n", "c.yaml: serve.max_body_bytes: must be from 1024"),
        ("serve:\n  max_body_bytes: lots\n", "c.yaml: serve.max_body_bytes"),
    ])
    func aBadSectionIsAnErrorNamingTheKey(config: String, message: String) {
        do {
            _ = try HarkConfiguration.parse(config, file: "c.yaml")
            Issue.record("accepted \(config)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }
}
