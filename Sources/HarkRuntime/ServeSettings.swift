import Foundation

/// `hark serve`'s settings (`serve:` in `config.yaml`); the command's flags override them.
///
/// ```yaml
/// serve:
///   http: 127.0.0.1:8088          # where the HTTP API listens
///   wyoming: 127.0.0.1:10400      # where the Wyoming server listens (off when absent)
///   token: "a long secret"        # required to listen anywhere but loopback; HTTP clients send it as a bearer
///   max_body_bytes: 10485760      # the largest request body accepted (a WAV for /v1/run)
/// ```
public struct ServeSettings: Sendable, Equatable {
    /// Where the HTTP API listens.
    public var http: ServeAddress = ServeAddress(host: "127.0.0.1", port: 8088)
    /// Where the Wyoming server listens; nil: no Wyoming server.
    public var wyoming: ServeAddress?
    /// The secret HTTP clients send as `Authorization: Bearer …`; nil: no authentication (loopback only).
    public var token: String?
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int = ServeSettings.defaultMaxBodyBytes

    /// 10 MiB: over five minutes of 16 kHz mono 16-bit speech.
    public static let defaultMaxBodyBytes = 10 << 20
    /// The largest `max_body_bytes` accepted: 512 MiB, what a WAV file may hold.
    public static let maxBodyBytesLimit = 512 << 20

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case http, wyoming, token
        case maxBodyBytes = "max_body_bytes"
    }

    /// The keys `serve:` accepts.
    static var knownKeys: Set<String> { Set(CodingKeys.allCases.map(\.rawValue)) }

    /// Parses the raw `serve:` section; `file` names the source in errors.
    static func parse(_ raw: Raw, file: String) throws -> ServeSettings {
        var settings = ServeSettings()
        func address(_ text: String, _ key: String) throws -> ServeAddress {
            do {
                return try ServeAddress.parse(text)
            } catch {
                throw ConfigurationError(file: file, message: "serve.\(key): \(error)")
            }
        }
        if let http = raw.http { settings.http = try address(http, "http") }
        if let wyoming = raw.wyoming { settings.wyoming = try address(wyoming, "wyoming") }
        if let token = raw.token {
            guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigurationError(file: file, message: "serve.token: must not be empty; leave it out for no token")
            }
            settings.token = token
        }
        if let bytes = raw.max_body_bytes {
            guard bytes >= 1024, bytes <= maxBodyBytesLimit else {
                throw ConfigurationError(
                    file: file, message: "serve.max_body_bytes: must be from 1024 to \(maxBodyBytesLimit), not \(bytes)")
            }
            settings.maxBodyBytes = bytes
        }
        return settings
    }

    /// The section as YAML gives it.
    struct Raw: Decodable {
        var http: String?
        var wyoming: String?
        var token: String?
        var max_body_bytes: Int?
    }
}

/// A `HOST:PORT` to listen on: `127.0.0.1:8088`, `[::1]:8088`, `localhost:8088`, `0.0.0.0:8088`; port 0 picks a free
/// one.
public struct ServeAddress: Sendable, Equatable, CustomStringConvertible {
    /// A host name or an IPv4 or IPv6 address (without brackets).
    public var host: String
    /// 0…65535.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT` (an IPv6 address in brackets).
    public static func parse(_ text: String) throws(ServeAddressError) -> ServeAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let host: Substring
        let portText: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]"), trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                throw ServeAddressError(text: text)
            }
            host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            portText = trimmed[trimmed.index(close, offsetBy: 2)...]
        } else {
            guard let colon = trimmed.lastIndex(of: ":"), !trimmed[..<colon].contains(":") else {
                throw ServeAddressError(text: text)
            }
            host = trimmed[..<colon]
            portText = trimmed[trimmed.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace), let port = Int(portText), (0...65535).contains(port)
        else { throw ServeAddressError(text: text) }
        return ServeAddress(host: String(host), port: port)
    }

    /// True for `localhost`, 127.0.0.0/8 and `::1`: only this machine can connect.
    public var isLoopback: Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A listening address that is not `HOST:PORT`.
public struct ServeAddressError: Error, CustomStringConvertible {
    /// What was given.
    public var text: String
    public var description: String {
        "'\(text)' is not HOST:PORT (e.g. 127.0.0.1:8088, [::1]:8088; port 0 to 65535)"
    }
}
