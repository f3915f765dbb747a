/// A fitted feature scaler as numbers, to save with a run and apply to new data:
/// `y = (x − center) / scale + offset` per feature.
public struct ScalerParameters: FeatureScaler, Codable, Equatable {
    /// `standard` or `minmax`: which scaler was fitted (the map is the same for both).
    public let kind: String
    public let centers: [Float]
    public let scales: [Float]
    public let offset: Float

    /// The parameters of `scaler`.
    public init(_ scaler: any FeatureScaler) {
        kind = scaler is MinMaxScaler ? "minmax" : "standard"
        centers = scaler.centers
        scales = scaler.scales
        offset = scaler.offset
    }

    /// Checks what a file gave: as many centers as scales, every scale finite and nonzero.
    public func validated(file: String, key: String) throws -> ScalerParameters {
        guard centers.count == scales.count, !centers.isEmpty else {
            throw DataError.malformed(
                file: file, line: nil, column: nil, detail: "\(key): \(centers.count) centers and \(scales.count) scales (need the same nonzero number)")
        }
        if let bad = scales.firstIndex(where: { !$0.isFinite || $0 == 0 }) {
            throw DataError.malformed(file: file, line: nil, column: nil, detail: "\(key).scales[\(bad)] is \(scales[bad]); scales must be finite and nonzero")
        }
        if let bad = centers.firstIndex(where: { !$0.isFinite }) {
            throw DataError.malformed(file: file, line: nil, column: nil, detail: "\(key).centers[\(bad)] is \(centers[bad]); centers must be finite")
        }
        return self
    }
}
