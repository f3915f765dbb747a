import Foundation
import Training

/// A self-contained HTML page about a study (inline SVG, no scripts, no network): a summary,
/// the optimization history, intermediate values, parameter importance, parallel coordinates and
/// one slice plot per parameter.
public struct HTMLReport: Sendable {
    public let name: String
    public let direction: StudyDirection
    public let space: SearchSpace
    public let trials: [TrialRecord]
    /// The directions of a study with several objectives, whose Pareto front the page draws.
    public var directions: [StudyDirection] = []

    public init(name: String, direction: StudyDirection, space: SearchSpace, trials: [TrialRecord]) {
        self.name = name
        self.direction = direction
        self.space = space
        self.trials = trials
    }

    private var complete: [TrialRecord] { trials.filter { $0.state == .complete && $0.value != nil } }

    private var best: TrialRecord? {
        complete.min { direction.loss($0.value!) < direction.loss($1.value!) }
    }

    public func html() -> String {
        let sections = [summary(), paretoFront(), population(), history(), intermediate(), importance(), parallelCoordinates(), slices()]
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Study \(HTML.escape(name))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1400px; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
            table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #ddd; }
            .slices { display: flex; flex-wrap: wrap; gap: 12px; } .note { color: #666; font-size: 0.9em; }
            </style></head><body>
            <h1>Study “\(HTML.escape(name))”</h1>
            \(sections.joined(separator: "\n"))
            </body></html>

            """
    }

    private func summary() -> String {
        var counts: [TrialState: Int] = [:]
        for trial in trials { counts[trial.state, default: 0] += 1 }
        let states = TrialState.allCases.map { "\($0.rawValue): \(counts[$0, default: 0])" }.joined(separator: ", ")
        var rows = [("Direction", direction.rawValue), ("Trials", "\(trials.count) (\(states))")]
        if let best, let value = best.value {
            rows.append(("Best value", "\(ProgressReport.format(value)) (trial \(best.number))"))
            rows.append(("Best parameters", ProgressReport.describe(best.params)))
        }
        let durations = trials.compactMap(\.duration)
        if !durations.isEmpty {
            rows.append(("Trial time", String(format: "%.2f s total, %.2f s mean", durations.reduce(0, +), durations.reduce(0, +) / Double(durations.count))))
        }
        let body = rows.map { "<tr><th>\($0.0)</th><td>\(HTML.escape($0.1))</td></tr>" }.joined()
        return "<h2>Summary</h2><table>\(body)</table>"
    }

    /// Values by trial number, with the best value so far.
    private func history() -> String {
        let points = trials.compactMap { trial in trial.value.map { (trial, $0) } }
        guard !points.isEmpty else { return "<h2>Optimization history</h2><p class=note>No trial has a value yet.</p>" }
        let values = points.map(\.1)
        // Values spanning orders of magnitude (all positive) are drawn on a log scale.
        let logScale = (values.min() ?? 0) > 0 && (values.max() ?? 0) / (values.min() ?? 1) >= 100
        let y: (Double) -> Double = { logScale ? log10($0) : $0 }
        var plot = SVGPlot(x: 0...Double(max(trials.count - 1, 1)), y: y(values.min() ?? 0)...y(values.max() ?? 1))
        plot.axes(xLabel: "trial", yLabel: logScale ? "value (log10)" : "value")
        var bestSoFar: Double?
        var bestLine: [(Double, Double)] = []
        for trial in trials {
            if trial.state == .complete, let value = trial.value {
                bestSoFar = bestSoFar.map { direction.best($0, value) } ?? value
            }
            if let bestSoFar { bestLine.append((Double(trial.number), y(bestSoFar))) }
        }
        plot.line(bestLine, color: "#d62728", width: 2)
        for (trial, value) in points {
            let color = trial.state == .complete ? "#1f77b4" : "#aaaaaa"
            plot.dot(Double(trial.number), y(value), color: color, title: "#\(trial.number) \(trial.state.rawValue) \(ProgressReport.format(value))\n\(ProgressReport.describe(trial.params))")
        }
        return "<h2>Optimization history</h2><p class=note>Blue: complete, grey: pruned (last reported value), red: best so far.</p>" + plot.svg
    }

    /// Every trial's intermediate values by step.
    private func intermediate() -> String {
        let reporting = trials.filter { !$0.intermediateValues.isEmpty }
        guard !reporting.isEmpty else { return "" }
        let steps = reporting.flatMap(\.intermediateValues.keys).map(Double.init)
        let values = reporting.flatMap(\.intermediateValues.values)
        var plot = SVGPlot(x: (steps.min() ?? 0)...(steps.max() ?? 1), y: (values.min() ?? 0)...(values.max() ?? 1))
        plot.axes(xLabel: "step", yLabel: "intermediate value")
        for trial in reporting {
            let curve = trial.intermediateValues.sorted { $0.key < $1.key }.map { (Double($0.key), $0.value) }
            let color = trial.state == .pruned ? "#aaaaaa" : (trial.state == .complete ? "#1f77b4" : "#ff7f0e")
            plot.line(curve, color: color, width: 1.2, opacity: 0.7, title: "#\(trial.number) \(trial.state.rawValue)")
            if curve.count == 1, let only = curve.first { plot.dot(only.0, only.1, color: color, radius: 2, title: "#\(trial.number)") }
        }
        return "<h2>Intermediate values</h2><p class=note>Blue: complete, grey: pruned, orange: running or failed.</p>" + plot.svg
    }

    private func importance() -> String {
        let estimates = ParameterImportance.estimate(trials: trials, space: space, direction: direction)
        guard !estimates.isEmpty, complete.count >= 3 else { return "" }
        let rowHeight = 22.0
        var plot = SVGPlot(height: 40 + rowHeight * Double(estimates.count) + 12, x: 0...1, y: 0...Double(estimates.count))
        plot.axes(xLabel: "share of explained variation of ranks", yLabel: "")
        for (index, estimate) in estimates.enumerated() {
            let top = plot.py(Double(estimates.count - index)) + 3
            let barWidth = plot.px(estimate.importance) - plot.px(0)
            plot.raw(##"<rect x="\##(plot.px(0))" y="\##(top)" width="\##(barWidth)" height="\##(rowHeight - 6)" fill="#2ca02c"><title>\##(String(format: "%.3f", estimate.importance))</title></rect>"##)
            plot.raw(##"<text x="\##(plot.px(0) + barWidth + 4)" y="\##(top + rowHeight / 2)">\##(HTML.escape(estimate.name)) \##(String(format: "%.2f", estimate.importance))</text>"##)
        }
        return "<h2>Parameter importance</h2><p class=note>Each parameter's own effect on the trials' ranks (correlation ratio over quintiles or choices), scaled to sum to 1; interactions are not counted.</p>" + plot.svg
    }

    /// One vertical axis per parameter and one for the value; one line per complete trial,
    /// darker for better trials.
    private func parallelCoordinates() -> String {
        let parameters = space.searchedParameters
        let lines = complete
        guard !parameters.isEmpty, lines.count >= 2 else { return "" }
        let axisCount = parameters.count + 1
        var plot = SVGPlot(width: max(640, Double(axisCount) * 120), height: 340, x: 0...Double(axisCount - 1), y: 0...1)
        // Trials placed and shaded by rank, so a few outlying values do not squash the rest.
        let ranked = lines.sorted { direction.loss($0.value!) < direction.loss($1.value!) }
        let denominator = Double(max(ranked.count - 1, 1))
        for (rank, trial) in ranked.enumerated().reversed() {
            let shade = 1 - Double(rank) / denominator
            var points: [(Double, Double)] = []
            for (index, parameter) in parameters.enumerated() {
                guard let value = trial.params[parameter.name], let unit = parameter.distribution.unitValue(of: value) else { continue }
                points.append((Double(index), unit))
            }
            points.append((Double(parameters.count), shade))
            let color = String(format: "rgb(%d,%d,%d)", Int(230 - 200 * shade), Int(230 - 140 * shade), Int(240 - 60 * shade))
            plot.line(points, color: color, width: 1.2, opacity: 0.8, title: "#\(trial.number) \(ProgressReport.format(trial.value!))")
        }
        for (index, title) in (parameters.map(\.name) + ["value"]).enumerated() {
            let x = plot.px(Double(index))
            plot.raw(##"<line x1="\##(x)" y1="\##(plot.py(0))" x2="\##(x)" y2="\##(plot.py(1))" stroke="#444"/>"##)
            plot.raw(##"<text x="\##(x)" y="\##(plot.py(0) + 16)" text-anchor="middle">\##(HTML.escape(title))</text>"##)
            if index < parameters.count {
                let distribution = parameters[index].distribution
                for (unit, label) in [(0.0, distribution.value(fromUnit: 0)), (1.0, distribution.value(fromUnit: 1 - 1e-12))] {
                    plot.raw(##"<text x="\##(x + 4)" y="\##(plot.py(unit) + (unit == 0 ? -4 : 10))" font-size="9">\##(HTML.escape(Self.short(label)))</text>"##)
                }
            }
        }
        let better = direction == .minimize ? "lower" : "higher"
        return "<h2>Parallel coordinates</h2><p class=note>Complete trials; darker lines are better. The value axis shows each trial's rank (best at the top; \(better) values are better). Parameter axes run from low (bottom) to high (top), on a log scale where the parameter is log-scaled.</p>" + plot.svg
    }

    /// Value against each parameter.
    private func slices() -> String {
        let parameters = space.searchedParameters
        let values = complete.map { $0.value! }
        guard !parameters.isEmpty, !values.isEmpty else { return "" }
        var charts: [String] = []
        for parameter in parameters {
            let distribution = parameter.distribution
            var plot = SVGPlot(width: 320, height: 240, x: 0...1, y: values.min()!...values.max()!)
            let ticks: [(Double, String)]
            if case let .categorical(choices) = distribution {
                ticks = choices.indices.map { ((Double($0) + 0.5) / Double(choices.count), Self.short(choices[$0])) }
            } else {
                ticks = [0.0, 0.5, 1.0].map { ($0, Self.short(distribution.value(fromUnit: min($0, 1 - 1e-12)))) }
            }
            plot.axes(xLabel: parameter.name, yLabel: "value", xTicks: ticks)
            for trial in complete {
                guard let value = trial.params[parameter.name], let unit = distribution.unitValue(of: value) else { continue }
                plot.dot(unit, trial.value!, color: "#1f77b4", radius: 3, title: "#\(trial.number) \(parameter.name)=\(value) → \(ProgressReport.format(trial.value!))")
            }
            charts.append(plot.svg)
        }
        return "<h2>Slices</h2><p class=note>Value of each complete trial against one parameter at a time.</p><div class=slices>" + charts.joined() + "</div>"
    }

    private static func short(_ value: ParameterValue) -> String {
        if case let .double(number) = value { return SVGPlot.label(number) }
        return value.description
    }
}
