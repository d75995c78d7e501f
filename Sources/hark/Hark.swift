import ArgumentParser

@main
struct Hark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hark", abstract: "An offline voice assistant.")
    func run() async throws { print("hark") }
}
