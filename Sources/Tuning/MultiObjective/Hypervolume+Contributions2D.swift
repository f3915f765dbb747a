extension Pareto {
    /// `hypervolumeContributions` for two objectives without recomputing n hypervolumes.
    ///
    /// The area that point p alone dominates is empty when another point weakly dominates it.
    /// Otherwise the other points bound it in three ways: those below p (second loss ≤ p's) cut it
    /// off at their smallest first loss X, those left of p (first loss ≤ p's) at their smallest
    /// second loss Y, and those that p dominates cover their own corner of the box [p, (X, Y)).
    /// So the contribution is that box's area minus the area the dominated points cover inside it.
    static func hypervolumeContributions2D(_ points: [[Double]], reference: [Double]) -> [Double] {
        points.indices.map { index in
            let p = points[index]
            guard p[0] < reference[0], p[1] < reference[1] else { return 0 }
            var right = reference[0], top = reference[1]
            var dominated: [[Double]] = []
            for (other, q) in points.enumerated() where other != index {
                if q[0] <= p[0], q[1] <= p[1] { return 0 }
                if q[1] <= p[1] {
                    right = min(right, q[0])
                } else if q[0] <= p[0] {
                    top = min(top, q[1])
                } else {
                    dominated.append(q)
                }
            }
            let box = (right - p[0]) * (top - p[1])
            return max(box - hypervolume2D(dominated, reference: [right, top]), 0)
        }
    }
}
