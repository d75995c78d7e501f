import ArgumentParser

/// The `hark` command: the voice assistant's front door.
@main
struct Hark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hark",
        abstract: "Hark: an offline voice assistant for Linux.",
        subcommands: [
            ListenCommand.self, DemoCommand.self, AskCommand.self, ChatCommand.self, SkillsCommand.self,
            TranscribeCommand.self, SayCommand.self, DoctorCommand.self, RunCommand.self,
        ]
    )
}
