#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes on the POSIX calls, with `errno` turned into a message.
///
/// The one place in HarkAudio that opens files, so that ``WAVFile`` sees bytes and Swift errors only.
enum PosixFile {
    /// Why a file could not be read or written.
    enum Failure: Error {
        /// The system refused: the message is `strerror(errno)` or says what the path is instead of a file.
        case system(String)
        /// The file holds more than the caller's limit; the size found so far is attached.
        case tooLarge(bytes: Int)
    }

    /// Reads a whole regular file (or a FIFO, until end of file), refusing more than `limit` bytes.
    static func readAll(path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .system(lastError()) }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(lastError()) }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw .system("is a directory") }
        guard kind == S_IFREG || kind == S_IFIFO || kind == S_IFCHR else { throw .system("not a regular file") }
        let expected = Int(info.st_size)
        if expected > limit { throw .tooLarge(bytes: expected) }

        var bytes = [UInt8](repeating: 0, count: max(expected, 64 * 1024))
        var filled = 0
        while true {
            if filled == bytes.count {
                if filled > limit { throw .tooLarge(bytes: filled) }
                // Grow by doubling, but never much past the limit (a FIFO or device may never end).
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - filled)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { read(fd, buffer.baseAddress! + filled, buffer.count - filled) }
            }
            if got < 0 { throw .system(lastError()) }
            if got == 0 { break }
            filled += got
        }
        if filled > limit { throw .tooLarge(bytes: filled) }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Creates or truncates `path` (mode 0644 before the umask) and writes `bytes` to it.
    static func writeAll(_ bytes: [UInt8], to path: String) throws(Failure) {
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw .system(lastError()) }
        var written = 0
        while written < bytes.count {
            let put = bytes.withUnsafeBytes { buffer in
                retryingOnInterrupt { write(fd, buffer.baseAddress! + written, buffer.count - written) }
            }
            if put < 0 {
                let message = lastError()
                _ = close(fd)
                throw .system(message)
            }
            written += put
        }
        guard close(fd) == 0 else { throw .system(lastError()) }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }

    private static func retryingOnInterrupt<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
