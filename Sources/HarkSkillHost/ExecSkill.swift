import Foundation
import HarkAssistant
import HarkSkillKit
import Logging

/// A skill whose handler is a program (`entry: exec`): one long-lived process started in the skill's
/// folder, one Alexa request envelope per line on its standard input, one response envelope per line on
/// its standard output (echoing the request's `requestId`), its standard error to Hark's log.
///
/// The program sees a scrubbed environment: `PATH`, `LANG`, `HOME` (its own data folder),
/// `HARK_SKILL_ID` and `HARK_SKILL_DATA`, nothing else, and runs confined by ``SkillSandbox`` (no view of Hark's
/// files, no network unless the manifest asks for `permissions: [network]`). A request that takes longer than the time limit,
/// an answer over the size cap, output that is not a response for this request, or an exit, fails the
/// request (one apology), marks the skill unhealthy and kills the program; it starts again on a later
/// request after a pause that doubles with each failure, and a request during the pause fails at once.
/// Each skill has its own process and its own queue: no other skill ever waits for it.
public struct ExecSkill: HostedSkill {
    public let id: String
    /// The program and its arguments, as in skill.yaml.
    public let command: [String]
    let exchange: AlexaExchange
    let connection: ExecConnection

    /// A skill running `command` in `package.folder`, with `dataDirectory` as its private folder and HOME.
    public init(
        package: SkillPackage, command: [String], dataDirectory: String, options: SkillHostOptions = SkillHostOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger? = nil
    ) {
        id = package.manifest.id
        self.command = command
        exchange = AlexaExchange(package: package, requiresRequestID: true)
        let logger = logger ?? Logger(label: "hark.skill.\(package.manifest.id)")
        connection = ExecConnection(
            skill: package.manifest.id, command: command, folder: package.folder, dataDirectory: dataDirectory,
            parentEnvironment: environment, options: options, logger: logger, network: package.manifest.usesNetwork)
    }

    public var health: SkillHealth { get async { await connection.health } }

    /// Lines the program wrote to standard output that no request asked for (dropped, never queued).
    public var unaskedLines: Int { get async { await connection.unaskedLines } }

    /// Standard-error lines not logged because the program wrote more than 20 in 10 seconds.
    public var suppressedErrorLines: Int { connection.stderrLimiter.suppressedLines }

    /// The program's executable, resolved as it would be started; throws when it does not exist.
    public func resolveProgram() throws -> String { try connection.resolveProgram() }

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let (body, requestID) = try exchange.encode(request, context: context)
        let answer = try await connection.exchange(body) { data in
            try exchange.decode(data, requestID: requestID, sessionID: request.session.id)
        }
        do {
            return try await exchange.response(from: answer, context: context)
        } catch {
            await connection.record(error)
            throw error
        }
    }

    /// Stops the program (a later request starts it again).
    public func shutdown() async { await connection.stop() }
}

/// The process of one exec skill and its request queue.
actor ExecConnection {
    let skill: String
    let command: [String]
    let folder: String
    let dataDirectory: String
    let parentEnvironment: [String: String]
    let logger: Logger
    /// True when the manifest asks for `permissions: [network]`.
    let network: Bool
    private var schedule: RestartSchedule
    private var process: ChildProcess?
    private var busy = false
    private var queue: [CheckedContinuation<Void, Never>] = []
    /// Standard-error lines are logged at most 20 per 10 seconds; the rest are counted.
    let stderrLimiter = LineRateLimiter()
    /// Unasked lines of the current process already logged.
    private var reportedUnasked = 0
    /// Unasked lines of earlier processes of this skill.
    private var earlierUnasked = 0

    init(
        skill: String, command: [String], folder: String, dataDirectory: String, parentEnvironment: [String: String],
        options: SkillHostOptions, logger: Logger, network: Bool = false
    ) {
        self.network = network
        self.skill = skill
        self.command = command
        self.folder = folder
        self.dataDirectory = dataDirectory
        self.parentEnvironment = parentEnvironment
        self.logger = logger
        schedule = RestartSchedule(options: options)
    }

    var health: SkillHealth { schedule.health }

    /// Sends one request and returns the checked answer; any failure is recorded and thrown.
    func exchange(
        _ body: Data, check: @Sendable (Data) throws -> AlexaResponseEnvelope
    ) async throws -> AlexaResponseEnvelope {
        await acquire()
        defer {
            reportSuppressedErrors()
            release()
        }
        do {
            try schedule.checkAvailable(skill: skill)
            let fresh = process?.isRunning != true
            let process = try await running()
            reportUnasked(process)
            await process.expectAnswer()
            guard process.send(body) else {
                throw SkillHostError.exited(status: nil, stderr: process.lastErrorLines, skill: skill)
            }
            let timeout = schedule.options.timeout + (fresh ? schedule.options.startupAllowance : .zero)
            switch await process.next(timeout: timeout) {
            case .line(let data):
                defer { reportUnasked(process) }
                let envelope = try check(data)
                schedule.succeeded()
                return envelope
            case .tooLarge(let limit): throw SkillHostError.tooLarge(limit: limit, skill: skill)
            case .exited(let status):
                throw SkillHostError.exited(status: status, stderr: process.lastErrorLines, skill: skill)
            case .timedOut: throw SkillHostError.timedOut(seconds: timeout.seconds, skill: skill)
            }
        } catch {
            record(error)
            throw error
        }
    }

    /// Records a failure: the skill is unhealthy, and a broken program is killed and rests before restarting.
    func record(_ error: any Error) {
        schedule.failed(error)
        if (error as? SkillHostError)?.needsRestart == true { stop() }
    }

    func stop() {
        if let process {
            reportUnasked(process)
            earlierUnasked += process.unaskedLines
        }
        process?.kill()
        process = nil
    }

    /// Lines the skill wrote that no request asked for, dropped, over all its processes.
    var unaskedLines: Int { earlierUnasked + (process?.unaskedLines ?? 0) }

    /// Logs how many standard-error lines were held back since the last report.
    private func reportSuppressedErrors() {
        let count = stderrLimiter.takeSuppressed()
        guard count > 0 else { return }
        logger.warning(
            "\(skill) stderr: \(count) lines not logged (more than \(stderrLimiter.burst) in \(stderrLimiter.window))")
    }

    /// Logs the unasked lines `process` wrote since the last report.
    private func reportUnasked(_ process: ChildProcess) {
        let count = process.unaskedLines
        guard count > reportedUnasked else { return }
        logger.warning(
            "\(skill): dropped \(count - reportedUnasked) output lines no request asked for (\(earlierUnasked + count) in all)")
        reportedUnasked = count
    }

    /// The running process, started if needed.
    private func running() async throws -> ChildProcess {
        if let process, process.isRunning { return process }
        process = nil
        let executable = try resolveProgram()
        try FileManager.default.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var environment: [String: String] = [
            "PATH": parentEnvironment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "LANG": parentEnvironment["LANG"] ?? "C.UTF-8",
            "HOME": dataDirectory, "HARK_SKILL_ID": skill, "HARK_SKILL_DATA": dataDirectory,
        ]
        if environment["LANG"]!.isEmpty { environment["LANG"] = "C.UTF-8" }
        let logger = logger
        let skill = skill
        let limiter = stderrLimiter
        SkillSandbox.warnIfUnavailable { logger.warning("\($0)") }
        let confined = schedule.options.sandbox.command(
            executable: executable, arguments: Array(command.dropFirst()), folder: folder,
            dataDirectory: dataDirectory, network: network)
        do {
            let started = try await ChildProcess(
                executable: confined.executable, arguments: confined.arguments, directory: folder,
                environment: environment, maxLineBytes: schedule.options.maxAnswerBytes,
                log: { line in
                    guard case .log(let suppressed) = limiter.admit() else { return }
                    if suppressed > 0 {
                        logger.warning(
                            "\(skill) stderr: \(suppressed) lines not logged (more than \(limiter.burst) in \(limiter.window))")
                    }
                    logger.warning("\(skill) stderr: \(line)")
                })
            process = started
            reportedUnasked = 0
            logger.debug("started skill \(skill): \(command.joined(separator: " ")) (pid \(started.pid))")
            return started
        } catch {
            throw SkillHostError.startFailed("\(executable): \(error.localizedDescription)", skill: skill)
        }
    }

    /// The executable of `command[0]`: a path relative to the skill's folder, or a name on PATH.
    nonisolated func resolveProgram() throws -> String {
        let program = command[0]
        let fm = FileManager.default
        if program.contains("/") {
            let path =
                program.hasPrefix("/")
                ? program : URL(fileURLWithPath: folder).appendingPathComponent(program).standardizedFileURL.path
            guard fm.isExecutableFile(atPath: path) else {
                let why = fm.fileExists(atPath: path) ? "is not executable" : "does not exist"
                throw SkillHostError.programNotFound(program, searched: "\(path) \(why)", skill: skill)
            }
            return path
        }
        let path = parentEnvironment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where fm.isExecutableFile(atPath: "\(directory)/\(program)") {
            return "\(directory)/\(program)"
        }
        throw SkillHostError.programNotFound(program, searched: "not on PATH", skill: skill)
    }

    private func acquire() async {
        if busy {
            await withCheckedContinuation { queue.append($0) }
        } else {
            busy = true
        }
    }

    private func release() {
        if queue.isEmpty {
            busy = false
        } else {
            queue.removeFirst().resume()
        }
    }
}
