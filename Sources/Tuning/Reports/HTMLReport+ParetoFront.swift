import Training

extension HTMLReport {
    /// For a study with several directions: the complete trials on the plane of the first two
    /// objectives, the Pareto-optimal ones (over all objectives) in red and joined by a line.
    func paretoFront() -> String {
        guard directions.count > 1 else { return "" }
        let complete = trials.filter { $0.state == .complete && $0.objectiveValues.count == directions.count }
        let heading = "<h2>Pareto front</h2>"
        guard !complete.isEmpty else { return heading + "<p class=note>No trial has values yet.</p>" }
        let losses = complete.map { trial in zip(directions, trial.objectiveValues).map { $0.loss($1) } }
        let front = Set(Pareto.fronts(losses).first ?? [])
        let xs = complete.map { $0.objectiveValues[0] }, ys = complete.map { $0.objectiveValues[1] }
        var plot = SVGPlot(x: (xs.min() ?? 0)...(xs.max() ?? 1), y: (ys.min() ?? 0)...(ys.max() ?? 1))
        plot.axes(xLabel: "objective 1 (\(directions[0].rawValue))", yLabel: "objective 2 (\(directions[1].rawValue))")
        let frontLine = front.sorted { (xs[$0], ys[$0]) < (xs[$1], ys[$1]) }.map { (xs[$0], ys[$0]) }
        plot.line(frontLine, color: "#d62728", width: 1.5, opacity: 0.7)
        for index in complete.indices {
            let values = complete[index].objectiveValues.map { ProgressReport.format($0) }.joined(separator: ", ")
            plot.dot(xs[index], ys[index], color: front.contains(index) ? "#d62728" : "#1f77b4",
                     title: "trial \(complete[index].number): [\(values)]")
        }
        let hypervolume = (try? StudyHypervolume(trials: complete, directions: directions).text).map { "; \($0)" } ?? ""
        let note = "<p class=note>\(front.count) Pareto-optimal trial\(front.count == 1 ? "" : "s") (red) of \(complete.count) complete\(hypervolume).</p>"
        return heading + note + plot.svg
    }
}
