import HarkSkillKit

/// A small skill that exercises every dialog feature; its folder is `Fixtures/errands`.
struct ErrandsSkill: Skill {
    let id = "errands"

    struct Broken: Error, CustomStringConvertible {
        var description: String { "deliberately broken" }
    }

    func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let r = context.responses
        switch request.intent {
        case "Remember":
            return .speak(try r.render("remembered", ["items": SpokenText.list(request.slots.texts("item"))]))
        case "PlanTrip":
            guard request.confirmation != .denied else { return .speak(try r.render("planned_denied")) }
            return .speak(try r.render("planned", ["day": request.slots["day"]?.spoken ?? "?"]))
        case "Offer":
            return .speak(try r.render("offer")).keepOpen().remembering(["offered": "joke"])
        case "Yes" where request.session.attributes["offered"] == "joke":
            return .speak(try r.render("joke"))
        case "No" where request.session.attributes["offered"] == "joke":
            return .speak(try r.render("no_joke"))
        case "Crash":
            throw Broken()
        case "Switch":
            if request.slots.unresolved.contains("device") {
                return .speak(
                    try r.render(
                        "unknown_device",
                        ["device": request.slots.text("device") ?? "", "known": "Bedroom Lamp and Kettle"]))
            }
            return .speak(try r.render("switched", ["device": request.slots.text("device") ?? ""]))
        case "Count":
            let n = request.slots.integer("n") ?? 0
            return .speak(try r.render("counted", ["numbers": (1...max(1, n)).map(String.init).joined(separator: ", ")]))
        default:
            return .speak("errands cannot do \(request.intent)")
        }
    }
}
