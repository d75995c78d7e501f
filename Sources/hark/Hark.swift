import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `hark` command: the voice assistant's front door.
@main
struct Hark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hark",
        abstract: "Hark: an offline voice assistant for Linux.",
        discussion: """
            Every command takes --log-level trace|debug|info|notice|warning|error|critical (default: log_level in \
            the configuration, else info); the log goes to standard error.
            """,
        subcommands: [
            ListenCommand.self, DemoCommand.self, AskCommand.self, ChatCommand.self, SkillsCommand.self,
            TranscribeCommand.self, SayCommand.self, DoctorCommand.self, RunCommand.self, WyomingDevCommand.self,
        ]
    )

    /// Runs the command with a private umask: every file Hark (or a skill it starts) creates is readable by
    /// its user alone (files 0600, folders 0700), so the database and skill data never are world-readable.
    static func main() async {
        _ = umask(0o077)
        do {
            var arguments = Array(CommandLine.arguments.dropFirst())
            HarkLogging.bootstrap(flag: try HarkLogging.takeFlag(from: &arguments))
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
