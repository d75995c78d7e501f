import Foundation
import HarkAudio
import HarkRuntime
import HarkSpeech
import HarkVoice

/// Wake-phrase benchmark: detection rate on "wake phrase + request" and false alarms per hour on requests said
/// without it, for (b) Hark's wake-required decoder (`VoiceRecognizer`, `requireWake: true`) and
/// (c) a wake-only grammar ("hey hark" or a loop of the skills' words as garbage). eSpeak NG voices × the skills'
/// test sentences (`Skills/*/tests/en.yaml`). Usage: `WakeBench [SENTENCES_PER_SKILL] [WAKE PHRASE]`.
@main
struct WakeBench {
    static let voices = ["en-us", "en-us+f2", "en+m3", "en-us+f4"]

    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let perSkill = arguments.first.flatMap(Int.init) ?? 12
        let wakeText = arguments.dropFirst().joined(separator: " ").isEmpty
            ? "hey hark" : arguments.dropFirst().joined(separator: " ")
        let wakeWords = wakeText.lowercased().split(separator: " ").map(String.init)
        let wake = wakeWords.joined(separator: " ")
        let sentences = try testSentences(perSkill: perSkill)
        print("wake phrase '\(wake)': \(sentences.count) test sentences × \(voices.count) voices")

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wakebench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        var configuration = HarkConfiguration()
        configuration.wakePhrase = wakeText
        let assistant = try HarkEnvironment(
            paths: HarkPaths(configFile: home + "/config.yaml", dataDirectory: home), configuration: configuration
        ).makeAssistant()
        let engine = assistant.intentEngine

        var started = ContinuousClock.now
        let full = try await VoiceRecognizer(assistant: assistant, wakePhrase: wakeText)
        print(String(format: "(b) Hark's wake-required decoder: loaded in %.0f ms", ms(since: started)))
        // (c) the wake phrase alone against a garbage loop of every word the skills use.
        let dictionary = try String(contentsOfFile: SpeechModelPaths.debianDefault.dictionary, encoding: .utf8)
        let known = Set(dictionary.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        let vocabulary = engine.vocabulary().subtracting(wakeWords).filter(known.contains).sorted()
        started = ContinuousClock.now
        let spotter = try Recognizer(grammar: .jsgf(
            "#JSGF V1.0;\ngrammar wake;\n<garbage> = (\(vocabulary.joined(separator: " | ")));\n"
                + "public <wake> = \(wake) [<garbage>+] | <garbage>+;\n", name: "wake"))
        print(String(format: "(c) wake-only grammar + garbage (%d words): loaded in %.0f ms", vocabulary.count,
                     ms(since: started)))

        var results = ["b": Tally(), "c": Tally()]
        for (index, sentence) in sentences.enumerated() {
            let voice = Voice(name: voices[index % voices.count], rate: [150, 175, 195][index % 3])
            let positive = try await Synthesizer.shared.synthesizeForRecognition(
                "\(wake), \(sentence)", voice: voice)
            let negative = try await Synthesizer.shared.synthesizeForRecognition(sentence, voice: voice)
            for (audio, isWake) in [(positive, true), (negative, false)] {
                var clock = ContinuousClock.now
                let heardB = try await full.recognize(audio, requireWake: true).heardWakePhrase
                results["b"]!.add(isWake: isWake, heard: heardB, seconds: audio.duration, ms: ms(since: clock))
                clock = ContinuousClock.now
                let heardC = try await spotter.transcribe(audio).text.split(separator: " ").prefix(wakeWords.count)
                    .map(String.init) == wakeWords
                results["c"]!.add(isWake: isWake, heard: heardC, seconds: audio.duration, ms: ms(since: clock))
            }
        }
        for key in ["b", "c"] { print("(\(key)) " + results[key]!.summary) }
        await assistant.shutdown()
    }

    struct Tally {
        var positives = 0, detected = 0, negatives = 0, falseAlarms = 0
        var negativeSeconds = 0.0, milliseconds = 0.0, audioSeconds = 0.0

        mutating func add(isWake: Bool, heard: Bool, seconds: Double, ms: Double) {
            if isWake {
                positives += 1
                if heard { detected += 1 }
            } else {
                negatives += 1
                negativeSeconds += seconds
                if heard { falseAlarms += 1 }
            }
            milliseconds += ms
            audioSeconds += seconds
        }

        var summary: String {
            String(format: "detected %d/%d (%.1f %%); false alarms %d/%d on %.1f min of non-wake speech = %.1f per hour;"
                + " RTF %.3f", detected, positives, 100 * Double(detected) / Double(max(1, positives)), falseAlarms,
                negatives, negativeSeconds / 60, Double(falseAlarms) / max(1e-9, negativeSeconds / 3600),
                milliseconds / 1000 / max(1e-9, audioSeconds))
        }
    }

    static func ms(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// The first `perSkill` test sentences of each skill (`text:` entries), lowercased, digits left out.
    static func testSentences(perSkill: Int) throws -> [String] {
        let folder = "Skills"
        var sentences: [String] = []
        for skill in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            guard let text = try? String(contentsOfFile: "\(folder)/\(skill)/tests/en.yaml", encoding: .utf8) else {
                continue
            }
            let regex = try NSRegularExpression(pattern: #"text:\s*"?([^,"}\n#]+)"#)
            let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
            var taken = 0
            for match in matches where taken < perSkill {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let sentence = text[range].trimmingCharacters(in: .whitespaces).lowercased()
                guard !sentence.isEmpty, sentence.rangeOfCharacter(from: .decimalDigits) == nil else { continue }
                sentences.append(sentence)
                taken += 1
            }
        }
        return sentences
    }
}
