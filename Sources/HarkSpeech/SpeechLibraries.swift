import Foundation

/// Versions of the speech libraries Hark is running on (for `hark doctor` and bug reports).
public enum SpeechLibraries {
    /// eSpeak NG's own version string (`espeak_Info`), e.g. "1.51".
    public static var espeakVersion: String { ESpeakEngine.version }

    /// PocketSphinx 0.8 has no version call: this is the Debian package version of `libpocketsphinx3` from dpkg's
    /// status file, e.g. "0.8+5prealpha+1-15 (Debian package libpocketsphinx3)", or "unknown" without dpkg.
    public static var pocketsphinxVersion: String {
        guard let (package, version) = debianPackageVersion(prefix: "libpocketsphinx") else { return "unknown" }
        return "\(version) (Debian package \(package))"
    }

    /// The first installed package whose name starts with `prefix` (development packages excluded).
    static func debianPackageVersion(prefix: String) -> (package: String, version: String)? {
        guard let status = try? String(contentsOfFile: "/var/lib/dpkg/status", encoding: .utf8) else { return nil }
        for stanza in status.components(separatedBy: "\n\n") {
            var package: String?
            var version: String?
            var installed = false
            for line in stanza.split(separator: "\n") {
                if line.hasPrefix("Package: ") { package = String(line.dropFirst("Package: ".count)) }
                if line.hasPrefix("Version: ") { version = String(line.dropFirst("Version: ".count)) }
                if line.hasPrefix("Status: "), line.hasSuffix(" installed") { installed = true }
            }
            if let package, let version, installed, package.hasPrefix(prefix), !package.hasSuffix("-dev") {
                return (package, version)
            }
        }
        return nil
    }
}
