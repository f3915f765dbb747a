/// Central differences of a scalar function of many variables, in Double: element `i` of the
/// result is `(f(x + h eᵢ) − f(x − h eᵢ)) / 2h`.
public func finiteDifferenceGradient(
    of f: ([Double]) -> Double, at x: [Double], step: Double = 1e-6
) -> [Double] {
    var probe = x
    return x.indices.map { i in
        probe[i] = x[i] + step
        let up = f(probe)
        probe[i] = x[i] - step
        let down = f(probe)
        probe[i] = x[i]
        return (up - down) / (2 * step)
    }
}

/// `Σ weights[i] * values[i]`: turns a forward op's output into the scalar whose gradient a
/// backward op computes when `weights` is its upstream gradient.
public func weightedSum(_ values: [Double], _ weights: [Float]) -> Double {
    zip(values, weights).reduce(0) { $0 + $1.0 * Double($1.1) }
}
