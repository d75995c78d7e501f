import Foundation
import HarkSkillKit
import HarkSpeech
import Yams

/// Hark's settings, read from `config.yaml`. Every setting has a default that works with no file.
///
/// ```yaml
/// wake_phrase: hey hark
/// voice: { name: en-us, rate: 175, pitch: 50 }
/// audio: { capture_device: default, playback_device: default }
/// speech: { acoustic_model: /usr/share/pocketsphinx/model/en-us/en-us, dictionary: …, language_model: … }
/// session_timeout: 600
/// statistical_fallback: true          # understand paraphrases the templates miss (IntentClassifier)
/// session_retention_days: 30          # sessions idle longer are deleted
/// log_level: info                      # trace, debug, info, notice, warning, error or critical
/// skills_directories: [~/my-skills]    # third-party skill folders (default: DATA/skills)
/// enabled_skills: [barista, shopping]   # only these skills listen (default: every installed skill)
/// disabled_skills: [recipes]            # these skills do not
/// serve: { http: 127.0.0.1:8088, token: "…", max_body_bytes: 10485760 }   # hark serve (ServeSettings)
/// ringing: { pause: 3, limit: 300 }     # hark listen: seconds between rings of a timer or alarm, and when it gives up
/// buttons:                              # Dash buttons on the smart home's MQTT broker (hark listen and hark serve)
///   - { topic: zigbee2mqtt/kitchen_button, action: single, reorder: coffee }
/// skills:
///   shopping: { purchase_code: "1234", spending_cap: 150, currency: GBP }
///   weather: { location: London, units: metric }
///   smarthome: { devices_file: /etc/hark/devices.json, mqtt: { host: 127.0.0.1, port: 1883 } }
/// satellites:                           # wyoming-satellite devices Hark is the hub for (`hark serve`)
///   - { uri: tcp://192.168.1.20:10700, area: Kitchen }
/// ```
public struct HarkConfiguration: Sendable, Equatable {
    /// The phrase that wakes Hark in `hark listen`.
    public var wakePhrase: String = "hey hark"
    /// The eSpeak NG voice Hark answers with.
    public var voice: Voice = Voice()
    /// ALSA device names.
    public var audio: AudioSettings = AudioSettings()
    /// PocketSphinx model locations.
    public var speechModels: SpeechModelPaths = .debianDefault
    /// Each skill's settings, by skill id (`skills: { shopping: { purchase_code: "1234" } }`).
    public var skillSettings: [String: [String: JSONValue]] = [:]
    /// A conversation idle longer than this starts over (seconds).
    public var sessionTimeout: Double = 600
    /// Whether requests no template matches go to the statistical fallback (`statistical_fallback:`).
    public var statisticalFallback = true
    /// Sessions idle longer than this many days are deleted from the database (`session_retention_days`).
    public var sessionRetentionDays: Double = 30
    /// The least severe log messages shown (`log_level:`, one of ``logLevels``); nil: `info`, or `--log-level`.
    public var logLevel: String?
    /// Folders of third-party skill folders (`skills_directories: [~/my-skills]`); nil: `DATA/skills`.
    public var skillsDirectories: [String]?
    /// Which installed skills are active (`enabled_skills:` / `disabled_skills:`, or `--skills`).
    public var skillSelection = SkillSelection()
    /// `hark serve`'s settings (`serve:`).
    public var serve = ServeSettings()
    /// The `wyoming-satellite` devices Hark is the hub for (`satellites:`), in order.
    public var satellites: [SatelliteConfiguration] = []
    /// How a timer or alarm that goes off rings in `hark listen` (`ringing:`).
    public var ringing = RingingSettings()
    /// Dash buttons (`buttons:`), in order.
    public var buttons: [ButtonConfiguration] = []

    /// One `buttons:` entry: a press (a message on `topic` whose JSON `action` is `action`, as zigbee2mqtt sends)
    /// reorders `reorder` through the shopping skill.
    public struct ButtonConfiguration: Sendable, Equatable {
        public var topic: String
        public var action: String
        public var reorder: String

        public init(topic: String, action: String = "single", reorder: String) {
            self.topic = topic
            self.action = action
            self.reorder = reorder
        }
    }

    public init() {}

    /// `ringing:`: the seconds of quiet between two rings, and how long ringing nobody answers goes on.
    public struct RingingSettings: Sendable, Equatable {
        public var pause: Double = 3
        public var limit: Double = 300

        public init() {}
    }

    /// One `satellites:` entry: a `wyoming-satellite` at `tcp://HOST:PORT`, and the area it is in.
    public struct SatelliteConfiguration: Sendable, Equatable {
        /// The host name or address.
        public var host: String
        /// The TCP port (`wyoming-satellite` listens on 10700 by default).
        public var port: Int
        /// The area requests from it are about ("turn on the lights in here"), nil for none.
        public var area: String?

        public init(host: String, port: Int, area: String? = nil) {
            self.host = host
            self.port = port
            self.area = area
        }

        /// `tcp://HOST:PORT`.
        public var uri: String { "tcp://\(host):\(port)" }

        /// Parses `tcp://HOST:PORT` (an IPv6 address in brackets); nil when it is not one.
        public static func parse(uri: String) -> (host: String, port: Int)? {
            guard uri.hasPrefix("tcp://") else { return nil }
            let rest = uri.dropFirst("tcp://".count)
            let host: Substring
            let portText: Substring
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                    return nil
                }
                host = rest[rest.index(after: rest.startIndex)..<close]
                portText = rest[rest.index(close, offsetBy: 2)...]
            } else {
                guard let colon = rest.lastIndex(of: ":") else { return nil }
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            }
            guard !host.isEmpty, !host.contains("/"), !host.contains(" "), let port = Int(portText),
                (1...65535).contains(port)
            else { return nil }
            return (String(host), port)
        }
    }

    /// ALSA capture and playback device names.
    public struct AudioSettings: Sendable, Equatable, Codable {
        /// Capture device (microphone).
        public var captureDevice: String = "default"
        /// Playback device (speaker).
        public var playbackDevice: String = "default"

        public init() {}

        enum CodingKeys: String, CodingKey {
            case captureDevice = "capture_device"
            case playbackDevice = "playback_device"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            captureDevice = try c.decodeIfPresent(String.self, forKey: .captureDevice) ?? "default"
            playbackDevice = try c.decodeIfPresent(String.self, forKey: .playbackDevice) ?? "default"
        }
    }

    /// Loads the file at `path`; a missing file gives the defaults, a malformed one a ``ConfigurationError``.
    public static func load(path: String) throws -> HarkConfiguration {
        guard FileManager.default.fileExists(atPath: path) else { return HarkConfiguration() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw ConfigurationError(file: path, message: "cannot read the file as UTF-8 text") }
        return try parse(text, file: path)
    }

    /// The keys Hark reads, by section (`""` is the top level); `skills:` holds each skill's own settings.
    static let knownKeys: [String: Set<String>] = [
        "": [
            "wake_phrase", "voice", "audio", "speech", "skills", "session_timeout", "session_retention_days",
            "skills_directories", "enabled_skills", "disabled_skills", "log_level", "statistical_fallback",
            "serve", "satellites", "ringing", "buttons",
        ],
        "ringing": ["pause", "limit"],
        "buttons": ["topic", "action", "reorder"],
        "serve": ServeSettings.knownKeys,
        "voice": ["name", "rate", "pitch"],
        "audio": ["capture_device", "playback_device"],
        "speech": ["acoustic_model", "dictionary", "language_model"],
        "satellites": ["uri", "area"],
    ]

    /// Sections that are lists of mappings, each checked against the section's known keys.
    static let listSections: Set<String> = ["satellites", "buttons"]

    /// The log levels `log_level:` and `--log-level` accept, most verbose first.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Throws for a key Hark does not read (a typo would otherwise be silently ignored), with its line.
    static func checkKeys(_ text: String, file: String) throws {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { return }  // the decoder reports syntax errors
        guard let mapping = root?.mapping else { return }
        func check(_ mapping: Node.Mapping, section: String) throws {
            let known = knownKeys[section] ?? []
            for (key, value) in mapping {
                let name = key.string ?? "?"
                let path = section.isEmpty ? name : section + "." + name
                guard known.contains(name) else {
                    let line = key.mark.map { ":\($0.line)" } ?? ""
                    throw ConfigurationError(
                        file: file + line,
                        message: "unknown key '\(path)' (known\(section.isEmpty ? "" : " in " + section): "
                            + "\(known.sorted().joined(separator: ", ")))")
                }
                if section.isEmpty, knownKeys[name] != nil, let inner = value.mapping { try check(inner, section: name) }
                if section.isEmpty, listSections.contains(name), let items = value.sequence {
                    for item in items {
                        if let inner = item.mapping { try check(inner, section: name) }
                    }
                }
            }
        }
        try check(mapping, section: "")
    }

    /// Parses configuration YAML; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws -> HarkConfiguration {
        try checkKeys(text, file: file)
        let raw: RawConfiguration
        do {
            raw = try YAMLDecoder().decode(RawConfiguration.self, from: text.isEmpty ? "{}" : text)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, message: "\(error)".replacingOccurrences(of: "\n", with: " "))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigurationError(file: file, message: "\(key.isEmpty ? "top level" : key): \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(missing, context) {
            // A value YAML reads as absent (an alias to nothing, a tag it cannot resolve) where a value belongs.
            let key = (context.codingPath + [missing]).map(\.stringValue).joined(separator: ".")
            throw ConfigurationError(file: file, message: "\(key): no usable value")
        } catch {
            throw ConfigurationError(file: file, message: "\(error)".replacingOccurrences(of: "\n", with: " "))
        }
        var config = HarkConfiguration()
        if let wake = raw.wake_phrase {
            guard !wake.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigurationError(file: file, message: "wake_phrase: must not be empty")
            }
            config.wakePhrase = wake
        }
        if let voice = raw.voice {
            config.voice.name = voice.name ?? config.voice.name
            config.voice.rate = try inRange(voice.rate, rateRange, "voice.rate", file: file) ?? config.voice.rate
            config.voice.pitch = try inRange(voice.pitch, pitchRange, "voice.pitch", file: file) ?? config.voice.pitch
        }
        if let audio = raw.audio { config.audio = audio }
        if let skills = raw.skills { config.skillSettings = skills }
        config.skillsDirectories = raw.skills_directories?.map { NSString(string: $0).expandingTildeInPath }
        if let timeout = raw.session_timeout {
            guard timeout > 0, timeout <= sessionTimeoutLimit else {
                throw ConfigurationError(
                    file: file, message: "session_timeout: must be a number of seconds above 0, at most \(Int(sessionTimeoutLimit))")
            }
            config.sessionTimeout = timeout
        }
        if let fallback = raw.statistical_fallback { config.statisticalFallback = fallback }
        if let days = raw.session_retention_days {
            guard days > 0, days <= 3650 else {
                throw ConfigurationError(file: file, message: "session_retention_days: must be a number of days above 0, at most 3650")
            }
            config.sessionRetentionDays = days
        }
        if let level = raw.log_level {
            guard logLevels.contains(level) else {
                throw ConfigurationError(
                    file: file, message: "log_level: '\(level)' is not one of \(logLevels.joined(separator: ", "))")
            }
            config.logLevel = level
        }
        if let enabled = raw.enabled_skills {
            guard !enabled.isEmpty else {
                throw ConfigurationError(
                    file: file, message: "enabled_skills: an empty list would leave no skill to answer; leave it out")
            }
            config.skillSelection.enabled = Set(enabled)
        }
        config.skillSelection.disabled = Set(raw.disabled_skills ?? [])
        config.satellites = try satellites(raw.satellites ?? [], text: text, file: file)
        if let speech = raw.speech {
            config.speechModels.acousticModel = speech.acoustic_model ?? config.speechModels.acousticModel
            config.speechModels.dictionary = speech.dictionary ?? config.speechModels.dictionary
            config.speechModels.languageModel = speech.language_model ?? config.speechModels.languageModel
        }
        if let serve = raw.serve { config.serve = try ServeSettings.parse(serve, file: file) }
        config.buttons = try buttons(raw.buttons ?? [], file: file)
        if let ringing = raw.ringing {
            for (value, key, path) in [(ringing.pause, "pause", \RingingSettings.pause), (ringing.limit, "limit", \.limit)] {
                guard let value else { continue }
                // A pause may be nothing; a limit must be something, at most a day.
                guard key == "pause" ? (0...600).contains(value) : value > 0 && value <= 86_400 else {
                    let allowed = key == "pause" ? "from 0 to 600 seconds" : "above 0, at most 86400 seconds"
                    throw ConfigurationError(file: file, message: "ringing.\(key): must be \(allowed), not \(value)")
                }
                config.ringing[keyPath: path] = value
            }
        }
        return config
    }

    /// The `satellites:` entries, checked: a `tcp://HOST:PORT` uri each, an area that is not blank, no satellite
    /// twice. Errors name the entry's line.
    private static func satellites(_ raw: [RawSatellite], text: String, file: String) throws -> [SatelliteConfiguration] {
        // The line of each entry, for the errors.
        let items = (try? Yams.compose(yaml: text))?.flatMap { $0.mapping?["satellites"]?.sequence }.map(Array.init)
        var result: [SatelliteConfiguration] = []
        for (index, entry) in raw.enumerated() {
            let line = items.flatMap { index < $0.count ? $0[index].mark.map { ":\($0.line)" } : nil } ?? ""
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError(file: file + line, message: "satellites[\(index)]: \(message)")
            }
            guard let uri = entry.uri else { throw fail("uri is missing (tcp://HOST:PORT, e.g. tcp://192.168.1.20:10700)") }
            guard let (host, port) = SatelliteConfiguration.parse(uri: uri) else {
                throw fail("uri '\(uri)' is not tcp://HOST:PORT with a port from 1 to 65535")
            }
            if let area = entry.area, area.trimmingCharacters(in: .whitespaces).isEmpty {
                throw fail("area must not be blank; leave it out for none")
            }
            let satellite = SatelliteConfiguration(host: host, port: port, area: entry.area)
            guard !result.contains(where: { $0.host == host && $0.port == port }) else {
                throw fail("\(satellite.uri) is listed twice")
            }
            result.append(satellite)
        }
        return result
    }

    /// The `buttons:` entries, checked: a topic without wildcards, something to reorder, no topic and action twice.
    private static func buttons(_ raw: [RawButton], file: String) throws -> [ButtonConfiguration] {
        var result: [ButtonConfiguration] = []
        for (index, entry) in raw.enumerated() {
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError(file: file, message: "buttons[\(index)]: \(message)")
            }
            guard let topic = entry.topic?.trimmingCharacters(in: .whitespaces), !topic.isEmpty,
                !topic.contains("+"), !topic.contains("#")
            else { throw fail("topic is missing or has a wildcard (e.g. topic: zigbee2mqtt/kitchen_button)") }
            guard let item = entry.reorder?.trimmingCharacters(in: .whitespaces), !item.isEmpty else {
                throw fail("reorder is missing: what a press orders (e.g. reorder: coffee)")
            }
            let button = ButtonConfiguration(topic: topic, action: entry.action ?? "single", reorder: item)
            guard !result.contains(where: { $0.topic == topic && $0.action == button.action }) else {
                throw fail("\(topic) with action \(button.action) is listed twice")
            }
            result.append(button)
        }
        return result
    }

    /// Speaking rates eSpeak NG accepts, in words a minute.
    static let rateRange = 80...450
    /// Pitches eSpeak NG accepts.
    static let pitchRange = 0...100
    /// The longest `session_timeout`: a week.
    static let sessionTimeoutLimit: Double = 7 * 86_400

    private static func inRange(_ value: Int?, _ range: ClosedRange<Int>, _ field: String, file: String) throws -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            throw ConfigurationError(
                file: file, message: "\(field): must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
        return value
    }

    private struct RawConfiguration: Decodable {
        var wake_phrase: String?
        var voice: RawVoice?
        var audio: AudioSettings?
        var speech: RawSpeech?
        var skills: [String: [String: JSONValue]]?
        var session_timeout: Double?
        var statistical_fallback: Bool?
        var session_retention_days: Double?
        var log_level: String?
        var skills_directories: [String]?
        var enabled_skills: [String]?
        var disabled_skills: [String]?
        var serve: ServeSettings.Raw?
        var satellites: [RawSatellite]?
        var ringing: RawRinging?
        var buttons: [RawButton]?
    }
    private struct RawButton: Decodable {
        var topic: String?
        var action: String?
        var reorder: String?
    }
    private struct RawRinging: Decodable {
        var pause: Double?
        var limit: Double?
    }
    private struct RawSatellite: Decodable {
        var uri: String?
        var area: String?
    }
    private struct RawVoice: Decodable {
        var name: String?
        var rate: Int?
        var pitch: Int?
    }
    private struct RawSpeech: Decodable {
        var acoustic_model: String?
        var dictionary: String?
        var language_model: String?
    }
}

/// A configuration file that could not be used, with the file and the problem.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// The configuration file.
    public var file: String
    /// What is wrong with it.
    public var message: String

    public var description: String { "\(file): \(message)" }
}
