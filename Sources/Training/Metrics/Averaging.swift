/// How per-class precision, recall and F1 are combined into one number.
public enum Averaging: Sendable, Equatable {
    /// The unweighted mean over the classes that occur (as actual or predicted class).
    case macro
    /// Computed from the counts summed over classes; equals accuracy for single-label data.
    case micro
    /// The mean over classes weighted by how many samples each class has.
    case weighted
    /// The value of one class only (the positive class of a binary problem).
    case binary(positiveClass: Int)
}
