import Foundation
import HarkSkillKit

/// Writes a new skill folder that works and passes its own tests (`hark skills new`), in Python (standard
/// library only), shell (bash only) or Swift (a SwiftPM package using ``SkillRunner`` from HarkSkillKit).
///
/// Every scaffold has the same behaviour, so the same tests fit: "ask NAME to say hello [to PERSON]"
/// greets and offers to say it again; "yes" says it again to the same person (a session attribute).
public struct SkillScaffold: Sendable {
    /// The language of the skill's program.
    public enum Language: String, Sendable, CaseIterable {
        case python, shell, swift
    }

    /// The skill's id (also the folder name by default).
    public var id: String
    public var language: Language
    /// For Swift: the folder of Hark's package, which the skill's package depends on by path.
    public var harkPackage: String?

    public init(id: String, language: Language, harkPackage: String? = nil) {
        self.id = id
        self.language = language
        self.harkPackage = harkPackage
    }

    /// The words users say to address the skill: `weather-jokes` → `weather jokes`.
    public var spokenName: String {
        id.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    }

    /// Checks the id and writes the folder (which must not exist or be empty); returns the files written.
    public func write(to folder: String) throws -> [String] {
        guard id.range(of: "^[a-z][a-z]*([-_][a-z]+)*$", options: .regularExpression) != nil else {
            throw SkillError.invalid(
                "'\(id)' is not a usable skill name: use lower-case words joined by '-', e.g. weather-jokes "
                    + "(they are what users say)")
        }
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw SkillError.invalid("\(folder): already exists and is not empty")
        }
        var files = commonFiles
        switch language {
        case .python: files["skill.py"] = pythonProgram
        case .shell: files["skill.sh"] = shellProgram
        case .swift:
            guard let harkPackage else { throw SkillError.invalid("a Swift skill needs the path of Hark's package") }
            files["Package.swift"] = swiftPackage(harkPackage: harkPackage)
            files["Sources/\(swiftTarget)/\(swiftTarget).swift"] = swiftProgram
            files[".gitignore"] = ".build/\n"
        }
        for (path, text) in files {
            let full = folder + "/" + path
            try fm.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
            if path.hasSuffix(".py") || path.hasSuffix(".sh") {
                try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full)
            }
        }
        return files.keys.sorted()
    }

    /// The command in skill.yaml.
    var command: String {
        switch language {
        case .python: return "[python3, skill.py]"
        case .shell: return "[bash, skill.sh]"
        case .swift: return "[.build/debug/\(swiftTarget)]"
        }
    }

    /// The Swift target: `weather-jokes` → `WeatherJokesSkill`.
    var swiftTarget: String {
        id.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            + "Skill"
    }

    var commonFiles: [String: String] {
        let build = language == .swift ? "\n# Build the program first: swift build (in this folder).\n" : ""
        return [
            "skill.yaml": """
            id: \(id)
            name: \(spokenName.capitalized)
            version: 0.1.0
            description: Says hello. Written in \(language.rawValue); change everything.
            entry: exec\(build.isEmpty ? "" : "\n" + build.trimmingCharacters(in: .newlines))
            command: \(command)
            timeout: 8

            """,
            "intents/en.yaml": """
            # Sentences people say to this skill. {person} is any words (a wildcard).
            language: en
            intents:
              Hello:
                data:
                  - sentences:
                      - "(ask | tell) \(spokenName) to say (hello | hi) [to {person}]"
                      - "\(spokenName) say (hello | hi) [to {person}]"
            lists:
              person: { wildcard: true }

            """,
            "responses/en.yaml": """
            # Reply wordings (the Swift scaffold renders these; the others carry their own).
            responses:
              hello: "Hello, {person}! Shall I say it again?"
              again: "Hello again, {person}!"
              bye: "Okay, bye."
              reprompt: "Say yes or no."

            """,
            "tests/en.yaml": """
            # Run with: hark skills test .
            sentences:
              - text: ask \(spokenName) to say hello
                intent: Hello
              - text: ask \(spokenName) to say hello to ada lovelace
                intent: Hello
                slots: { person: ada lovelace }
              - text: \(spokenName) say hi to grace
                intent: Hello
                slots: { person: grace }
              - text: what time is it in tokyo
                intent: null
            dialogs:
              - name: greets, then again on yes
                turns:
                  - user: ask \(spokenName) to say hello to ada
                    reply: hello, ada! shall i say it again
                    open: true
                  - user: yes
                    reply: hello again, ada
                    open: false
              - name: stops on no
                turns:
                  - user: ask \(spokenName) to say hello
                    reply: hello, world
                    open: true
                  - user: no
                    reply: okay, bye
                    open: false

            """,
        ]
    }

    var pythonProgram: String {
        #"""
        #!/usr/bin/env python3
        """The \#(id) skill for Hark: Alexa-style JSON, one request per line in, one response per line out.

        Standard library only. Logs go to standard error; standard output carries only responses.
        """
        import json
        import sys


        def respond(text, end_session=True, attributes=None):
            response = {"outputSpeech": {"type": "PlainText", "text": text}, "shouldEndSession": end_session}
            if not end_session:
                response["reprompt"] = {"outputSpeech": {"type": "PlainText", "text": "Say yes or no."}}
            return {"version": "1.0", "sessionAttributes": attributes or {}, "response": response}


        def handle(event):
            request = event["request"]
            if request["type"] != "IntentRequest":
                return {"version": "1.0", "response": {}}
            intent = request["intent"]
            attributes = (event.get("session") or {}).get("attributes") or {}
            if intent["name"] == "Hello":
                person = ((intent.get("slots") or {}).get("person") or {}).get("value") or "world"
                return respond("Hello, %s! Shall I say it again?" % person, end_session=False,
                               attributes={"person": person})
            if intent["name"] == "AMAZON.YesIntent":
                return respond("Hello again, %s!" % attributes.get("person", "world"))
            return respond("Okay, bye.")


        def main():
            for line in sys.stdin:
                if not line.strip():
                    continue
                event = json.loads(line)
                try:
                    answer = handle(event)
                except Exception as error:
                    print("\#(id): %r" % error, file=sys.stderr)
                    answer = {"version": "1.0", "error": repr(error)}
                answer["requestId"] = event["request"]["requestId"]
                answer["sessionId"] = (event.get("session") or {}).get("sessionId")
                sys.stdout.write(json.dumps(answer) + "\n")
                sys.stdout.flush()


        if __name__ == "__main__":
            main()

        """#
    }

    var shellProgram: String {
        #"""
        #!/usr/bin/env bash
        # The \#(id) skill for Hark, in bash alone: one Alexa-style JSON request per line on stdin, one
        # response per line on stdout. Hark writes requests with sorted keys and no spaces, which keeps the
        # field extraction below simple. Logs go to stderr.
        set -u

        # The first string value of "KEY":"…" in $1 (JSON escapes inside the value are not decoded).
        field() { [[ $1 =~ \"$2\":\"([^\"]*)\" ]] && printf '%s' "${BASH_REMATCH[1]}"; }
        # The value of slot $2 in request $1.
        slot() { [[ $1 =~ \"$2\":\{[^}]*\"value\":\"([^\"]*)\" ]] && printf '%s' "${BASH_REMATCH[1]}"; }
        # $1 as a JSON string.
        quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

        # respond TEXT END_SESSION ATTRIBUTES_JSON
        respond() {
            local reprompt=""
            [[ $2 == false ]] && reprompt=',"reprompt":{"outputSpeech":{"type":"PlainText","text":"Say yes or no."}}'
            printf '{"version":"1.0","requestId":%s,"sessionId":%s,"sessionAttributes":%s,"response":{"outputSpeech":{"type":"PlainText","text":%s},"shouldEndSession":%s%s}}\n' \
                "$(quote "$request_id")" "$(quote "$session_id")" "$3" "$(quote "$1")" "$2" "$reprompt"
        }

        while IFS= read -r line; do
            [[ -z $line ]] && continue
            request_id=$(field "$line" requestId)
            session_id=$(field "$line" sessionId)
            type=$(field "$line" type)
            if [[ ! $line =~ \"type\":\"IntentRequest\" ]]; then
                printf '{"version":"1.0","requestId":%s,"sessionId":%s,"response":{}}\n' \
                    "$(quote "$request_id")" "$(quote "$session_id")"
                continue
            fi
            [[ $line =~ \"intent\":\{\"confirmationStatus\":\"[A-Z]*\",\"name\":\"([^\"]*)\" ]] && intent=${BASH_REMATCH[1]} || intent=""
            case $intent in
                Hello)
                    person=$(slot "$line" person)
                    person=${person:-world}
                    respond "Hello, $person! Shall I say it again?" false "{\"person\":$(quote "$person")}"
                    ;;
                AMAZON.YesIntent)
                    [[ $line =~ \"attributes\":\{\"person\":\"([^\"]*)\" ]] && person=${BASH_REMATCH[1]} || person=world
                    respond "Hello again, $person!" true "{}"
                    ;;
                *)
                    respond "Okay, bye." true "{}"
                    ;;
            esac
            echo "\#(id): answered $intent" >&2
        done

        """#
    }

    func swiftPackage(harkPackage: String) -> String {
        let identity = URL(fileURLWithPath: harkPackage).lastPathComponent.lowercased()
        return """
            // swift-tools-version:6.0
            // The \(id) skill: a Swift program Hark runs (entry: exec), built on HarkSkillKit.
            import PackageDescription

            let package = Package(
                name: "\(swiftTarget)",
                platforms: [.macOS(.v14)],
                dependencies: [.package(path: "\(harkPackage)")],
                targets: [
                    .executableTarget(
                        name: "\(swiftTarget)",
                        dependencies: [.product(name: "HarkSkillKit", package: "\(identity)")])
                ]
            )

            """
    }

    var swiftProgram: String {
        """
        import HarkSkillKit

        /// The \(id) skill: greets someone, and greets them again on "yes".
        struct \(swiftTarget): Skill {
            let id = "\(id)"

            func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
                guard request.kind == .intent else { return .speak("") }
                switch request.intent {
                case "Hello":
                    let person = request.slots.text("person") ?? "world"
                    return .speak(try context.responses.render("hello", ["person": person]))
                        .reprompt(try context.responses.render("reprompt"))
                        .remembering(["person": .string(person)])
                case "Yes":
                    let person = request.session.attributes["person"]?.stringValue ?? "world"
                    return .speak(try context.responses.render("again", ["person": person]))
                default:
                    return .speak(try context.responses.render("bye"))
                }
            }
        }

        @main
        struct Main {
            static func main() async {
                await SkillRunner.serve(\(swiftTarget)())
            }
        }

        """
    }

    /// `run.py`: runs a skill written with the ASK SDK for Python under Hark (the same file as
    /// `Examples/Skills/hello-ask/run.py`).
    public static let askRunner = #"""
        #!/usr/bin/env python3
        """Runs an Alexa skill written with Amazon's ASK SDK for Python under Hark, unchanged.

        Hark (entry: exec) writes one Alexa request envelope per line on standard input and reads one response
        envelope per line from standard output. This runner imports the skill's module (named on the command
        line, default `lambda_function`), finds its Lambda entry point (`lambda_handler`, `handler`, or a
        SkillBuilder called `sb`), and calls it once per line exactly as AWS Lambda would: handler(event, None).

        Usage in skill.yaml:   command: [python3, run.py, hello_skill]
        """
        import importlib
        import json
        import os
        import sys
        import traceback


        def find_entry_point(module):
            for name in ("lambda_handler", "handler"):
                function = getattr(module, name, None)
                if callable(function):
                    return function
            builder = getattr(module, "sb", None)
            if builder is not None and hasattr(builder, "lambda_handler"):
                return builder.lambda_handler()
            raise SystemExit("%s: no lambda_handler, handler or sb (SkillBuilder) to call" % module.__name__)


        def main():
            protocol = sys.stdout
            sys.stdout = sys.stderr  # a stray print() in a handler must not corrupt the protocol
            sys.path.insert(0, os.getcwd())
            module_name = sys.argv[1] if len(sys.argv) > 1 else "lambda_function"
            entry_point = find_entry_point(importlib.import_module(module_name))
            for line in sys.stdin:
                if not line.strip():
                    continue
                request_id = session_id = None
                try:
                    event = json.loads(line)
                    request_id = event.get("request", {}).get("requestId")
                    session_id = (event.get("session") or {}).get("sessionId")
                    answer = entry_point(event, None)
                except Exception as error:  # the skill's own failure: Hark apologises and logs it
                    traceback.print_exc(file=sys.stderr)
                    answer = {"version": "1.0", "error": "%s: %s" % (type(error).__name__, error)}
                answer["requestId"] = request_id
                answer["sessionId"] = session_id
                protocol.write(json.dumps(answer) + "\n")
                protocol.flush()


        if __name__ == "__main__":
            main()

        """#
}
