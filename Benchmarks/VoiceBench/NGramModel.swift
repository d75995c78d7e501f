import Foundation

/// A back-off trigram language model trained on sentences (absolute discounting, Katz-style back-off weights),
/// written in the ARPA text format PocketSphinx reads.
///
/// Hark trains one on sentences drawn from the skills' grammar (``JSGFSampler``): the search then follows word
/// sequences the skills use without PocketSphinx building a copy of the search per grammar state, so every list
/// value can be in it at once.
struct NGramModel: Sendable {
    /// The words, `<s>` and `</s>` first.
    let vocabulary: [String]
    /// Number of n-grams of each order (1, 2, 3).
    var counts: [Int] { [unigrams.count, bigrams.count, trigrams.count] }

    private var unigrams: [Int32: Entry] = [:]
    private var bigrams: [UInt64: Entry] = [:]
    private var trigrams: [UInt64: Entry] = [:]

    /// log10 probability and log10 back-off weight of one n-gram.
    private struct Entry: Sendable {
        var probability: Double
        var backoff: Double = 0
    }

    /// Trains the model.
    /// - Parameters:
    ///   - sentences: the training sentences, as words.
    ///   - extraWords: words to give a probability even if no sentence has them (e.g. every list value).
    init(sentences: [[String]], extraWords: Set<String> = []) {
        var index: [String: Int32] = ["<s>": 0, "</s>": 1]
        var words = ["<s>", "</s>"]
        func id(_ word: String) -> Int32 {
            if let known = index[word] { return known }
            let new = Int32(words.count)
            index[word] = new
            words.append(word)
            return new
        }
        var unigramCounts: [Int32: Double] = [:]
        var bigramCounts: [UInt64: Double] = [:]
        var trigramCounts: [UInt64: Double] = [:]
        for sentence in sentences {
            var previous: (Int32, Int32)? = nil
            var last: Int32 = 0
            for word in sentence.map(id) + [1] {
                unigramCounts[word, default: 0] += 1
                bigramCounts[Self.key(last, word), default: 0] += 1
                if let previous { trigramCounts[Self.key(previous.0, previous.1, word), default: 0] += 1 }
                previous = (last, word)
                last = word
            }
        }
        for word in extraWords.sorted() { _ = id(word) }
        vocabulary = words

        // Unigrams: add-one over every word but <s>.
        let total = unigramCounts.values.reduce(0, +) + Double(words.count - 1)
        var p1: [Int32: Double] = [:]
        for word in 1..<Int32(words.count) { p1[word] = (unigramCounts[word, default: 0] + 1) / total }

        // Bigrams.
        let d2 = Self.discount(bigramCounts)
        var history2: [Int32: (total: Double, seen: [(Int32, Double)])] = [:]
        for (key, count) in bigramCounts {
            let (h, w) = Self.split2(key)
            history2[h, default: (0, [])].total += count
            history2[h]!.seen.append((w, count))
        }
        var p2: [UInt64: Double] = [:]
        var alpha2: [Int32: Double] = [:]
        for (h, entry) in history2 {
            var mass = 0.0
            var lowerMass = 0.0
            for (w, count) in entry.seen {
                let p = (count - d2) / entry.total
                p2[Self.key(h, w)] = p
                mass += p
                lowerMass += p1[w]!
            }
            alpha2[h] = (1 - mass) / max(1e-9, 1 - lowerMass)
        }
        func backedOff2(_ h: Int32, _ w: Int32) -> Double {
            p2[Self.key(h, w)] ?? (alpha2[h] ?? 1) * p1[w]!
        }

        // Trigrams.
        let d3 = Self.discount(trigramCounts)
        var history3: [UInt64: (total: Double, seen: [(Int32, Double)])] = [:]
        for (key, count) in trigramCounts {
            let (h1, h2, w) = Self.split3(key)
            history3[Self.key(h1, h2), default: (0, [])].total += count
            history3[Self.key(h1, h2)]!.seen.append((w, count))
        }
        var alpha3: [UInt64: Double] = [:]
        for (h, entry) in history3 {
            let (h1, h2) = Self.split2(h)
            var mass = 0.0
            var lowerMass = 0.0
            for (w, count) in entry.seen {
                let p = (count - d3) / entry.total
                trigrams[Self.key(h1, h2, w)] = Entry(probability: log10(p))
                mass += p
                lowerMass += backedOff2(h2, w)
            }
            alpha3[h] = (1 - mass) / max(1e-9, 1 - lowerMass)
        }

        unigrams[0] = Entry(probability: -99, backoff: log10(alpha2[0] ?? 1))
        for (word, p) in p1 { unigrams[word] = Entry(probability: log10(p), backoff: log10(alpha2[word] ?? 1)) }
        for (key, p) in p2 { bigrams[key] = Entry(probability: log10(p), backoff: log10(alpha3[key] ?? 1)) }
    }

    /// The model in ARPA format.
    var arpa: String {
        var lines = ["\\data\\", "ngram 1=\(unigrams.count)", "ngram 2=\(bigrams.count)", "ngram 3=\(trigrams.count)", ""]
        func number(_ value: Double) -> String { String(format: "%.5f", value) }
        lines.append("\\1-grams:")
        for (word, entry) in unigrams.sorted(by: { $0.key < $1.key }) {
            lines.append("\(number(entry.probability)) \(vocabulary[Int(word)]) \(number(entry.backoff))")
        }
        lines.append("")
        lines.append("\\2-grams:")
        for (key, entry) in bigrams.sorted(by: { $0.key < $1.key }) {
            let (h, w) = Self.split2(key)
            lines.append(
                "\(number(entry.probability)) \(vocabulary[Int(h)]) \(vocabulary[Int(w)]) \(number(entry.backoff))")
        }
        lines.append("")
        lines.append("\\3-grams:")
        for (key, entry) in trigrams.sorted(by: { $0.key < $1.key }) {
            let (h1, h2, w) = Self.split3(key)
            lines.append(
                "\(number(entry.probability)) \(vocabulary[Int(h1)]) \(vocabulary[Int(h2)]) \(vocabulary[Int(w)])")
        }
        lines.append("")
        lines.append("\\end\\")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The absolute discount for n-grams with these counts: n1 / (n1 + 2 n2) (Ney's estimate), within 0.1…0.9.
    private static func discount<K>(_ counts: [K: Double]) -> Double {
        let once = Double(counts.values.filter { $0 == 1 }.count)
        let twice = Double(counts.values.filter { $0 == 2 }.count)
        guard once + twice > 0 else { return 0.5 }
        return min(0.9, max(0.1, once / (once + 2 * twice)))
    }

    private static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 21 | UInt64(UInt32(b)) }
    private static func key(_ a: Int32, _ b: Int32, _ c: Int32) -> UInt64 {
        UInt64(UInt32(a)) << 42 | UInt64(UInt32(b)) << 21 | UInt64(UInt32(c))
    }
    private static func split2(_ key: UInt64) -> (Int32, Int32) {
        (Int32(key >> 21 & 0x1F_FFFF), Int32(key & 0x1F_FFFF))
    }
    private static func split3(_ key: UInt64) -> (Int32, Int32, Int32) {
        (Int32(key >> 42 & 0x1F_FFFF), Int32(key >> 21 & 0x1F_FFFF), Int32(key & 0x1F_FFFF))
    }
}
