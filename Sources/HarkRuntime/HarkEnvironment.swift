import Foundation
import HarkAssistant
import HarkSkillHost
import HarkSkillKit

/// This machine's Hark: where its files are, its configuration, and how to assemble the assistant.
public struct HarkEnvironment: Sendable {
    public var paths: HarkPaths
    public var configuration: HarkConfiguration

    public init(paths: HarkPaths, configuration: HarkConfiguration) {
        self.paths = paths
        self.configuration = configuration
    }

    /// Paths from `HARK_HOME`/XDG and the configuration file found there.
    public static func fromEnvironment() throws -> HarkEnvironment {
        let paths = HarkPaths.fromEnvironment()
        return HarkEnvironment(paths: paths, configuration: try HarkConfiguration.load(path: paths.configFile))
    }

    /// Opens the database and builds the assistant with every built-in skill.
    /// - Parameter devicesFile: a device registry that replaces the configured one (`--devices`).
    public func makeAssistant(devicesFile: String? = nil) throws -> Assistant {
        try paths.ensureDataDirectory()
        let database = try HarkDatabase(path: paths.database)
        var options = AssistantOptions(dataDirectory: paths.dataDirectory)
        options.sessionTimeout = configuration.sessionTimeout
        options.skillSettings = configuration.skillSettings
        let skills = try BuiltinSkills.make(
            database: database, configuration: configuration, devicesFile: devicesFile)
        let thirdParty = scanSkillDirectories(reservedIDs: Set(skills.map(\.id)))
        for problem in thirdParty.problems { options.logger.warning("skill not installed: \(problem.message)") }
        return try Assistant(skills: skills + thirdParty.skills, database: database, options: options)
    }

    /// The skills directories: `skills_directories` from the configuration, else `DATA/skills`.
    public var skillsDirectories: [String] { configuration.skillsDirectories ?? [paths.dataDirectory + "/skills"] }

    /// Third-party skills (exec, http) in the skills directories, and the folders that could not be installed.
    public func scanSkillDirectories(reservedIDs: Set<String> = []) -> SkillDirectoryScan {
        SkillDirectoryLoader(
            dataDirectory: paths.dataDirectory, settings: configuration.skillSettings, reservedIDs: reservedIDs
        ).scan(skillsDirectories)
    }
}
