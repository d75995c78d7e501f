import Foundation

/// One normalised word, with the index of the written word it came from.
struct NormalizedToken: Sendable, Hashable {
    /// Lower-case word; digits spelled out, contractions expanded.
    let text: String
    /// Index into `NormalizedText.sourceWords`.
    let source: Int
    /// True when a comma (or semicolon) followed this word in the written text.
    var commaAfter: Bool
}

/// Text after normalisation, keeping the written words so that slot values can quote what was said.
struct NormalizedText: Sendable {
    let tokens: [NormalizedToken]
    /// The written words (case and digits as typed), split on whitespace and punctuation.
    let sourceWords: [String]

    var words: [String] { tokens.map(\.text) }

    /// The written words behind tokens `range`, joined by single spaces; commas between them are kept.
    func rawText(_ range: Range<Int>) -> String {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= tokens.count else { return "" }
        let first = tokens[range.lowerBound].source
        let last = tokens[range.upperBound - 1].source
        var text = ""
        for source in first...last {
            if source > first { text += commaAfterSource(source - 1, before: range.upperBound) ? ", " : " " }
            text += sourceWords[source]
        }
        return text
    }

    private func commaAfterSource(_ source: Int, before end: Int) -> Bool {
        tokens[..<end].last { $0.source == source }?.commaAfter ?? false
    }
}

/// Turns typed or recognised text (and template literals) into comparable words.
///
/// Lower-cases, drops punctuation (keeping apostrophes inside words), splits hyphenated words, spells digits as
/// words (`25` → `twenty five`, `3.5` → `three point five`, `19:45` → `nineteen forty five`, `50%` →
/// `fifty percent`, `3rd` → `third`, `7pm` → `seven pm`, `20°C` → `twenty degrees celsius`) and expands
/// contractions (`what's` → `what is`, `don't` → `do not`, `i'd` → `i would`).
public enum TextNormalizer {
    static func normalize(_ text: String) -> NormalizedText {
        let pieces = splitPieces(text)
        var tokens: [NormalizedToken] = []
        var sourceWords: [String] = []
        for piece in pieces {
            let words = convert(piece.text)
            guard !words.isEmpty else {
                if piece.commaAfter, !tokens.isEmpty { tokens[tokens.count - 1].commaAfter = true }
                continue
            }
            let source = sourceWords.count
            sourceWords.append(piece.text)
            for word in words { tokens.append(NormalizedToken(text: word, source: source, commaAfter: false)) }
            if piece.commaAfter { tokens[tokens.count - 1].commaAfter = true }
        }
        return NormalizedText(tokens: tokens, sourceWords: sourceWords)
    }

    /// The normalised words of `text`.
    public static func words(_ text: String) -> [String] { normalize(text).words }

    // MARK: Splitting

    private struct Piece {
        var text: String
        var commaAfter: Bool
    }

    private static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "\u{02BC}"
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 97 && value <= 122) || (value >= 65 && value <= 90) || (value >= 48 && value <= 57)
                || value == 37
        }
        if scalar == "°" || scalar == "º" { return true }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.value >= 48 && scalar.value <= 57
    }

    private static func splitPieces(_ text: String) -> [Piece] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Piece] = []
        var current = String.UnicodeScalarView()
        func flush(comma: Bool) {
            if !current.isEmpty {
                pieces.append(Piece(text: String(current), commaAfter: comma))
                current = String.UnicodeScalarView()
            } else if comma, !pieces.isEmpty {
                pieces[pieces.count - 1].commaAfter = true
            }
        }
        for index in scalars.indices {
            let scalar = scalars[index]
            let previous = index > 0 ? scalars[index - 1] : nil
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if isApostrophe(scalar), !current.isEmpty {
                current.append("'")
            } else if (scalar == "." || scalar == "," || scalar == ":") && isDigit(previous) && isDigit(next)
                && !current.isEmpty
            {
                current.append(scalar)
            } else if scalar == "-" && current.isEmpty && isDigit(next)
                && !(previous.map(isWordScalar) ?? false)
            {
                current.append(scalar)
            } else {
                flush(comma: scalar == "," || scalar == ";" || scalar == "、" || scalar == "，")
            }
        }
        flush(comma: false)
        return pieces
    }

    // MARK: Converting one written word

    private static func convert(_ piece: String) -> [String] {
        var word = piece.lowercased()
        while word.hasPrefix("'") { word.removeFirst() }
        while word.hasSuffix("'") { word.removeLast() }
        guard !word.isEmpty else { return [] }
        var hasDigit = false
        var hasSymbol = false
        for scalar in word.unicodeScalars {
            if isDigit(scalar) { hasDigit = true }
            if scalar == "%" || scalar == "°" || scalar == "º" { hasSymbol = true }
        }
        if hasSymbol {
            word = String(String.UnicodeScalarView(word.unicodeScalars.map { $0 == "º" ? "°" : $0 }))
        }
        if hasDigit { return convertNumeric(word) }
        if hasSymbol { return convertSymbols(word) }
        return expandContraction(word)
    }

    private static func convertSymbols(_ word: String) -> [String] {
        var result: [String] = []
        var rest = Substring(word)
        while !rest.isEmpty {
            if rest.hasPrefix("%") {
                result.append("percent")
                rest = rest.dropFirst()
            } else if rest.hasPrefix("°") {
                result.append("degrees")
                rest = rest.dropFirst()
                if rest == "c" || rest == "f" {
                    result.append(rest == "c" ? "celsius" : "fahrenheit")
                    rest = ""
                }
            } else {
                let letters = rest.prefix { $0 != "%" && $0 != "°" }
                result.append(contentsOf: expandContraction(String(letters)))
                rest = rest.dropFirst(letters.count)
            }
        }
        return result
    }

    private static func convertNumeric(_ word: String) -> [String] {
        let scalars = Array(word.unicodeScalars)
        var index = 0
        var result: [String] = []
        // A time of day: H:MM or HH:MM, optionally followed by am/pm.
        if let colon = scalars.firstIndex(of: ":"), colon <= 2, colon + 2 < scalars.count,
            scalars[..<colon].allSatisfy({ isDigit($0) }), isDigit(scalars[colon + 1]), isDigit(scalars[colon + 2]),
            colon + 3 == scalars.count || !isDigit(scalars[colon + 3])
        {
            let hour = Int(String(String.UnicodeScalarView(scalars[..<colon]))) ?? 0
            let minute = Int(String(String.UnicodeScalarView(scalars[(colon + 1)...(colon + 2)]))) ?? 0
            result.append(contentsOf: NumberWords.spellInteger(Int64(hour)).split(separator: " ").map(String.init))
            if minute == 0 {
                result.append("o'clock")
            } else {
                if minute < 10 { result.append("oh") }
                result.append(
                    contentsOf: NumberWords.spellInteger(Int64(minute)).split(separator: " ").map(String.init)
                )
            }
            index = colon + 3
        }
        while index < scalars.count {
            if isDigit(scalars[index])
                || (scalars[index] == "-" && index + 1 < scalars.count
                    && isDigit(scalars[index + 1]))
            {
                var end = index + 1
                while end < scalars.count,
                    isDigit(scalars[end])
                        || ((scalars[end] == "." || scalars[end] == ",")
                            && end + 1 < scalars.count && isDigit(scalars[end + 1]))
                {
                    end += 1
                }
                let literal = String(String.UnicodeScalarView(scalars[index..<end]))
                index = end
                let suffix = letterRun(scalars, from: index)
                if ["st", "nd", "rd", "th"].contains(suffix), let value = Int(literal), value > 0, value < 1000 {
                    result.append(contentsOf: NumberWords.spellOrdinal(value).split(separator: " ").map(String.init))
                    index += suffix.unicodeScalars.count
                    continue
                }
                result.append(contentsOf: spellLiteralNumber(literal))
            } else if scalars[index] == "%" {
                result.append("percent")
                index += 1
            } else if scalars[index] == "°" {
                result.append("degrees")
                index += 1
                let unit = letterRun(scalars, from: index)
                if unit == "c" || unit == "f" {
                    result.append(unit == "c" ? "celsius" : "fahrenheit")
                    index += 1
                }
            } else {
                let run = letterRun(scalars, from: index)
                if run.isEmpty {
                    index += 1
                } else {
                    result.append(contentsOf: expandContraction(run))
                    index += run.unicodeScalars.count
                }
            }
        }
        return result
    }

    private static func letterRun(_ scalars: [Unicode.Scalar], from start: Int) -> String {
        var end = start
        while end < scalars.count, !isDigit(scalars[end]), scalars[end] != "%", scalars[end] != "°",
            scalars[end] != "-"
        {
            end += 1
        }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    /// `25` → `twenty five`; `1,000` → `one thousand`; `3.5` → `three point five`; `007` and very long digit
    /// strings are read digit by digit.
    private static func spellLiteralNumber(_ literal: String) -> [String] {
        var text = literal
        var words: [String] = []
        if text.hasPrefix("-") {
            words.append("minus")
            text.removeFirst()
        }
        // Thousands separators only when every group after the first has three digits.
        let commaGroups = text.split(separator: ",", omittingEmptySubsequences: false)
        if commaGroups.count > 1 {
            let valid =
                commaGroups.dropFirst().allSatisfy { $0.prefix { $0 != "." }.count == 3 }
                && !commaGroups[0].isEmpty && commaGroups[0].count <= 3
            if valid {
                text = commaGroups.joined()
            } else {
                return commaGroups.flatMap { spellLiteralNumber(String($0)) }
            }
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 2 { return parts.flatMap { spellLiteralNumber(String($0)) } }
        let integer = String(parts[0])
        if integer.count > 12 || (integer.count > 1 && integer.hasPrefix("0")) {
            words.append(contentsOf: integer.map { NumberWords.units[Int(String($0)) ?? 0] })
        } else if let value = Int64(integer) {
            words.append(contentsOf: NumberWords.spellInteger(value).split(separator: " ").map(String.init))
        }
        if parts.count == 2 {
            words.append("point")
            words.append(contentsOf: parts[1].map { NumberWords.units[Int(String($0)) ?? 0] })
        }
        return words
    }

    // MARK: Contractions

    private static let contractions: [String: [String]] = [
        "what's": ["what", "is"], "it's": ["it", "is"], "that's": ["that", "is"], "there's": ["there", "is"],
        "here's": ["here", "is"], "where's": ["where", "is"], "who's": ["who", "is"], "how's": ["how", "is"],
        "he's": ["he", "is"], "she's": ["she", "is"], "when's": ["when", "is"], "let's": ["let", "us"],
        "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"], "shan't": ["shall", "not"],
        "ain't": ["is", "not"], "i'm": ["i", "am"], "whats": ["what", "is"], "dont": ["do", "not"],
        "doesnt": ["does", "not"], "isnt": ["is", "not"], "cant": ["can", "not"], "didnt": ["did", "not"],
        "y'all": ["you", "all"], "gonna": ["going", "to"], "wanna": ["want", "to"],
    ]

    private static let suffixes: [(String, String)] = [
        ("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"), ("'m", "am"),
    ]

    static func expandContraction(_ word: String) -> [String] {
        if let expansion = contractions[word] { return expansion }
        for (suffix, replacement) in suffixes where word.hasSuffix(suffix) && word.count > suffix.count {
            return [String(word.dropLast(suffix.count)), replacement]
        }
        return [word]
    }
}
