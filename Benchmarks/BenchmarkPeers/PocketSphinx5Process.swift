import Foundation

/// python `pocketsphinx` 5 (PyPI) as a benchmark peer: `peer_pocketsphinx5.py` beside this file, run as a subprocess
/// on WAV files (16 kHz mono 16-bit). VoiceBench and SpeechBench both use it.
public enum PocketSphinx5Process {
    /// What the peer heard in one file, and how long it took.
    public struct Decoded: Sendable {
        public var text: String
        public var milliseconds: Double
    }

    /// The peer's answers by file path, its version and its process's peak memory.
    public struct Output: Sendable {
        public var decoded: [String: Decoded]
        public var version: String
        public var peakMegabytes: Double
    }

    /// The Python that has `pocketsphinx` 5: POCKETSPHINX5_PYTHON, else `.build/voicebench-venv/bin/python`.
    public static func python() -> String? {
        if let configured = ProcessInfo.processInfo.environment["POCKETSPHINX5_PYTHON"] { return configured }
        let venv = FileManager.default.currentDirectoryPath + "/.build/voicebench-venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("peer_pocketsphinx5.py").path

    /// Decodes `paths` with the script's `arguments` (`--jsgf`, `--dict`, `--hmm`); nil when no such Python is
    /// available or the peer failed.
    public static func run(paths: [String], arguments: [String] = []) throws -> Output? {
        guard let lines = try runScript(script, arguments: arguments, paths: paths) else { return nil }
        var result = Output(decoded: [:], version: "5", peakMegabytes: .nan)
        for object in lines {
            if let reported = object["version"] as? String { result.version = reported }
            if let kilobytes = object["peak_kb"] as? Double { result.peakMegabytes = kilobytes / 1024 }
            guard let path = object["path"] as? String else { continue }
            result.decoded[path] = Decoded(
                text: (object["text"] as? String) ?? "", milliseconds: (object["ms"] as? Double) ?? 0)
        }
        return result
    }

    /// Runs a peer script with this Python: `paths` one a line on its standard input, one JSON object a line read
    /// from its standard output. Nil when no such Python is available or the script failed.
    public static func runScript(_ script: String, arguments: [String], paths: [String]) throws -> [[String: Any]]? {
        guard let python = python() else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
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
        guard process.terminationStatus == 0 else { return nil }
        return try data.split(separator: UInt8(ascii: "\n")).compactMap {
            try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }
}
