import Foundation
import Testing

@testable import ShoppingSkill

/// The product advisor over the real catalogue and climate table: what suits a use and the weather.
@Suite struct ProductAdviceTests {
    static let folder = ShoppingSkill.folder + "/data/"
    static let catalogue = try! ProductCatalogue.load(path: folder + "catalogue.yaml")
    static let climate = try! ClimateTable.load(path: folder + "climate.yaml")
    static let rules = try! AdviceRules.load(path: folder + "advice.yaml")

    func ids(_ kind: String, _ use: String?, _ conditions: AdviceConditions?) -> [String] {
        ProductAdvisor(catalogue: Self.catalogue).recommend(kind: kind, use: use, conditions: conditions).map(\.product.id)
    }

    @Test func aWetColdMonthNeedsAWaterproofJacketWarmEnoughAndASummerDayDoesNot() throws {
        let march = try #require(Self.climate.month(3, at: "Scotland"))
        let wetMarch = Self.rules.conditions(march, monthNumber: 3)
        #expect(wetMarch.wet && wetMarch.low == 2 && wetMarch.season == "spring")
        #expect(ids("jacket", "hiking", wetMarch) == ["jacket-insulated-mountain"])

        // Spain in July: 19 to 32 degrees, dry: the lightest, not the warm waterproof ones.
        let july = Self.rules.conditions(try #require(Self.climate.month(7, at: "spain")), monthNumber: 7)
        #expect(!july.wet)
        let summer = ids("jacket", "hiking", july)
        #expect(summer.first == "jacket-waterproof-shell", "\(summer)")
        #expect(!summer.contains("jacket-insulated-mountain"))
    }

    @Test func farWarmerThanNeededIsLeftOut() throws {
        // Iceland in August: 8 to 13 degrees; the winter bag (minus 10) would be far too warm.
        let august = Self.rules.conditions(try #require(Self.climate.month(8, at: "Iceland")), monthNumber: 8)
        #expect(ids("sleeping bag", "camping", august) == ["sleeping-bag-summer", "sleeping-bag-three-season"])
    }

    @Test func nothingWarmEnoughGivesTheWarmestThatKeepsTheWetOut() {
        let arctic = AdviceConditions(low: -30, wet: true, snow: true, season: "winter")
        #expect(ids("boots", "walking", arctic) == ["boots-snow"])
    }

    @Test func coffeeIsChosenByUseAloneCheapestFirst() {
        #expect(ids("coffee", "espresso", nil) == ["coffee-espresso-ground-250g", "coffee-espresso-beans-1kg"])
        #expect(ids("coffee", "pod machine", nil) == ["coffee-pods-16"])
        #expect(ids("coffee", "skiing", nil).isEmpty)
    }

    @Test func everyKindAndPlaceTheSentencesNameIsInTheData() throws {
        let intents = try String(contentsOfFile: ShoppingSkill.folder + "/intents/en.yaml", encoding: .utf8)
        func outs(of list: String) -> [String] {
            let section = intents.components(separatedBy: "\n  \(list):\n")[1].components(separatedBy: "\n  # ")[0]
            return section.components(separatedBy: "out: ").dropFirst().map {
                $0.prefix { $0 != "}" }.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: .init(charactersIn: "\""))
            }
        }
        for kind in outs(of: "kind") { #expect(!Self.catalogue.advisable(kind: kind).isEmpty, "kind \(kind)") }
        let places = outs(of: "place").filter { $0 != ShoppingTurn.herePlace }
        for place in places { #expect(Self.climate.month(1, at: place) != nil, "place \(place)") }
        let uses = Set(Self.catalogue.products.flatMap(\.traits.uses))
        for use in outs(of: "use") { #expect(uses.contains(use), "use \(use)") }
        #expect(places.count == Self.climate.placeNames.count)
    }
}
