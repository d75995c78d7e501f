import ArgumentParser
import Foundation
import HarkAssistant
import HarkRuntime

/// Options for commands that talk to the assistant in text.
struct AssistantOptionsGroup: ParsableArguments {
    @Option(help: "Area the request comes from, e.g. \"Living Room\" (for \"turn on the lights in here\").")
    var area: String?
    @Option(help: "A device registry to use (Hark YAML or Home Assistant fixtures JSON).")
    var devices: String?
    @Option(
        help: ArgumentHelp(
            "Only these skills listen (ids, comma-separated; built-in ones included), instead of enabled_skills and "
                + "disabled_skills from the configuration.", valueName: "ID,ID"))
    var skills: String?

    func validate() throws {
        if let skills, SkillSelection.only(skills).enabled?.isEmpty != false {
            throw ValidationError("--skills: name at least one skill id (hark skills list shows them)")
        }
    }

    /// This machine's environment, with `--skills` in place of the configured selection.
    func environment() throws -> HarkEnvironment {
        var environment = try HarkEnvironment.fromEnvironment()
        if let skills { environment.configuration.skillSelection = .only(skills) }
        return environment
    }

    /// The assistant for this machine's configuration and data folder.
    func makeAssistant() throws -> Assistant {
        try environment().makeAssistant(devicesFile: devices)
    }
}

/// `hark ask "TEXT"`: one request through understanding, dialog and skill.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask Hark something in text.",
        discussion: """
            With --session ID, successive calls continue one conversation (sessions are kept under HARK_HOME).
            With --batch, reads one request per line from standard input and writes one JSON object per line.
            """)

    @Argument(help: "What to ask.") var text: String?
    @Flag(help: "Print the full result as JSON (text, skill, intent, slots, reply, endSession, confidence, timings).")
    var json = false
    @Option(help: "Continue (or start) the conversation with this id.") var session: String?
    @Flag(help: "Read one request per line from standard input; write one JSON object per line.") var batch = false
    @OptionGroup var assistantOptions: AssistantOptionsGroup

    func validate() throws {
        if batch && text != nil { throw ValidationError("give either TEXT or --batch, not both") }
        if !batch && text == nil { throw ValidationError("say what to ask: hark ask \"add milk to my shopping list\"") }
    }

    func run() async throws {
        let assistant = try assistantOptions.makeAssistant()
        if batch {
            while let line = readLine(strippingNewline: true) {
                let reply = await assistant.respond(to: line, sessionID: session, area: assistantOptions.area)
                print(try reply.jsonText())
                fflush(nil)
            }
        } else {
            let reply = await assistant.respond(to: text ?? "", sessionID: session, area: assistantOptions.area)
            if json {
                print(try reply.jsonText())
            } else {
                print(reply.reply)
            }
        }
        await assistant.shutdown()
    }
}

/// `hark chat`: a multi-turn conversation at the terminal.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Talk to Hark in text, turn after turn. Type 'quit' or Ctrl-D to leave.")

    @Flag(name: .shortAndLong, help: "Show intent, slots, score and timings after each reply.") var verbose = false
    @Option(help: "Conversation id (default: a new one).") var session: String?
    @OptionGroup var assistantOptions: AssistantOptionsGroup

    func run() async throws {
        let assistant = try assistantOptions.makeAssistant()
        let id = session ?? "chat-\(UUID().uuidString.prefix(8).lowercased())"
        let interactive = isatty(STDIN_FILENO) != 0
        if interactive { print("Hark is listening (type 'quit' to leave).") }
        while true {
            if interactive {
                print("you> ", terminator: "")
                fflush(nil)
            }
            guard let line = readLine(strippingNewline: true) else { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if ["quit", "exit", ":q"].contains(trimmed.lowercased()) { break }
            let reply = await assistant.respond(to: line, sessionID: id, area: assistantOptions.area)
            print("hark> \(reply.reply)")
            if verbose {
                let slots = reply.slots.keys.sorted().map { "\($0)=\(reply.slots[$0]!.description)" }
                    .joined(separator: " ")
                let timings = ["understand", "dialog", "skill", "total"].compactMap { key in
                    reply.timings[key].map { "\(key) \(String(format: "%.2f", $0)) ms" }
                }.joined(separator: ", ")
                print(
                    "      [\(reply.skill ?? "hark")/\(reply.intent ?? "-") \(slots) score \(String(format: "%.2f", reply.confidence))"
                        + "\(reply.endSession ? "" : ", waiting for an answer") | \(timings)]")
            }
            fflush(nil)
        }
        await assistant.shutdown()
    }
}
