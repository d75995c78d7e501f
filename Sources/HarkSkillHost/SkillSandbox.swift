import Foundation
import Synchronization

/// How an exec skill's program is confined: under bubblewrap (`bwrap`, Debian's `bubblewrap`) it sees the system's
/// programs and libraries read-only, its own folder read-only, its data folder read-write, a private `/tmp`, and
/// nothing else of the machine's files (not Hark's database or configuration); it has no network unless its manifest
/// asks for `permissions: [network]`; bubblewrap's PID namespace ends every process it started when it is killed. In
/// every case it leads a process group of its own (Foundation's `Process` starts it so), which Hark kills whole on a
/// timeout or at shutdown, and runs under rlimits on memory, processes and open files.
///
/// Where bubblewrap is missing or cannot run (no user namespaces), Hark says so once and applies the rest.
public struct SkillSandbox: Sendable {
    /// Address space per process, in bytes (`RLIMIT_AS`).
    public var memoryBytes: Int = 4 << 30
    /// Processes of the user (`RLIMIT_NPROC`: Linux counts them per user, not per skill).
    public var processes: Int = 4096
    /// Open files per process (`RLIMIT_NOFILE`).
    public var openFiles: Int = 256
    /// The bubblewrap executable; nil: no filesystem or network confinement.
    public var bubblewrap: String?

    private static let warned = Mutex(false)

    /// Says once per process, when bubblewrap cannot be used, what confinement skills go without.
    static func warnIfUnavailable(_ log: (String) -> Void) {
        guard let problem = available.problem, warned.withLock({ warned in defer { warned = true }; return !warned })
        else { return }
        log("exec skills run without a sandbox: \(problem); they still get rlimits, a scrubbed environment and a "
            + "process group killed whole")
    }

    public init(bubblewrap: String? = Self.available.bubblewrap) {
        self.bubblewrap = bubblewrap
    }

    /// What this machine allows, found once per process: bubblewrap's path, or why it cannot be used.
    public static let available: (bubblewrap: String?, problem: String?) = {
        let candidates = ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"]
        guard let path = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            return (nil, "bubblewrap is not installed (apt-get install bubblewrap)")
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: path)
        probe.arguments = ["--unshare-all", "--ro-bind", "/", "/", "--", "/bin/true"]
        let errors = Pipe()
        probe.standardError = errors
        probe.standardOutput = FileHandle.nullDevice
        do {
            try probe.run()
            probe.waitUntilExit()
        } catch {
            return (nil, "\(path) cannot be started: \(error.localizedDescription)")
        }
        guard probe.terminationStatus == 0 else {
            let why = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return (nil, "\(path) cannot create namespaces here (\(why.isEmpty ? "status \(probe.terminationStatus)" : why))")
        }
        return (path, nil)
    }()

    /// util-linux's `prlimit`, which sets rlimits and runs a command.
    static let prlimit = "/usr/bin/prlimit"

    /// System folders a program may need, read-only (missing ones are skipped; symbolic links are recreated).
    static let systemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
    static let systemFiles = [
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/localtime",
        "/etc/ssl", "/etc/ca-certificates", "/etc/mime.types", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
        "/etc/hosts", "/etc/resolv.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/python3", "/etc/java-17-openjdk",
    ]

    /// The command that runs `executable arguments` confined: `prlimit --as … --nproc … --nofile … -- [bwrap …]
    /// executable arguments` (util-linux's prlimit sets the limits and execs). The program's own installation (the folder above the one holding it, e.g. a version manager's
    /// `~/.pyenv`) is readable when it lies outside the system folders, the skill's folder and the user's home, and
    /// does not hold the skill's data folder (and with it Hark's).
    public func command(
        executable: String, arguments: [String], folder: String, dataDirectory: String, network: Bool
    ) -> (executable: String, arguments: [String]) {
        var inner = [executable] + arguments
        if let bubblewrap {
            var box = [bubblewrap, "--die-with-parent", "--new-session", "--unshare-all"]
            if network { box.append("--share-net") }
            let fm = FileManager.default
            for path in Self.systemPaths {
                if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
                    box += ["--symlink", target, path]
                } else if fm.fileExists(atPath: path) {
                    box += ["--ro-bind", path, path]
                }
            }
            for file in Self.systemFiles { box += ["--ro-bind-try", file, file] }
            let installation = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
                .deletingLastPathComponent().deletingLastPathComponent().path
            let inside = { (path: String, root: String) in path == root || path.hasPrefix(root + "/") }
            let home = FileManager.default.homeDirectoryForCurrentUser.path
            if !Self.systemPaths.contains(where: { inside(installation, $0) }), installation != "/", installation != home,
                !inside(folder, installation), !inside(installation, folder), !inside(dataDirectory, installation)
            {
                box += ["--ro-bind", installation, installation]
            }
            box += [
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--ro-bind", folder, folder, "--bind", dataDirectory, dataDirectory, "--chdir", folder, "--",
                // bwrap sets PWD; the program's environment stays exactly Hark's scrubbed one.
                "/usr/bin/env", "-u", "PWD",
            ]
            inner = box + inner
        }
        let limits = ["--as=\(memoryBytes)", "--nproc=\(processes)", "--nofile=\(openFiles)", "--"]
        return (Self.prlimit, limits + inner)
    }
}
