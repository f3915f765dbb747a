/// The labels of CSV rows read for `predict` or `evaluate`, as a run's training targets were.
enum PredictionLabels {
    /// The targets in column `column` of `records`: class indices by the run's class names (a
    /// label may also be an index into them), or regression values scaled as in training.
    static func targets(_ records: [CSVRecord], column: Int, columns: CSVColumns, preprocessing: Preprocessing) throws -> [Float] {
        if preprocessing.isClassification {
            return try CSVClassLabels(
                labels: records.map { $0.fields[column] }, classNames: preprocessing.classNames, records: records, columns: columns,
                targetColumn: column
            ).indices.map(Float.init)
        }
        let values = try records.map { try columns.number($0, column) }
        return try preprocessing.targetScaler?.transform(values) ?? values
    }
}
