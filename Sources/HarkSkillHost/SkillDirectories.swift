import AsyncHTTPClient
import Foundation
import HarkAssistant
import HarkSkillKit
import Logging

/// A skill folder that could not be installed, with the precise reason.
public struct SkillLoadProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The skill folder.
    public var folder: String
    /// The skill's id, when the manifest could be read.
    public var id: String?
    /// What is wrong (file, line and problem).
    public var message: String

    public init(folder: String, id: String? = nil, message: String) {
        self.folder = folder
        self.id = id
        self.message = message
    }

    public var description: String { message }
}

/// What the skills directories hold: skills ready to install, and folders that could not be installed.
public struct SkillDirectoryScan: Sendable {
    /// Skills to hand to the assistant.
    public var skills: [InstalledSkill]
    /// Folders that could not be installed (start-up goes on without them).
    public var problems: [SkillLoadProblem]

    public init(skills: [InstalledSkill] = [], problems: [SkillLoadProblem] = []) {
        self.skills = skills
        self.problems = problems
    }

    /// The health of an installed skill's handler (unhealthy problems are listed in ``problems``).
    public static func health(of skill: InstalledSkill) async -> SkillHealth {
        if let hosted = skill.handler as? any HostedSkill { return await hosted.health }
        return .ready
    }
}

/// Reads third-party skills (`entry: exec` and `entry: http`) from skills directories: every folder with
/// a `skill.yaml` (others are skipped) becomes an ``InstalledSkill`` run by ``ExecSkill`` or ``HTTPSkill``;
/// a folder with a malformed manifest or template, a missing program, or an id already taken, becomes a
/// ``SkillLoadProblem`` instead of stopping start-up.
public struct SkillDirectoryLoader: Sendable {
    /// Hark's data folder; each exec skill gets `DATA/skill-data/ID` as its private folder and HOME.
    public var dataDirectory: String
    /// Per-skill settings (`timeout` overrides skill.yaml's).
    public var settings: [String: [String: JSONValue]]
    /// The file the settings come from, named in errors.
    public var settingsFile: String
    /// Limits for every skill.
    public var options: SkillHostOptions
    /// Ids already taken (built-in skills).
    public var reservedIDs: Set<String>
    /// The environment whose PATH and LANG skill programs inherit.
    public var environment: [String: String]

    public init(
        dataDirectory: String, settings: [String: [String: JSONValue]] = [:],
        options: SkillHostOptions = SkillHostOptions(),
        reservedIDs: Set<String> = [], environment: [String: String] = ProcessInfo.processInfo.environment,
        settingsFile: String = "config.yaml"
    ) {
        self.dataDirectory = dataDirectory
        self.settings = settings
        self.settingsFile = settingsFile
        self.options = options
        self.reservedIDs = reservedIDs
        self.environment = environment
    }

    /// Every skill folder in `directories` (missing directories are skipped; folders are read in name order).
    public func scan(_ directories: [String]) -> SkillDirectoryScan {
        var scan = SkillDirectoryScan()
        var taken = reservedIDs
        let fm = FileManager.default
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let entries = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
            for name in entries.sorted() where !name.hasPrefix(".") {
                let folder = directory + "/" + name
                guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
                // Folders without a skill.yaml are not skills (built-in skills keep their data beside them).
                guard fm.fileExists(atPath: folder + "/skill.yaml") else { continue }
                switch load(folder: folder, taken: taken) {
                case .success(let skill):
                    taken.insert(skill.id)
                    scan.skills.append(skill)
                case .failure(let problem): scan.problems.append(problem)
                }
            }
        }
        return scan
    }

    /// One skill folder as an installed skill, or the problem that prevents it.
    public func load(folder: String, taken: Set<String> = []) -> Result<InstalledSkill, SkillLoadProblem> {
        let package: SkillPackage
        do {
            package = try SkillPackage.load(folder: folder)
        } catch {
            return .failure(SkillLoadProblem(folder: folder, message: "\(error)"))
        }
        let id = package.manifest.id
        guard !taken.contains(id), id != Assistant.builtinSkillID else {
            return .failure(
                SkillLoadProblem(
                    folder: folder, id: id, message: "\(folder)/skill.yaml: id '\(id)' is already installed"))
        }
        let options: SkillHostOptions
        do {
            options = try self.options.applying(manifestTimeout: package.manifest.timeout, settings: settings[id] ?? [:])
        } catch {
            return .failure(SkillLoadProblem(folder: folder, id: id, message: "\(settingsFile): skills.\(id).\(error)"))
        }
        switch package.manifest.entry {
        case .builtin:
            return .failure(
                SkillLoadProblem(
                    folder: folder, id: id,
                    message: "\(folder)/skill.yaml: entry 'builtin' is for skills compiled into Hark; use exec or http")
            )
        case .exec(let command):
            let skill = ExecSkill(
                package: package, command: command, dataDirectory: dataDirectory + "/skill-data/" + id,
                options: options,
                environment: environment, logger: Logger(label: "hark.skill.\(id)"))
            do {
                _ = try skill.resolveProgram()
            } catch {
                return .failure(SkillLoadProblem(folder: folder, id: id, message: "\(folder)/skill.yaml: \(error)"))
            }
            return .success(InstalledSkill(package: package, handler: skill, origin: folder))
        case .http(let url):
            return .success(
                InstalledSkill(
                    package: package, handler: HTTPSkill(package: package, url: url, options: options), origin: folder))
        }
    }
}
