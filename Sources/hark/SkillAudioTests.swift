import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkSkillKit
import HarkVoice

/// A skill folder's recordings kept as tests: `tests/audio/labels.json` (the speech-to-intent benchmark's format, file
/// name → `{"intent": …, "slots": {…}}`) beside `tests/audio/*.wav`. `hark skills test DIR` plays each recording
/// through the voice pipeline with the skill alone (as a request after the wake phrase) and checks the benchmark's
/// rule: the skill acted on the labelled intent, and every labelled slot has the labelled value (extra slots pass).
struct SkillAudioTests {
    /// One recording and what it must mean.
    struct Case {
        var file: String
        var intent: String
        var slots: [String: String]
    }

    /// The folder with the recordings.
    let folder: String
    /// The recordings, by file name.
    let cases: [Case]

    /// The audio tests of `skillFolder`, nil when it has no `tests/audio/labels.json`.
    init?(skillFolder: String) throws {
        folder = skillFolder + "/tests/audio"
        let labelsFile = folder + "/labels.json"
        guard FileManager.default.fileExists(atPath: labelsFile) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: labelsFile))
        guard let labels = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw SkillAudioTestError("\(labelsFile): not an object of file name → {\"intent\", \"slots\"}")
        }
        cases = try labels.keys.sorted().map { file in
            guard let intent = labels[file]?["intent"] as? String else {
                throw SkillAudioTestError("\(labelsFile): \(file) has no \"intent\"")
            }
            let slots = (labels[file]?["slots"] as? [String: Any] ?? [:]).mapValues {
                "\($0)".trimmingCharacters(in: .whitespaces)
            }
            return Case(file: file, intent: intent, slots: slots)
        }
    }

    /// Plays every recording to an assistant with `skills` only; returns how many passed and each failure.
    func run(
        skillID: String, configuration: HarkConfiguration,
        skills: (_ database: HarkDatabase, _ dataFolder: String) throws -> [InstalledSkill]
    ) async throws -> (passed: Int, failures: [String]) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hark-audiotest-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let database = try HarkDatabase(path: home + "/hark.sqlite")
        let assistant = try Assistant(
            skills: try skills(database, home), database: database, options: AssistantOptions(dataDirectory: home))
        let recognizer: VoiceRecognizer
        do {
            recognizer = try await VoiceRecognizer(
                assistant: assistant, models: configuration.speechModels, wakePhrase: configuration.wakePhrase)
        } catch {
            await assistant.shutdown()
            throw error
        }
        var passed = 0
        var failures: [String] = []
        for test in cases {
            let name = "tests/audio/\(test.file)"
            do {
                let audio = try WAVFile.read(path: folder + "/" + test.file).speechChunk(converter: AudioConverter())
                var heard = ""
                var doubted = false
                if let speech = Endpointer.speechSpan(of: audio) {
                    let (transcript, _, _) = try await recognizer.stream(speech, requireWake: false)
                    (heard, doubted) = (transcript.text, transcript.doubt != nil)
                }
                let reply = await assistant.respond(to: heard, misheard: doubted)
                if let problem = Self.problem(test, reply: reply, skillID: skillID) {
                    failures.append("\(name): heard \"\(heard)\": \(problem)")
                } else {
                    passed += 1
                }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        await assistant.shutdown()
        return (passed, failures)
    }

    /// Nil when the reply acts on the labelled intent with every labelled slot value, else what differs.
    static func problem(_ test: Case, reply: AssistantReply, skillID: String) -> String? {
        guard reply.skill == skillID, let intent = reply.intent else {
            return reply.questionIntent != nil ? "asked back (\"\(reply.reply)\")" : "not understood (\"\(reply.reply)\")"
        }
        guard intent == test.intent else { return "intent \(intent), not \(test.intent)" }
        for (slot, value) in test.slots.sorted(by: { $0.key < $1.key }) {
            let got = reply.slots[slot]?.description
            if got != value { return "slot \(slot) is \(got ?? "missing"), not \(value)" }
        }
        return nil
    }
}

/// A `tests/audio/labels.json` that cannot be used.
struct SkillAudioTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
