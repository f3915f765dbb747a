/// How to read a CSV file into a `Dataset`.
public struct CSVOptions: Sendable {
    /// A column picked by its header name, by its 0-based index, or the last one.
    public enum Column: Sendable, Equatable {
        case name(String)
        case index(Int)
        case last
    }

    /// What the target column holds.
    public enum TargetKind: Sendable, Equatable {
        /// Class labels. With `classNames`, a label is one of the names or an index into them;
        /// without, labels that are all non-negative integers are used as indices (classes named
        /// "0", "1", ...), and any other labels become classes in sorted order.
        case classification(classNames: [String]? = nil)
        /// Real values.
        case regression
    }

    /// The target column.
    public var target: Column
    /// What the target column holds.
    public var targetKind: TargetKind
    /// Whether the first record names the columns.
    public var hasHeader: Bool
    /// The field separator: one ASCII character.
    public var delimiter: Character
    /// Columns that are neither feature nor target (e.g. an ID).
    public var ignoredColumns: [Column]
    /// The shape of one sample's features; `[number of feature columns]` when nil.
    public var featureShape: [Int]?

    /// Options for a CSV file; every feature column must hold numbers.
    public init(
        target: Column = .last, targetKind: TargetKind, hasHeader: Bool = true, delimiter: Character = ",",
        ignoredColumns: [Column] = [], featureShape: [Int]? = nil
    ) {
        self.target = target
        self.targetKind = targetKind
        self.hasHeader = hasHeader
        self.delimiter = delimiter
        self.ignoredColumns = ignoredColumns
        self.featureShape = featureShape
    }
}
