/// Integer shares of a total, proportional to weights, by the largest-remainder method.
enum Apportion {
    /// Splits `total` units over groups in proportion to `weights`, never giving a group more
    /// than its capacity; ties in the remainders go to the earlier group. `total` must not exceed
    /// the sum of the capacities.
    static func shares(of total: Int, weights: [Int], capacities: [Int]) -> [Int] {
        let weightSum = weights.reduce(0, +)
        guard weightSum > 0 else { return weights.map { _ in 0 } }
        let exact = weights.map { Double($0) * Double(total) / Double(weightSum) }
        var shares = zip(exact, capacities).map { min(Int($0.0.rounded(.down)), $0.1) }
        var remaining = total - shares.reduce(0, +)
        let order = exact.indices.sorted { left, right in
            let leftRemainder = exact[left] - exact[left].rounded(.down)
            let rightRemainder = exact[right] - exact[right].rounded(.down)
            return leftRemainder != rightRemainder ? leftRemainder > rightRemainder : left < right
        }
        while remaining > 0 {
            var gave = false
            for group in order where remaining > 0 && shares[group] < capacities[group] {
                shares[group] += 1
                remaining -= 1
                gave = true
            }
            if !gave { break }
        }
        return shares
    }
}
