import Foundation
import HarkAssistant
import HarkSkillKit
import HarkUnderstanding

/// Checks a skill folder before it is installed (`hark skills lint`): the manifest, templates, responses
/// and tests parse; the program of an exec skill exists; no sentence of the skill is taken by (or takes)
/// another installed skill's intent; and every word of its sentences is in the pronunciation dictionary
/// (a word missing there is one the recogniser cannot hear).
public struct SkillLinter: Sendable {
    /// What lint found.
    public struct Report: Sendable {
        /// The skill, when its folder could be read.
        public var skillID: String?
        /// Problems that stop the skill from working (malformed files, missing program).
        public var errors: [String] = []
        /// Sentences that another skill also claims.
        public var collisions: [String] = []
        /// Words of the skill's sentences missing from the pronunciation dictionary.
        public var unknownWords: [String] = []
        /// Number of sample sentences checked for collisions.
        public var samplesChecked = 0

        /// True when nothing at all was found.
        public var isClean: Bool { errors.isEmpty && collisions.isEmpty && unknownWords.isEmpty }

        /// The report as lines: `lint: …`.
        public var lines: [String] {
            var lines = errors.map { "error: \($0)" }
            lines += collisions.map { "collision: \($0)" }
            if !unknownWords.isEmpty {
                lines.append(
                    "lint: \(unknownWords.count) word\(unknownWords.count == 1 ? "" : "s") "
                        + "not in the pronunciation dictionary: "
                        + unknownWords.joined(separator: ", "))
            }
            return lines
        }
    }

    /// The PocketSphinx pronunciation dictionary.
    public var dictionaryPath: String
    /// Sample sentences per intent to check for collisions.
    public var samplesPerIntent: Int

    public init(
        dictionaryPath: String = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict", samplesPerIntent: Int = 8
    ) {
        self.dictionaryPath = dictionaryPath
        self.samplesPerIntent = samplesPerIntent
    }

    /// Lints `folder` against the skills `installed` (a skill with the same id is left out: it is the one
    /// being replaced).
    public func lint(folder: String, installed: [SkillTemplates]) -> Report {
        var report = Report()
        let package: SkillPackage
        do {
            package = try SkillPackage.load(folder: folder, variation: .first)
        } catch {
            report.errors.append("\(error)")
            return report
        }
        report.skillID = package.manifest.id
        if case .exec(let command) = package.manifest.entry {
            let probe = ExecSkill(package: package, command: command, dataDirectory: NSTemporaryDirectory())
            do { _ = try probe.resolveProgram() } catch { report.errors.append("\(folder)/skill.yaml: \(error)") }
        }
        if let tests = package.testsFile {
            do { _ = try SkillTestFile.load(path: tests) } catch { report.errors.append("\(error)") }
        }
        do {
            let others = installed.filter { $0.skill != package.manifest.id }
            let engine = try IntentEngine(skills: others + [package.templates])
            report.collisions = collisions(of: package.manifest.id, in: engine, report: &report)
            let own = try IntentEngine(skills: [package.templates])
            report.unknownWords = try unknownWords(own.vocabulary())
        } catch {
            report.errors.append("\(error)")
        }
        return report
    }

    /// Sample sentences of every skill whose best reading crosses between `skill` and another skill.
    func collisions(of skill: String, in engine: IntentEngine, report: inout Report) -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        let reference = MatchContext(now: Date(timeIntervalSince1970: 1_767_261_600))
        for sample in engine.sampleSentences(limit: 5000, perIntent: samplesPerIntent, seed: 1, reference: reference) {
            guard seen.insert(sample.text).inserted else { continue }
            var context = reference
            context.values.merge(sample.context) { _, new in new }
            let result = engine.match(sample.text, context: context)
            guard let best = result.best else { continue }
            let tied = [best] + result.alternatives.filter { $0.isComplete && $0.score == best.score }
            let skills = Set(tied.map(\.skill))
            let crosses =
                (sample.skill == skill && skills != [skill]) || (sample.skill != skill && skills.contains(skill))
            guard sample.skill == skill || skills.contains(skill) else { continue }
            report.samplesChecked += sample.skill == skill ? 1 : 0
            guard crosses else { continue }
            let winners = tied.map { "\($0.skill)/\($0.intent)" }.joined(separator: " and ")
            found.append("\"\(sample.text)\" (a sentence of \(sample.skill)/\(sample.intent)) goes to \(winners)")
        }
        return found
    }

    /// Words of `vocabulary` that the dictionary lacks, sorted.
    func unknownWords(_ vocabulary: Set<String>) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: dictionaryPath) else {
            throw SkillError.invalid("\(dictionaryPath): cannot read the pronunciation dictionary")
        }
        var known = Set<Substring>()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let word = line.split(separator: " ", maxSplits: 1).first else { continue }
            known.insert(word.split(separator: "(").first ?? word)
        }
        return vocabulary.filter { !known.contains(Substring($0.lowercased())) }.sorted()
    }
}
