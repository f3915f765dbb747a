/// Minimises a smooth function inside a box with limited-memory BFGS: each step follows the
/// quasi-Newton direction, is projected back into the box, and is shortened until it decreases
/// the function enough (Armijo). Good for the dozen-odd hyperparameters of a Gaussian process.
struct BoundedLBFGS {
    var memory = 8
    var maximumIterations = 60
    var tolerance = 1e-6
    /// The longest (Euclidean) step along the plain negative gradient, taken while there is no
    /// curvature to scale it (the first step, and after a restart); `nil`: the gradient's own
    /// length. Where gradients are large a full gradient step leaves the region of the start and
    /// lands, projected, on the box's faces.
    var gradientStepLimit: Double?

    /// Returns the best point found and its value. `evaluate` gives the value and gradient.
    func minimize(
        from start: [Double], lower: [Double], upper: [Double],
        _ evaluate: ([Double]) -> (value: Double, gradient: [Double])
    ) -> (point: [Double], value: Double) {
        func project(_ x: [Double]) -> [Double] {
            x.indices.map { min(max(x[$0], lower[$0]), upper[$0]) }
        }
        var x = project(start)
        var (value, gradient) = evaluate(x)
        guard value.isFinite else { return (x, value) }
        var steps: [[Double]] = [], changes: [[Double]] = []
        for _ in 0..<maximumIterations {
            var direction = gradient.map { -$0 }
            // Two-loop recursion over the remembered (step, gradient change) pairs.
            var alphas: [Double] = []
            for (s, y) in zip(steps, changes).reversed() {
                let rho = 1 / dot(y, s)
                let alpha = rho * dot(s, direction)
                alphas.append(alpha)
                direction = direction.indices.map { direction[$0] - alpha * y[$0] }
            }
            if let s = steps.last, let y = changes.last {
                let scale = dot(s, y) / dot(y, y)
                direction = direction.map { $0 * scale }
            }
            for ((s, y), alpha) in zip(zip(steps, changes), alphas.reversed()) {
                let rho = 1 / dot(y, s)
                let beta = rho * dot(y, direction)
                direction = direction.indices.map { direction[$0] + (alpha - beta) * s[$0] }
            }
            if dot(direction, gradient) >= 0 || steps.isEmpty {
                direction = gradient.map { -$0 }
                let length = dot(direction, direction).squareRoot()
                if let limit = gradientStepLimit, length > limit { direction = direction.map { $0 * limit / length } }
            }

            var stepLength = 1.0
            var accepted: (x: [Double], value: Double, gradient: [Double])?
            for _ in 0..<20 {
                let candidate = project(x.indices.map { x[$0] + stepLength * direction[$0] })
                let moved = candidate.indices.map { candidate[$0] - x[$0] }
                let (candidateValue, candidateGradient) = evaluate(candidate)
                if candidateValue.isFinite, candidateValue <= value + 1e-4 * dot(gradient, moved) {
                    accepted = (candidate, candidateValue, candidateGradient)
                    break
                }
                stepLength /= 2
            }
            guard let (next, nextValue, nextGradient) = accepted else { break }
            let s = next.indices.map { next[$0] - x[$0] }
            let y = nextGradient.indices.map { nextGradient[$0] - gradient[$0] }
            let improvement = value - nextValue
            x = next
            value = nextValue
            gradient = nextGradient
            if dot(s, y) > 1e-12 {
                steps.append(s)
                changes.append(y)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                }
            }
            if improvement < tolerance * max(1, abs(value)) { break }
        }
        return (x, value)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
