import Backend

/// `swifttune bench adam`: the fused Adam update on 10⁶ and 10⁷ parameters, as GB/s of the
/// bytes one update must move (read parameter, gradient, m, v; write parameter, m, v).
public enum AdamBenchmark {
    public static let sizes = [1_000_000, 10_000_000]
    /// Bytes one update moves per parameter: 4 reads and 3 writes of a Float.
    public static let bytesPerParameter = 28

    /// One row per device and size.
    public static func rows(devices: [any Device], sizes: [Int] = sizes, timing: BenchmarkTiming) throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        for device in devices {
            for count in sizes {
                let milliseconds = try medianStepMilliseconds(on: device, count: count, timing: timing)
                rows.append(BenchmarkRow(
                    benchmark: "adam", size: "\(count)", path: "fused", device: device.identifier,
                    medianMilliseconds: milliseconds,
                    rate: Double(bytesPerParameter * count) / milliseconds / 1e6, unit: "GB/s"))
            }
        }
        return rows
    }

    /// The Adam rows, the host's memory bandwidth, and each CPU Adam rate as a percentage of it.
    public static func report(devices: [any Device], sizes: [Int] = sizes, timing: BenchmarkTiming) throws -> [BenchmarkRow] {
        let memory = MemoryBandwidthProbe.rows()
        let bandwidth = MemoryBandwidthProbe.bandwidth(of: memory)
        let adam = try rows(devices: devices, sizes: sizes, timing: timing)
        let shares = adam.filter { $0.device == "cpu" && bandwidth > 0 }.map { row in
            BenchmarkRow(
                benchmark: "adam", size: row.size, path: "fused", device: row.device,
                medianMilliseconds: row.medianMilliseconds, rate: 100 * row.rate / bandwidth, unit: "% of memory bandwidth")
        }
        return memory + adam + shares
    }

    static func medianStepMilliseconds(on device: any Device, count: Int, timing: BenchmarkTiming) throws -> Double {
        let shape = [count]
        let parameter = try Tensor(uninitializedShape: shape, on: device)
        let gradient = try Tensor(uninitializedShape: shape, on: device)
        let first = try Tensor(uninitializedShape: shape, on: device)
        let second = try Tensor(uninitializedShape: shape, on: device)
        try device.uniform(parameter, low: -1, high: 1, stream: RandomStream(seed: 1))
        try device.uniform(gradient, low: -1, high: 1, stream: RandomStream(seed: 2))
        try device.uniform(first, low: -0.1, high: 0.1, stream: RandomStream(seed: 3))
        try device.uniform(second, low: 0, high: 0.01, stream: RandomStream(seed: 4))
        let hyperparameters = AdamHyperparameters.adamW(learningRate: 1e-3)
        var step = 0
        return try timing.medianMilliseconds(on: device) {
            step += 1
            try device.adamStep(
                parameter: parameter, gradient: gradient, firstMoment: first, secondMoment: second, step: step,
                hyperparameters)
        }
    }
}
