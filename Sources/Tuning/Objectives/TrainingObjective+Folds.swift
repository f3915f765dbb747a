import Training

extension TrainingObjective {
    /// Trains fold after fold; after fold `i` (counting from 1) reports the mean so far of the
    /// folds' best values at step `i` and asks the pruner. Returns the mean over all folds (model
    /// metrics are measured on the last fold's model).
    func crossValidate(_ trial: Trial, description: TrainingDescription, folds: Int, cancellation: CancellationCallback) throws -> Double {
        let device = try device.open()
        let metric = metric
        var foldValues: [Double] = []
        var lastRun: TrainingRun?
        for fold in 0..<folds {
            let run = try TrainingRun(description, device: device, fold: fold)
            var best: Double?
            let watcher = EpochReporter(monitor: metric) { _, value in
                if metric.improves(value, on: best) { best = value }
                return false
            }
            try run.fit(extra: [cancellation, watcher])
            lastRun = run
            guard let best else {
                throw TuningError.invalidSettings(component: "training objective", reason: "fold \(fold + 1) trained no epoch")
            }
            foldValues.append(best)
            let mean = foldValues.reduce(0, +) / Double(foldValues.count)
            try trial.report(mean, step: fold + 1)
            if fold + 1 < folds, try trial.shouldPrune() { throw TrialPruned() }
        }
        let mean = foldValues.reduce(0, +) / Double(foldValues.count)
        if let lastRun { try recordModelMetrics(trial, value: mean, model: lastRun.trainer.model) }
        return mean
    }
}
