import Testing
import Training

@Suite struct ScalerTests {
    /// Two features: [1, 3, 5] and a constant 2.
    static let train = try! Dataset(features: [1, 2, 3, 2, 5, 2], featureShape: [2], targets: [0, 1, 2], task: .regression)

    @Test func standardScalerUsesTrainingMeansAndDeviations() throws {
        let scaler = try StandardScaler.fit(Self.train)
        #expect(scaler.centers == [3, 2])
        // Population deviation of 1, 3, 5: sqrt(8/3).
        #expect(abs(scaler.scales[0] - Float((8.0 / 3).squareRoot())) < 1e-6)
        #expect(scaler.scales[1] == 1)
        let scaled = try scaler.transform(Self.train)
        #expect(abs(scaled.features[0] + 1.2247449) < 1e-6)
        #expect(scaled.features[1] == 0)
        // A part not seen during fitting goes through the same map.
        let other = try scaler.transform([3, 4])
        #expect(other == [0, 2])
        let restored = try scaler.inverseTransform(scaled.features)
        for (a, b) in zip(restored, Self.train.features) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func minMaxScalerMapsTrainingExtremesToTheRange() throws {
        let scaler = try MinMaxScaler.fit(Self.train, to: -1...1)
        let scaled = try scaler.transform(Self.train.features)
        #expect(scaled == [-1, -1, 0, -1, 1, -1])
        #expect(try scaler.transform([7, 2]) == [2, -1])
        #expect(try scaler.inverseTransform([0, -1]) == [3, 2])
    }

    @Test func scalingTargetsAndMismatchedWidthsAreChecked() throws {
        let targetScaler = try StandardScaler.fit(Self.train.targets, featureCount: 1)
        #expect(targetScaler.centers == [1])
        #expect(throws: DataError.self) { try targetScaler.transform(Self.train) }
        #expect(throws: DataError.self) { try StandardScaler.fit([1, 2, 3], featureCount: 2) }
        #expect(throws: DataError.self) { try MinMaxScaler.fit([1, .nan], featureCount: 1) }
        #expect(throws: DataError.self) { try MinMaxScaler.fit([1, 2], featureCount: 1, to: 1...1) }
    }
}
