import Foundation

/// Shows training progress: on a terminal, a bar redrawn in place (epoch, batch, loss, metrics,
/// samples/s, ETA); otherwise (a pipe, a log file) plain lines, one per epoch and at most one
/// every `lineInterval` seconds within long epochs.
public final class ProgressBar: TrainingCallback {
    /// How progress is written.
    public enum Style: Sendable, Equatable {
        /// A bar redrawn in place with carriage returns.
        case terminal
        /// Plain lines only.
        case lines
    }

    /// The style in use.
    public let style: Style
    private let write: (String) -> Void
    private let refreshInterval: Double
    private let lineInterval: Double
    private var lastDraw = -Double.infinity
    private var epochStart = Date()
    private var drewBar = false
    private var lastEpoch = 0

    /// A progress display; the style defaults to `terminal` when standard output is a terminal.
    /// `write` receives the text (standard output by default).
    public init(
        style: Style? = nil, refreshInterval: Double = 0.1, lineInterval: Double = 30,
        write: @escaping (String) -> Void = ProgressBar.writeToStandardOutput
    ) {
        self.style = style ?? (isatty(STDOUT_FILENO) != 0 ? .terminal : .lines)
        self.write = write
        self.refreshInterval = refreshInterval
        self.lineInterval = lineInterval
    }

    /// Writes to standard output through the C stream `print` uses, then flushes, so progress
    /// and printed lines keep their order and a redrawn bar shows at once.
    public static func writeToStandardOutput(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }

    public func fitWillBegin(_ trainer: Trainer, plan: FitPlan) throws {
        lastEpoch = plan.lastEpoch
        guard plan.firstEpoch <= plan.lastEpoch else { return }
        let validation = plan.validationSamples > 0 ? ", \(plan.validationSamples) validation samples" : ""
        let resume = plan.firstEpoch > 1 ? "continuing at epoch \(plan.firstEpoch): " : ""
        write("\(resume)training on \(plan.samplesPerEpoch) samples in \(plan.batchCount) batches per epoch\(validation), \(trainer.device.name)\n")
    }

    public func epochWillBegin(_ trainer: Trainer, epoch: Int) throws {
        epochStart = Date()
        lastDraw = 0
        drewBar = false
    }

    public func batchDidEnd(_ trainer: Trainer, progress: BatchProgress) throws {
        let now = Date().timeIntervalSince(epochStart)
        let interval = style == .terminal ? refreshInterval : lineInterval
        guard now - lastDraw >= interval, progress.batch < progress.batchCount else { return }
        lastDraw = now
        switch style {
        case .terminal:
            write("\r" + Self.barLine(progress) + "\u{1B}[K")
            drewBar = true
        case .lines:
            write(Self.barLine(progress, barWidth: 0) + "\n")
        }
    }

    public func epochDidEnd(_ trainer: Trainer, record: EpochRecord) throws -> CallbackDecision {
        let prefix = drewBar ? "\r" : ""
        write(prefix + Self.epochLine(record, lastEpoch: lastEpoch) + (drewBar ? "\u{1B}[K\n" : "\n"))
        return .proceed
    }

    public func fitDidEnd(_ trainer: Trainer) throws {
        if let reason = trainer.stopReason { write(reason + "\n") }
    }

    // MARK: - Formatting

    /// `epoch 3/30 [=====>    ] 28/56  loss 0.2345  accuracy 0.9312  4321 samples/s  ETA 0:02`.
    static func barLine(_ progress: BatchProgress, barWidth: Int = 20) -> String {
        var parts = ["epoch \(progress.epoch)/\(progress.lastEpoch)"]
        if barWidth > 0 {
            let filled = progress.batch * barWidth / max(progress.batchCount, 1)
            let arrow = filled < barWidth ? ">" : ""
            let bar = String(repeating: "=", count: max(filled - arrow.count, 0)) + arrow
            parts[0] += " [" + bar.padding(toLength: barWidth, withPad: " ", startingAt: 0) + "]"
        }
        parts.append("\(progress.batch)/\(progress.batchCount)")
        parts.append("loss \(format(progress.loss))")
        for name in progress.metrics.keys.sorted() { parts.append("\(name) \(format(progress.metrics[name] ?? .nan))") }
        parts.append("\(Int(progress.samplesPerSecond.rounded())) samples/s")
        parts.append("ETA \(duration(progress.secondsRemaining))")
        return parts.joined(separator: "  ")
    }

    /// `epoch 3/30  loss 0.2345  accuracy 0.9312  val_loss ...  lr 0.001  4321 samples/s  1.2 s`.
    static func epochLine(_ record: EpochRecord, lastEpoch: Int) -> String {
        var parts = ["epoch \(record.epoch)/\(lastEpoch)", "loss \(format(record.trainLoss))"]
        let trainingNames = record.metrics.keys.filter { !$0.hasPrefix("val_") }.sorted()
        for name in trainingNames { parts.append("\(name) \(format(record.metrics[name] ?? .nan))") }
        if let validationLoss = record.validationLoss { parts.append("val_loss \(format(validationLoss))") }
        for name in record.metrics.keys.filter({ $0.hasPrefix("val_") }).sorted() {
            parts.append("\(name) \(format(record.metrics[name] ?? .nan))")
        }
        parts.append("lr \(String(format: "%.3g", record.learningRate))")
        parts.append("\(Int(record.samplesPerSecond.rounded())) samples/s")
        parts.append(String(format: "%.1f s", record.wallTimeSeconds))
        return parts.joined(separator: "  ")
    }

    private static func format(_ value: Double) -> String {
        String(format: abs(value) >= 1000 ? "%.1f" : "%.4f", value)
    }

    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
