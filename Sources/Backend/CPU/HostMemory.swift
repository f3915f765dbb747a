import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How much host memory this process may use: not only the machine's physical memory, but also
/// the memory limit of its control group (a container's or a systemd unit's; cgroup v2's
/// `memory.max` or v1's `memory.limit_in_bytes`) and the address space `ulimit -v` leaves it.
enum HostMemory {
    /// Limits at or above this mean "no limit" (cgroup v1 writes 2^63 rounded down to a page).
    static let unlimited = 1 << 62

    /// The least of physical memory, the cgroup limit and the address space left under the
    /// `RLIMIT_AS` limit (the limit less what the process has mapped already).
    static func limitBytes(readFile: (String) -> String? = readFile) -> Int {
        var limit = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if let cgroup = cgroupLimitBytes(readFile: readFile) { limit = min(limit, cgroup) }
        if let addressSpace = addressSpaceLimitBytes(),
           let mapped = mappedBytes(status: readFile("/proc/self/status")) {
            limit = min(limit, max(0, addressSpace - mapped))
        }
        return limit
    }

    /// An estimate of what the process could still allocate (for error messages): the least of
    /// the memory the system calls available and the address space left under `RLIMIT_AS`.
    static func availableBytes(readFile: (String) -> String? = readFile) -> Int {
        var available = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if let system = kilobytes(after: "MemAvailable:", in: readFile("/proc/meminfo")) { available = min(available, system) }
        if let addressSpace = addressSpaceLimitBytes(),
           let mapped = mappedBytes(status: readFile("/proc/self/status")) {
            available = min(available, max(0, addressSpace - mapped))
        }
        return available
    }

    /// The memory limit of the process's cgroup (or of the cgroup mounted at the root of
    /// `/sys/fs/cgroup`, as inside a container), in bytes; nil when there is none.
    static func cgroupLimitBytes(readFile: (String) -> String?) -> Int? {
        var candidates: [String] = []
        for line in (readFile("/proc/self/cgroup") ?? "").split(separator: "\n") {
            // "0::/user.slice/x" (v2) or "4:memory:/docker/x" (v1).
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = fields[2].hasSuffix("/") ? String(fields[2].dropLast()) : String(fields[2])
            if fields[0] == "0", fields[1].isEmpty {
                candidates += ["/sys/fs/cgroup\(path)/memory.max"]
            } else if fields[1].split(separator: ",").contains("memory") {
                candidates += ["/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes"]
            }
        }
        candidates += ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
        let limits = candidates.compactMap { path -> Int? in
            guard let text = readFile(path)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  let bytes = Int(text), bytes > 0, bytes < unlimited
            else { return nil }
            return bytes
        }
        return limits.min()
    }

    /// The soft `RLIMIT_AS` limit (`ulimit -v`) in bytes; nil when unlimited.
    static func addressSpaceLimitBytes() -> Int? {
        #if os(Linux)
        var limit = rlimit()
        // RLIM_INFINITY is all ones (Swift cannot import its C definition).
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
        #else
        return nil
        #endif
    }

    /// The process's mapped address space (`VmSize` of `/proc/self/status`) in bytes.
    static func mappedBytes(status: String?) -> Int? {
        kilobytes(after: "VmSize:", in: status)
    }

    /// The figure in kB on the line of `text` that starts with `label`
    /// (`/proc` style: `VmSize:\t  123456 kB`), in bytes.
    static func kilobytes(after label: String, in text: String?) -> Int? {
        guard let line = text?.split(separator: "\n").first(where: { $0.hasPrefix(label) }),
              let figure = line.dropFirst(label.count).split(whereSeparator: \.isWhitespace).first,
              let kilobytes = Int(figure), kilobytes >= 0
        else { return nil }
        let (bytes, overflow) = kilobytes.multipliedReportingOverflow(by: 1024)
        return overflow ? nil : bytes
    }

    /// The contents of a small text file, or nil.
    static func readFile(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
