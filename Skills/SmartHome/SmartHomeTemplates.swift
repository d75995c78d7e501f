import HarkSkillKit
import HarkUnderstanding

extension SmartHomeSkill {
    /// The skill's templates with the `name`, `area` and `floor` lists holding the registry's devices, areas and
    /// floors: each value is said as its name or any alias and means the canonical name; device values carry their
    /// `domain`, `area` and `floor` as context (so that e.g. "set the office thermostat to 20 degrees" only takes
    /// climate devices), area values their `floor`.
    public static func templates(_ base: SkillTemplates, registry: DeviceRegistry) -> SkillTemplates {
        var templates = base
        let location = SourceLocation(file: "\(base.file) (device registry)", line: 1, column: 1)
        func value(_ name: String, aliases: [String], context: [String: String]) -> SlotListValue? {
            let spellings = ([name] + aliases).map(spokenForm).filter { !$0.isEmpty }
            guard !spellings.isEmpty else { return nil }
            let unique = spellings.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let spoken = unique.count == 1 ? unique[0] : "(" + unique.joined(separator: "|") + ")"
            return SlotListValue(spoken: TemplateText(spoken, location: location), value: .text(name), context: context)
        }
        let devices = registry.devices.compactMap { device in
            var context = ["domain": device.domain]
            context["area"] = device.area
            context["floor"] = device.floor
            return value(device.name, aliases: device.aliases, context: context)
        }
        let areas = registry.areas.compactMap { area in
            value(area.name, aliases: area.aliases, context: area.floor.map { ["floor": $0] } ?? [:])
        }
        let floors = registry.floors.compactMap { value($0.name, aliases: $0.aliases, context: [:]) }
        for (name, values) in [("name", devices), ("area", areas), ("floor", floors)] {
            let declared = base.lists[name]
            templates.lists[name] = SlotList(kind: .values(values), multiple: declared?.multiple ?? false,
                                             location: declared?.location ?? location)
        }
        return templates
    }

    /// A name as template text: characters with a meaning in templates become spaces.
    static func spokenForm(_ name: String) -> String {
        let special: Set<Character> = ["(", ")", "[", "]", "{", "}", "<", ">", "|"]
        return String(name.map { special.contains($0) ? " " : $0 })
            .split(separator: " ").joined(separator: " ")
    }
}
