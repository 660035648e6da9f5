#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with its standard streams and the worker protocol's reply
/// descriptor on pipes.
///
/// Why posix_spawn and not Foundation's `Process`: menort does not link Foundation (see
/// `System`), and `Process` cannot hand a child a descriptor other than 0, 1 and 2; the
/// worker protocol needs descriptor 3 for replies so the handler keeps stdout for its logs.
struct SpawnedProcess: Sendable {
    /// The child's process id.
    let pid: pid_t
    /// Write end of the child's stdin (requests).
    let stdin: Int32
    /// Read end of the child's stdout and stderr, merged (the handler's log).
    let output: Int32
    /// Read end of the child's descriptor 3 (replies).
    let replies: Int32

    /// Failure to start a process, with the system's reason.
    struct Failure: Error, CustomStringConvertible {
        let executable: String
        let errno: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
    }

    /// Starts `executable` (a path) with `arguments` (without argv[0]) and exactly
    /// `environment` (nothing of menort's own is inherited unless listed).
    static func start(executable: String, arguments: [String], environment: [String: String]) throws(Failure) -> SpawnedProcess {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var replies: [Int32] = [-1, -1]
        // FD_CLOEXEC on every end: the child gets only what dup2 gives it (dup2 clears the
        // flag on the copy), and other workers never inherit this worker's pipes, which
        // would keep them open after this worker exits. (pipe2 is not exported to Swift;
        // workers are spawned from the one event loop thread, so nothing forks in between.)
        guard pipeCloseOnExec(&input) == 0 else { throw Failure(executable: executable, errno: errno) }
        guard pipeCloseOnExec(&output) == 0 else {
            let code = errno
            closeAll(input)
            throw Failure(executable: executable, errno: code)
        }
        guard pipeCloseOnExec(&replies) == 0 else {
            let code = errno
            closeAll(input + output)
            throw Failure(executable: executable, errno: code)
        }
        closeOnExecEverything()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        posix_spawn_file_actions_adddup2(&actions, replies[1], WorkerDescriptor.replies)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: Ctrl-C in menort's terminal reaches menort, which then runs
        // $disconnect handlers before stopping the workers; the group would otherwise die first.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                posix_spawn(&pid, executable, &actions, &attributes,
                            UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                            UnsafeMutablePointer(mutating: envpBuffer.baseAddress!))
            }
        }
        // The child's ends belong to the child now (or to nobody, if it did not start).
        closeAll([input[0], output[1], replies[1]])
        guard status == 0 else {
            closeAll([input[1], output[0], replies[0]])
            throw Failure(executable: executable, errno: status)
        }
        return SpawnedProcess(pid: pid, stdin: input[1], output: output[0], replies: replies[0])
    }

    /// Sends `signal` to the process.
    func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(pid, signal)
    }

    /// Waits for the process to end (blocking) and returns its wait status.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }

    /// Marks every open descriptor close-on-exec. A child must not inherit menort's client
    /// sockets: while a worker held a copy, closing a connection in menort sent no FIN, and
    /// the client waited for the worker to exit. NIO does not open every socket with
    /// SOCK_CLOEXEC, and glibc's `posix_spawn_file_actions_addclosefrom_np` is not exported
    /// to Swift, so the flag is set here, on the one thread that accepts and spawns.
    private static func closeOnExecEverything() {
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard let descriptor = Int32(name), descriptor > 2, descriptor != own else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    private static func pipeCloseOnExec(_ ends: inout [Int32]) -> Int32 {
        guard pipe(&ends) == 0 else { return -1 }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    private static func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }
}

/// Descriptor numbers a worker sees.
enum WorkerDescriptor {
    /// Where the worker writes replies (`WorkerProtocol.resultDescriptor`).
    static let replies: Int32 = 3
}
