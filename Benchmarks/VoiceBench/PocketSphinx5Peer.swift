import Foundation
import HarkAudio

/// Runs `peer_pocketsphinx5.py` (python `pocketsphinx` 5 from PyPI) on the same utterances, as a subprocess.
enum PocketSphinx5Peer {
    /// The Python that has `pocketsphinx` 5: POCKETSPHINX5_PYTHON, else .build/voicebench-venv/bin/python.
    static func python() -> String? {
        if let configured = ProcessInfo.processInfo.environment["POCKETSPHINX5_PYTHON"] { return configured }
        let venv = FileManager.default.currentDirectoryPath + "/.build/voicebench-venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// The script beside this file in the source tree.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("peer_pocketsphinx5.py").path

    /// What the peer did: figures by condition, its version and its process's peak memory.
    struct Result {
        var tallies: [Condition: Tally]
        var version: String
        var peakMegabytes: Double
    }

    /// Decodes the utterances (written as WAV files into `folder`); nil when no such Python is available.
    static func run(clips: [(CorpusClip, AudioChunk)], folder: String, checker: MeaningChecker) throws -> Result? {
        guard let python = python() else { return nil }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for (index, (_, audio)) in clips.enumerated() {
            let path = folder + "/clip\(index).wav"
            try WAVFile.write(audio, to: path)
            paths.append(path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data((paths.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var heard: [String: (String, Double)] = [:]
        var version = "5"
        var peak = Double.nan
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            if let reported = object["version"] as? String { version = reported }
            if let kilobytes = object["peak_kb"] as? Double { peak = kilobytes / 1024 }
            guard let path = object["path"] as? String else { continue }
            heard[path] = ((object["text"] as? String) ?? "", (object["ms"] as? Double) ?? 0)
        }
        guard process.terminationStatus == 0 else { return nil }
        var tallies: [Condition: Tally] = [:]
        for ((clip, audio), path) in zip(clips, paths) {
            guard let (text, ms) = heard[path] else { continue }
            tallies[clip.noise.condition, default: Tally()].add(
                reference: checker.words(clip.sentence.text), heard: text.split(separator: " ").map(String.init),
                meaningRight: checker.check(text, against: clip.sentence),
                audioSeconds: Double(audio.samples.count) / Double(audio.format.sampleRate), decodeMilliseconds: ms)
        }
        return Result(tallies: tallies, version: version, peakMegabytes: peak)
    }
}
