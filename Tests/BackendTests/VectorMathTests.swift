import CLSTMKernels
import Foundation
import Testing

@testable import Backend

/// The CPU's own exp, sigmoid and tanh (the LSTM cell's C vector functions in both builds,
/// ScalarMath's tanh) against libm in Double, over the range the LSTM cell sees and beyond.
@Suite struct VectorMathTests {
    /// Inputs from -100 to 100, densest near zero where tanh switches to its series.
    static let inputs: [Float] = (-4000...4000).map { Float($0) / 4000 } + (-2000...2000).map { Float($0) / 20 }

    /// The builds this CPU can run: the plain one, and the AVX2 one where it has AVX2 and FMA.
    static let builds: [Int32] = CPUInfo.current.hasAVX2AndFMA ? [0, 1] : [0]

    enum Function: Int32 { case exp = 0, sigmoid, tanh }

    /// `function` of every input through `swifttune_lstm_vector_function` (build `avx2`).
    static func vector(_ function: Function, _ inputs: [Float], avx2: Int32) -> [Float] {
        var outputs = [Float](repeating: .nan, count: inputs.count)
        outputs.withUnsafeMutableBufferPointer { target in
            swifttune_lstm_vector_function(function.rawValue, inputs, target.baseAddress, inputs.count, avx2)
        }
        return outputs
    }

    /// The largest error of `computed` (one value per input) against `exact`, relative to
    /// max(|exact|, tiny).
    func worstRelativeError(_ computed: [Float], _ exact: (Double) -> Double, inputs: [Float]) -> Double {
        zip(computed, inputs).map { y, x in abs(Double(y) - exact(Double(x))) / max(abs(exact(Double(x))), 1e-30) }.max() ?? 0
    }

    @Test(arguments: builds) func expSigmoidAndTanhAreWithinAFewUlp(avx2: Int32) {
        // Beyond ±80 exp leaves Float's normal range, where the clamp of the vector exp applies.
        let inRange = Self.inputs.filter { abs($0) <= 80 }
        #expect(worstRelativeError(Self.vector(.exp, inRange, avx2: avx2), Foundation.exp, inputs: inRange) < 2.5e-7)
        #expect(
            worstRelativeError(Self.vector(.sigmoid, inRange, avx2: avx2), { 1 / (1 + Foundation.exp(-$0)) }, inputs: inRange) < 5e-7)
        #expect(worstRelativeError(Self.vector(.tanh, Self.inputs, avx2: avx2), Foundation.tanh, inputs: Self.inputs) < 5e-7)
        #expect(worstRelativeError(Self.inputs.map(ScalarMath.tanh), Foundation.tanh, inputs: Self.inputs) < 5e-7)
    }

    @Test(arguments: builds) func extremeInputsSaturateAndNaNPropagates(avx2: Int32) {
        // Nine values: a whole vector and a partial one.
        let extremes: [Float] = [-.infinity, -1e30, -200, 0, -0.0, 200, 1e30, .infinity, .nan]
        let sigmoid = Self.vector(.sigmoid, extremes, avx2: avx2)
        #expect((0..<3).allSatisfy { sigmoid[$0] >= 0 && sigmoid[$0] < 1e-37 })
        #expect(sigmoid[3] == 0.5 && sigmoid[4] == 0.5 && sigmoid[5] == 1 && sigmoid[6] == 1 && sigmoid[7] == 1)
        #expect(sigmoid[8].isNaN)
        let tanh = Self.vector(.tanh, extremes, avx2: avx2)
        #expect(Array(tanh[..<8]) == [-1, -1, -1, 0, 0, 1, 1, 1])
        #expect(tanh[8].isNaN)
        #expect(ScalarMath.tanh(.infinity) == 1 && ScalarMath.tanh(-.infinity) == -1)
        #expect(ScalarMath.tanh(.nan).isNaN)
    }
}
