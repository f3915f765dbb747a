import Foundation

extension Dataset {
    /// The samples as CSV: a header of the feature names (`f0`, `f1`, ... when the data set has
    /// none) and `target`, then one row per sample with its features flattened row-major and
    /// its target (a class index for classification) last. Values print as the shortest text
    /// that reads back to the same `Float`. Features a source makes (image files) are made here.
    public func csv() throws -> String {
        let names = featureNames.isEmpty ? (0..<featuresPerSample).map { "f\($0)" } : featureNames
        var lines = [(names + ["target"]).joined(separator: ",")]
        lines.reserveCapacity(count + 1)
        var row = [Float](repeating: 0, count: featuresPerSample)
        for sample in 0..<count {
            try row.withUnsafeMutableBufferPointer { try writeFeatures(of: sample, into: $0) }
            let values = row.map { "\($0)" } + [isClassification ? "\(Int(targets[sample]))" : "\(targets[sample])"]
            lines.append(values.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension PreparedData {
    /// Writes `train.csv`, and `validation.csv` and `test.csv` when there are such parts, into
    /// `folder` (created if needed): the samples exactly as training sees them (split and
    /// scaled), so another tool can train on the same data. Returns the files written.
    @discardableResult
    public func writeCSV(to folder: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError.unwritable(file: folder.path, reason: error.localizedDescription)
        }
        let parts: [(String, Dataset?)] = [("train", train), ("validation", validation), ("test", test)]
        return try parts.compactMap { name, part in
            guard let part else { return nil }
            let url = folder.appendingPathComponent("\(name).csv")
            try AtomicFile.write(Data(try part.csv().utf8), to: url)
            return url
        }
    }
}
