import Backend

/// Square single-matrix GEMMs (`C = A·B`, n × n × n) on every path of every device: the pure-Swift
/// path on the CPU device, CLBlast and the project's own kernel on each OpenCL device.
public struct GemmBenchmark: Sendable {
    /// The default sizes (n of an n × n × n GEMM).
    public static let defaultSizes = [256, 512, 1024, 2048]

    public var sizes: [Int]
    public var timing: BenchmarkTiming

    public init(sizes: [Int] = GemmBenchmark.defaultSizes, timing: BenchmarkTiming = BenchmarkTiming()) {
        self.sizes = sizes
        self.timing = timing
    }

    /// Measures every size on every path of `devices`, handing each row to `report` as soon as it
    /// is measured.
    public func run(on devices: [any Device], report: (BenchmarkRow) -> Void) throws {
        for device in devices {
            for size in sizes {
                try measure(size: size, on: device, report: report)
            }
        }
    }

    private func measure(size: Int, on device: any Device, report: (BenchmarkRow) -> Void) throws {
        let descriptor = GemmDescriptor(m: size, n: size, k: size)
        let a = try Tensor(Self.values(size * size, seed: 1), shape: [size, size], on: device)
        let b = try Tensor(Self.values(size * size, seed: 2), shape: [size, size], on: device)
        let c = try Tensor(uninitializedShape: [size, size], on: device)
        for path in device.gemmPaths {
            let milliseconds = try timing.medianMilliseconds(on: device) {
                try device.gemm(descriptor, a: a, b: b, c: c, path: path)
            }
            report(BenchmarkRow(
                benchmark: "gemm", size: "\(size)", path: path.rawValue, device: device.identifier,
                medianMilliseconds: milliseconds, rate: descriptor.flops / (milliseconds * 1e6), unit: "GFLOP/s"))
        }
    }

    /// Reproducible values in [-1, 1) (a linear congruential sequence; benchmarks need no better).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
    }
}
