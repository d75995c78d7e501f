import ArgumentParser
import HarkAudio
import HarkSpeech

/// `hark say "TEXT"`: text to speech, played on an ALSA device or written to a WAV file.
struct SayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "say", abstract: "Speak text aloud, or write it to a WAV file with -o.")

    @Argument(help: "The text to speak.") var text: String
    @Option(name: .shortAndLong, help: "Write a WAV file instead of playing.") var output: String?
    @Option(help: "eSpeak NG voice, e.g. en-us, en-us+f2, en+m3 (default: from config).") var voice: String?
    @Option(help: "Speaking rate in words per minute (default: from config, 175).") var rate: Int?
    @Option(help: "Pitch, 0 to 100 (default: from config, 50).") var pitch: Int?
    @Option(help: "ALSA playback device (default: from config, 'default').") var device: String?
    @Flag(help: "Read the text as SSML.") var ssml = false
    @OptionGroup var models: ModelOptions

    func validate() throws {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("nothing to say: the text is empty")
        }
        if let rate, !(80...450).contains(rate) { throw ValidationError("--rate must be between 80 and 450") }
        if let pitch, !(0...100).contains(pitch) { throw ValidationError("--pitch must be between 0 and 100") }
    }

    func run() async throws {
        let config = try models.configuration()
        var chosen = config.voice
        if let voice { chosen.name = voice }
        if let rate { chosen.rate = rate }
        if let pitch { chosen.pitch = pitch }
        let audio = try await Synthesizer.shared.synthesize(text, voice: chosen, ssml: ssml)
        if let output {
            try WAVFile.write(audio, to: output)
        } else {
            let playback = try AudioPlayback(device: device ?? config.audio.playbackDevice, format: audio.format)
            defer { playback.close() }
            try playback.write(audio)
            try playback.drain()
        }
    }
}

import Foundation
