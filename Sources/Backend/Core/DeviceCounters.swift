import Foundation

/// What a device has been asked to do since it was opened: the figures `bench train` reports per
/// step, and the ones a training step must keep low (every host synchronization stalls the host
/// until the device's queue drains).
public struct DeviceCounters: Sendable, Equatable {
    /// Kernels enqueued (a CLBlast call and a buffer-to-buffer copy count as one each); nil on
    /// devices that run every op inline on the calling thread (the CPU path).
    public var kernelLaunches: Int?
    /// Times the host waited for the device: `synchronize()` and every read of device memory.
    public var synchronizations: Int
    /// Bytes copied from host memory to the device.
    public var bytesUploaded: Int
    /// Bytes copied from the device to host memory.
    public var bytesDownloaded: Int

    public init(kernelLaunches: Int?, synchronizations: Int = 0, bytesUploaded: Int = 0, bytesDownloaded: Int = 0) {
        self.kernelLaunches = kernelLaunches
        self.synchronizations = synchronizations
        self.bytesUploaded = bytesUploaded
        self.bytesDownloaded = bytesDownloaded
    }

    /// What happened between `earlier` and `self`.
    public static func - (later: DeviceCounters, earlier: DeviceCounters) -> DeviceCounters {
        DeviceCounters(
            kernelLaunches: later.kernelLaunches.map { $0 - (earlier.kernelLaunches ?? 0) },
            synchronizations: later.synchronizations - earlier.synchronizations,
            bytesUploaded: later.bytesUploaded - earlier.bytesUploaded,
            bytesDownloaded: later.bytesDownloaded - earlier.bytesDownloaded)
    }
}

/// The running counts behind `DeviceCounters`, safe to bump from any thread.
final class DeviceCounting: @unchecked Sendable {
    private let lock = NSLock()
    private var counters: DeviceCounters

    /// Counts for a device that launches kernels (`countsLaunches`) or runs ops inline.
    init(countsLaunches: Bool) {
        counters = DeviceCounters(kernelLaunches: countsLaunches ? 0 : nil)
    }

    /// The counts so far.
    var snapshot: DeviceCounters { lock.withLock { counters } }

    func launch() {
        lock.withLock { counters.kernelLaunches = counters.kernelLaunches.map { $0 + 1 } }
    }

    func synchronization() {
        lock.withLock { counters.synchronizations += 1 }
    }

    func upload(bytes: Int) {
        lock.withLock { counters.bytesUploaded += bytes }
    }

    /// A read: the host waits for the device, then receives `bytes`.
    func download(bytes: Int) {
        lock.withLock {
            counters.synchronizations += 1
            counters.bytesDownloaded += bytes
        }
    }
}
