import Foundation

/// The deterministic rule of population-based training: from the study's trials, which member's
/// generation is next, with which hyperparameters, starting from which trial's checkpoint.
///
/// Generations are synchronous: generation g + 1 begins once every member's generation g has
/// ended. Then members are ranked by their generation-g value (failed or pruned ones last); each
/// of the `exploitCount` worst that is not also among the `exploitCount` best copies one of the
/// best (drawn with `SeededRandom(seed, generation · population + member)`) and explores its
/// hyperparameters: each non-fixed one is drawn afresh with `resampleProbability`, else a number
/// is multiplied by one of `perturbFactors` (clipped to its range) and a choice moves to a
/// neighbouring choice. A failed member always copies. Generation 0 draws member m uniformly from
/// the space as `RandomSampler` draws trial m.
public struct PopulationPlan: Sendable {
    public let schedule: PopulationSchedule
    public let space: SearchSpace
    public let direction: StudyDirection
    public let seed: UInt64

    public init(schedule: PopulationSchedule, space: SearchSpace, direction: StudyDirection, seed: UInt64) {
        self.schedule = schedule
        self.space = space
        self.direction = direction
        self.seed = seed
    }

    /// What to do next.
    public enum Next: Sendable, Equatable {
        /// Create this member's trial with these parameters.
        case trial(params: [String: ParameterValue], member: PopulationMember)
        /// Every member of the current generation has a trial but some still run.
        case wait
        /// Every generation has ended (or no member of a generation completed).
        case finished
    }

    /// The trial that stands for each member's generation: the latest (a re-queued copy
    /// replaces the trial it repeats), indexed `[generation][member]`.
    public func slots(_ trials: [TrialRecord]) -> [[TrialRecord?]] {
        var slots = [[TrialRecord?]](repeating: [TrialRecord?](repeating: nil, count: schedule.population), count: schedule.generations)
        for trial in trials {
            guard let member = trial.populationMember, slots.indices.contains(member.generation),
                  slots[member.generation].indices.contains(member.member)
            else { continue }
            if let current = slots[member.generation][member.member], current.number > trial.number { continue }
            slots[member.generation][member.member] = trial
        }
        return slots
    }

    /// The next step given the study's trials.
    public func next(_ trials: [TrialRecord]) -> Next {
        let slots = slots(trials)
        for generation in 0..<schedule.generations {
            if let member = slots[generation].firstIndex(where: { $0 == nil }) {
                if generation == 0 { return initial(member: member) }
                return continued(member: member, generation: generation, previous: slots[generation - 1])
            }
            if slots[generation].contains(where: { !($0?.state.isFinished ?? false) }) { return .wait }
            if !slots[generation].contains(where: { $0?.state == .complete }) { return .finished }
        }
        return .finished
    }

    /// Member `member`'s first generation: parameters drawn uniformly from the space, exactly as
    /// `RandomSampler` draws trial `member` of a study with the same seed (so PBT and random search
    /// can be compared from the same starting configurations).
    func initial(member: Int) -> Next {
        var random = SeededRandom(seed: seed, trial: member, stream: SamplerStream.random)
        let params = space.configuration { parameter, _ in parameter.distribution.value(fromUnit: random.uniform()) }
        return .trial(params: params, member: memberRecord(member, generation: 0, parent: nil, copiedFrom: nil))
    }

    /// Member `member`'s generation `generation`, decided from the previous one's trials.
    func continued(member: Int, generation: Int, previous: [TrialRecord?]) -> Next {
        let ranked = previous.indices
            .compactMap { index -> (member: Int, loss: Double, trial: TrialRecord)? in
                guard let trial = previous[index], trial.state == .complete, let value = trial.value else { return nil }
                return (index, direction.loss(value), trial)
            }
            .sorted { ($0.loss, $0.member) < ($1.loss, $1.member) }
        guard !ranked.isEmpty else { return .finished }
        let count = schedule.exploitCount
        let best = Array(ranked.prefix(count))
        let worst = Set(ranked.suffix(count).map(\.member))
        let own = ranked.first { $0.member == member }
        if let own, !worst.contains(member) || best.contains(where: { $0.member == member }) {
            return .trial(
                params: own.trial.params,
                member: memberRecord(member, generation: generation, parent: own.trial.number, copiedFrom: nil))
        }
        var random = SeededRandom(seed: seed, trial: generation * schedule.population + member, stream: Self.exploitStream)
        let donor = best[random.index(below: best.count)]
        return .trial(
            params: explored(donor.trial.params, random: &random),
            member: memberRecord(member, generation: generation, parent: donor.trial.number, copiedFrom: donor.member))
    }

    /// `params` with every parameter that may change resampled or perturbed.
    func explored(_ params: [String: ParameterValue], random: inout SeededRandom) -> [String: ParameterValue] {
        var result = params
        for parameter in space.parameters where !schedule.fixed.contains(parameter.name) {
            guard let value = params[parameter.name] else { continue }
            let distribution = parameter.distribution
            if case .fixed = distribution { continue }
            if random.uniform() < schedule.resampleProbability {
                result[parameter.name] = distribution.value(fromUnit: random.uniform())
                continue
            }
            switch distribution {
            case let .float(_, _, log, _), let .int(_, _, _, log):
                let factor = schedule.perturbFactors[random.index(below: schedule.perturbFactors.count)]
                guard let number = value.doubleValue else { continue }
                let perturbed = number * factor
                let internalValue = log ? Foundation.log(Swift.max(perturbed, .leastNormalMagnitude)) : perturbed
                result[parameter.name] = distribution.value(fromInternal: internalValue)
            case .categorical:
                guard let index = distribution.choiceIndex(of: value) else { continue }
                let step = random.index(below: 2) == 0 ? -1 : 1
                result[parameter.name] = distribution.value(fromInternal: Double(index + step))
            case .fixed:
                continue
            }
        }
        return result
    }

    private func memberRecord(_ member: Int, generation: Int, parent: Int?, copiedFrom: Int?) -> PopulationMember {
        PopulationMember(
            member: member, generation: generation, parentTrial: parent, copiedFrom: copiedFrom,
            firstEpoch: generation * schedule.intervalEpochs + 1, lastEpoch: (generation + 1) * schedule.intervalEpochs)
    }

    static let exploitStream: UInt64 = 0x5042_5431
}
