import Backend
import Foundation
import Testing
@testable import Training

/// Layer sizes meant to overflow the shape arithmetic (found by the fuzz tests): each is an
/// error naming the layer's key, or a model where the sizes merely look large.
@Suite struct HostileLayerSizeTests {
    /// Builds the one-layer model of `layer` for 1×8×8 inputs on a small CPU device.
    static func build(_ layer: String) throws -> Int {
        let description = try TrainingDescription.parse(yaml: """
            data: {dataset: digits, image_shape: [1, 8, 8]}
            model:
              - \(layer)
            """, file: "hostile.yaml")
        return try TrainingRun.buildModel(description, inputShape: [1, 8, 8], on: FuzzTests.smallDevice).namedLayers.count
    }

    @Test(arguments: [
        ("conv2d: {filters: 4611686018427387904, kernel: 3}", "4611686018427387904×1×3×3 weights are more than an Int can count"),
        ("conv2d: {filters: 4, kernel: 3, padding: 4611686018427387904}", "give sizes past Int's range"),
        ("conv2d: {filters: 4, kernel: 3, dilation: 4611686018427387904}", "give sizes past Int's range"),
        ("maxpool2d: {kernel: 3, padding: 4611686018427387904}", "padding must be between 0 and half the kernel"),
    ])
    func overflowingSizesAreErrorsNamingTheLayer(layer: String, message: String) {
        do {
            _ = try Self.build(layer)
            Issue.record("built without an error")
        } catch {
            #expect("\(error)".contains("model[0]") && "\(error)".contains(message), "\(error)")
        }
    }

    @Test func aPoolingWindowAsLargeAsIntMaxPaddedToFitBuilds() throws {
        // 2·padding is Int.max − 1: fine on its own, but input + 2·padding overflowed.
        #expect(try Self.build("maxpool2d: {kernel: 9223372036854775807, padding: 4611686018427387903}") == 1)
    }
}
