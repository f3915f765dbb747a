import Foundation

/// The Cholesky factor L (lower triangular, row-major) of a symmetric positive-definite matrix
/// A = L Lᵀ, with the solves a Gaussian process needs.
struct Cholesky {
    let size: Int
    /// Row-major n×n; only the lower triangle is meaningful.
    private(set) var lower: [Double]

    /// Factors `matrix` (row-major n×n), adding `jitter`·(1, 10, 100, ...) to the diagonal until
    /// it factors; `nil` if it never does.
    init?(_ matrix: [Double], size: Int, jitter: Double = 1e-10) {
        self.size = size
        lower = []
        var added = 0.0
        for attempt in 0..<8 {
            if let factor = Self.factor(matrix, size: size, diagonalBoost: added) {
                lower = factor
                return
            }
            added = jitter * pow(10, Double(attempt))
        }
        return nil
    }

    private static func factor(_ a: [Double], size n: Int, diagonalBoost: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        let factored = l.withUnsafeMutableBufferPointer { l -> Bool in
            a.withUnsafeBufferPointer { a -> Bool in
                for i in 0..<n {
                    for j in 0...i {
                        var sum = a[i * n + j] + (i == j ? diagonalBoost : 0)
                        for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                        if i == j {
                            guard sum > 0, sum.isFinite else { return false }
                            l[i * n + i] = sum.squareRoot()
                        } else {
                            l[i * n + j] = sum / l[j * n + j]
                        }
                    }
                }
                return true
            }
        }
        return factored ? l : nil
    }

    /// Solves L x = b.
    func solveLower(_ b: [Double]) -> [Double] {
        var x = b
        let n = size
        lower.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { x in
                for i in 0..<n {
                    var sum = x[i]
                    for k in 0..<i { sum -= l[i * n + k] * x[k] }
                    x[i] = sum / l[i * n + i]
                }
            }
        }
        return x
    }

    /// Solves Lᵀ x = b.
    func solveUpper(_ b: [Double]) -> [Double] {
        var x = b
        let n = size
        lower.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { x in
                // Column-oriented: once x[i] is known, remove its share from the rows above.
                for i in stride(from: n - 1, through: 0, by: -1) {
                    x[i] /= l[i * n + i]
                    let value = x[i]
                    for k in 0..<i { x[k] -= l[i * n + k] * value }
                }
            }
        }
        return x
    }

    /// Solves A x = b.
    func solve(_ b: [Double]) -> [Double] {
        solveUpper(solveLower(b))
    }

    /// log det A.
    var logDeterminant: Double {
        (0..<size).reduce(0) { $0 + 2 * Foundation.log(lower[$1 * size + $1]) }
    }

    /// A⁻¹ = L⁻ᵀ L⁻¹, row-major.
    func inverse() -> [Double] {
        let n = size
        // Mᵀ with M = L⁻¹ (lower triangular), stored row-major so that row i of the result holds
        // column i of M: the sums below then read contiguous memory.
        var mTransposed = [Double](repeating: 0, count: n * n)
        var inverse = [Double](repeating: 0, count: n * n)
        lower.withUnsafeBufferPointer { l in
            mTransposed.withUnsafeMutableBufferPointer { mt in
                for column in 0..<n {
                    mt[column * n + column] = 1 / l[column * n + column]
                    for i in (column + 1)..<n {
                        var sum = 0.0
                        for k in column..<i { sum -= l[i * n + k] * mt[column * n + k] }
                        mt[column * n + i] = sum / l[i * n + i]
                    }
                }
                // A⁻¹[i][j] = Σ_k M[k][i] M[k][j] over k ≥ max(i, j).
                inverse.withUnsafeMutableBufferPointer { inverse in
                    for i in 0..<n {
                        for j in 0...i {
                            var sum = 0.0
                            for k in i..<n { sum += mt[i * n + k] * mt[j * n + k] }
                            inverse[i * n + j] = sum
                            inverse[j * n + i] = sum
                        }
                    }
                }
            }
        }
        return inverse
    }
}
