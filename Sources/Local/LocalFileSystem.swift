#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system questions `menort local` asks, without Foundation.
public enum LocalFileSystem {
    /// Whether `path` is a folder.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The newest modification time (nanoseconds) of any file under `folder`, and how many
    /// files it saw. Dependency and cache folders (`node_modules`, `__pycache__`, dot
    /// folders) are skipped: they change when code runs, not when it is edited.
    public static func fingerprint(of folder: String) -> (newest: Int64, files: Int) {
        var newest: Int64 = 0
        var files = 0
        var pending = [folder]
        while let current = pending.popLast() {
            guard let directory = opendir(current) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name.hasPrefix(".") || name == "node_modules" || name == "__pycache__" { continue }
                let path = current + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    pending.append(path)
                } else {
                    files += 1
                    let time = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                    newest = max(newest, time)
                }
            }
        }
        return (newest, files)
    }

    /// The first executable named `name` on `path` (a `PATH` value).
    public static func executable(named name: String, path: String) -> String? {
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0, !isDirectory(candidate) { return candidate }
        }
        return nil
    }
}
