import Foundation

/// What `Study.askOrWait` found.
enum AskResult {
    /// A trial to evaluate.
    case trial(Trial)
    /// Nothing now, but a later ask may find a trial (a population waits for its generation).
    case wait
    /// Nothing left: the trial limit, an exhausted sampler, or a population that finished.
    case nothingLeft
}

extension Study {
    /// The population's rule for this study.
    public var populationPlan: PopulationPlan? {
        population.map { PopulationPlan(schedule: $0, space: space, direction: direction, seed: seed) }
    }

    /// The next trial of a population: a re-queued member first, else the member generation that
    /// `PopulationPlan` says is next, created as a running trial. Two workers may create the same
    /// member's generation at once; the one whose trial has the higher number sees the other's
    /// and gives its own up (failed, marked `pbt_duplicate`), so exactly one trains it.
    func askMember(_ schedule: PopulationSchedule, limit: Int?, at now: Date) throws -> AskResult {
        if let waiting = try storage.claimWaitingTrial(study: record.id, at: now) {
            return .trial(Trial(record: waiting, study: self))
        }
        let plan = PopulationPlan(schedule: schedule, space: space, direction: direction, seed: seed)
        while true {
            switch plan.next(try refresh().trials) {
            case .finished: return .nothingLeft
            case .wait: return .wait
            case let .trial(params, member):
                guard let created = try storage.createTrial(
                    study: record.id, state: .running, params: try space.validated(params), userAttributes: member.attributes,
                    limit: limit, at: now)
                else { return .nothingLeft }
                let earlier = try refresh().trials.first { trial in
                    guard trial.number < created.number, let other = trial.populationMember else { return false }
                    return other.member == member.member && other.generation == member.generation
                }
                guard let earlier else { return .trial(Trial(record: created, study: self)) }
                try storage.setUserAttribute(trial: created.id, key: PopulationMember.duplicateKey, value: String(earlier.number))
                try storage.finishTrial(
                    trial: created.id, state: .fail, value: nil,
                    failReason: "another worker created trial \(earlier.number) for the same member and generation", at: now)
            }
        }
    }
}
