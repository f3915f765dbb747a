import Testing
@testable import Tuning

@Suite struct BoundedLBFGSTests {
    /// f(x) = 1000 (x − 0.9)² on [0, 1], from 0: the gradient there is −1800.
    private func steep(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        (1000 * (x[0] - 0.9) * (x[0] - 0.9), [2000 * (x[0] - 0.9)])
    }

    @Test func findsTheMinimumInsideTheBoxAndStopsOnItsFace() {
        let optimizer = BoundedLBFGS()
        let inside = optimizer.minimize(from: [0], lower: [0], upper: [1], steep)
        #expect(abs(inside.point[0] - 0.9) < 1e-4)
        let face = optimizer.minimize(from: [0], lower: [0], upper: [0.5], steep)
        #expect(face.point == [0.5])
    }

    @Test func aFirstGradientStepGoesNoFurtherThanItsLimit() {
        var optimizer = BoundedLBFGS()
        optimizer.maximumIterations = 1
        // Unlimited, the step of length 1800 is projected onto the face at 1 (a lower value).
        #expect(optimizer.minimize(from: [0], lower: [0], upper: [1], steep).point == [1])
        optimizer.gradientStepLimit = 0.1
        let limited = optimizer.minimize(from: [0], lower: [0], upper: [1], steep)
        #expect(abs(limited.point[0] - 0.1) < 1e-12)
    }
}
