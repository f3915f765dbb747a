/// The multi-objective TPE (MOTPE, after Ozaki et al., 2020): TPE whose "below" trials are the
/// best by Pareto dominance instead of by one value.
///
/// - Split: of n observed trials, γ(n) = min(⌈0.1 n⌉, 25) are below, as with one objective. They
///   are taken front by front (non-dominated sorting of the complete trials' losses, each
///   objective scaled to [0, 1] over the complete trials); the front that does not fit whole is
///   broken by greedy hypervolume subset selection (each step adds the member that adds the most
///   hypervolume to the trials already below, against the reference point 1.1 in every scaled
///   objective). Pruned trials and trials without a value per direction are above.
/// - Weights: a below trial weighs its hypervolume contribution within the below set (objectives
///   rescaled to [0, 1] over that set, reference point 1.1), relative to the largest, at least
///   `minimumBelowWeight`; so l(x) leans towards trials that hold up the front, spread along it,
///   rather than towards one corner. Above trials weigh as with one objective.
/// - With more than `maximumHypervolumeObjectives` objectives, hypervolumes would be slow (their
///   cost grows like n^(d−1)); then the last front is broken by crowding distance and the below
///   trials weigh the same.
extension TPESampler {
    /// The most objectives for which the split and weights use hypervolumes.
    public static let maximumHypervolumeObjectives = 4
    /// The least weight of a below trial relative to the one of largest contribution.
    static let minimumBelowWeight = 0.01

    /// The multi-objective split: below trials with their weights, and the above trials.
    static func paretoSplit(
        _ request: SamplingRequest, directions: [StudyDirection]
    ) -> (below: [(trial: TrialRecord, weight: Double)], above: [TrialRecord]) {
        let complete = request.history.filter { $0.state == .complete }
        let scored = complete.filter { $0.objectiveValues.count == directions.count }
        let unscored = complete.filter { $0.objectiveValues.count != directions.count }
        let pruned = rankPruned(request.history, direction: request.direction)
        let losses = scaledLosses(scored.map { trial in zip(directions, trial.objectiveValues).map { $0.loss($1) } })
        let chosen = belowIndices(losses, count: belowCount(scored.count + unscored.count + pruned.count))
        let weights = belowWeights(chosen.map { losses[$0] })
        let chosenSet = Set(chosen)
        let below = zip(chosen, weights).map { (trial: scored[$0], weight: $1) }.sorted { $0.trial.number < $1.trial.number }
        let above = scored.indices.filter { !chosenSet.contains($0) }.map { scored[$0] } + unscored + pruned
        return (below, above)
    }

    /// Each objective moved and scaled to [0, 1] over `losses` (0 where all are equal).
    static func scaledLosses(_ losses: [[Double]]) -> [[Double]] {
        guard let first = losses.first else { return [] }
        let lows = first.indices.map { objective in losses.reduce(Double.infinity) { min($0, $1[objective]) } }
        let highs = first.indices.map { objective in losses.reduce(-Double.infinity) { max($0, $1[objective]) } }
        return losses.map { loss in
            loss.indices.map { highs[$0] > lows[$0] ? (loss[$0] - lows[$0]) / (highs[$0] - lows[$0]) : 0 }
        }
    }

    /// The indices of the `count` best of `losses` (scaled): whole fronts, then a subset of the
    /// next one by greedy hypervolume selection (crowding distance past the hypervolume limit).
    static func belowIndices(_ losses: [[Double]], count: Int) -> [Int] {
        var chosen: [Int] = []
        for front in Pareto.fronts(losses) {
            let room = count - chosen.count
            guard room > 0 else { break }
            guard front.count > room else {
                chosen += front
                continue
            }
            let objectives = losses[front[0]].count
            if objectives <= maximumHypervolumeObjectives {
                chosen += greedyHypervolumeSubset(front, room: room, losses: losses, base: chosen.map { losses[$0] })
            } else {
                let distances = Pareto.crowdingDistances(front.map { losses[$0] })
                let order = front.indices.sorted { distances[$0] != distances[$1] ? distances[$0] > distances[$1] : front[$0] < front[$1] }
                chosen += order.prefix(room).map { front[$0] }
            }
            break
        }
        return chosen
    }

    /// `room` members of `front` picked one at a time, each the one that adds the most
    /// hypervolume (reference 1.1 in every scaled objective) to `base` and those already picked;
    /// ties go to the earlier member. Gains only shrink as points are added, so a member whose
    /// recomputed gain still tops every other's last known gain is taken without recomputing
    /// the rest (lazy greedy).
    private static func greedyHypervolumeSubset(_ front: [Int], room: Int, losses: [[Double]], base: [[Double]]) -> [Int] {
        guard let objectives = losses.first?.count else { return [] }
        let reference = [Double](repeating: 1.1, count: objectives)
        var selected = base
        var volume = Pareto.hypervolume(selected, reference: reference)
        var gains = front.map { Pareto.hypervolume(selected + [losses[$0]], reference: reference) - volume }
        var remaining = Array(front.indices)
        var picked: [Int] = []
        while picked.count < room, !remaining.isEmpty {
            remaining.sort { gains[$0] != gains[$1] ? gains[$0] > gains[$1] : $0 < $1 }
            let candidate = remaining[0]
            let gain = Pareto.hypervolume(selected + [losses[front[candidate]]], reference: reference) - volume
            gains[candidate] = gain
            if remaining.count > 1, gain < gains[remaining[1]] { continue }
            remaining.removeFirst()
            picked.append(front[candidate])
            selected.append(losses[front[candidate]])
            volume += gain
        }
        return picked
    }

    /// The weights of below trials (scaled losses, in the order given): hypervolume
    /// contributions within the set rescaled to [0, 1], relative to the largest, at least
    /// `minimumBelowWeight`; all 1 past the hypervolume limit or when no trial contributes.
    static func belowWeights(_ losses: [[Double]]) -> [Double] {
        guard let objectives = losses.first?.count, losses.count > 1, objectives <= maximumHypervolumeObjectives else {
            return Array(repeating: 1, count: losses.count)
        }
        let contributions = Pareto.hypervolumeContributions(
            scaledLosses(losses), reference: [Double](repeating: 1.1, count: objectives))
        guard let largest = contributions.max(), largest > 0 else { return Array(repeating: 1, count: losses.count) }
        return contributions.map { max($0 / largest, minimumBelowWeight) }
    }
}
