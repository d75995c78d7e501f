/// Reads the digits of a spoken or typed purchase code: "one two three four", "1234", "12 34",
/// "twelve thirty four", "oh nine nine one", "double one two two", "one thousand two hundred thirty four".
/// Words that are not numbers ("my code is") are ignored.
enum PurchaseCode {
    private static let units: [String: Int] = [
        "zero": 0, "oh": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
        "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    private static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let repeats: [String: Int] = ["double": 2, "triple": 3]

    /// The digits said, or nil when the text holds no number at all.
    static func digits(in text: String) -> String? {
        let tokens = tokenize(text)
        var output = ""
        var index = 0
        var sawNumber = false
        while index < tokens.count {
            let token = tokens[index]
            if token.allSatisfy(\.isNumber) {
                output += token
                sawNumber = true
                index += 1
            } else if let times = repeats[token], index + 1 < tokens.count, let digit = singleDigit(tokens[index + 1]) {
                output += String(repeating: String(digit), count: times)
                sawNumber = true
                index += 2
            } else if let (value, end) = readNumber(tokens, from: index) {
                output += String(value)
                sawNumber = true
                index = end
            } else {
                index += 1
            }
        }
        return sawNumber ? output : nil
    }

    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        for piece in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let word = String(piece)
            // "1234" and "one" stay whole; "4pm" style mixtures split into digits and letters.
            if word.contains(where: \.isNumber) && word.contains(where: \.isLetter) {
                var current = ""
                for character in word {
                    if let last = current.last, last.isNumber != character.isNumber {
                        tokens.append(current)
                        current = ""
                    }
                    current.append(character)
                }
                tokens.append(current)
            } else {
                tokens.append(word)
            }
        }
        return tokens
    }

    private static func singleDigit(_ token: String) -> Int? {
        if token.count == 1, let digit = Int(token) { return digit }
        if let value = units[token], value < 10 { return value }
        return nil
    }

    /// 0…99 from words: a unit or teen, or a ten with an optional unit ("thirty four").
    private static func small(_ tokens: [String], from start: Int) -> (Int, Int)? {
        guard start < tokens.count else { return nil }
        if let value = units[tokens[start]] { return (value, start + 1) }
        if let ten = tens[tokens[start]] {
            if start + 1 < tokens.count, let unit = units[tokens[start + 1]], unit > 0, unit < 10 {
                return (ten + unit, start + 2)
            }
            return (ten, start + 1)
        }
        return nil
    }

    /// A number with optional "thousand" and "hundred" parts: `(value, end)`.
    private static func readNumber(_ tokens: [String], from start: Int) -> (Int, Int)? {
        guard let (first, afterFirst) = small(tokens, from: start) else { return nil }
        var total = 0
        var current = first
        var index = afterFirst
        func word(_ i: Int) -> String? { i < tokens.count ? tokens[i] : nil }
        if word(index) == "thousand" {
            total = current * 1000
            current = 0
            index += 1
            if word(index) == "and" { index += 1 }
            if let (next, end) = small(tokens, from: index) {
                current = next
                index = end
            }
        }
        if word(index) == "hundred" {
            current = (current == 0 ? 1 : current) * 100
            index += 1
            if word(index) == "and" { index += 1 }
            if let (next, end) = small(tokens, from: index) {
                current += next
                index = end
            }
        }
        return (total + current, index)
    }
}
