import Foundation
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import RecipesSkill

/// Makes testers with the real recipes skill, optionally beside the recording `shopping` skill.
enum RecipesTesting {
    static let shoppingFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/shopping").path

    static func recipes() throws -> InstalledSkill {
        InstalledSkill(
            package: try SkillPackage.load(folder: RecipesSkill.folder, variation: .first), handler: RecipesSkill(),
            origin: "built-in")
    }

    static func shopping() throws -> InstalledSkill {
        InstalledSkill(
            package: try SkillPackage.load(folder: shoppingFolder, variation: .first), handler: ShoppingRecorder(),
            origin: shoppingFolder)
    }

    /// A tester with the recipes skill and, unless `withShopping` is false, the shopping stand-in.
    static func makeTester(withShopping: Bool = true) throws -> SkillTester {
        try SkillTester { _, _ in try [recipes()] + (withShopping ? [shopping()] : []) }
    }

    /// The storage of skill `skill` in the tester's database.
    static func storage(of tester: SkillTester, skill: String) throws -> SQLiteSkillStorage {
        SQLiteSkillStorage(database: try HarkDatabase(path: tester.folder + "/hark.sqlite"), skill: skill)
    }
}
