import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a skill program's standard output produced, as the host waits for it.
enum ChildOutput: Sendable, Equatable {
    /// One complete line (without the newline).
    case line(Data)
    /// A line longer than the answer cap; the reader stopped reading.
    case tooLarge(limit: Int)
    /// Standard output ended: the program exited (with its status, when known).
    case exited(status: Int32?)
    /// Nothing came within the time limit.
    case timedOut
}

/// A running skill program: its pipes, a reader thread for each output stream, and a mailbox of the lines
/// it wrote. The only file of the host that calls the C library (read, kill).
final class ChildProcess: @unchecked Sendable {
    let pid: Int32
    private let process: Process
    private let outFD: Int32
    private let input: FileHandle
    private let mailbox = OutputMailbox()
    private let stderrTail = LineTail(capacity: 6)

    /// Starts `executable` with `arguments` in `directory` with exactly `environment`; each stderr line
    /// goes to `log`. Standard output lines longer than `maxLineBytes` end the reading.
    init(
        executable: String, arguments: [String], directory: String, environment: [String: String],
        maxLineBytes: Int, log: @escaping @Sendable (String) -> Void
    ) async throws {
        _ = Self.ignoreBrokenPipes
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try await SpawnThread.shared.run { try process.run() }
        self.process = process
        pid = process.processIdentifier
        input = stdin.fileHandleForWriting
        let mailbox = mailbox
        let tail = stderrTail
        let outFD = stdout.fileHandleForReading.fileDescriptor
        let errFD = stderr.fileHandleForReading.fileDescriptor
        let outHandle = stdout.fileHandleForReading
        let errHandle = stderr.fileHandleForReading
        self.outFD = outFD
        // Signalled when the error output ends, so an exit is reported with the program's last words.
        let errorOutputEnded = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let outcome = Self.readLines(fd: outFD, maxLineBytes: maxLineBytes, busy: mailbox.setReading) {
                mailbox.push(.line($0))
            }
            if outcome == .tooLarge {
                mailbox.push(.tooLarge(limit: maxLineBytes))
            } else {
                // Give the program a moment to be reaped so its exit status can be reported (through prlimit and
                // bubblewrap this takes a little longer on a busy machine).
                for _ in 0..<250 where process.isRunning { usleep(2000) }
                _ = errorOutputEnded.wait(timeout: .now() + .milliseconds(500))
                mailbox.push(.exited(status: process.isRunning ? nil : process.terminationStatus))
            }
            try? outHandle.close()
        }
        Thread.detachNewThread {
            _ = Self.readLines(fd: errFD, maxLineBytes: 64 * 1024, busy: { _ in }) { data in
                let line = String(decoding: data, as: UTF8.self)
                tail.append(line)
                log(line)
            }
            errorOutputEnded.signal()
            try? errHandle.close()
        }
    }

    /// Writing to a program that has exited must fail with EPIPE, not kill Hark with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// True while the program runs.
    var isRunning: Bool { process.isRunning }

    /// The last lines the program wrote to standard error (for error messages).
    var lastErrorLines: [String] { stderrTail.lines }

    /// Writes one line to the program's standard input; false when the program no longer reads it.
    func send(_ line: Data) -> Bool {
        var data = line
        data.append(0x0A)
        do {
            try input.write(contentsOf: data)
            return true
        } catch {
            return false
        }
    }

    /// Announces that a request is about to be sent: the next line the program writes is its answer.
    /// Lines written when no answer is awaited are dropped (and counted), so they cannot pile up. Output the
    /// program wrote before this request is first let through to the mailbox (waiting at most 100 ms for the pipe
    /// to empty), so that it is dropped rather than taken for the answer.
    func expectAnswer() async {
        for _ in 0..<100 {
            var pending: Int32 = 0
            let unread = ioctl(outFD, UInt(FIONREAD), &pending) == 0 ? pending : 0
            if unread == 0 && !mailbox.isReading { break }
            try? await Task.sleep(for: .milliseconds(1))
        }
        mailbox.expectAnswer()
    }

    /// The next thing the program wrote, or `.timedOut`.
    func next(timeout: Duration) async -> ChildOutput { await mailbox.next(timeout: timeout) }

    /// How many lines the program wrote that no request asked for (dropped).
    var unaskedLines: Int { mailbox.droppedLines }

    /// Kills the program and every process of its group (SIGKILL: a child ignoring SIGTERM goes too) and closes
    /// its input. `Process` starts the program as the leader of a process group of its own.
    func kill() {
        try? input.close()
        if process.isRunning {
            _ = Glibc.kill(-pid, SIGKILL)
            _ = Glibc.kill(pid, SIGKILL)
        }
    }

    deinit { kill() }

    private enum ReadOutcome { case ended, tooLarge }

    /// Reads `fd` to its end, handing over each line; stops early when a line exceeds `maxLineBytes`. `busy` is
    /// told when a read has returned data not yet handed over, and when it all has been.
    private static func readLines(
        fd: Int32, maxLineBytes: Int, busy: (Bool) -> Void, onLine: (Data) -> Void
    ) -> ReadOutcome {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            busy(true)
            defer { busy(false) }
            var start = 0
            for i in 0..<count where buffer[i] == 0x0A {
                pending.append(contentsOf: buffer[start..<i])
                onLine(Data(pending))
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            pending.append(contentsOf: buffer[start..<count])
            if pending.count > maxLineBytes { return .tooLarge }
        }
        if !pending.isEmpty { onLine(Data(pending)) }
        return .ended
    }
}

/// One thread, alive as long as Hark, that starts every skill program. A sandboxed program dies with the thread that
/// started it (bubblewrap's `--die-with-parent` is the parent *thread's* death signal): started from a pool thread
/// that exits when idle, a skill was killed a few seconds later. Started from here, it dies only with Hark.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
        thread.name = "hark.skill-spawner"
        thread.start()
    }

    /// Runs `body` on the spawning thread; the caller's task waits without holding a thread.
    func run(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            jobs.append { continuation.resume(with: Result { try body() }) }
            condition.signal()
            condition.unlock()
        }
    }
}

/// Lines from a reader thread, waited for by one task at a time with a time limit. Only an awaited answer
/// is kept: a line that arrives when no request is outstanding, or after the one answer was taken, is
/// dropped and counted, so a program that writes unasked holds at most one line in memory.
final class OutputMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [ChildOutput] = []
    private var waiter: (id: UInt64, continuation: CheckedContinuation<ChildOutput, Never>)?
    private var nextID: UInt64 = 0
    private var expiredEarly: UInt64?
    private var finished = false
    private var awaitingAnswer = false
    private var dropped = 0

    private var reading = false

    /// Lines dropped because no request asked for them.
    var droppedLines: Int { lock.withLock { dropped } }

    /// True while the reader holds output it has read but not yet pushed.
    var isReading: Bool { lock.withLock { reading } }
    func setReading(_ value: Bool) { lock.withLock { reading = value } }

    /// The next line is an answer to keep.
    func expectAnswer() { lock.withLock { awaitingAnswer = true } }

    /// Hands `output` to the waiting task, or keeps it for the next one; drops an unasked line.
    func push(_ output: ChildOutput) {
        lock.lock()
        if case .line = output {
            guard awaitingAnswer else {
                dropped += 1
                lock.unlock()
                return
            }
            awaitingAnswer = false
        }
        if case .exited = output { finished = true }
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.continuation.resume(returning: output)
        } else {
            queue.append(output)
            lock.unlock()
        }
    }

    /// The next output, or `.timedOut` after `timeout`.
    func next(timeout: Duration) async -> ChildOutput {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            lock.lock()
            if !queue.isEmpty {
                let output = queue.count == 1 && finished ? queue[0] : queue.removeFirst()
                lock.unlock()
                continuation.resume(returning: output)
            } else if expiredEarly == id {
                lock.unlock()
                continuation.resume(returning: .timedOut)
            } else {
                waiter = (id, continuation)
                lock.unlock()
            }
        }
    }

    private func expire(_ id: UInt64) {
        lock.lock()
        guard let waiter, waiter.id == id else {
            expiredEarly = id
            lock.unlock()
            return
        }
        self.waiter = nil
        awaitingAnswer = false
        lock.unlock()
        waiter.continuation.resume(returning: .timedOut)
    }
}

/// The last few lines of a stream.
final class LineTail: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [String] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func append(_ line: String) {
        lock.withLock {
            buffer.append(line)
            if buffer.count > capacity { buffer.removeFirst(buffer.count - capacity) }
        }
    }

    var lines: [String] { lock.withLock { buffer } }
}
