/// Finds the configuration of highest log expected improvement under a fitted GP: scores a pool
/// of random points and perturbations of the best trials, refines the best few by bounded
/// L-BFGS on the numeric genes (with the acquisition's exact gradient, integers relaxed, axes
/// scaled by the length scales), then
/// rounds them onto the grid and climbs through discrete neighbours (an integer one step away,
/// another choice of a categorical) while that improves.
struct GPAcquisitionSearch {
    let process: GaussianProcess
    let encoding: GPSampler.Encoding
    /// The best (standardised) loss: the improvement is measured below it.
    let best: Double
    /// Pool points refined by gradient steps.
    var localStarts = 10
    var localIterations = 100
    /// Rounds of discrete neighbour moves per refined point (each changes one parameter; the
    /// climb stops earlier where no move improves).
    var discreteRounds = 10

    /// log EI of the configuration a genome decodes to.
    func score(_ genome: [Double]) -> Double {
        let (mean, variance) = process.predict(encoding.features(of: encoding.decode(genome)))
        return Normal.logExpectedImprovement(mean: mean, sigma: variance.squareRoot(), best: best)
    }

    /// log EI at the relaxed features of `genome` and its gradient in the numeric genes `genes`.
    func relaxedScore(_ genome: [Double], genes: [Int]) -> (value: Double, gradient: [Double]) {
        let features = encoding.relaxedFeatures(of: genome)
        let prediction = process.predictWithGradient(features)
        let sigma = prediction.variance.squareRoot()
        let z = (best - prediction.mean) / sigma
        let value = Normal.logExpectedImprovement(mean: prediction.mean, sigma: sigma, best: best)
        // log EI = log σ + log h(z): ∂/∂μ = −slope/σ, ∂/∂σ² = (1 − z·slope)/(2σ²).
        let slope = Normal.logHSlope(z)
        let byMean = -slope / sigma
        let byVariance = (1 - z * slope) / (2 * prediction.variance)
        let gradient = genes.map { gene in
            let feature = encoding.featureOffsets[gene]
            return byMean * prediction.meanGradient[feature] + byVariance * prediction.varianceGradient[feature]
        }
        return (value, gradient)
    }

    /// The best genome found from `spread` (points all over the space) and `local` (points near
    /// the best trials), both scored here, and `starts` (refined in any case: the best trials'
    /// genomes). The best `localStarts` of the spread points and the best half as many of the
    /// local ones are refined, so that the refinement also reaches basins away from the best
    /// trials. Configurations in `taken` (snapped genomes of evaluated and running trials) are
    /// not chosen: on integers and categoricals the model's noise can leave the highest
    /// acquisition on a point already evaluated, which would waste the trial.
    func search(spread: [[Double]], local: [[Double]], starts: [[Double]], taken: Set<[Double]>) -> [Double] {
        let rankedSpread = spread.map { (genome: $0, value: score($0)) }.sorted { $0.value > $1.value }
        let rankedLocal = local.map { (genome: $0, value: score($0)) }.sorted { $0.value > $1.value }
        var best = (genome: spread.first ?? local.first ?? starts.first ?? [], value: -Double.infinity)
        func consider(_ candidate: (genome: [Double], value: Double)) {
            if candidate.value > best.value, !taken.contains(encoding.snapped(candidate.genome)) { best = candidate }
        }
        for ranked in [rankedSpread, rankedLocal] {
            if let untaken = ranked.first(where: { !taken.contains(encoding.snapped($0.genome)) }) { consider(untaken) }
        }
        let refineFrom = rankedSpread.prefix(localStarts).map(\.genome)
            + rankedLocal.prefix((localStarts + 1) / 2).map(\.genome) + starts
        for start in refineFrom {
            for candidate in discreteClimb(from: gradientAscent(from: start)) { consider(candidate) }
        }
        return best.genome
    }

    /// Bounded L-BFGS on the numeric genes (the other genes stay), in units of the model's
    /// length scales: the acquisition varies about as fast along every scaled axis, so the
    /// quasi-Newton steps are well conditioned when the length scales differ by orders of
    /// magnitude, and the first step (plain gradient, no curvature known yet) goes at most one
    /// length scale, so the search refines its start instead of jumping onto the box's faces.
    private func gradientAscent(from start: [Double]) -> [Double] {
        let genes = encoding.numericGenes
        guard !genes.isEmpty else { return start }
        let scales = genes.map { process.lengthScales[encoding.featureOffsets[$0]] }
        var optimizer = BoundedLBFGS()
        optimizer.maximumIterations = localIterations
        optimizer.gradientStepLimit = 1
        let result = optimizer.minimize(
            from: zip(genes, scales).map { start[$0] / $1 }, lower: Array(repeating: 0, count: genes.count), upper: scales.map { 1 / $0 }
        ) { scaled in
            var genome = start
            for (index, gene) in genes.enumerated() { genome[gene] = scaled[index] * scales[index] }
            let (value, gradient) = relaxedScore(genome, genes: genes)
            return (-value, zip(gradient, scales).map { -$0 * $1 })
        }
        var genome = start
        for (index, gene) in genes.enumerated() { genome[gene] = min(max(result.point[index] * scales[index], 0), 1) }
        return genome
    }

    /// Snaps onto the grid, then takes the best discrete neighbour while it improves; returns
    /// every point it stood on and the neighbours it saw, best first.
    private func discreteClimb(from genome: [Double]) -> [(genome: [Double], value: Double)] {
        var current = (genome: encoding.snapped(genome), value: 0.0)
        current.value = score(current.genome)
        var seen = [current]
        for _ in 0..<discreteRounds {
            let neighbours = encoding.discreteNeighbours(of: current.genome).map { (genome: $0, value: score($0)) }
            seen += neighbours
            guard let next = neighbours.max(by: { $0.value < $1.value }), next.value > current.value else { break }
            current = next
        }
        return seen.sorted { $0.value > $1.value }
    }
}
