/// Failures of a training run. Messages say where (epoch, batch, file, tensor) and what was wrong.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The loss of a batch was NaN or infinite. Training stopped at the next read of the recorded
    /// losses (`FitOptions.progressInterval`), so that batch's update, and those up to the read,
    /// were applied.
    case nonFiniteLoss(epoch: Int, batch: Int, batchCount: Int, value: Float)
    /// A parameter's values became NaN or infinite while the loss stayed finite (a non-finite
    /// gradient, e.g. from a NaN input that a ReLU turned into 0), in one of `batches`: the
    /// steps between two reads of the recorded figures.
    case nonFiniteWeights(parameter: String, epoch: Int, batches: ClosedRange<Int>, batchCount: Int)
    /// A setting that does not fit the model, the data or the other settings.
    case invalidArgument(op: String, detail: String)
    /// A checkpoint or weights file that does not fit the model.
    case incompatibleWeights(file: String, detail: String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, batchCount, value):
            return "the training loss became \(value) in epoch \(epoch), batch \(batch) of \(batchCount); "
                + "training stopped and the weights are no longer usable (try a lower learning rate, gradient clipping or scaled inputs)"
        case let .nonFiniteWeights(parameter, epoch, batches, batchCount):
            let range = batches.count == 1 ? "batch \(batches.lowerBound)" : "batches \(batches.lowerBound)–\(batches.upperBound)"
            return "the weights of \(parameter) became NaN or infinite in epoch \(epoch), \(range) of \(batchCount), "
                + "while the loss was finite (a non-finite gradient); training stopped and the weights are no longer usable "
                + "(check the inputs for NaN, or clip gradients)"
        case let .invalidArgument(op, detail):
            return "\(op): \(detail)"
        case let .incompatibleWeights(file, detail):
            return "\(file): \(detail)"
        }
    }
}
