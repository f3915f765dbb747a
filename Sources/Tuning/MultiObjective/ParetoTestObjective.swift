import Foundation

/// Multi-objective test problems as objectives of a study with one `minimize` direction per
/// objective: two-objective ZDT1 and ZDT2 (Zitzler, Deb and Thiele) and three-objective DTLZ2
/// (Deb, Thiele, Laumanns and Zitzler), e.g. `objective: {function: zdt1}` in a study file. They
/// read `x1`, `x2`, … in [0, 1] up to the last consecutive one the trial has (any dimension
/// from 2, from 3 for DTLZ2), record all values with `Trial.setObjectiveValues` and return the
/// first.
public struct ParetoTestObjective: Objective {
    public enum Function: String, Sendable, CaseIterable {
        /// ZDT1: a convex front, f2 = 1 − √f1 for f1 in [0, 1] (where x2 … xn are 0).
        case zdt1
        /// ZDT2: a concave front, f2 = 1 − f1².
        case zdt2
        /// DTLZ2 with three objectives: the front is the unit sphere's positive octant (where
        /// x3 … xn are 0.5).
        case dtlz2

        /// How many values the function returns: one per direction of its study.
        public var objectiveCount: Int {
            self == .dtlz2 ? 3 : 2
        }

        /// The function's search space in `dimensions` dimensions (at least `objectiveCount`).
        public func space(dimensions: Int) throws -> SearchSpace {
            guard dimensions >= objectiveCount else {
                throw TuningError.invalidSettings(component: rawValue, reason: "needs at least \(objectiveCount) dimensions, not \(dimensions)")
            }
            return try SearchSpace((1...dimensions).map { .float("x\($0)", 0...1) })
        }

        /// The objective values at `x` (at least `objectiveCount` inputs, each in [0, 1]).
        public func callAsFunction(_ x: [Double]) -> [Double] {
            let f1 = x[0]
            let g = 1 + 9 * x.dropFirst().reduce(0, +) / Double(max(x.count - 1, 1))
            switch self {
            case .zdt1: return [f1, g * (1 - (f1 / g).squareRoot())]
            case .zdt2: return [f1, g * (1 - (f1 / g) * (f1 / g))]
            case .dtlz2:
                let radius = 1 + x.dropFirst(2).reduce(0) { $0 + ($1 - 0.5) * ($1 - 0.5) }
                let a = x[0] * Double.pi / 2, b = x[1] * Double.pi / 2
                return [radius * cos(a) * cos(b), radius * cos(a) * sin(b), radius * sin(a)]
            }
        }
    }

    public let function: Function

    public init(_ function: Function) {
        self.function = function
    }

    public func evaluate(_ trial: Trial) async throws -> Double {
        var x: [Double] = []
        while let value = trial.params["x\(x.count + 1)"] {
            guard let number = value.doubleValue else {
                throw TuningError.parameterType(name: "x\(x.count + 1)", expected: "number", actual: value)
            }
            x.append(number)
        }
        guard x.count >= function.objectiveCount else { throw TuningError.missingParameter("x\(x.count + 1)") }
        let values = function(x)
        try trial.setObjectiveValues(values)
        return values[0]
    }
}
