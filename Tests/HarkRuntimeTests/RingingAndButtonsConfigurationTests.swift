import HarkRuntime
import Testing

/// `ringing:` in config.yaml (how a timer or alarm rings in `hark listen`) and `buttons:` (Dash buttons over MQTT).
@Suite struct RingingAndButtonsConfigurationTests {
    let file = "/home/me/.config/hark/config.yaml"

    @Test func theSectionIsReadWithDefaults() throws {
        #expect(try HarkConfiguration.parse("", file: file).ringing == HarkConfiguration.RingingSettings())
        #expect(try HarkConfiguration.parse("", file: file).ringing.limit == 300)
        let set = try HarkConfiguration.parse("ringing: { pause: 1.5, limit: 60 }", file: file).ringing
        #expect(set.pause == 1.5 && set.limit == 60)
    }

    @Test(arguments: [
        ("ringing: { limit: 0 }", "ringing.limit: must be above 0"),
        ("ringing: { pause: -1 }", "ringing.pause: must be from 0 to 600"),
        ("ringing: { every: 3 }", "unknown key 'ringing.every'"),
        ("buttons: [{ reorder: coffee }]", "buttons[0]: topic is missing"),
        ("buttons: [{ topic: zigbee2mqtt/+, reorder: coffee }]", "has a wildcard"),
        ("buttons: [{ topic: a/b }]", "buttons[0]: reorder is missing"),
        ("buttons: [{ topic: a/b, reorder: tea }, { topic: a/b, action: single, reorder: tea }]", "listed twice"),
        ("buttons: [{ topic: a/b, reorder: tea, colour: red }]", "unknown key 'buttons.colour'"),
    ])
    func mistakesAreErrors(text: String, message: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try HarkConfiguration.parse(text, file: file) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func buttonsAreReadWithTheActionSingleByDefault() throws {
        let config = try HarkConfiguration.parse(
            """
            buttons:
              - { topic: zigbee2mqtt/kitchen_button, action: single, reorder: coffee }
              - { topic: zigbee2mqtt/hall_button, reorder: tea }
            """, file: file)
        #expect(
            config.buttons == [
                .init(topic: "zigbee2mqtt/kitchen_button", action: "single", reorder: "coffee"),
                .init(topic: "zigbee2mqtt/hall_button", action: "single", reorder: "tea"),
            ])
    }
}
