import Foundation
import HarkAssistant
import HarkSkillKit
import ShoppingSkill
import SmartHomeSkill
import Synchronization

/// Dash buttons (`buttons:` in config.yaml): MQTT buttons on the smart home's broker (`skills.smarthome.mqtt`) whose
/// press reorders a product through the shopping skill (``ShoppingSkill/buttonPressed(topic:reorder:context:)``: the
/// spending cap applies, a second press within a minute is ignored, the order is said at the next request). Runs
/// beside `hark listen` and `hark serve` until ``stop()``; while the broker cannot be reached it tries again every
/// few seconds.
public final class DashButtons: Sendable {
    private let buttons: [HarkConfiguration.ButtonConfiguration]
    private let broker: MQTTBrokerSettings
    private let assistant: @Sendable () async -> Assistant
    private let report: @Sendable (String) -> Void
    private let state = Mutex<(subscription: MQTTSubscription?, stopped: Bool)>((nil, false))

    /// Seconds between two tries to reach the broker.
    static let retryInterval: Double = 3

    /// Starts listening for the configured buttons; nil when there are none.
    /// - Parameters:
    ///   - assistant: the assistant whose shopping skill a press goes to (asked at each press: it may be reloaded).
    ///   - report: hears a line for each press and each broker problem (the CLI prints it).
    /// - Throws: when `skills.smarthome.mqtt` is malformed.
    public static func start(
        configuration: HarkConfiguration, assistant: @escaping @Sendable () async -> Assistant,
        report: @escaping @Sendable (String) -> Void
    ) throws -> DashButtons? {
        guard !configuration.buttons.isEmpty else { return nil }
        let broker = try MQTTBrokerSettings(settings: configuration.skillSettings["smarthome"] ?? [:])
        let buttons = DashButtons(
            buttons: configuration.buttons, broker: broker, assistant: assistant, report: report)
        buttons.connect()
        return buttons
    }

    private init(
        buttons: [HarkConfiguration.ButtonConfiguration], broker: MQTTBrokerSettings,
        assistant: @escaping @Sendable () async -> Assistant, report: @escaping @Sendable (String) -> Void
    ) {
        self.buttons = buttons
        self.broker = broker
        self.assistant = assistant
        self.report = report
    }

    /// Disconnects; presses after this are not heard.
    public func stop() {
        let subscription = state.withLock { state in
            state.stopped = true
            defer { state.subscription = nil }
            return state.subscription
        }
        subscription?.close()
    }

    /// Connects on a thread of its own (the client's connect blocks up to the broker's timeout), trying again until
    /// it succeeds or ``stop()`` is called.
    private func connect() {
        let topics = Array(Set(buttons.map(\.topic))).sorted()
        let thread = Thread { [self] in
            var reported = false
            while !state.withLock({ $0.stopped }) {
                do {
                    let subscription = try MQTTSubscription(
                        broker: broker, topics: topics, clientID: "hark-buttons-\(UUID().uuidString.prefix(8))"
                    ) { [weak self] topic, payload in self?.received(topic: topic, payload: payload) }
                    let kept = state.withLock { state -> Bool in
                        guard !state.stopped else { return false }
                        state.subscription = subscription
                        return true
                    }
                    if !kept { subscription.close() }
                    report("buttons: listening on \(topics.joined(separator: ", ")) at \(broker.host):\(broker.port)")
                    return
                } catch {
                    if !reported { report("buttons: \(error); trying again every \(Int(Self.retryInterval)) s") }
                    reported = true
                    Thread.sleep(forTimeInterval: Self.retryInterval)
                }
            }
        }
        thread.name = "hark.buttons"
        thread.start()
    }

    /// A message on a button's topic: a press when its JSON `action` is the button's (as zigbee2mqtt sends).
    private func received(topic: String, payload: [UInt8]) {
        let action = ((try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any])?["action"] as? String
        for button in buttons where button.topic == topic && button.action == action {
            Task { await press(button) }
        }
    }

    private func press(_ button: HarkConfiguration.ButtonConfiguration) async {
        let name = "button \(button.topic) (\(button.action))"
        do {
            let said = try await assistant().withSkill("shopping") { skill, context in
                guard let shopping = skill as? ShoppingSkill else {
                    throw SkillError.invalid("the skill 'shopping' is not Hark's shopping skill")
                }
                return try await shopping.buttonPressed(topic: button.topic, reorder: button.reorder, context: context)
            }
            report("\(name): " + (said ?? "pressed again within \(Int(ShoppingSkill.buttonRepeatWindow)) s, ignored"))
        } catch {
            report("\(name): not ordered: \(error)")
        }
    }
}
