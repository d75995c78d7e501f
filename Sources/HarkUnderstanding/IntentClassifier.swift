import Foundation

/// Hark's statistical second opinion: which intent a sentence most likely means when no template says so, learnt
/// from the active skills' own sentences (and their lists' values) when the skills load.
///
/// A multinomial logistic regression over word stems and stem pairs. Its training sentences are the templates'
/// sentences drawn at random (``IntentEngine/sampleSentences(limit:perIntent:seed:reference:)``), each also with an
/// unknown word put in (people say more than the templates: "olly, turn off the lights"). An extra class,
/// *out of scope*, learns from the same sentences with every word that marks an intent (every word but English's
/// closed-class words: articles, pronouns, prepositions, auxiliaries) replaced by an unknown word: a sentence made of "what is the … in …" and words no skill
/// uses is nobody's. So "play a song from my favourites" is out of scope and "shut the lights off please" is
/// `TurnOff`, with no list of out-of-scope sentences to keep up to date.
///
/// Training is deterministic (a fixed seed) and takes milliseconds to a second; ``load(engine:cacheDirectory:options:)``
/// keeps the weights in a file named by the hash of the skills' sentences, lists and rules (and ``formatVersion``:
/// bump it whenever training changes), so a skill author's new sentences are picked up at the next start and
/// unchanged skills are not trained twice.
public final class IntentClassifier: Sendable {
    /// One class the classifier can answer.
    public struct Label: Sendable, Hashable, Codable {
        /// The skill id; empty for out of scope.
        public let skill: String
        /// The intent name; empty for out of scope.
        public let intent: String
        /// True for the out-of-scope class.
        public var isOutOfScope: Bool { skill.isEmpty }
    }

    /// A class and its probability.
    public struct Guess: Sendable, Hashable {
        public let label: Label
        public let probability: Double
        /// The words of the sentence that the class's own sentences use, function words aside (its markers:
        /// "lights", "recipe", "forecast"); empty for out of scope.
        public let markers: [String]
        /// The share of the sentence's telling words (every word but the function words, unknown words included) that are the class's markers: 1 when everything said belongs to the intent.
        public let coverage: Double
        /// True when every telling word the skills know (number words count as known) is one of the class's markers:
        /// nothing said belongs to another intent ("count to five hundred" is not "count to five").
        public let onlyOwnKnownWords: Bool
    }

    /// How the classifier is trained.
    public struct Options: Sendable, Hashable {
        /// Training sentences drawn per intent.
        public var samplesPerIntent = 300
        /// Passes over the training sentences.
        public var epochs = 12
        /// L2 regularisation per update.
        public var l2 = 1e-5
        /// The random seed.
        public var seed: UInt64 = 0x4841_524B

        public init() {}
    }

    /// The classes: every intent of every skill but Hark's own (stop, yes, no …), then out of scope.
    public let labels: [Label]
    /// Hash of the training sentences and options: the cache key.
    public let contentHash: UInt64
    let featureIndex: [String: Int32]
    /// Stems seen in training.
    let vocabulary: Set<String>
    /// Stems of English's closed-class words (``PhraseShape/functionWords``).
    let functionWords: Set<String>
    /// Per label, the stems of its sentences that are not function words (wildcards' words aside): its markers.
    let markers: [Set<String>]
    /// `features × labels`, row-major by feature.
    let weights: [Float]
    let bias: [Float]

    /// The word that stands for any word the skills never use (and for a wildcard's words in training).
    static let unknown = "xxunknown"
    static let formatVersion: UInt64 = 6

    init(
        labels: [Label], contentHash: UInt64, features: [String], vocabulary: Set<String>,
        functionWords: Set<String>, markers: [Set<String>], weights: [Float], bias: [Float]
    ) {
        self.markers = markers
        self.labels = labels
        self.contentHash = contentHash
        var index: [String: Int32] = [:]
        for (position, feature) in features.enumerated() { index[feature] = Int32(position) }
        self.featureIndex = index
        self.vocabulary = vocabulary
        self.functionWords = functionWords
        self.weights = weights
        self.bias = bias
    }

    // MARK: Reading

    /// Every class with its probability, most likely first.
    public func classify(_ text: String) -> [Guess] {
        // A function word the skills' sentences never use ("could", "you", "please") says nothing either way: it is
        // left out rather than counted as an unknown word.
        let words = TextNormalizer.words(text).filter {
            let stem = Self.stem($0)
            return vocabulary.contains(stem) || !functionWords.contains(stem)
        }
        let known = stems(words).map { vocabulary.contains($0) ? $0 : Self.unknown }
        let probabilities = softmax(featureIDs(known))
        let telling = known.filter { !functionWords.contains($0) }
        // Words the skills know, and number words (known to every skill through the number types).
        let knownTelling = zip(words, known).compactMap { word, stem -> String? in
            guard !functionWords.contains(stem) else { return nil }
            if stem != Self.unknown { return stem }
            return NumberWords.unitValues[word] != nil || NumberWords.tenValues[word] != nil
                || NumberWords.scaleValues[word] != nil || word == "hundred" ? word : nil
        }
        return labels.indices.map { index in
            let found = telling.filter { markers[index].contains($0) }
            return Guess(
                label: labels[index], probability: Double(probabilities[index]), markers: found,
                coverage: telling.isEmpty ? 0 : Double(found.count) / Double(telling.count),
                onlyOwnKnownWords: knownTelling.allSatisfy { markers[index].contains($0) })
        }
            .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.label.skill < $1.label.skill }
    }

    /// True when `text` names something the skills' sentences never say: every word that is not a function word
    /// is unknown to them ("miami florida", not "update" or "coming week"). A wildcard the fallback fills must be
    /// such a name.
    public func isForeign(_ text: String) -> Bool {
        let telling = stems(TextNormalizer.words(text)).filter { !functionWords.contains($0) }
        return !telling.isEmpty && telling.allSatisfy { !vocabulary.contains($0) }
    }

    private func softmax(_ features: [Int32]) -> [Float] {
        var scores = bias
        for feature in features {
            let row = Int(feature) * labels.count
            for label in 0..<labels.count { scores[label] += weights[row + label] }
        }
        let top = scores.max() ?? 0
        var total: Float = 0
        for label in scores.indices {
            scores[label] = exp(scores[label] - top)
            total += scores[label]
        }
        return scores.map { $0 / total }
    }

    private func featureIDs(_ stems: [String]) -> [Int32] {
        Self.featureNames(stems).compactMap { featureIndex[$0] }
    }

    /// Stems, unigrams and neighbouring pairs (the sentence's edges included).
    static func featureNames(_ stems: [String]) -> [String] {
        var names = stems.map { "w:" + $0 }
        let padded = ["^"] + stems + ["$"]
        for position in 0..<(padded.count - 1) { names.append("p:" + padded[position] + " " + padded[position + 1]) }
        return names
    }

    func stems(_ words: [String]) -> [String] { words.map(Self.stem) }

    /// A light English stemmer: plural, past and -ing endings off ("lights" → "light", "dimmed" → "dim",
    /// "lighting" → "light", "recipes" → "recipe"), so one form in a template covers the others.
    static func stem(_ word: String) -> String {
        var word = word
        if word.hasSuffix("'s") { word.removeLast(2) }
        if word.count > 4, word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if ["hundred", "need", "bed", "red", "shed", "seed", "speed", "feed", "weed"].contains(word) { return word }
        for suffix in ["ing", "ed"] where word.count > suffix.count + 2 && word.hasSuffix(suffix) {
            var base = String(word.dropLast(suffix.count))
            if let last = base.last, base.count > 2, base.dropLast().last == last, !"aeiouls".contains(last) {
                base.removeLast()  // "dimmed" → "dim"
            }
            return base
        }
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us") { return String(word.dropLast()) }
        return word
    }

    // MARK: Training

    /// Trains on `engine`'s sentences.
    public static func train(engine: IntentEngine, options: Options = Options()) -> IntentClassifier {
        TrainingData(engine: engine, options: options).train(contentHash: contentHash(engine, options))
    }

    /// The classifier for `engine`'s skills: the one this process already has for the same templates, else the one
    /// cached in `cacheDirectory`, else a newly trained one (then written there). A cache file that cannot be read
    /// is trained over; one that cannot be written is not an error.
    public static func load(engine: IntentEngine, cacheDirectory: String?, options: Options = Options())
        -> IntentClassifier
    {
        let hash = contentHash(engine, options)
        let file = cacheDirectory.map { $0 + "/intent-classifier-\(String(hash, radix: 16)).bin" }
        let known = memory.value(hash)
        if known == nil, let file, let cached = FileManager.default.contents(atPath: file).flatMap({ try? decode($0) }),
            cached.contentHash == hash
        {
            return memory.keep(cached)
        }
        let classifier = known ?? TrainingData(engine: engine, options: options).train(contentHash: hash)
        if let cacheDirectory, let file, known == nil || !FileManager.default.fileExists(atPath: file) {
            try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            // Atomic: another process starting at the same moment reads the whole model or none.
            try? classifier.encoded().write(to: URL(fileURLWithPath: file), options: .atomic)
        }
        return memory.keep(classifier)
    }

    /// The hash of everything training reads: every skill's sentences, rules, lists and skip words, and the options.
    static func contentHash(_ engine: IntentEngine, _ options: Options) -> UInt64 {
        var hash = FNV1a()
        hash.add("\(formatVersion) \(options.samplesPerIntent) \(options.epochs) \(options.l2) \(options.seed)")
        hash.add(engine.options.defaultSkipWords.joined(separator: "|"))
        for skill in engine.compiled.resolved.map(\.templates) {
            hash.add(skill.skill)
            hash.add(skill.skipWords.joined(separator: "|"))
            for intent in skill.intents {
                hash.add(intent.name)
                for block in intent.data {
                    for sentence in block.sentences { hash.add(sentence.text) }
                    for key in block.fixedSlots.keys.sorted() { hash.add("\(key)=\(block.fixedSlots[key]!)") }
                    for key in block.requiresContext.keys.sorted() { hash.add("requires \(key)") }
                }
            }
            for name in skill.expansionRules.keys.sorted() { hash.add("<\(name)> \(skill.expansionRules[name]!.text)") }
            for name in skill.lists.keys.sorted() {
                let list = skill.lists[name]!
                hash.add("{\(name)} \(list.multiple)")
                switch list.kind {
                case .values(let values): for value in values { hash.add("\(value.spoken.text)=\(value.value)") }
                case .range(let range): hash.add("\(range.from) \(range.to) \(range.step) \(range.type)")
                case .wildcard: hash.add("*")
                case .builtin(let type): hash.add("\(type)")
                }
            }
        }
        return hash.value
    }

    /// Classifiers this process trained or read, by content hash: every assistant over the same skills shares one.
    private static let memory = Memory()

    private final class Memory: @unchecked Sendable {
        private let lock = NSLock()
        private var classifiers: [UInt64: IntentClassifier] = [:]

        func value(_ hash: UInt64) -> IntentClassifier? { lock.withLock { classifiers[hash] } }

        func keep(_ classifier: IntentClassifier) -> IntentClassifier {
            lock.withLock { classifiers[classifier.contentHash] = classifier }
            return classifier
        }
    }

    // MARK: Cache file: a JSON header line, then the weights and biases as little-endian floats.

    private struct Header: Codable {
        var version: UInt64
        var contentHash: UInt64
        var labels: [Label]
        var features: [String]
        var vocabulary: [String]
        var functionWords: [String]
        var markers: [[String]]
    }

    func encoded() -> Data {
        let features = featureIndex.sorted { $0.value < $1.value }.map(\.key)
        let header = Header(
            version: Self.formatVersion, contentHash: contentHash, labels: labels, features: features,
            vocabulary: vocabulary.sorted(), functionWords: functionWords.sorted(),
            markers: markers.map { $0.sorted() })
        var data = (try? JSONEncoder().encode(header)) ?? Data()
        data.append(0x0A)
        for value in weights + bias { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) throws -> IntentClassifier {
        struct Broken: Error {}
        guard let newline = data.firstIndex(of: 0x0A) else { throw Broken() }
        let header = try JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline])
        guard header.version == formatVersion else { throw Broken() }
        let floats = data[(newline + 1)...]
        let count = header.features.count * header.labels.count + header.labels.count
        guard floats.count == count * 4 else { throw Broken() }
        var values = [Float](repeating: 0, count: count)
        floats.withUnsafeBytes { raw in
            for index in 0..<count {
                values[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
        let split = header.features.count * header.labels.count
        return IntentClassifier(
            labels: header.labels, contentHash: header.contentHash, features: header.features,
            vocabulary: Set(header.vocabulary), functionWords: Set(header.functionWords),
            markers: header.markers.map(Set.init), weights: Array(values[..<split]), bias: Array(values[split...]))
    }
}

/// The training sentences of one set of skills, and the training itself.
private struct TrainingData {
    let options: IntentClassifier.Options
    let labels: [IntentClassifier.Label]
    /// (label index, stems) per training sentence, in-scope ones only.
    let sentences: [(label: Int, stems: [String])]

    init(engine: IntentEngine, options: IntentClassifier.Options) {
        self.options = options
        let samples = engine.sampleSentences(
            limit: .max, perIntent: options.samplesPerIntent, seed: options.seed, wildcardWord: IntentClassifier.unknown)
            .filter { $0.skill != "hark" }
        var labels: [IntentClassifier.Label] = []
        var labelIndex: [IntentClassifier.Label: Int] = [:]
        var sentences: [(label: Int, stems: [String])] = []
        for sample in samples {
            let label = IntentClassifier.Label(skill: sample.skill, intent: sample.intent)
            let index = labelIndex[label] ?? {
                labels.append(label)
                labelIndex[label] = labels.count - 1
                return labels.count - 1
            }()
            sentences.append((index, TextNormalizer.words(sample.text).map(IntentClassifier.stem)))
        }
        labels.append(IntentClassifier.Label(skill: "", intent: ""))
        self.labels = labels
        self.sentences = sentences
    }

    func train(contentHash: UInt64) -> IntentClassifier {
        let outOfScope = labels.count - 1
        let vocabulary = Set(sentences.flatMap(\.stems))
        // Function words: English's closed classes, which mark no intent whatever the skills are, and — where there are
        // enough intents to tell — the words a third of them share ("what", "is", "list" across many intents).
        var functionWords = Set(PhraseShape.functionWords.map(IntentClassifier.stem))
        let intentCount = labels.count - 1
        if intentCount >= 10 {
            var intentsUsing: [String: Set<Int>] = [:]
            for sentence in sentences { for stem in sentence.stems { intentsUsing[stem, default: []].insert(sentence.label) } }
            functionWords.formUnion(intentsUsing.filter { $0.value.count * 3 >= intentCount }.keys)
        }

        var random = SplitMix64(seed: options.seed)
        var examples: [(label: Int, stems: [String])] = []
        let unknown = IntentClassifier.unknown
        for sentence in sentences {
            examples.append(sentence)
            var noisy = sentence.stems
            for _ in 0..<(1 + random.next() % 2) { noisy.insert(unknown, at: Int(random.next() % UInt64(noisy.count + 1))) }
            examples.append((sentence.label, noisy))
            if random.next() % 2 == 0 {
                examples.append((outOfScope, sentence.stems.map { functionWords.contains($0) ? $0 : unknown }))
            }
        }

        var featureIndex: [String: Int32] = [:]
        var features: [String] = []
        let encoded: [(label: Int, features: [Int32])] = examples.map { example in
            let ids = IntentClassifier.featureNames(example.stems).map { name -> Int32 in
                if let id = featureIndex[name] { return id }
                featureIndex[name] = Int32(features.count)
                features.append(name)
                return Int32(features.count - 1)
            }
            return (example.label, ids)
        }

        // Stochastic gradient descent on the cross-entropy, examples shuffled each epoch.
        let classes = labels.count
        var weights = [Float](repeating: 0, count: features.count * classes)
        var bias = [Float](repeating: 0, count: classes)
        var order = Array(encoded.indices)
        var scores = [Float](repeating: 0, count: classes)
        let decay = Float(1 - options.l2)
        for epoch in 0..<options.epochs {
            order.shuffle(using: &random)
            let rate = Float(0.5 / (1 + Double(epoch)))
            for index in order {
                let example = encoded[index]
                for label in 0..<classes { scores[label] = bias[label] }
                for feature in example.features {
                    let row = Int(feature) * classes
                    for label in 0..<classes { scores[label] += weights[row + label] }
                }
                let top = scores.max() ?? 0
                var total: Float = 0
                for label in 0..<classes {
                    scores[label] = exp(scores[label] - top)
                    total += scores[label]
                }
                for label in 0..<classes {
                    let gradient = scores[label] / total - (label == example.label ? 1 : 0)
                    bias[label] -= rate * gradient
                    for feature in example.features {
                        let cell = Int(feature) * classes + label
                        weights[cell] = weights[cell] * decay - rate * gradient
                    }
                }
            }
        }
        var markers = [Set<String>](repeating: [], count: labels.count)
        for sentence in sentences {
            for stem in sentence.stems where stem != unknown && !functionWords.contains(stem) {
                markers[sentence.label].insert(stem)
            }
        }
        return IntentClassifier(
            labels: labels, contentHash: contentHash, features: features, vocabulary: vocabulary.union([unknown]),
            functionWords: functionWords, markers: markers, weights: weights, bias: bias)
    }
}

/// 64-bit FNV-1a, for cache keys.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        value ^= 0x0A
        value = value &* 0x100_0000_01b3
    }
}
