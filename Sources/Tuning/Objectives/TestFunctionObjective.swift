import Foundation

/// Standard optimisation test functions as objectives, for comparing samplers and for demos
/// (`objective: {function: branin}` in a study file). Each reads its inputs by name: Branin `x`
/// and `y`, Hartmann-6 `x1`…`x6`, the others `x1`, `x2`, … up to the last consecutive one the
/// trial has (any dimension from 1).
public struct TestFunctionObjective: Objective {
    public enum Function: String, Sendable, CaseIterable {
        /// Branin–Hoo on `x` in [−5, 10], `y` in [0, 15]; minimum 0.397887 at three points.
        case branin
        /// Hartmann 6-D on `x1`…`x6` in [0, 1]; minimum −3.32237.
        case hartmann6
        /// Rosenbrock's valley on [−5, 10]^d; minimum 0 at (1, …, 1).
        case rosenbrock
        /// Rastrigin on [−5.12, 5.12]^d: a bowl covered with regular local minima; minimum 0 at 0.
        case rastrigin
        /// Ackley on [−32.768, 32.768]^d: nearly flat far out, one deep funnel; minimum 0 at 0.
        case ackley
        /// Levy on [−10, 10]^d; minimum 0 at (1, …, 1).
        case levy
        /// Styblinski–Tang on [−5, 5]^d; minimum −39.16617·d at (−2.903534, …).
        case styblinskiTang = "styblinski_tang"
        /// Griewank on [−600, 600]^d; minimum 0 at 0.
        case griewank
        /// Six-hump camel on `x1` in [−3, 3], `x2` in [−2, 2]; minimum −1.031628 at two points.
        case sixHumpCamel = "six_hump_camel"
        /// Hartmann 3-D on `x1`…`x3` in [0, 1]; minimum −3.86278.
        case hartmann3
        /// Michalewicz (m = 10) on [0, π]^d; minimum −1.8013 (d = 2), −4.687658 (5), −9.66015 (10).
        case michalewicz
        /// Zakharov on [−5, 10]^d; minimum 0 at 0.
        case zakharov
        /// Dixon–Price on [−10, 10]^d; minimum 0.
        case dixonPrice = "dixon_price"
        /// Powell's singular function on [−4, 5]^d (groups of four inputs); minimum 0 at 0.
        case powell

        /// The names of the parameters a function of fixed dimension reads; `nil` for the
        /// functions of any dimension, which read `x1`, `x2`, ….
        public var fixedParameterNames: [String]? {
            switch self {
            case .branin: return ["x", "y"]
            case .hartmann6: return (1...6).map { "x\($0)" }
            case .sixHumpCamel: return ["x1", "x2"]
            case .hartmann3: return (1...3).map { "x\($0)" }
            default: return nil
            }
        }

        /// The parameters the function reads in `dimensions` dimensions (ignored by the functions
        /// of fixed dimension).
        public func parameterNames(dimensions: Int) -> [String] {
            fixedParameterNames ?? (0..<dimensions).map { "x\($0 + 1)" }
        }

        /// The function's global minimum in `dimensions` dimensions (for Michalewicz known in 2, 5
        /// and 10 dimensions only, NaN in others).
        public func minimum(dimensions: Int) -> Double {
            switch self {
            case .branin: return 0.397887
            case .hartmann6: return -3.32237
            case .styblinskiTang: return -39.16617 * Double(dimensions)
            case .sixHumpCamel: return -1.031628
            case .hartmann3: return -3.86278
            case .michalewicz: return [2: -1.8013, 5: -4.687658, 10: -9.66015][dimensions] ?? .nan
            default: return 0
            }
        }

        /// The usual domain of every input of the functions of any dimension.
        var domain: ClosedRange<Double> {
            switch self {
            case .rosenbrock: return -5...10
            case .rastrigin: return -5.12...5.12
            case .ackley: return -32.768...32.768
            case .levy: return -10...10
            case .styblinskiTang: return -5...5
            case .griewank: return -600...600
            case .michalewicz: return 0...Double.pi
            case .zakharov: return -5...10
            case .dixonPrice: return -10...10
            case .powell: return -4...5
            case .branin, .hartmann6, .hartmann3: return 0...1
            case .sixHumpCamel: return -3...3
            }
        }

        /// The function's usual search space in `dimensions` dimensions.
        public func space(dimensions: Int) throws -> SearchSpace {
            switch self {
            case .branin: return try SearchSpace([.float("x", -5...10), .float("y", 0...15)])
            case .hartmann6: return try SearchSpace(parameterNames(dimensions: 6).map { .float($0, 0...1) })
            case .hartmann3: return try SearchSpace(parameterNames(dimensions: 3).map { .float($0, 0...1) })
            case .sixHumpCamel: return try SearchSpace([.float("x1", -3...3), .float("x2", -2...2)])
            default: return try SearchSpace(parameterNames(dimensions: dimensions).map { .float($0, domain) })
            }
        }

        public func callAsFunction(_ x: [Double]) -> Double {
            switch self {
            case .branin: return TestFunctions.branin(x)
            case .hartmann6: return TestFunctions.hartmann6(x)
            case .rosenbrock: return TestFunctions.rosenbrock(x)
            case .rastrigin: return TestFunctions.rastrigin(x)
            case .ackley: return TestFunctions.ackley(x)
            case .levy: return TestFunctions.levy(x)
            case .styblinskiTang: return TestFunctions.styblinskiTang(x)
            case .griewank: return TestFunctions.griewank(x)
            case .sixHumpCamel: return TestFunctions.sixHumpCamel(x)
            case .hartmann3: return TestFunctions.hartmann3(x)
            case .michalewicz: return TestFunctions.michalewicz(x)
            case .zakharov: return TestFunctions.zakharov(x)
            case .dixonPrice: return TestFunctions.dixonPrice(x)
            case .powell: return TestFunctions.powell(x)
            }
        }
    }

    public let function: Function

    public init(_ function: Function) {
        self.function = function
    }

    public func evaluate(_ trial: Trial) async throws -> Double {
        var names = function.fixedParameterNames ?? []
        if function.fixedParameterNames == nil {
            while trial.params["x\(names.count + 1)"] != nil { names.append("x\(names.count + 1)") }
        }
        guard !names.isEmpty else { throw TuningError.missingParameter("x1") }
        return function(try names.map { try trial.double($0) })
    }
}
