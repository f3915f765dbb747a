import Backend

/// What `swifttune selftest` runs: every parity case on a device and on the CPU path, each
/// against its Double reference, then a few training steps of each small model on the device,
/// compared with the same steps on the CPU path.
public struct SelfTest {
    /// The device under test.
    public let device: any Device
    /// The CPU path, checked too and the reference of the training steps.
    public let cpu: any Device

    public init(device: any Device, cpu: any Device = CPUDevice.shared) {
        self.device = device
        self.cpu = cpu
    }

    /// The devices the cases run on: the device, then the CPU path (once when they are one).
    public var devices: [any Device] { device === cpu ? [cpu] : [device, cpu] }

    /// Runs everything, handing each result to `report` as soon as it is known.
    public func run(report: (ParityResult) -> Void) -> SelfTestSummary {
        var results: [ParityResult] = []
        let ((), seconds) = timed {
            for target in devices {
                for parityCase in ParityCatalog.cases(for: target) {
                    results.append(parityCase.measure(on: target))
                    report(results[results.count - 1])
                }
            }
            for training in TrainingParity.all {
                results.append(training.compare(device, with: cpu))
                report(results[results.count - 1])
            }
        }
        return SelfTestSummary(devices: devices.map(\.identifier), results: results, seconds: seconds)
    }
}

/// The outcome of a whole self-test.
public struct SelfTestSummary: Sendable, Codable {
    /// The devices checked, device under test first.
    public let devices: [String]
    /// Cases that passed.
    public let passed: Int
    /// `device: op` of every case that failed.
    public let failed: [String]
    /// Wall-clock seconds for the whole run.
    public let seconds: Double
    /// Whether every case passed.
    public let succeeded: Bool

    init(devices: [String], results: [ParityResult], seconds: Double) {
        self.devices = devices
        passed = results.filter(\.passed).count
        failed = results.filter { !$0.passed }.map { "\($0.device): \($0.op)" }
        self.seconds = seconds
        succeeded = failed.isEmpty
    }
}
