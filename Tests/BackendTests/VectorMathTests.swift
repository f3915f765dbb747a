import Foundation
import Testing

@testable import Backend

/// The CPU's own exp, sigmoid and tanh (VectorMath on eight values, ScalarMath's tanh) against
/// libm in Double, over the range the LSTM cell sees and beyond.
@Suite struct VectorMathTests {
    /// Inputs from -100 to 100, densest near zero where tanh switches to its series.
    static let inputs: [Float] = (-4000...4000).map { Float($0) / 4000 } + (-2000...2000).map { Float($0) / 20 }

    /// The largest error of `computed` against `exact`, relative to max(|exact|, tiny).
    func worstRelativeError(_ computed: (Float) -> Float, _ exact: (Double) -> Double, inputs: [Float]) -> Double {
        inputs.map { x in abs(Double(computed(x)) - exact(Double(x))) / max(abs(exact(Double(x))), 1e-30) }.max() ?? 0
    }

    /// `f` applied to one input through a vector of eight copies; every lane must agree.
    func lanes(_ f: @escaping (SIMD8<Float>) -> SIMD8<Float>) -> (Float) -> Float {
        { x in
            let result = f(SIMD8(repeating: x))
            return (1..<8).allSatisfy { result[$0] == result[0] } ? result[0] : .nan
        }
    }

    @Test func expSigmoidAndTanhAreWithinAFewUlp() {
        // Beyond ±80 exp leaves Float's normal range, where the clamp of VectorMath.exp applies.
        let inRange = Self.inputs.filter { abs($0) <= 80 }
        #expect(worstRelativeError(lanes(VectorMath.exp), Foundation.exp, inputs: inRange) < 2.5e-7)
        #expect(worstRelativeError(lanes(VectorMath.sigmoid), { 1 / (1 + Foundation.exp(-$0)) }, inputs: inRange) < 5e-7)
        #expect(worstRelativeError(lanes(VectorMath.tanh), Foundation.tanh, inputs: Self.inputs) < 5e-7)
        #expect(worstRelativeError(ScalarMath.tanh, Foundation.tanh, inputs: Self.inputs) < 5e-7)
    }

    @Test func extremeInputsSaturateAndNaNPropagates() {
        let extremes = SIMD8<Float>(-.infinity, -1e30, -200, 0, -0.0, 200, 1e30, .infinity)
        let sigmoid = VectorMath.sigmoid(extremes)
        #expect((0..<3).allSatisfy { sigmoid[$0] >= 0 && sigmoid[$0] < 1e-37 })
        #expect(sigmoid[3] == 0.5 && sigmoid[4] == 0.5 && sigmoid[5] == 1 && sigmoid[6] == 1 && sigmoid[7] == 1)
        #expect(VectorMath.tanh(extremes) == SIMD8(-1, -1, -1, 0, 0, 1, 1, 1))
        #expect(ScalarMath.tanh(.infinity) == 1 && ScalarMath.tanh(-.infinity) == -1)
        #expect(VectorMath.tanh(SIMD8(repeating: .nan))[0].isNaN)
        #expect(VectorMath.sigmoid(SIMD8(repeating: .nan))[0].isNaN)
        #expect(ScalarMath.tanh(.nan).isNaN)
    }
}
