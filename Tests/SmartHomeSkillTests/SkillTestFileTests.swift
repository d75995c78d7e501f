import Foundation
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import SmartHomeSkill
import Testing

/// The skill made from a tester's database, with the registry's devices in its templates.
func smartHomeFactory(registry: DeviceRegistry = .demo, broker: MQTTBrokerSettings = MQTTBrokerSettings())
    -> SkillTestRunner.SkillFactory
{
    { database, _ in
        var package = try SkillPackage.load(folder: SmartHomeSkill.folder, variation: .first)
        package.templates = SmartHomeSkill.templates(package.templates, registry: registry)
        let skill = try SmartHomeSkill(database: database.pool, registry: registry, broker: broker)
        return [InstalledSkill(package: package, handler: skill, origin: "built-in")]
    }
}

@Test func skillTestFilePasses() async throws {
    let tester = try SkillTester(makeSkills: smartHomeFactory())
    defer { tester.close() }
    let report = try await tester.runTestFile(of: tester.skills[0])
    for failure in report.failures { print(failure) }
    #expect(report.failures.isEmpty)
    #expect(report.sentencesRun >= 60)
}
