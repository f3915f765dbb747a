import Foundation

/// More standard test functions (Surjanovic and Bingham's Virtual Library of Simulation
/// Experiments), kept apart from the ones `scripts/compare-samplers` reports by default: the
/// samplers were not tuned on these, so they check that an improvement is general.
extension TestFunctions {
    static func sixHumpCamel(_ x: [Double]) -> Double {
        let a = x[0], b = x[1]
        return (4 - 2.1 * a * a + pow(a, 4) / 3) * a * a + a * b + (-4 + 4 * b * b) * b * b
    }

    static func hartmann3(_ x: [Double]) -> Double {
        let a: [[Double]] = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
        let p: [[Double]] = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]
        return hartmann(x, a: a, p: p)
    }

    /// Michalewicz with steepness m = 10.
    static func michalewicz(_ x: [Double]) -> Double {
        var sum = 0.0
        for (i, value) in x.enumerated() {
            sum += sin(value) * pow(sin(Double(i + 1) * value * value / Double.pi), 20)
        }
        return -sum
    }

    static func zakharov(_ x: [Double]) -> Double {
        var squares = 0.0, weighted = 0.0
        for (i, value) in x.enumerated() {
            squares += value * value
            weighted += 0.5 * Double(i + 1) * value
        }
        return squares + weighted * weighted + pow(weighted, 4)
    }

    static func dixonPrice(_ x: [Double]) -> Double {
        var sum = (x[0] - 1) * (x[0] - 1)
        for i in 1..<x.count {
            let inner = 2 * x[i] * x[i] - x[i - 1]
            sum += Double(i + 1) * inner * inner
        }
        return sum
    }

    /// Powell's singular function over consecutive groups of four inputs (a last incomplete
    /// group is ignored).
    static func powell(_ x: [Double]) -> Double {
        var sum = 0.0
        for i in stride(from: 0, to: x.count - x.count % 4, by: 4) {
            let (a, b, c, d) = (x[i], x[i + 1], x[i + 2], x[i + 3])
            let first: Double = pow(a + 10 * b, 2) + 5 * pow(c - d, 2)
            let second: Double = pow(b - 2 * c, 4) + 10 * pow(a - d, 4)
            sum += first + second
        }
        return sum
    }
}
