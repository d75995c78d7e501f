/// Why an out-of-process skill could not answer. The assistant turns it into one apology and a log line.
public struct SkillHostError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case programNotFound(program: String, searched: String)
        case startFailed(String)
        case exited(status: Int32?, stderr: [String])
        case timedOut(seconds: Double)
        case tooLarge(limit: Int)
        case notJSON(excerpt: String, problem: String)
        case wrongRequest(expected: String, got: String?)
        case wrongSession(expected: String, got: String)
        case reported(String)
        case restarting(seconds: Double, after: String)
        case httpStatus(url: String, status: Int, excerpt: String)
        case unreachable(url: String, message: String)
        case directive(String)
    }
    private let kind: Kind
    /// The skill concerned.
    public let skill: String

    private init(_ kind: Kind, skill: String) {
        self.kind = kind
        self.skill = skill
    }

    static func programNotFound(_ program: String, searched: String, skill: String) -> SkillHostError {
        SkillHostError(.programNotFound(program: program, searched: searched), skill: skill)
    }
    static func startFailed(_ message: String, skill: String) -> SkillHostError {
        SkillHostError(.startFailed(message), skill: skill)
    }
    static func exited(status: Int32?, stderr: [String], skill: String) -> SkillHostError {
        SkillHostError(.exited(status: status, stderr: stderr), skill: skill)
    }
    static func timedOut(seconds: Double, skill: String) -> SkillHostError {
        SkillHostError(.timedOut(seconds: seconds), skill: skill)
    }
    static func tooLarge(limit: Int, skill: String) -> SkillHostError {
        SkillHostError(.tooLarge(limit: limit), skill: skill)
    }
    static func notJSON(_ data: [UInt8], problem: String, skill: String) -> SkillHostError {
        var excerpt = String(decoding: data.prefix(80), as: UTF8.self)
        if data.count > 80 { excerpt += "…" }
        return SkillHostError(.notJSON(excerpt: excerpt, problem: problem), skill: skill)
    }
    static func wrongRequest(expected: String, got: String?, skill: String) -> SkillHostError {
        SkillHostError(.wrongRequest(expected: expected, got: got), skill: skill)
    }
    static func wrongSession(expected: String, got: String, skill: String) -> SkillHostError {
        SkillHostError(.wrongSession(expected: expected, got: got), skill: skill)
    }
    static func reported(_ message: String, skill: String) -> SkillHostError {
        SkillHostError(.reported(message), skill: skill)
    }
    static func restarting(seconds: Double, after: String, skill: String) -> SkillHostError {
        SkillHostError(.restarting(seconds: seconds, after: after), skill: skill)
    }
    static func httpStatus(url: String, status: Int, excerpt: String, skill: String) -> SkillHostError {
        SkillHostError(.httpStatus(url: url, status: status, excerpt: excerpt), skill: skill)
    }
    static func unreachable(url: String, message: String, skill: String) -> SkillHostError {
        SkillHostError(.unreachable(url: url, message: message), skill: skill)
    }
    static func directive(_ message: String, skill: String) -> SkillHostError {
        SkillHostError(.directive(message), skill: skill)
    }

    /// True when the skill did not answer within its time limit.
    public var isTimeout: Bool {
        if case .timedOut = kind { return true }
        return false
    }

    /// True when the program or server must be considered broken (restart after a pause) rather than
    /// having answered with an error of its own.
    var needsRestart: Bool {
        switch kind {
        case .reported, .directive, .restarting: return false
        default: return true
        }
    }

    public var description: String {
        let who = "skill \(skill)"
        switch kind {
        case .programNotFound(let program, let searched):
            return "\(who): program '\(program)' not found (\(searched))"
        case .startFailed(let message): return "\(who): could not start: \(message)"
        case .exited(let status, let stderr):
            let code = status.map { "exited with status \($0)" } ?? "closed its output"
            let last = stderr.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            return "\(who): \(code) before answering" + (last.map { " (last error output: \($0))" } ?? "")
        case .timedOut(let seconds):
            return
                "\(who): no answer within \(SpokenSeconds.format(seconds)) s (the limit; set 'timeout' in skill.yaml)"
        case .tooLarge(let limit): return "\(who): answer larger than \(limit) bytes"
        case .notJSON(let excerpt, let problem):
            return "\(who): answered '\(excerpt)', which is not a JSON response (\(problem)); logs go to stderr"
        case .wrongRequest(let expected, let got):
            return got.map { "\(who): answered request \($0), not \(expected)" }
                ?? "\(who): the answer has no 'requestId' (an exec skill must echo the request's requestId)"
        case .wrongSession(let expected, let got): return "\(who): answered for session \(got), not \(expected)"
        case .reported(let message): return "\(who) reported an error: \(message)"
        case .restarting(let seconds, let after):
            return "\(who): restarting in \(SpokenSeconds.format(seconds)) s after: \(after)"
        case .httpStatus(let url, let status, let excerpt):
            return "\(who): \(url) answered HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .unreachable(let url, let message): return "\(who): cannot reach \(url): \(message)"
        case .directive(let message): return "\(who): \(message)"
        }
    }
}

/// Seconds written briefly: `8`, `0.2`.
enum SpokenSeconds {
    static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
