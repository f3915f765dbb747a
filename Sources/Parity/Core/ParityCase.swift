import Backend

/// One backend op checked on a list of inputs: each check makes fresh seeded random inputs,
/// runs the op on a device into NaN-poisoned outputs, and compares what it wrote with a Double
/// reference computed on the host.
///
/// The test suite runs every case on every device (`measure(on:)`) and compares each OpenCL
/// device with the CPU path (`agreement(of:with:)`); `swifttune selftest` runs them all on the
/// chosen device and on the CPU path.
public struct ParityCase: Sendable, CustomStringConvertible {
    /// The op family (`elementwise`, `gemm`, ...), as in `Kernels/<family>.cl`.
    public let family: String
    /// The device op and its variant (`unary relu`, `softmaxBackward`, `gemm 65x127x3`).
    public let op: String
    /// The largest error that passes.
    public let tolerance: Double
    /// How the error is measured.
    public let metric: ParityMetric
    /// The inputs the op runs on.
    public let checks: [ParityCheck]

    public init(family: String, op: String, tolerance: Double, metric: ParityMetric = .maxRelative, checks: [ParityCheck]) {
        self.family = family
        self.op = op
        self.tolerance = tolerance
        self.metric = metric
        self.checks = checks
    }

    public var description: String { op }

    /// The distinct input shapes of the checks, in order.
    public var shapes: [String] {
        var seen = Set<String>()
        return checks.map(\.shape).filter { seen.insert($0).inserted }
    }

    /// Runs every check on `device` and compares it with the Double reference. An op that
    /// throws fails its check; the other checks still run.
    public func measure(on device: any Device) -> ParityResult {
        compare(on: device.identifier) { trial in
            let (actual, seconds) = try timed { try trial.run(device) }
            return (actual, trial.reference(), seconds)
        }
    }

    /// Runs every check on `device` and on `reference` (the CPU path) and compares the two
    /// devices' outputs with this case's tolerance.
    public func agreement(of device: any Device, with reference: any Device) -> ParityResult {
        compare(on: "\(device.identifier) vs \(reference.identifier)") { trial in
            let (actual, seconds) = try timed { try trial.run(device) }
            return (actual, try trial.run(reference).map(Double.init), seconds)
        }
    }

    /// Runs `outputs` for each check's fresh trial and folds the errors into one result.
    private func compare(
        on device: String, _ outputs: (ParityTrial) throws -> (actual: [Float], expected: [Double], seconds: Double)
    ) -> ParityResult {
        var worst = (error: 0.0, detail: "")
        var failures: [String] = []
        var seconds = 0.0
        for check in checks {
            let error: Double
            let detail: String
            do {
                let run = try outputs(check.makeTrial())
                seconds += run.seconds
                let measured = metric.measure(run.actual, run.expected)
                error = measured.error.isNaN ? .infinity : measured.error
                let location = measured.worst.isEmpty ? "" : "\(measured.worst), "
                detail = "\(check.label): \(location)\(metric.rawValue) error \(error)"
                if error > tolerance { failures.append("\(detail) > \(tolerance)") }
            } catch let thrown {
                // A kernel that fails to build fails every check the same way: say it once.
                let message = "\(thrown)"
                let headline = message.prefix { $0 != "\n" }
                (error, detail) = (.infinity, "\(check.label): \(message)")
                failures.append(failures.contains { $0.contains(headline) } ? "\(check.label): the same error (\(headline))" : detail)
            }
            if error > worst.error || worst.detail.isEmpty { worst = (error, detail) }
        }
        return ParityResult(
            family: family, op: op, device: device, shapes: shapes, metric: metric, tolerance: tolerance,
            error: worst.error, worst: worst.detail, failures: failures, milliseconds: seconds * 1000)
    }
}

/// The value of `body` and the seconds it took.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    let elapsed = (ContinuousClock.now - start).components
    return (value, Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
}
