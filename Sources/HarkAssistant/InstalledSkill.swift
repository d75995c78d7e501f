import HarkSkillKit

/// A skill ready to answer: its folder's data and the code that handles its intents.
public struct InstalledSkill: Sendable {
    /// The manifest, templates and responses.
    public var package: SkillPackage
    /// The handler.
    public var handler: any Skill
    /// Where it came from: "built-in" or the folder it was installed from.
    public var origin: String

    public init(package: SkillPackage, handler: any Skill, origin: String) {
        self.package = package
        self.handler = handler
        self.origin = origin
    }

    /// The skill's id.
    public var id: String { package.manifest.id }
}
