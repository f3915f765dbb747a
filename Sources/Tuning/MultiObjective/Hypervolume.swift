extension Pareto {
    /// The volume dominated by loss vectors of any number of objectives and bounded by
    /// `reference` (points that do not dominate the reference in every objective add nothing).
    ///
    /// Exact, by slicing (the "hypervolume by slicing objectives" scheme): the points are sorted
    /// by their last objective, and each slab between two consecutive values adds its depth times
    /// the hypervolume, one objective fewer, of the points below it; two objectives are a sweep.
    /// The cost grows like n^(d−1)·log n for n non-dominated points of d objectives: instant for
    /// 3 or 4 objectives and hundreds of points, slow for fronts of thousands of points with 5
    /// or more objectives.
    public static func hypervolume(_ points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { point in
            point.count == reference.count && zip(point, reference).allSatisfy { $0 < $1 }
        }
        return slicedVolume(nonDominated(inside), reference: reference)
    }

    /// How much each point adds to the hypervolume of `points`: the volume that it alone
    /// dominates (zero for a dominated point or one outside `reference`). Two objectives take
    /// one sort (`hypervolumeContributions2D`); more take one hypervolume per point.
    public static func hypervolumeContributions(_ points: [[Double]], reference: [Double]) -> [Double] {
        reference.count == 2
            ? hypervolumeContributions2D(points, reference: reference) : contributionsByRemoval(points, reference: reference)
    }

    /// Each point's contribution as the hypervolume of all points less that of the others.
    static func contributionsByRemoval(_ points: [[Double]], reference: [Double]) -> [Double] {
        let total = hypervolume(points, reference: reference)
        return points.indices.map { index in
            var others = points
            others.remove(at: index)
            return max(total - hypervolume(others, reference: reference), 0)
        }
    }

    /// The points that no other point dominates, duplicates kept once.
    static func nonDominated(_ points: [[Double]]) -> [[Double]] {
        var kept: [[Double]] = []
        for point in points where !kept.contains(point) && !points.contains(where: { dominates($0, point) }) {
            kept.append(point)
        }
        return kept
    }

    /// The hypervolume of points that all lie inside `reference` (dominated ones allowed).
    private static func slicedVolume(_ points: [[Double]], reference: [Double]) -> Double {
        let dimensions = reference.count
        guard !points.isEmpty, dimensions > 0 else { return 0 }
        if dimensions == 1 { return reference[0] - points.reduce(reference[0]) { min($0, $1[0]) } }
        if dimensions == 2 { return hypervolume2D(points, reference: reference) }
        let last = dimensions - 1
        let sorted = points.sorted { $0[last] < $1[last] }
        let lowerReference = Array(reference.prefix(last))
        var volume = 0.0
        for index in sorted.indices {
            let top = index + 1 < sorted.count ? sorted[index + 1][last] : reference[last]
            let depth = top - sorted[index][last]
            guard depth > 0 else { continue }
            let slab = sorted[...index].map { Array($0.prefix(last)) }
            volume += depth * slicedVolume(last > 2 ? nonDominated(slab) : slab, reference: lowerReference)
        }
        return volume
    }
}
