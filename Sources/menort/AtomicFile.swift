import CommandSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see the old content or the new, never a part.
///
/// The bytes go to a temporary file in the same folder (a rename is atomic only within
/// one file system), are flushed to disk, and the temporary file is then renamed over the
/// target. Killed at any point, the process leaves the old file intact and at worst a
/// `.menort-*` temporary beside it.
enum AtomicFile {
    /// Why a write failed, with the OS's words.
    struct WriteError: Error, CustomStringConvertible {
        let step: String
        let code: Int32
        var description: String { "\(step): \(String(cString: strerror(code)))" }
    }

    static func write(_ data: [UInt8], to path: String) throws(WriteError) {
        let folder = System.folder(of: path)
        var template = Array("\(folder)/.\(System.fileName(of: path)).menort-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw WriteError(step: "cannot create a temporary file in \(folder)", code: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        var renamed = false
        defer {
            if !closed { close(descriptor) }
            if !renamed { unlink(temporary) }
        }

        var written = 0
        let total = data.count
        let failure: Int32? = data.withUnsafeBytes { buffer -> Int32? in
            while written < total {
                let result = posixWrite(descriptor, buffer.baseAddress! + written, total - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return nil
        }
        if let failure { throw WriteError(step: "write failed", code: failure) }

        // mkstemp creates 0600; keep an existing file's mode, else the usual 0644 less umask.
        var mode: mode_t = 0o644
        var status = stat()
        if stat(path, &status) == 0 {
            mode = status.st_mode & 0o7777
        } else {
            let mask = umask(0)
            umask(mask)
            mode &= ~mask
        }
        guard fchmod(descriptor, mode) == 0 else { throw WriteError(step: "chmod failed", code: errno) }
        guard fsync(descriptor) == 0 else { throw WriteError(step: "fsync failed", code: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw WriteError(step: "close failed", code: errno) }
        guard rename(temporary, path) == 0 else { throw WriteError(step: "rename failed", code: errno) }
        renamed = true
    }
}
