import Foundation
import Testing
@testable import Tuning

@Suite struct TestFunctionTests {
    @Test func knownMinimaAreReached() {
        let branin = TestFunctionObjective.Function.branin
        for point in [[-Double.pi, 12.275], [Double.pi, 2.275], [9.42478, 2.475]] {
            #expect(abs(branin(point) - branin.minimum) < 1e-5)
        }
        let hartmann = TestFunctionObjective.Function.hartmann6
        #expect(abs(hartmann([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]) - hartmann.minimum) < 1e-4)
        #expect(hartmann([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) > hartmann.minimum)
    }
}
