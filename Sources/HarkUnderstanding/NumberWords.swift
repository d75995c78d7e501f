import Foundation

/// English number words: spelling numbers out (for digits in text, JSGF export and samples) and reading them back.
enum NumberWords {
    static let units = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let ordinalUnits = [
        "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
        "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
        "nineteenth",
    ]
    static let ordinalTens = [
        "", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
        "eightieth", "ninetieth",
    ]
    static let scales: [(word: String, value: Double)] = [
        ("thousand", 1e3), ("million", 1e6), ("billion", 1e9),
    ]

    static let unitValues: [String: Int] = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
    static let tenValues: [String: Int] = Dictionary(
        uniqueKeysWithValues: tens.enumerated().filter { !$0.element.isEmpty }.map { ($1, $0) }
    )
    static let scaleValues: [String: Double] = Dictionary(uniqueKeysWithValues: scales.map { ($0.word, $0.value) })
    static let ordinalValues: [String: Int] = {
        var values: [String: Int] = [:]
        for (index, word) in ordinalUnits.enumerated() where index > 0 { values[word] = index }
        for (index, word) in ordinalTens.enumerated() where !word.isEmpty { values[word] = index * 10 }
        return values
    }()
    static let digitWords: [String: Int] = {
        var values: [String: Int] = [:]
        for index in 0...9 { values[units[index]] = index }
        values["oh"] = 0
        return values
    }()

    /// Every word that can start or continue a cardinal number (for indexing).
    static let allNumberWords: Set<String> = Set(units).union(tens.filter { !$0.isEmpty })
        .union(scales.map(\.word)).union([
            "hundred", "a", "an", "and", "half", "quarter", "quarters", "point",
            "minus", "negative", "oh",
        ])

    // MARK: Formatting and spelling

    /// `25`, `3.5`, `-2`: no trailing `.0`, at most 4 decimals.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `twenty five`, `three point five`, `minus two`, `one thousand two hundred`.
    static func spell(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value < 0 { return "minus " + spell(-value) }
        let text = format(value)
        let parts = text.split(separator: ".", maxSplits: 1)
        guard let integer = Int64(parts[0]) else { return text }
        var words = spellInteger(integer)
        if parts.count == 2 {
            words += " point " + parts[1].map { units[Int(String($0)) ?? 0] }.joined(separator: " ")
        }
        return words
    }

    /// Spells a non-negative integer in American style without "and": `one hundred five`.
    static func spellInteger(_ value: Int64) -> String {
        if value < 20 { return units[Int(value)] }
        if value < 100 {
            let ten = tens[Int(value / 10)]
            return value % 10 == 0 ? ten : ten + " " + units[Int(value % 10)]
        }
        if value < 1000 {
            let head = units[Int(value / 100)] + " hundred"
            return value % 100 == 0 ? head : head + " " + spellInteger(value % 100)
        }
        for (word, size) in scales.reversed() where Double(value) >= size {
            let scale = Int64(size)
            let head = spellInteger(value / scale) + " " + word
            return value % scale == 0 ? head : head + " " + spellInteger(value % scale)
        }
        return String(value)
    }

    /// `first`, `twenty third`, `thirtieth`.
    static func spellOrdinal(_ value: Int) -> String {
        if value < 20 { return ordinalUnits[max(0, value)] }
        if value < 100 {
            return value % 10 == 0 ? ordinalTens[value / 10] : tens[value / 10] + " " + ordinalUnits[value % 10]
        }
        return spellInteger(Int64(value)) + "th"
    }

    // MARK: Reading

    /// Every way a cardinal number can be read starting at `start`: `(end, value)` pairs, shortest first.
    ///
    /// Accepts `twenty five`, `a hundred`, `one thousand two hundred [and] five`, `two and a half`,
    /// `three point one four`, `minus five`, `zero`. Juxtaposed groups such as `nineteen forty` are not one number.
    static func readCardinal(_ words: [String], from start: Int, limit: Int = 12) -> [(end: Int, value: Double)] {
        var results: [(end: Int, value: Double)] = []
        let stop = min(words.count, start + limit)
        var index = start
        var sign = 1.0
        if index < stop, words[index] == "minus" || words[index] == "negative" {
            sign = -1
            index += 1
        }
        let bodyStart = index
        enum Last { case none, article, unit, teen, ten, hundred, scale, and, zero }
        var last = Last.none
        var total = 0.0
        var current = 0.0
        var lastScale = Double.infinity
        var integerEnd = -1
        var integerValue = 0.0

        while index < stop {
            let word = words[index]
            if let unit = unitValues[word] {
                if unit == 0 {
                    guard last == .none else { break }
                    last = .zero
                    index += 1
                    integerEnd = index
                    results.append((index, 0))
                    break
                } else if unit < 10 {
                    let allowed: Bool
                    switch last {
                    case .none, .hundred, .scale, .and: allowed = true
                    case .ten: allowed = Int(current) % 10 == 0
                    default: allowed = false
                    }
                    guard allowed else { break }
                    current += Double(unit)
                    last = .unit
                } else {
                    guard [.none, .hundred, .scale, .and].contains(last) else { break }
                    current += Double(unit)
                    last = .teen
                }
            } else if let ten = tenValues[word] {
                guard [.none, .hundred, .scale, .and].contains(last) else { break }
                current += Double(ten * 10)
                last = .ten
            } else if word == "hundred" {
                let allowed: Bool
                switch last {
                case .article: allowed = true
                case .unit, .teen, .ten: allowed = current > 0 && current < 100
                default: allowed = false
                }
                guard allowed else { break }
                current = (last == .article ? 1 : current) * 100
                last = .hundred
            } else if let scale = scaleValues[word] {
                guard scale < lastScale else { break }
                switch last {
                case .article: current = 1
                case .unit, .teen, .ten, .hundred: break
                default: current = -1
                }
                guard current > 0 else { break }
                total += current * scale
                current = 0
                lastScale = scale
                last = .scale
            } else if word == "a" || word == "an" {
                guard last == .none, index + 1 < stop,
                    words[index + 1] == "hundred" || scaleValues[words[index + 1]] != nil
                else { break }
                last = .article
            } else if word == "and" {
                guard last == .hundred || last == .scale, index + 1 < stop,
                    unitValues[words[index + 1]] != nil || tenValues[words[index + 1]] != nil
                else { break }
                last = .and
            } else {
                break
            }
            index += 1
            if [.unit, .teen, .ten, .hundred, .scale].contains(last) {
                integerEnd = index
                integerValue = total + current
                results.append((index, sign * integerValue))
            }
        }

        // Fractions after a whole number (or a bare "point five").
        let fractionStart = integerEnd >= 0 ? integerEnd : bodyStart
        if integerEnd >= 0 || (fractionStart < stop && words[fractionStart] == "point") {
            for (end, fraction) in readFraction(words, from: fractionStart, stop: stop, hasWhole: integerEnd >= 0) {
                results.append((end, sign * (integerValue + fraction)))
            }
        }
        return results
    }

    /// `point one four` (each prefix), `and a half`, `and a quarter`, `and three quarters`.
    private static func readFraction(
        _ words: [String],
        from start: Int,
        stop: Int,
        hasWhole: Bool
    )
        -> [(Int, Double)]
    {
        var results: [(Int, Double)] = []
        guard start < stop else { return results }
        if words[start] == "point" {
            var index = start + 1
            var digits = 0.0
            var scale = 1.0
            while index < stop, index - start <= 15, let digit = digitWords[words[index]] {
                digits = digits * 10 + Double(digit)
                scale *= 10
                index += 1
                results.append((index, digits / scale))
            }
        } else if hasWhole, words[start] == "and", start + 2 < stop {
            let pair = (words[start + 1], words[start + 2])
            switch pair {
            case ("a", "half"), ("one", "half"): results.append((start + 3, 0.5))
            case ("a", "quarter"), ("one", "quarter"): results.append((start + 3, 0.25))
            case ("three", "quarters"): results.append((start + 3, 0.75))
            default: break
            }
        }
        return results
    }

    /// Ordinals 1–31 for days of the month: `third`, `twenty first`, `thirtieth`. Returns `(end, value)` pairs.
    static func readOrdinal(_ words: [String], from start: Int) -> [(end: Int, value: Int)] {
        guard start < words.count else { return [] }
        if let value = ordinalValues[words[start]] { return [(start + 1, value)] }
        if let ten = tenValues[words[start]], start + 1 < words.count, let unit = ordinalValues[words[start + 1]],
            unit < 10
        {
            return [(start + 2, ten * 10 + unit)]
        }
        return []
    }
}
