/// Which installed skills are active: `enabled_skills:` and `disabled_skills:` in `config.yaml`, or `--skills ID,ID`
/// on the command line. A skill that is not active is not built, not in the recognizer's grammar and never consulted.
///
/// Built-in and third-party skills are named alike, by their id. A name that matches no installed skill is an error
/// (``unknownIDs(installed:)``): a misspelt id would otherwise silently leave a skill on, or every skill off.
public struct SkillSelection: Sendable, Equatable {
    /// Only these skills are active (nil: every installed skill).
    public var enabled: Set<String>?
    /// These skills are not active, whatever `enabled` says.
    public var disabled: Set<String> = []

    public init(enabled: Set<String>? = nil, disabled: Set<String> = []) {
        self.enabled = enabled
        self.disabled = disabled
    }

    /// Whether the skill `id` is active.
    public func isActive(_ id: String) -> Bool {
        !disabled.contains(id) && (enabled?.contains(id) ?? true)
    }

    /// The ids this selection names that are not among `installed`, sorted.
    public func unknownIDs(installed: Set<String>) -> [String] {
        (disabled.union(enabled ?? [])).subtracting(installed).sorted()
    }

    /// The selection of `--skills a,b`: exactly those skills (it replaces the configuration's).
    public static func only(_ commaSeparated: String) -> SkillSelection {
        let ids = commaSeparated.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return SkillSelection(enabled: Set(ids.filter { !$0.isEmpty }))
    }
}
