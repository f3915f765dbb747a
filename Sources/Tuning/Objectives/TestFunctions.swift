import Foundation

/// The formulas of `TestFunctionObjective.Function` (as in Surjanovic and Bingham's Virtual
/// Library of Simulation Experiments).
enum TestFunctions {
    static func branin(_ x: [Double]) -> Double {
        let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
        let inner = x[1] - b * x[0] * x[0] + c * x[0] - 6
        return inner * inner + 10 * (1 - t) * cos(x[0]) + 10
    }

    static func hartmann6(_ x: [Double]) -> Double {
        let a: [[Double]] = [
            [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
            [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
        ]
        let p: [[Double]] = [
            [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
            [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
        ]
        return hartmann(x, a: a, p: p)
    }

    /// The Hartmann family: `−Σᵢ αᵢ·exp(−Σⱼ aᵢⱼ·(xⱼ − pᵢⱼ)²)` with α = (1, 1.2, 3, 3.2), over the
    /// four rows of `a` and `p` (as wide as `x`).
    static func hartmann(_ x: [Double], a: [[Double]], p: [[Double]]) -> Double {
        let alpha = [1.0, 1.2, 3.0, 3.2]
        var sum = 0.0
        for i in 0..<4 {
            var exponent = 0.0
            for j in x.indices {
                let difference = x[j] - p[i][j]
                exponent += a[i][j] * difference * difference
            }
            sum += alpha[i] * exp(-exponent)
        }
        return -sum
    }

    static func rosenbrock(_ x: [Double]) -> Double {
        guard x.count > 1 else { return (1 - x[0]) * (1 - x[0]) }
        return (0..<(x.count - 1)).reduce(0) { sum, i in
            let valley = x[i + 1] - x[i] * x[i]
            return sum + 100 * valley * valley + (1 - x[i]) * (1 - x[i])
        }
    }

    static func rastrigin(_ x: [Double]) -> Double {
        10 * Double(x.count) + x.reduce(0) { $0 + $1 * $1 - 10 * cos(2 * Double.pi * $1) }
    }

    static func ackley(_ x: [Double]) -> Double {
        let d = Double(x.count)
        let squares = x.reduce(0) { $0 + $1 * $1 } / d
        let cosines = x.reduce(0) { $0 + cos(2 * Double.pi * $1) } / d
        return -20 * exp(-0.2 * squares.squareRoot()) - exp(cosines) + 20 + M_E
    }

    static func levy(_ x: [Double]) -> Double {
        let w = x.map { 1 + ($0 - 1) / 4 }
        let first = pow(sin(Double.pi * w[0]), 2)
        let last = pow(w[w.count - 1] - 1, 2) * (1 + pow(sin(2 * Double.pi * w[w.count - 1]), 2))
        let middle = w.dropLast().reduce(0) { $0 + ($1 - 1) * ($1 - 1) * (1 + 10 * pow(sin(Double.pi * $1 + 1), 2)) }
        return first + middle + last
    }

    static func styblinskiTang(_ x: [Double]) -> Double {
        x.reduce(0) { $0 + pow($1, 4) - 16 * $1 * $1 + 5 * $1 } / 2
    }

    static func griewank(_ x: [Double]) -> Double {
        let squares = x.reduce(0) { $0 + $1 * $1 } / 4000
        let product = x.enumerated().reduce(1.0) { $0 * cos($1.element / Double($1.offset + 1).squareRoot()) }
        return squares - product + 1
    }
}
