/// Pareto dominance, non-dominated sorting, crowding distance and hypervolume on loss vectors
/// (every objective minimized; `StudyDirection.loss` turns maximized values into losses).
public enum Pareto {
    /// Whether `a` is at least as good as `b` in every objective and better in one.
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for (x, y) in zip(a, b) {
            if x > y { return false }
            if x < y { better = true }
        }
        return better
    }

    /// The indices of `points` in fronts: the first front is the non-dominated points, the
    /// second those dominated only by the first, and so on (fast non-dominated sort).
    public static func fronts(_ points: [[Double]]) -> [[Int]] {
        var dominatedBy = [Int](repeating: 0, count: points.count)
        var dominating = [[Int]](repeating: [], count: points.count)
        for i in points.indices {
            for j in points.indices where i < j {
                if dominates(points[i], points[j]) {
                    dominating[i].append(j)
                    dominatedBy[j] += 1
                } else if dominates(points[j], points[i]) {
                    dominating[j].append(i)
                    dominatedBy[i] += 1
                }
            }
        }
        var fronts: [[Int]] = []
        var current = points.indices.filter { dominatedBy[$0] == 0 }
        while !current.isEmpty {
            fronts.append(current)
            var next: [Int] = []
            for i in current {
                for j in dominating[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            current = next.sorted()
        }
        return fronts
    }

    /// The crowding distance of each point of one front (in its order): the sum over objectives
    /// of the normalized gap between its neighbours; the extremes of each objective get infinity.
    public static func crowdingDistances(_ front: [[Double]]) -> [Double] {
        var distances = [Double](repeating: 0, count: front.count)
        guard front.count > 2 else { return distances.map { _ in .infinity } }
        for objective in front[0].indices {
            let order = front.indices.sorted { front[$0][objective] < front[$1][objective] }
            let low = front[order[0]][objective], high = front[order[order.count - 1]][objective]
            distances[order[0]] = .infinity
            distances[order[order.count - 1]] = .infinity
            guard high > low else { continue }
            for k in 1..<(order.count - 1) {
                distances[order[k]] += (front[order[k + 1]][objective] - front[order[k - 1]][objective]) / (high - low)
            }
        }
        return distances
    }

    /// The area dominated by two-objective loss vectors and bounded by `reference` (points that
    /// do not dominate the reference add nothing).
    public static func hypervolume2D(_ points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { $0.count == 2 && $0[0] < reference[0] && $0[1] < reference[1] }
            .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        var area = 0.0, ceiling = reference[1]
        for point in inside where point[1] < ceiling {
            area += (reference[0] - point[0]) * (ceiling - point[1])
            ceiling = point[1]
        }
        return area
    }
}
