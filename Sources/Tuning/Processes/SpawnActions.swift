import CSpawn
import Foundation

/// The file actions and attributes of one `posix_spawn` call, and the pipe ends made for it.
/// `close()` closes the child's pipe ends, and this process's ends unless `keepOpen` named them.
struct SpawnActions {
    #if canImport(Darwin)
    var fileActions: posix_spawn_file_actions_t = nil
    private var attributes: posix_spawnattr_t = nil
    #else
    var fileActions = posix_spawn_file_actions_t()
    private var attributes = posix_spawnattr_t()
    #endif
    private var descriptorsToClose: [Int32] = []

    /// Signals whose handling the child starts with the default (this process may ignore some).
    private static let signalsReset = [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2]

    init() {
        posix_spawn_file_actions_init(&fileActions)
        posix_spawnattr_init(&attributes)
    }

    /// Connects the child's descriptor `target` as `stream` says (`childReads`: it is an input);
    /// returns this process's end of a pipe.
    mutating func connect(_ target: Int32, to stream: ChildProcess.Stream, childReads: Bool) throws -> Int32? {
        switch stream {
        case .inherit:
            return nil
        case .null:
            posix_spawn_file_actions_addopen(&fileActions, target, "/dev/null", childReads ? O_RDONLY : O_WRONLY, 0)
            return nil
        case .pipe:
            var ends: [Int32] = [-1, -1]
            guard swifttune_cloexec_pipe(&ends) == 0 else { throw SpawnError(executable: "a pipe", code: errno) }
            let (theirs, ours) = childReads ? (ends[0], ends[1]) : (ends[1], ends[0])
            descriptorsToClose += [theirs, ours]
            posix_spawn_file_actions_adddup2(&fileActions, theirs, target)
            return ours
        }
    }

    /// Starts the program in a new process group with default signal handling, no blocked
    /// signals and no open descriptor but its standard ones; returns its pid.
    mutating func spawn(_ executable: String, arguments: [String], environment: [String: String]) throws -> pid_t {
        // A descriptor the program inherited by mistake (from whoever started this process) would
        // keep pipes and sockets of others open as long as the program runs.
        let closing = swifttune_spawn_close_others(&fileActions)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | closing)
        posix_spawnattr_setpgroup(&attributes, 0)
        var reset = sigset_t()
        sigemptyset(&reset)
        for signal in Self.signalsReset { sigaddset(&reset, signal) }
        posix_spawnattr_setsigdefault(&attributes, &reset)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
            }
        }
        guard status == 0 else { throw SpawnError(executable: executable, code: status) }
        return pid
    }

    /// Leaves these descriptors (this process's pipe ends) open on `close()`.
    mutating func keepOpen(_ descriptors: [Int32]) {
        descriptorsToClose.removeAll { descriptors.contains($0) }
    }

    mutating func close() {
        for descriptor in descriptorsToClose { _ = Foundation.close(descriptor) }
        descriptorsToClose = []
        posix_spawn_file_actions_destroy(&fileActions)
        posix_spawnattr_destroy(&attributes)
    }

    /// Calls `body` with a NULL-terminated array of C strings.
    private func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = strdup(string) }
        array[strings.count] = nil
        defer {
            for index in strings.indices { free(array[index]) }
            array.deallocate()
        }
        return body(array)
    }
}
