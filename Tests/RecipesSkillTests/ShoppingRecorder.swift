import HarkSkillKit

/// A real second skill with id `shopping` (folder `Fixtures/shopping`): its `AddItem` appends the items it
/// receives to `received` in its own storage, so tests can check what the recipes skill sent.
struct ShoppingRecorder: Skill {
    let id = "shopping"

    func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        guard request.intent == "AddItem" else { throw SkillError.invalid("shopping stand-in: no \(request.intent)") }
        let items = request.slots.texts("item")
        let received = try await context.storage.value([String].self, forKey: "received") ?? []
        try await context.storage.set(received + items, forKey: "received")
        return .speak(try context.responses.render("added", ["items": SpokenText.list(items)]))
    }
}
