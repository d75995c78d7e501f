import HarkSkillKit

/// What a Wyoming service offers, as the `info` event describes it (the fields of `wyoming.info`: programs with
/// `name`, `description`, `attribution {name, url}`, `installed`, `version`, and their models or voices with
/// `languages`).
public struct WyomingInfo: Sendable, Equatable {
    /// One model (or voice) of a program.
    public struct Model: Sendable, Equatable {
        public var name: String
        public var description: String
        public var languages: [String]
        public var attribution: Attribution
        public var version: String?
        /// For a wake model: the words to say (`phrase` in newer `wyoming` releases; older readers skip it).
        public var phrase: String?

        public init(
            name: String, description: String, languages: [String], attribution: Attribution, version: String?,
            phrase: String? = nil
        ) {
            self.name = name
            self.description = description
            self.languages = languages
            self.attribution = attribution
            self.version = version
            self.phrase = phrase
        }
    }

    /// Who made a program or model.
    public struct Attribution: Sendable, Equatable {
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// One program: a speech recognizer, a synthesizer, an intent recognizer, a conversation agent, a wake detector.
    public struct Program: Sendable, Equatable {
        public var name: String
        public var description: String
        public var attribution: Attribution
        public var version: String?
        public var models: [Model]

        public init(name: String, description: String, attribution: Attribution, version: String?, models: [Model]) {
            self.name = name
            self.description = description
            self.attribution = attribution
            self.version = version
            self.models = models
        }
    }

    public var asr: [Program] = []
    public var tts: [Program] = []
    public var intent: [Program] = []
    public var handle: [Program] = []
    public var wake: [Program] = []

    public init() {}

    /// The `info` event.
    public var event: WyomingEvent {
        WyomingEvent(
            type: "info",
            data: [
                "asr": .array(asr.map { Self.json($0, models: "models") }),
                "tts": .array(tts.map { Self.json($0, models: "voices") }),
                "intent": .array(intent.map { Self.json($0, models: "models") }),
                "handle": .array(handle.map { Self.json($0, models: "models") }),
                "wake": .array(wake.map { Self.json($0, models: "models") }),
            ])
    }

    private static func artifact(
        name: String, description: String, attribution: Attribution, version: String?
    ) -> [String: JSONValue] {
        [
            "name": .string(name), "description": .string(description), "installed": .bool(true),
            "attribution": .object(["name": .string(attribution.name), "url": .string(attribution.url)]),
            "version": version.map(JSONValue.string) ?? .null,
        ]
    }

    private static func json(_ program: Program, models key: String) -> JSONValue {
        var object = artifact(
            name: program.name, description: program.description, attribution: program.attribution,
            version: program.version)
        object[key] = .array(
            program.models.map { model in
                var json = artifact(
                    name: model.name, description: model.description, attribution: model.attribution,
                    version: model.version)
                json["languages"] = .array(model.languages.map(JSONValue.string))
                if let phrase = model.phrase { json["phrase"] = .string(phrase) }
                return .object(json)
            })
        return .object(object)
    }
}
