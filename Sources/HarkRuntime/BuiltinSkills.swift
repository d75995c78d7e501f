import Foundation
import ClockSkill
import HarkAssistant
import HarkSkillKit
import RecipesSkill
import ShoppingSkill
import SmartHomeSkill
import WeatherSkill

/// The skills compiled into Hark, assembled from the configuration.
public enum BuiltinSkills {
    /// Their ids.
    public static let ids = ["clock", "recipes", "shopping", "smarthome", "weather"]

    /// Every built-in skill, sharing `database`.
    /// - Parameter devicesFile: a device registry that replaces the configured one (`--devices`).
    public static func make(
        database: HarkDatabase, configuration: HarkConfiguration, devicesFile: String? = nil
    ) throws -> [InstalledSkill] {
        try ids.map { try make(id: $0, database: database, configuration: configuration, devicesFile: devicesFile) }
    }

    /// One built-in skill by id.
    public static func make(
        id: String, database: HarkDatabase, configuration: HarkConfiguration, devicesFile: String? = nil
    ) throws -> InstalledSkill {
        let settings = configuration.skillSettings[id] ?? [:]
        switch id {
        case "shopping":
            return InstalledSkill(
                package: try SkillPackage.load(folder: ShoppingSkill.folder),
                handler: try ShoppingSkill(database: database.pool), origin: "built-in")
        case "clock":
            return InstalledSkill(
                package: try SkillPackage.load(folder: ClockSkill.folder), handler: try ClockSkill(database: database.pool),
                origin: "built-in")
        case "recipes":
            return InstalledSkill(
                package: try SkillPackage.load(folder: RecipesSkill.folder), handler: RecipesSkill(), origin: "built-in")
        case "weather":
            return InstalledSkill(
                package: try SkillPackage.load(folder: WeatherSkill.folder), handler: WeatherSkill(), origin: "built-in")
        case "smarthome":
            let skill = try SmartHomeSkill(database: database.pool, settings: settings, devicesFile: devicesFile)
            var package = try SkillPackage.load(folder: SmartHomeSkill.folder)
            package.templates = SmartHomeSkill.templates(package.templates, registry: skill.registry)
            return InstalledSkill(package: package, handler: skill, origin: "built-in")
        default:
            throw SkillError.unknownSkill(id)
        }
    }
}

extension WeatherSkill: StoppableSkill {}
