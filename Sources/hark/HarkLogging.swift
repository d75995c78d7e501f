import Foundation
import HarkRuntime
import Logging
import Synchronization

/// Hark's log: every logger writes to standard error at one level, which `--log-level` (on any command) or
/// `log_level:` in the configuration sets, and which `hark listen` changes when SIGHUP reloads the configuration.
enum HarkLogging {
    /// The level every handler reads, so that loggers made before the configuration was read follow it too.
    static let level = Mutex(Logger.Level.info)
    /// True when `--log-level` was given: the configuration's `log_level` then does not apply.
    static let setByFlag = Atomic(false)

    /// Takes `--log-level LEVEL` (or `--log-level=LEVEL`) out of `arguments`, wherever it is.
    /// - Throws: a message naming the flag when the level is not one of ``HarkConfiguration/logLevels``.
    static func takeFlag(from arguments: inout [String]) throws -> Logger.Level? {
        var found: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--log-level" {
                guard index + 1 < arguments.count else { throw LogLevelError(value: nil) }
                found = arguments[index + 1]
                arguments.removeSubrange(index...index + 1)
            } else if argument.hasPrefix("--log-level=") {
                found = String(argument.dropFirst("--log-level=".count))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        guard let found else { return nil }
        guard HarkConfiguration.logLevels.contains(found), let level = Logger.Level(rawValue: found) else {
            throw LogLevelError(value: found)
        }
        return level
    }

    /// Installs the handler: `flag` if given, else the configuration's `log_level`, else `info`.
    static func bootstrap(flag: Logger.Level?) {
        if let flag {
            setByFlag.store(true, ordering: .relaxed)
            level.withLock { $0 = flag }
        } else {
            // An unreadable configuration is reported by the command itself.
            apply(try? HarkConfiguration.load(path: HarkPaths.fromEnvironment().configFile))
        }
        LoggingSystem.bootstrap { label in LevelFollowingHandler(inner: StreamLogHandler.standardError(label: label)) }
    }

    /// Uses `configuration`'s `log_level`, unless `--log-level` was given.
    static func apply(_ configuration: HarkConfiguration?) {
        guard !setByFlag.load(ordering: .relaxed) else { return }
        let configured = configuration?.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .info
        level.withLock { $0 = configured }
    }
}

/// `--log-level` with a value that is no level.
struct LogLevelError: Error, CustomStringConvertible {
    var value: String?
    var description: String {
        "--log-level: \(value.map { "'\($0)' is not" } ?? "give") one of \(HarkConfiguration.logLevels.joined(separator: ", "))"
    }
}

/// A stream handler whose level is ``HarkLogging/level`` unless set on the logger itself.
struct LevelFollowingHandler: LogHandler {
    var inner: StreamLogHandler
    private var ownLevel: Logger.Level?

    init(inner: StreamLogHandler) { self.inner = inner }

    var logLevel: Logger.Level {
        get { ownLevel ?? HarkLogging.level.withLock { $0 } }
        set { ownLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) { inner.log(event: event) }
}
