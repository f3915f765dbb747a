/// Text tables for model summaries: each column as wide as its widest cell plus two spaces, so
/// that long names keep the columns in line.
enum SummaryTable {
    /// `header` then `rows` as lines of aligned columns (the last column is not padded).
    static func lines(header: [String], rows: [[String]]) -> [String] {
        let table = [header] + rows
        let widths = header.indices.map { column in table.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }
    }
}
