import Backend
import Dispatch

/// How a benchmark repeats one measurement: warm-up runs first, then timed runs whose median is
/// reported. A row stops early (after at least `minimumRepeats` runs) once it has spent
/// `budgetSeconds`, so slow paths at large sizes do not run for minutes.
public struct BenchmarkTiming: Sendable {
    /// Untimed runs before the timed ones (compiles kernels, warms caches and pools).
    public var warmups: Int
    /// Timed runs at most.
    public var repeats: Int
    /// Timed runs at least, whatever the budget.
    public var minimumRepeats: Int
    /// Seconds of timed runs after which a row stops early.
    public var budgetSeconds: Double

    public init(warmups: Int = 2, repeats: Int = 10, minimumRepeats: Int = 3, budgetSeconds: Double = 3) {
        self.warmups = warmups
        self.repeats = max(1, repeats)
        self.minimumRepeats = max(1, min(minimumRepeats, self.repeats))
        self.budgetSeconds = budgetSeconds
    }

    /// The median wall time of `body` in milliseconds. Each run ends with `device.synchronize()`
    /// inside the timed interval, so queued device work is counted.
    public func medianMilliseconds(on device: any DeviceCore, _ body: () throws -> Void) throws -> Double {
        for _ in 0..<warmups {
            try body()
            try device.synchronize()
        }
        var times: [Double] = []
        var spent = 0.0
        while times.count < repeats, times.count < minimumRepeats || spent < budgetSeconds * 1000 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            try device.synchronize()
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            times.append(milliseconds)
            spent += milliseconds
        }
        return Self.median(times)
    }

    /// The median of a non-empty list.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
