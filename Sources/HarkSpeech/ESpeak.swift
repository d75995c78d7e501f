// The only file that calls eSpeak NG (1.51).
import CEspeakNG
import Foundation

/// Collects the PCM that eSpeak's synchronous callback delivers; reaches the callback through `user_data`.
private final class ESpeakSink {
    var samples: [Int16] = []
}

/// eSpeak NG in synchronous mode. eSpeak is process-wide state: ``Synthesizer`` owns the only instance.
final class ESpeakEngine {
    /// Output rate of every voice (22 050 Hz).
    let sampleRate: Int

    init() throws {
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, espeakINITIALIZE_DONT_EXIT)
        guard rate > 0 else {
            throw SpeechError.synthesisFailed(
                "eSpeak NG could not initialise (is the espeak-ng-data package installed?)")
        }
        sampleRate = Int(rate)
        espeak_SetSynthCallback { samples, count, events in
            guard let userData = events?.pointee.user_data else { return 0 }
            let sink = Unmanaged<ESpeakSink>.fromOpaque(userData).takeUnretainedValue()
            if let samples, count > 0 {
                sink.samples.append(contentsOf: UnsafeBufferPointer(start: samples, count: Int(count)))
            }
            return 0  // continue
        }
    }

    /// Version of the loaded library, e.g. "1.51".
    static var version: String {
        var dataPath: UnsafePointer<CChar>?
        guard let version = espeak_Info(&dataPath) else { return "unknown" }
        return String(cString: version)
    }

    /// Loads `voice` (language, optional `+variant`) with its rate and pitch. Always reloads: SSML markup can
    /// change eSpeak's voice and prosody during a synthesis, so a cached "current voice" could be wrong.
    func load(_ voice: Voice) throws {
        guard (80...450).contains(voice.rate) else {
            throw SpeechError.invalidVoiceSetting("rate", value: voice.rate, range: 80...450)
        }
        guard (0...100).contains(voice.pitch) else {
            throw SpeechError.invalidVoiceSetting("pitch", value: voice.pitch, range: 0...100)
        }
        let parts = voice.name.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        guard let language = parts.first, !language.isEmpty else {
            throw SpeechError.unknownVoice(voice.name, reason: "no language before '+'")
        }
        // eSpeak accepts any variant name silently (and speaks the plain voice), so check it against the list.
        if parts.count == 2, !variants().contains(String(parts[1])) {
            throw SpeechError.unknownVoice(
                voice.name, reason: "no variant '\(parts[1])' (Synthesizer.listVariants() lists them)")
        }
        let status = espeak_SetVoiceByName(voice.name)
        guard status == EE_OK else {
            throw SpeechError.unknownVoice(
                voice.name, reason: "eSpeak NG has no such voice (Synthesizer.listVoices() lists them)")
        }
        guard espeak_SetParameter(espeakRATE, Int32(voice.rate), 0) == EE_OK,
            espeak_SetParameter(espeakPITCH, Int32(voice.pitch), 0) == EE_OK
        else { throw SpeechError.synthesisFailed("eSpeak NG refused rate \(voice.rate) or pitch \(voice.pitch)") }
    }

    /// Synthesises UTF-8 text (with SSML markup when `ssml` is set) in the loaded voice.
    func synthesize(_ text: String, ssml: Bool) throws -> [Int16] {
        let sink = ESpeakSink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        let flags = UInt32(espeakCHARS_UTF8) | (ssml ? UInt32(espeakSSML) : 0)
        let status = text.withCString { characters in
            espeak_Synth(characters, strlen(characters) + 1, 0, POS_CHARACTER, 0, flags, nil, context.toOpaque())
        }
        guard status == EE_OK else { throw SpeechError.synthesisFailed("espeak_Synth returned \(status.rawValue)") }
        return sink.samples
    }

    /// eSpeak's ASCII phoneme mnemonics for `text` in the loaded voice's language, clauses joined by spaces.
    func phonemes(for text: String) -> String {
        var clauses: [String] = []
        text.withCString { characters in
            var cursor: UnsafeRawPointer? = UnsafeRawPointer(characters)
            while cursor != nil {
                guard let phonemes = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0) else { break }
                let clause = String(cString: phonemes).trimmingCharacters(in: .whitespaces)
                if !clause.isEmpty { clauses.append(clause) }
            }
        }
        return clauses.joined(separator: " ")
    }

    /// Language codes of the installed voices (what `espeak_SetVoiceByName` accepts), sorted.
    func voices() -> [String] {
        guard let list = espeak_ListVoices(nil) else { return [] }
        var languages: Set<String> = []
        var index = 0
        while let voice = list[index] {
            // `languages` is a list of (priority byte, language string) pairs; the first names the voice.
            if let entry = voice.pointee.languages, entry.pointee != 0 {
                languages.insert(String(cString: entry + 1))
            }
            index += 1
        }
        return languages.sorted()
    }

    /// Names of the voice variants (`f2`, `m3`, `klatt`, ...) that can follow a language after `+`, sorted.
    func variants() -> [String] {
        "variant".withCString { variant in
            var specification = espeak_VOICE()
            specification.languages = variant
            guard let list = espeak_ListVoices(&specification) else { return [] }
            var names: [String] = []
            var index = 0
            while let voice = list[index] {
                if let identifier = voice.pointee.identifier {
                    let path = String(cString: identifier)
                    names.append(path.hasPrefix("!v/") ? String(path.dropFirst(3)) : path)
                }
                index += 1
            }
            return names.sorted()
        }
    }
}
