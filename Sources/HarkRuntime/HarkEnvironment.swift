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

    /// Opens the database and builds the assistant with the active skills (``HarkConfiguration/skillSelection``):
    /// the built-in ones and those in the skills directories. A skill that is not active is not even built.
    /// - Parameter devicesFile: a device registry that replaces the configured one (`--devices`).
    /// - Throws: ``UnknownSkillsError`` when the selection names a skill that is not installed.
    public func makeAssistant(devicesFile: String? = nil) throws -> Assistant {
        try paths.ensureDataDirectory()
        let selection = configuration.skillSelection
        let thirdParty = scanSkillDirectories(reservedIDs: Set(BuiltinSkills.ids))
        let installed = installedSkillIDs(thirdParty)
        let unknown = selection.unknownIDs(installed: installed)
        guard unknown.isEmpty else {
            throw UnknownSkillsError(unknown: unknown, installed: installed.sorted(), configFile: paths.configFile)
        }
        let database = try HarkDatabase(path: paths.database)
        var options = AssistantOptions(dataDirectory: paths.dataDirectory)
        options.sessionTimeout = configuration.sessionTimeout
        options.sessionRetention = configuration.sessionRetentionDays * 86_400
        options.skillSettings = configuration.skillSettings
        options.statisticalFallback = configuration.statisticalFallback
        options.cacheDirectory = paths.cacheDirectory
        options.clock = try Self.clock()
        let builtins = try BuiltinSkills.ids.filter(selection.isActive).map {
            try BuiltinSkills.make(id: $0, database: database, configuration: configuration, devicesFile: devicesFile)
        }
        for problem in thirdParty.problems { options.logger.warning("skill not installed: \(problem.message)") }
        let others = thirdParty.skills.filter { selection.isActive($0.id) }
        return try Assistant(skills: builtins + others, database: database, options: options)
    }

    /// The clock the skills use: stopped at `HARK_NOW` when it is set (ISO 8601, `2026-01-01T10:00:00Z`), so that
    /// tests and transcripts can fix the time across processes; else the system's clock.
    public static func clock(environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> any SkillClock {
        guard let text = env["HARK_NOW"], !text.isEmpty else { return SystemClock() }
        guard let now = ISO8601DateFormatter().date(from: text) else {
            throw SkillError.invalid("HARK_NOW is '\(text)': write an ISO 8601 time, like 2026-01-01T10:00:00Z")
        }
        return FixedClock(now, calendar: Calendar.current)
    }

    /// The ids of every installed skill, active or not: the built-in ones, the third-party ones and those whose
    /// folder could not be installed (so that naming a broken skill in the selection is not "unknown").
    public func installedSkillIDs(_ scan: SkillDirectoryScan? = nil) -> Set<String> {
        let scan = scan ?? scanSkillDirectories(reservedIDs: Set(BuiltinSkills.ids))
        return Set(BuiltinSkills.ids).union(scan.skills.map(\.id)).union(scan.problems.compactMap(\.id))
    }

    /// The skills directories: `skills_directories` from the configuration, else `DATA/skills`.
    public var skillsDirectories: [String] { configuration.skillsDirectories ?? [paths.dataDirectory + "/skills"] }

    /// Third-party skills (exec, http) in the skills directories, and the folders that could not be installed.
    public func scanSkillDirectories(reservedIDs: Set<String> = []) -> SkillDirectoryScan {
        SkillDirectoryLoader(
            dataDirectory: paths.dataDirectory, settings: configuration.skillSettings, reservedIDs: reservedIDs,
            settingsFile: paths.configFile
        ).scan(skillsDirectories)
    }
}

/// A skill selection (`enabled_skills`, `disabled_skills`, `--skills`) that names skills which are not installed.
public struct UnknownSkillsError: Error, CustomStringConvertible {
    /// The names that match no installed skill.
    public var unknown: [String]
    /// The installed skills' ids.
    public var installed: [String]
    /// The configuration file the selection may come from.
    public var configFile: String

    public var description: String {
        "no installed skill is called \(unknown.map { "'\($0)'" }.joined(separator: ", ")) (installed: "
            + "\(installed.joined(separator: ", "))); check --skills, or enabled_skills and disabled_skills in \(configFile)"
    }
}
