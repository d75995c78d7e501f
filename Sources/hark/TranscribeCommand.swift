import ArgumentParser
import Foundation
import HarkAudio
import HarkSpeech
import HarkVoice

/// `hark transcribe FILE.wav`: speech to text only.
struct TranscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe", abstract: "Transcribe a WAV file (any PCM encoding, rate and channel count).")

    @Argument(help: "The WAV file.") var file: String
    @Flag(help: "Print the transcript as JSON (text, confidence, alternatives, word timings, the silence and noise around the words (fillers), milliseconds).")
    var json = false
    @Option(help: "A JSGF grammar to decode with; without it the generic en-us language model is used.")
    var grammar: String?
    @Option(help: "Extra pronunciations, one 'word PH O N E S' (CMU phones) per line, like Models/hark.dict.")
    var extraDictionary: String?
    @Option(help: "How many alternatives to list (0 for none: a large grammar's lattice takes long to search).")
    var alternatives = 5
    @OptionGroup var models: ModelOptions

    func run() async throws {
        let config = try models.configuration()
        let audio = try WAVFile.read(path: file)
        let start = ContinuousClock.now
        let recognizer = try Recognizer(
            models: config.speechModels, grammar: grammar.map { .jsgfFile($0) } ?? .languageModel,
            extraDictionary: try extraDictionary.map { try HarkModelFiles.pronunciations(file: $0) } ?? [:],
            nBest: alternatives)
        let loadMilliseconds = milliseconds(since: start)
        let transcript = try await recognizer.transcribe(audio.speechChunk(converter: AudioConverter()))
        if json {
            try printJSON(TranscriptReport(file: file, transcript: transcript, loadMilliseconds: loadMilliseconds))
        } else {
            print(transcript.text)
        }
    }

    /// The JSON shape of `hark transcribe --json`.
    struct TranscriptReport: Encodable {
        var file: String
        var transcript: Transcript
        var loadMilliseconds: Double

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(file, forKey: .file)
            try c.encode(transcript.text, forKey: .text)
            try c.encode(transcript.confidence, forKey: .confidence)
            try c.encode(transcript.alternatives, forKey: .alternatives)
            try c.encode(transcript.words, forKey: .words)
            try c.encode(transcript.fillers, forKey: .fillers)
            try c.encode(transcript.audioSeconds, forKey: .audioSeconds)
            try c.encode(
                ["load": loadMilliseconds, "decode": transcript.decodeMilliseconds], forKey: .timings)
        }
        enum Keys: String, CodingKey { case file, text, confidence, alternatives, words, fillers, audioSeconds, timings }
    }
}
