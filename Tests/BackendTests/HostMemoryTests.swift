@testable import Backend
import Foundation
import Testing
import TestSupport

/// Memory the process may not have: an error, never a crash.
@Suite struct HostMemoryTests {
    /// A reader of fake files.
    static func files(_ contents: [String: String]) -> (String) -> String? {
        { contents[$0] }
    }

    @Test func theCgroupLimitComesFromV2OrV1Files() {
        let v2 = Self.files([
            "/proc/self/cgroup": "0::/user.slice/run-1.scope\n",
            "/sys/fs/cgroup/user.slice/run-1.scope/memory.max": "1073741824\n",
        ])
        #expect(HostMemory.cgroupLimitBytes(readFile: v2) == 1 << 30)
        let v2Unlimited = Self.files([
            "/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/memory.max": "max\n",
        ])
        #expect(HostMemory.cgroupLimitBytes(readFile: v2Unlimited) == nil)
        let v1 = Self.files([
            "/proc/self/cgroup": "5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n",
            "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "536870912",
        ])
        #expect(HostMemory.cgroupLimitBytes(readFile: v1) == 1 << 29)
        // Inside a container the process's path is not mounted; the root of the mount holds the limit.
        let v1Unlimited = Self.files([
            "/proc/self/cgroup": "4:memory:/docker/abc\n",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
        ])
        #expect(HostMemory.cgroupLimitBytes(readFile: v1Unlimited) == nil)
        #expect(HostMemory.cgroupLimitBytes(readFile: Self.files([:])) == nil)
        let v1Root = Self.files([
            "/proc/self/cgroup": "4:memory:/docker/abc\n", "/sys/fs/cgroup/memory/memory.limit_in_bytes": "2147483648",
        ])
        #expect(HostMemory.cgroupLimitBytes(readFile: v1Root) == 1 << 31)
    }

    @Test func procFiguresAreReadInKilobytes() {
        let status = "Name:\tswifttune\nVmPeak:\t  999 kB\nVmSize:\t  123456 kB\nVmRSS:\t 10 kB\n"
        #expect(HostMemory.mappedBytes(status: status) == 123_456 * 1024)
        #expect(HostMemory.kilobytes(after: "MemAvailable:", in: "MemTotal: 10 kB\nMemAvailable:   2048 kB\n") == 2 << 20)
        #expect(HostMemory.mappedBytes(status: "VmSize:\t junk kB\n") == nil)
        #expect(HostMemory.mappedBytes(status: "VmSize: 99999999999999999 kB\n") == nil)
        #expect(HostMemory.mappedBytes(status: nil) == nil)
    }

    @Test func theLimitIsNoMoreThanPhysicalMemory() {
        let limit = HostMemory.limitBytes()
        #expect(limit > 0 && UInt64(limit) <= ProcessInfo.processInfo.physicalMemory)
        #expect(CPUDevice().pool.capacityBytes <= limit)
    }

    @Test func aTensorPastTheDevicesLimitIsOutOfMemory() throws {
        let device = CPUDevice(memoryLimitBytes: 1 << 20)
        let fits = try Tensor(uninitializedShape: [512, 512], on: device)
        #expect(throws: BackendError.outOfMemory(device: "cpu", requestedBytes: 4 << 10, availableBytes: 0)) {
            try Tensor(uninitializedShape: [1024], on: device)
        }
        _ = fits
        #expect(throws: BackendError.outOfMemory(device: "cpu", requestedBytes: 1 << 30, availableBytes: 1 << 20)) {
            try Tensor(uninitializedShape: [1 << 14, 1 << 14], on: CPUDevice(memoryLimitBytes: 1 << 20))
        }
    }

    /// More than any machine has (2^60 bytes), past a pool that does not check: the allocation
    /// itself fails, and that is an error too.
    @Test func anAllocationTheSystemRefusesIsOutOfMemory() throws {
        let pool = BufferPool(deviceName: "cpu", capacityBytes: .max, maxBufferBytes: .max) { try CPUBuffer(count: $0) }
        let error = #expect(throws: BackendError.self) { try pool.acquire(count: 1 << 58) }
        guard case let .outOfMemory(device, requested, _)? = error else {
            Issue.record("expected outOfMemory, got \(String(describing: error))")
            return
        }
        #expect(device == "cpu" && requested == 1 << 60)
        #expect(pool.statistics.bytesInUse == 0 && pool.statistics.allocations == 0)
        // The pool still works.
        #expect(try pool.acquire(count: 4).count == 4)
    }

    /// Counts allocations and refuses the ones it is told to.
    final class RefusingAllocator: @unchecked Sendable {
        private let lock = NSLock()
        private var refusals = 0
        func refuseNext() { lock.withLock { refusals += 1 } }
        func allocate(_ count: Int) throws -> any DeviceBuffer {
            let refuse = lock.withLock { () -> Bool in
                defer { refusals = max(0, refusals - 1) }
                return refusals > 0
            }
            if refuse { throw BackendError.outOfMemory(device: "test", requestedBytes: count * 4, availableBytes: 0) }
            return try CPUBuffer(count: count)
        }
    }

    @Test func aRefusedAllocationFreesTheCacheAndTriesOnceMore() throws {
        let allocator = RefusingAllocator()
        let pool = BufferPool(deviceName: "test", capacityBytes: 1 << 20, maxBufferBytes: 1 << 20) { try allocator.allocate($0) }
        pool.release(try pool.acquire(count: 100))
        #expect(pool.statistics.bytesCached == 400)
        allocator.refuseNext()
        _ = try pool.acquire(count: 50)
        #expect(pool.statistics.bytesCached == 0 && pool.statistics.allocations == 2)
        // With nothing cached to free, a refusal is the caller's error.
        allocator.refuseNext()
        #expect(throws: BackendError.outOfMemory(device: "test", requestedBytes: 240, availableBytes: 0)) {
            try pool.acquire(count: 60)
        }
    }

    /// The `swifttune` executable next to the test bundle (built by `swift build --build-tests`).
    static let swifttune = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("swifttune").path

    /// A whole process under `ulimit -v 4 GiB` building a model of 8 GiB, more than the limit but
    /// maybe less than the machine has: it says "out of memory" and exits with status 1.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: swifttune), "needs the swifttune executable"))
    func aProcessUnderUlimitReportsOutOfMemory() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-ulimit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        // Few malloc arenas, so that the threads' reservations do not eat the address space.
        environment["MALLOC_ARENA_MAX"] = "2"
        // 30 inputs · 70,000,000 units · 4 bytes: 8.4 GB of weights in the first layer.
        let run = try ProcessRun(
            "/bin/sh",
            [
                "-c", "ulimit -v 4194304 && exec \"$0\" train --dataset breast_cancer --hidden-units 70000000 --epochs 1 --device cpu",
                Self.swifttune,
            ],
            environment: environment, in: folder)
        #expect(run.exited && run.status == 1, "\(run.output)")
        #expect(run.output.contains("out of memory on cpu: asked for"), "\(run.output)")
    }
}
