import Foundation

/// Standard optimisation test functions as objectives, for comparing samplers and for demos
/// (`objective: {function: branin}` in a study file). Each reads its inputs by name.
public struct TestFunctionObjective: Objective {
    public enum Function: String, Sendable, CaseIterable {
        /// Branin–Hoo on `x` in [−5, 10], `y` in [0, 15]; minimum 0.397887 at three points.
        case branin
        /// Hartmann 6-D on `x1`…`x6` in [0, 1]; minimum −3.32237.
        case hartmann6

        /// The parameters the function reads.
        public var parameterNames: [String] {
            switch self {
            case .branin: return ["x", "y"]
            case .hartmann6: return (1...6).map { "x\($0)" }
            }
        }

        /// The function's global minimum.
        public var minimum: Double {
            switch self {
            case .branin: return 0.397887
            case .hartmann6: return -3.32237
            }
        }

        /// The function's usual search space.
        public var space: SearchSpace {
            get throws {
                switch self {
                case .branin: return try SearchSpace([.float("x", -5...10), .float("y", 0...15)])
                case .hartmann6: return try SearchSpace(parameterNames.map { .float($0, 0...1) })
                }
            }
        }

        public func callAsFunction(_ inputs: [Double]) -> Double {
            switch self {
            case .branin:
                let (x, y) = (inputs[0], inputs[1])
                let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
                let inner = y - b * x * x + c * x - 6
                return inner * inner + 10 * (1 - t) * cos(x) + 10
            case .hartmann6:
                let alpha = [1.0, 1.2, 3.0, 3.2]
                let a: [[Double]] = [
                    [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                    [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
                ]
                let p: [[Double]] = [
                    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
                    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
                ]
                var sum = 0.0
                for i in 0..<4 {
                    var exponent = 0.0
                    for j in 0..<6 {
                        let difference: Double = inputs[j] - p[i][j]
                        exponent += a[i][j] * difference * difference
                    }
                    sum += alpha[i] * exp(-exponent)
                }
                return -sum
            }
        }
    }

    public let function: Function

    public init(_ function: Function) {
        self.function = function
    }

    public func evaluate(_ trial: Trial) async throws -> Double {
        function(try function.parameterNames.map { try trial.double($0) })
    }
}
