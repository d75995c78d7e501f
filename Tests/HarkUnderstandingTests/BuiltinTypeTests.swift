import Foundation
import Testing

@testable import HarkUnderstanding

/// Reads `text` as `type` and returns the value of the reading that covers all of it.
private func read(_ type: BuiltinSlotType, _ text: String, now: Date = Fixtures.friday) -> SlotValue? {
    let words = TextNormalizer.words(text)
    let reference = DateReference(now: now, calendar: Fixtures.utcCalendar)
    return type.read(words, from: 0, reference: reference).last { $0.end == words.count }?.value
}

private func day(_ year: Int, _ month: Int, _ day: Int) -> SlotValue {
    .date(DateRange(day: CalendarDay(year: year, month: month, day: day)))
}

@Suite struct BuiltinTypeTests {
    @Test(arguments: [
        ("zero", 0.0), ("seven", 7), ("twenty five", 25), ("twenty-five", 25), ("25", 25), ("3.5", 3.5),
        ("three point five", 3.5), ("two and a half", 2.5), ("a hundred", 100), ("one hundred and five", 105),
        ("one thousand two hundred", 1200), ("1,200", 1200), ("twelve hundred", 1200), ("minus four", -4),
        ("-4", -4), ("a thousand", 1000), ("ninety nine", 99), ("two million three hundred thousand", 2_300_000),
        ("point two five", 0.25), ("one and a quarter", 1.25), ("nineteen", 19), ("0.05", 0.05),
    ])
    func numbers(text: String, expected: Double) {
        #expect(read(.number, text) == .number(expected))
    }

    @Test(arguments: ["twenty twenty", "five five", "hundred", "and", "nineteen forty five", "a", "point", "lamp"])
    func notNumbers(text: String) {
        #expect(read(.number, text) == nil)
    }

    @Test(arguments: [
        ("fifty percent", 50.0), ("50%", 50), ("50 %", 50), ("fifty per cent", 50), ("seventy five", 75),
        ("100 percent", 100), ("twelve point five percent", 12.5),
    ])
    func percentages(text: String, expected: Double) {
        #expect(read(.percentage, text) == .percentage(expected))
    }

    @Test(
        arguments: [
            ("21 degrees", 21.0, nil), ("twenty one degrees", 21, nil), ("seventy two fahrenheit", 72, .fahrenheit),
            ("20.5 °C", 20.5, .celsius), ("20.5°C", 20.5, .celsius), ("19 degrees celsius", 19, .celsius),
            ("sixty eight degrees f", 68, .fahrenheit), ("22", 22, nil), ("minus five degrees", -5, nil),
            ("300 kelvin", 300, .kelvin),
        ] as [(String, Double, TemperatureUnit?)]
    )
    func temperatures(text: String, value: Double, unit: TemperatureUnit?) {
        #expect(read(.temperature, text) == .temperature(value: value, unit: unit))
    }

    @Test(arguments: [
        ("seven thirty", 7, 30), ("7 pm", 19, 0), ("7pm", 19, 0), ("7 p.m.", 19, 0), ("noon", 12, 0),
        ("midnight", 0, 0), ("half past six", 6, 30), ("quarter to eight", 7, 45), ("a quarter past nine", 9, 15),
        ("19:45", 19, 45), ("7:05", 7, 5), ("seven oh five", 7, 5), ("seven o'clock", 7, 0),
        ("ten to eleven", 10, 50), ("twenty minutes past four", 4, 20), ("nineteen forty five", 19, 45),
        ("six in the evening", 18, 0), ("eight in the morning", 8, 0), ("twelve thirty am", 0, 30),
        ("12 pm", 12, 0), ("quarter to one", 12, 45), ("nineteen hundred", 19, 0), ("10:30 pm", 22, 30),
        ("eleven at night", 23, 0),
    ])
    func times(text: String, hour: Int, minute: Int) {
        #expect(read(.time, text) == .time(hour: hour, minute: minute))
    }

    @Test(arguments: ["seven sixty", "twenty five pm", "half to six", "quarter", "o'clock"])
    func notTimes(text: String) {
        #expect(read(.time, text) == nil)
    }

    @Test(arguments: [
        ("ten minutes", 600.0), ("an hour and a half", 5400), ("90 seconds", 90), ("two hours and five minutes", 7500),
        ("half an hour", 1800), ("a quarter of an hour", 900), ("one and a half hours", 5400), ("a minute", 60),
        ("1 hour 30 minutes", 5400), ("3 days", 259_200), ("a week", 604_800), ("two and a half minutes", 150),
        ("one hour, ten minutes and five seconds", 4205), ("three quarters of an hour", 2700),
    ])
    func durations(text: String, seconds: Double) {
        #expect(read(.duration, text) == .duration(seconds: seconds))
    }

    @Test(arguments: ["ten", "minutes", "five minutes five hours", "zero minutes"])
    func notDurations(text: String) {
        #expect(read(.duration, text) == nil)
    }

    /// Relative to Friday 7 March 2025.
    @Test(
        arguments: [
            ("today", day(2025, 3, 7)), ("tomorrow", day(2025, 3, 8)), ("yesterday", day(2025, 3, 6)),
            ("the day after tomorrow", day(2025, 3, 9)), ("day before yesterday", day(2025, 3, 5)),
            ("friday", day(2025, 3, 7)), ("on friday", day(2025, 3, 7)), ("next friday", day(2025, 3, 14)),
            ("monday", day(2025, 3, 10)), ("next monday", day(2025, 3, 10)), ("this sunday", day(2025, 3, 9)),
            ("next sunday", day(2025, 3, 16)), ("thursday", day(2025, 3, 13)),
            ("on the 3rd", day(2025, 4, 3)), ("the third", day(2025, 4, 3)), ("the 20th", day(2025, 3, 20)),
            ("the seventh", day(2025, 3, 7)), ("march 3rd", day(2026, 3, 3)), ("the 3rd of march", day(2026, 3, 3)),
            ("april twenty first", day(2025, 4, 21)), ("december 25", day(2025, 12, 25)),
            ("in three days", day(2025, 3, 10)),
            ("in two weeks", day(2025, 3, 21)), ("in a week", day(2025, 3, 14)),
            (
                "this weekend",
                .date(
                    DateRange(
                        start: CalendarDay(year: 2025, month: 3, day: 8),
                        end: CalendarDay(year: 2025, month: 3, day: 9)
                    )
                )
            ),
            (
                "next weekend",
                .date(
                    DateRange(
                        start: CalendarDay(year: 2025, month: 3, day: 15),
                        end: CalendarDay(year: 2025, month: 3, day: 16)
                    )
                )
            ),
            (
                "next week",
                .date(
                    DateRange(
                        start: CalendarDay(year: 2025, month: 3, day: 10),
                        end: CalendarDay(year: 2025, month: 3, day: 16)
                    )
                )
            ),
        ] as [(String, SlotValue)]
    )
    func dates(text: String, expected: SlotValue) {
        #expect(read(.date, text) == expected)
    }

    @Test func datesOnOtherDays() {
        // Wednesday 5 March 2025: "friday" is in two days, "next friday" the Friday of next week.
        let wednesday = Fixtures.friday.addingTimeInterval(-2 * 86_400)
        #expect(read(.date, "friday", now: wednesday) == day(2025, 3, 7))
        #expect(read(.date, "next friday", now: wednesday) == day(2025, 3, 14))
        // Sunday 9 March 2025: this weekend is today.
        let sunday = Fixtures.friday.addingTimeInterval(2 * 86_400)
        #expect(read(.date, "this weekend", now: sunday) == day(2025, 3, 9))
        // 31 January: "the 30th" of February does not exist, so March.
        let january31 = Date(timeIntervalSince1970: 1_738_324_800)
        #expect(read(.date, "the 30th", now: january31) == day(2025, 3, 30))
        #expect(read(.date, "february 30th", now: january31) == nil)
    }

    @Test(arguments: ["banana", "the", "next", "in days", "thirty second"])
    func notDates(text: String) {
        #expect(read(.date, text) == nil)
    }
}

@Suite struct NormalizerAndValueTests {
    @Test(arguments: [
        ("What's the time?", "what is the time"),
        ("Don't turn it OFF!", "do not turn it off"),
        ("I'd like 2 coffees", "i would like two coffees"),
        ("It's 7:30pm", "it is seven thirty pm"),
        ("set it to 25", "set it to twenty five"),
        ("50% brighter", "fifty percent brighter"),
        ("on the 21st", "on the twenty first"),
        ("rock 'n' roll's   best", "rock n roll's best"),
        ("wi-fi twenty-one", "wi fi twenty one"),
        ("It\u{2019}s fine", "it is fine"),
        ("we can't, won't", "we can not will not"),
        ("1,000,000 and 3.14", "one million and three point one four"),
        ("007", "zero zero seven"),
        ("-5°", "minus five degrees"),
    ])
    func normalisation(text: String, expected: String) {
        #expect(TextNormalizer.words(text).joined(separator: " ") == expected)
    }

    @Test func rawTextKeepsWhatWasWritten() {
        let text = TextNormalizer.normalize("Set it to 25%, please")
        #expect(text.words == ["set", "it", "to", "twenty", "five", "percent", "please"])
        #expect(text.rawText(3..<6) == "25%")
        #expect(text.tokens[5].commaAfter)
    }

    @Test func spellingRoundTrips() {
        for value in [0.0, 7, 13, 20, 42, 100, 105, 999, 1000, 1234, 20_000, 1_000_001, 2.5, 0.75, -3] {
            let words = NumberWords.spell(value).split(separator: " ").map(String.init)
            let reading = NumberWords.readCardinal(words, from: 0).last { $0.end == words.count }
            #expect(reading?.value == value, "\(value) spelled \(words)")
        }
    }

    @Test func jsonFormIsStable() throws {
        let values: [SlotValue] = [
            .text("milk"), .number(25), .list([.text("milk"), .text("eggs")]),
            .date(DateRange(day: CalendarDay(year: 2025, month: 3, day: 7))), .time(hour: 19, minute: 45),
            .duration(seconds: 5400), .temperature(value: 20.5, unit: .celsius), .temperature(value: 21, unit: nil),
            .percentage(50),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try values.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        #expect(
            json == [
                #"{"type":"text","value":"milk"}"#, #"{"type":"number","value":25}"#,
                #"{"type":"list","values":[{"type":"text","value":"milk"},{"type":"text","value":"eggs"}]}"#,
                #"{"end":"2025-03-07","start":"2025-03-07","type":"date"}"#, #"{"hour":19,"minute":45,"type":"time"}"#,
                #"{"seconds":5400,"type":"duration"}"#, #"{"type":"temperature","unit":"celsius","value":20.5}"#,
                #"{"type":"temperature","value":21}"#, #"{"type":"percentage","value":50}"#,
            ]
        )
        for (value, text) in zip(values, json) {
            #expect(try JSONDecoder().decode(SlotValue.self, from: Data(text.utf8)) == value)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SlotValue.self, from: Data(#"{"type":"colour","value":1}"#.utf8))
        }
    }

    @Test func descriptionsAndSpokenForms() {
        #expect(SlotValue.number(25).description == "25")
        #expect(SlotValue.number(25).spoken == "twenty five")
        #expect(SlotValue.time(hour: 19, minute: 45).description == "19:45")
        #expect(SlotValue.time(hour: 19, minute: 45).spoken == "seven forty five pm")
        #expect(SlotValue.time(hour: 7, minute: 5).spoken == "seven oh five")
        #expect(SlotValue.time(hour: 12, minute: 0).spoken == "noon")
        #expect(SlotValue.duration(seconds: 5400).spoken == "one hour and thirty minutes")
        #expect(SlotValue.duration(seconds: 5400).description == "5400s")
        #expect(SlotValue.temperature(value: 20.5, unit: .celsius).description == "20.5°C")
        #expect(SlotValue.temperature(value: 20.5, unit: .celsius).spoken == "twenty point five degrees celsius")
        #expect(SlotValue.percentage(50).description == "50%")
        #expect(SlotValue.list([.text("milk"), .text("eggs"), .text("bread")]).spoken == "milk, eggs and bread")
        let weekend = DateRange(
            start: CalendarDay(year: 2025, month: 3, day: 8),
            end: CalendarDay(year: 2025, month: 3, day: 9)
        )
        #expect(SlotValue.date(weekend).description == "2025-03-08/2025-03-09")
        #expect(SlotValue.date(DateRange(day: weekend.start)).spoken == "march eighth two thousand twenty five")
    }
}
