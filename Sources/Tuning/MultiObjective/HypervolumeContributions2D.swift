extension Pareto {
    /// `hypervolumeContributions` for two objectives from one sort instead of one hypervolume per
    /// point. The non-dominated points inside `reference`, by increasing first objective, form a
    /// staircase; stair point k alone covers the box Q_k from itself to the next stair's first
    /// objective and the previous stair's second objective. Removing k loses Q_k but uncovers the
    /// points that only k dominates (they all lie in Q_k), so k adds Q_k's area less their
    /// hypervolume within Q_k. Dominated, repeated and outside points add nothing themselves.
    static func hypervolumeContributions2D(_ points: [[Double]], reference: [Double]) -> [Double] {
        var contributions = [Double](repeating: 0, count: points.count)
        let inside = points.indices
            .filter { points[$0].count == 2 && points[$0][0] < reference[0] && points[$0][1] < reference[1] }
            .sorted { (points[$0][0], points[$0][1], $0) < (points[$1][0], points[$1][1], $1) }
        var stair: [Int] = [], rest: [Int] = []
        var ceiling = reference[1]
        for index in inside {
            if points[index][1] < ceiling {
                stair.append(index)
                ceiling = points[index][1]
            } else {
                rest.append(index)
            }
        }
        guard !stair.isEmpty else { return contributions }
        let stairX = stair.map { points[$0][0] }
        func right(_ k: Int) -> Double { k + 1 < stair.count ? stairX[k + 1] : reference[0] }
        func top(_ k: Int) -> Double { k > 0 ? points[stair[k - 1]][1] : reference[1] }
        // Each other point lies under the last stair point at or left of it; it is uncovered by
        // removing that one only if it lies below the stair before.
        var uncovered = [[[Double]]](repeating: [], count: stair.count)
        for index in rest {
            let point = points[index]
            var low = 0, high = stair.count  // the last k with stairX[k] <= point[0]
            while high - low > 1 {
                let middle = (low + high) / 2
                if stairX[middle] <= point[0] { low = middle } else { high = middle }
            }
            if point[1] < top(low) { uncovered[low].append(point) }
        }
        for (k, index) in stair.enumerated() {
            let corner = [right(k), top(k)]
            let box = (corner[0] - points[index][0]) * (corner[1] - points[index][1])
            contributions[index] = max(box - hypervolume2D(uncovered[k], reference: corner), 0)
        }
        return contributions
    }
}
