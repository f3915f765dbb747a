import Foundation
import Training

extension HTMLReport {
    /// For a population-based study: each member's value and each numeric hyperparameter by
    /// generation (one line per member; a dashed segment where a member copied another), and the
    /// lineage as a table.
    func population() -> String {
        guard let lineage = PopulationLineage(trials: trials, space: space) else { return "" }
        var plots = [schedulePlot(lineage, label: "value") { $0.trial.value }]
        for parameter in space.searchedParameters where parameter.distribution.isNumeric {
            let log = switch parameter.distribution {
            case let .float(_, _, log, _), let .int(_, _, _, log): log
            default: false
            }
            plots.append(schedulePlot(lineage, label: parameter.name + (log ? " (log10)" : "")) { step in
                step.trial.params[parameter.name]?.doubleValue.map { log ? log10($0) : $0 }
            })
        }
        let note = "<p class=note>One line per member; a thin, lighter segment comes from the member whose weights a generation copied.</p>"
        let table = "<pre>\(HTML.escape(lineage.text()))</pre>"
        return "<h2>Population (lineage and hyperparameter schedule)</h2>" + note
            + "<div class=slices>\(plots.joined())</div>" + table
    }

    private func schedulePlot(_ lineage: PopulationLineage, label: String, _ value: (PopulationLineage.Step) -> Double?) -> String {
        let values = lineage.members.flatMap { $0.compactMap(value) }
        let generations = Double(max((lineage.members.flatMap { $0.map(\.generation) }.max() ?? 0), 1))
        var plot = SVGPlot(width: 420, height: 260, x: 0...generations, y: (values.min() ?? 0)...(values.max() ?? 1))
        plot.axes(xLabel: "generation", yLabel: label)
        let byMember = lineage.members.map { steps in Dictionary(uniqueKeysWithValues: steps.map { ($0.generation, $0) }) }
        for (member, steps) in lineage.members.enumerated() {
            let color = SVGPlot.seriesColor(member)
            var previous: (Double, Double)?
            for step in steps {
                guard let y = value(step) else { previous = nil; continue }
                let point = (Double(step.generation), y)
                if let source = step.copiedFrom, let donor = byMember[safe: source]?[step.generation - 1], let donorY = value(donor) {
                    plot.line([(Double(step.generation - 1), donorY), point], color: color, width: 1, opacity: 0.6,
                              title: "member \(member) copied member \(source)")
                } else if let previous {
                    plot.line([previous, point], color: color, width: 1.5)
                }
                plot.dot(point.0, point.1, color: color, radius: 3, title: """
                    member \(member), generation \(step.generation), trial \(step.trial.number)\
                    \(step.copiedFrom.map { " (copied member \($0))" } ?? ""): \(label) \(ProgressReport.format(y))
                    """)
                previous = point
            }
        }
        return plot.svg
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
