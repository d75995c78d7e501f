import Foundation

/// Hark's own model files: the `Models/` folder of the source tree (or an installed copy).
public enum HarkModelFiles {
    /// The folder: `HARK_MODELS` if set, else the first `Models/` (holding `hark.dict`) found in the folders above
    /// the running executable (`.build/debug/hark` → the checkout's `Models/`), else `/usr/share/hark`.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let configured = environment["HARK_MODELS"] { return configured }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Models")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("hark.dict").path) {
                return candidate.path
            }
            folder.deleteLastPathComponent()
        }
        return FileManager.default.fileExists(atPath: "/usr/share/hark/hark.dict") ? "/usr/share/hark" : nil
    }

    /// Hark's pronunciation additions (`hark.dict`, CMUdict format), or nil when not found.
    public static func dictionary(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        folder(environment: environment).map { $0 + "/hark.dict" }
            .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }

    /// Hark's pronunciation additions read from `hark.dict` (one `word PH O N E S` per line, `#` comments):
    /// word → phones. No file gives none; a malformed line is an error naming the file and line.
    public static func pronunciations(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String: String] {
        guard let path = dictionary(environment: environment) else { return [:] }
        return try pronunciations(file: path)
    }

    /// Pronunciations from a file in `hark.dict`'s format: word → phones. A malformed line is an error naming the
    /// file and line.
    public static func pronunciations(file path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw VoiceError.unreadableFile(path) }
        var entries: [String: String] = [:]
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let word = fields.first, !word.hasPrefix("#") else { continue }
            let phones = fields.dropFirst()
            guard !phones.isEmpty, phones.allSatisfy(EspeakPhonemeMapping.cmuPhones.contains) else {
                throw VoiceError.malformedDictionary(path, line: index + 1)
            }
            entries[word] = phones.joined(separator: " ")
        }
        return entries
    }
}
