import HarkRuntime
import Testing

/// `satellites:` in config.yaml: a typed list of `{uri: tcp://HOST:PORT, area: …}`, every mistake an error with the
/// file and line.
struct SatelliteConfigurationTests {
    let file = "/etc/hark/config.yaml"

    @Test func satellitesAreRead() throws {
        let config = try HarkConfiguration.parse(
            """
            wake_phrase: hey hark
            satellites:
              - { uri: tcp://192.168.1.20:10700, area: Kitchen }
              - uri: tcp://[fe80::1]:10701
            """, file: file)
        #expect(
            config.satellites == [
                .init(host: "192.168.1.20", port: 10700, area: "Kitchen"),
                .init(host: "fe80::1", port: 10701, area: nil),
            ])
        #expect(config.satellites.first?.uri == "tcp://192.168.1.20:10700")
        #expect(try HarkConfiguration.parse("wake_phrase: hey hark", file: file).satellites.isEmpty)
    }

    @Test(arguments: [
        (
            "satellites:\n  - { uri: tcp://a:1, room: Kitchen }",
            "config.yaml:2: unknown key 'satellites.room' (known in satellites: area, uri)"
        ),
        ("satellites:\n  - { area: Kitchen }", "config.yaml:2: satellites[0]: uri is missing"),
        (
            "satellites:\n  - { uri: http://a:10700 }",
            "config.yaml:2: satellites[0]: uri 'http://a:10700' is not tcp://HOST:PORT"
        ),
        ("satellites:\n  - { uri: tcp://a:0 }", "is not tcp://HOST:PORT with a port from 1 to 65535"),
        ("satellites:\n  - { uri: tcp://a }", "is not tcp://HOST:PORT"),
        ("satellites:\n  - { uri: 'tcp://:10700' }", "is not tcp://HOST:PORT"),
        ("satellites:\n  - { uri: tcp://a:1, area: ' ' }", "config.yaml:2: satellites[0]: area must not be blank"),
        (
            "satellites:\n  - { uri: tcp://a:1 }\n  - { uri: tcp://a:1 }",
            "config.yaml:3: satellites[1]: tcp://a:1 is listed twice"
        ),
        ("satellites: tcp://a:1", "satellites"),
    ])
    func mistakesAreErrorsWithTheLine(text: String, message: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try HarkConfiguration.parse(text, file: file) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
