import HarkSkillTesting
import Testing

/// The skill's own `tests/en.yaml`: sentences and dialog transcripts through the real matcher and dialog manager.
@Suite struct RecipesTestFileTests {
    @Test func theSkillsTestFilePasses() async throws {
        let tester = try RecipesTesting.makeTester()
        defer { tester.close() }
        let recipes = try #require(tester.skills.first { $0.id == "recipes" })
        let report = try await tester.runTestFile(of: recipes)
        #expect(report.failures.isEmpty, "\n\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.sentencesRun >= 50)
        #expect(report.dialogsRun >= 5)
        print("recipes tests/en.yaml: \(report.sentencesRun) sentences, \(report.dialogsRun) dialogs, \(report.passed) passed")
    }
}
