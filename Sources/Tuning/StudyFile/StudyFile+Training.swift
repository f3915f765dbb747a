import Backend
import Foundation
import Training

extension StudyFile {
    /// Reads a training objective: `{train: FILE, metric: KEY, device: NAME, keep_weights:
    /// best|all|none, folds: K, init_weights: FILE}`. The metric's direction must be the study's.
    /// With several directions, `metric` is a list: a training metric, then model metrics
    /// (`parameters`, `model_bytes`), one per direction.
    static func readTraining(_ value: YAMLValue, directions: [StudyDirection]) throws -> TrainingObjective {
        let fields = try value.mapping(allowedKeys: ["train", "metric", "device", "keep_weights", "folds", "init_weights"])
        let path = try fields.required("train").string()
        guard !path.isEmpty else { throw try fields.required("train").error("the description path is empty") }
        let metrics = fields["metric"].map { $0.isScalar ? [$0] : ((try? $0.sequence()) ?? [$0]) }
        guard (metrics?.count ?? 1) == directions.count else {
            throw (fields["metric"] ?? value).error(
                "the study has \(directions.count) directions but the objective \(metrics?.count ?? 1) metric\((metrics?.count ?? 1) == 1 ? "" : "s")")
        }
        var modelMetrics: [ModelMetric] = []
        for (entry, entryDirection) in zip((metrics ?? []).dropFirst(), directions.dropFirst()) {
            let modelMetric = try entry.choice(ModelMetric.self)
            guard entryDirection == .minimize else {
                throw entry.error("'\(modelMetric.rawValue)' is minimized but its direction is \(entryDirection.rawValue)")
            }
            modelMetrics.append(modelMetric)
        }
        let direction = directions[0]
        let metricValue = metrics?.first
        let metric: Monitor
        do {
            metric = try Monitor(try metricValue?.string() ?? "validation_loss")
        } catch let error as TrainingError {
            throw (metricValue ?? value).error("\(error)")
        }
        let wanted: StudyDirection = metric.greaterIsBetter ? .maximize : .minimize
        guard wanted == direction else {
            throw (metricValue ?? value).error("'\(metric)' is \(wanted.rawValue)d but the study's direction is \(direction.rawValue)")
        }
        let device: DeviceSelector
        do {
            device = try fields["device"].map { try DeviceSelector(parsing: $0.string()) } ?? DeviceSelector.fromEnvironment()
        } catch let error as BackendError {
            throw (fields["device"] ?? value).error("\(error)")
        }
        let keep = try fields["keep_weights"]?.choice(TrialWeights.Policy.allCases.map(\.rawValue))
        var overrides: [String: DescriptionValue] = [:]
        if let weights = fields["init_weights"] {
            let file = try weights.string()
            guard !file.isEmpty else { throw weights.error("the weight file's path is empty") }
            overrides["init.weights"] = .string(URL(fileURLWithPath: file).standardizedFileURL.path)
        }
        var objective = TrainingObjective(
            descriptionPath: path, metric: metric, device: device,
            keepWeights: keep.flatMap(TrialWeights.Policy.init(rawValue:)) ?? .best,
            folds: try fields["folds"]?.int(min: 2), overrides: overrides)
        objective.modelMetrics = modelMetrics
        return objective
    }
}
