import Foundation

/// Where Hark reads its configuration and keeps its state.
///
/// Defaults follow the XDG layout (`~/.config/hark/config.yaml`, `~/.local/share/hark/`). Setting
/// `HARK_HOME` puts both under one folder (`$HARK_HOME/config.yaml`, `$HARK_HOME/hark.sqlite`), which is
/// what tests do with a temporary folder.
public struct HarkPaths: Sendable, Equatable {
    /// The configuration file (it need not exist: every setting has a default).
    public var configFile: String
    /// The folder for state: the SQLite database, sessions, skill data.
    public var dataDirectory: String
    /// The folder for what Hark can rebuild (the trained intent classifier): `HARK_CACHE`, else
    /// `$XDG_CACHE_HOME/hark`, else `~/.cache/hark` — shared by every `HARK_HOME`, since it depends only on the skills.
    public var cacheDirectory: String

    public init(configFile: String, dataDirectory: String, cacheDirectory: String? = nil) {
        self.configFile = configFile
        self.dataDirectory = dataDirectory
        self.cacheDirectory = cacheDirectory ?? Self.cacheDirectory(ProcessInfo.processInfo.environment)
    }

    static func cacheDirectory(_ env: [String: String]) -> String {
        if let cache = env["HARK_CACHE"], !cache.isEmpty { return cache }
        let root = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return root + "/hark"
    }

    /// Paths from the environment: `HARK_HOME`, else `XDG_CONFIG_HOME`/`XDG_DATA_HOME`, else `$HOME`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> HarkPaths {
        if let home = env["HARK_HOME"], !home.isEmpty {
            return HarkPaths(configFile: home + "/config.yaml", dataDirectory: home, cacheDirectory: cacheDirectory(env))
        }
        let userHome = env["HOME"] ?? NSHomeDirectory()
        let configRoot = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? userHome + "/.config"
        let dataRoot = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? userHome + "/.local/share"
        return HarkPaths(
            configFile: configRoot + "/hark/config.yaml", dataDirectory: dataRoot + "/hark", cacheDirectory: cacheDirectory(env))
    }

    /// The SQLite database holding lists, orders, device states and sessions.
    public var database: String { dataDirectory + "/hark.sqlite" }

    /// Creates the data folder if needed, readable by its user alone (0700, also when it existed);
    /// throws when it cannot be created.
    public func ensureDataDirectory() throws {
        try FileManager.default.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory)
    }
}
