import Foundation
import HarkAudio
import BenchmarkPeers

/// python `pocketsphinx` 5 from PyPI (``PocketSphinx5Process``) on the same utterances, scored as Hark is.
enum PocketSphinx5Peer {
    /// What the peer did: figures by condition, its version and its process's peak memory.
    struct Result {
        var tallies: [Condition: Tally]
        var version: String
        var peakMegabytes: Double
    }

    /// Decodes the utterances (written as WAV files into `folder`); nil when no such Python is available.
    static func run(clips: [(CorpusClip, AudioChunk)], folder: String, checker: MeaningChecker) throws -> Result? {
        guard PocketSphinx5Process.python() != nil else { return nil }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for (index, (_, audio)) in clips.enumerated() {
            let path = folder + "/clip\(index).wav"
            try WAVFile.write(audio, to: path)
            paths.append(path)
        }
        guard let output = try PocketSphinx5Process.run(paths: paths) else { return nil }
        var tallies: [Condition: Tally] = [:]
        for ((clip, audio), path) in zip(clips, paths) {
            guard let heard = output.decoded[path] else { continue }
            let (text, ms) = (heard.text, heard.milliseconds)
            tallies[clip.noise.condition, default: Tally()].add(
                reference: checker.words(clip.sentence.text), heard: text.split(separator: " ").map(String.init),
                meaningRight: checker.check(text, against: clip.sentence),
                audioSeconds: Double(audio.samples.count) / Double(audio.format.sampleRate), decodeMilliseconds: ms)
        }
        return Result(tallies: tallies, version: output.version, peakMegabytes: output.peakMegabytes)
    }
}
