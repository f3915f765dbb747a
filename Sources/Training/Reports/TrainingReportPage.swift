import Foundation

/// A self-contained HTML page about one training run (inline SVG, no scripts, no network): the
/// test figures, a curve per metric (training and validation), the learning rate, each layer's
/// gradient norm, the diagnosis, the model, and for classifiers the per-class report and the
/// confusion matrix.
public struct TrainingReportPage: Sendable {
    /// The run's name (its folder's name).
    public let name: String
    public let history: TrainingHistory
    public let gradientNorms: GradientNormLog
    public let report: RunReport

    public init(name: String, history: TrainingHistory, gradientNorms: GradientNormLog, report: RunReport) {
        self.name = name
        self.history = history
        self.gradientNorms = gradientNorms
        self.report = report
    }

    /// The page.
    public func html() -> String {
        let sections = [testSection(), curves(), learningRate(), gradientSection(), classificationSection(), diagnosisSection()]
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Training run \(HTML.escape(name))</title>
            <style>body{font-family:sans-serif;margin:24px;max-width:1000px}h2{margin-top:32px}
            table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
            pre{background:#f6f6f6;padding:8px}</style></head><body>
            <h1>Training run “\(HTML.escape(name))”</h1>
            \(sections.joined(separator: "\n"))
            <h2>Model</h2><pre>\(HTML.escape(report.modelSummary))</pre>
            </body></html>

            """
    }

    private func testSection() -> String {
        var rows = history.epochs.isEmpty ? [] : [("epochs", "\(history.epochs.count)")]
        if let stop = report.stopReason { rows.append(("stopped", stop)) }
        if let test = report.test {
            rows.append(("test loss", String(format: "%.4f", test.loss)))
            rows += test.metrics.keys.sorted().map { ("test \($0)", String(format: "%.4f", test.metrics[$0] ?? .nan)) }
        }
        guard !rows.isEmpty else { return "" }
        return "<h2>Summary</h2><table>" + rows.map { "<tr><th>\(HTML.escape($0.0))</th><td>\(HTML.escape($0.1))</td></tr>" }.joined()
            + "</table>"
    }

    /// The loss and every metric over the epochs, training in blue and validation in orange.
    private func curves() -> String {
        guard !history.epochs.isEmpty else { return "" }
        var names = ["loss"]
        names += Set(history.epochs.flatMap(\.metrics.keys)).filter { !$0.hasPrefix("val_") }.sorted()
        let charts = names.map { name -> String in
            let training = history.epochs.compactMap { record in
                (name == "loss" ? record.trainLoss : record.metrics[name]).map { (Double(record.epoch), $0) }
            }
            let validation = history.epochs.compactMap { record in
                (name == "loss" ? record.validationLoss : record.metrics["val_" + name]).map { (Double(record.epoch), $0) }
            }
            return "<h3>\(HTML.escape(name))</h3>" + chart([("training", "#1f77b4", training), ("validation", "#ff7f0e", validation)], y: name)
        }
        return "<h2>Curves</h2><p>training: blue, validation: orange</p>" + charts.joined()
    }

    private func learningRate() -> String {
        guard history.epochs.count > 1 else { return "" }
        let points = history.epochs.map { (Double($0.epoch), $0.learningRate) }
        return "<h2>Learning rate</h2>" + chart([("learning rate", "#2ca02c", points)], y: "learning rate")
    }

    /// Each layer's gradient norm at the sampled steps.
    private func gradientSection() -> String {
        let layers = gradientNorms.layerNorms()
        guard !layers.isEmpty else { return "" }
        let steps = gradientNorms.samples.map { Double($0.step) }
        let series = layers.keys.sorted().enumerated().map { index, layer in
            ("layer \(layer)", SVGPlot.seriesColor(index), Array(zip(steps, layers[layer] ?? [])))
        }
        let legend = series.map { "<span style=\"color:\($0.1)\">■</span> \(HTML.escape($0.0))" }.joined(separator: " ")
        return "<h2>Gradient norms</h2><p>\(legend)</p>" + chart(series, y: "gradient norm", x: "step")
    }

    private func classificationSection() -> String {
        guard let classification = report.classification else { return "" }
        let header = "<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>"
        let rows = classification.rows.map { row in
            "<tr><td>\(HTML.escape(row.name))</td>" + [row.precision, row.recall, row.f1].map { String(format: "<td>%.4f</td>", $0) }.joined()
                + "<td>\(row.support)</td></tr>"
        }
        return "<h2>Test data, per class</h2><table>\(header)\(rows.joined())</table>"
            + "<h2>Confusion matrix</h2>" + heatmap(classification)
    }

    private func diagnosisSection() -> String {
        "<h2>Diagnosis</h2><pre>\(HTML.escape(report.diagnosis.description))</pre>"
    }

    /// Lines on shared axes; `series` are (name, color, points).
    private func chart(_ series: [(String, String, [(Double, Double)])], y: String, x: String = "epoch") -> String {
        let points = series.flatMap(\.2).filter { $0.1.isFinite }
        guard let first = points.first else { return "<p>no finite values</p>" }
        let xs = points.map(\.0), ys = points.map(\.1)
        var plot = SVGPlot(x: (xs.min() ?? first.0)...(xs.max() ?? first.0), y: (ys.min() ?? first.1)...(ys.max() ?? first.1))
        plot.axes(xLabel: x, yLabel: y)
        for (name, color, line) in series {
            let finite = line.filter { $0.1.isFinite }
            plot.line(finite, color: color, title: name)
            for point in finite { plot.dot(point.0, point.1, color: color, radius: 2.5, title: "\(name) \(x) \(SVGPlot.label(point.0)): \(SVGPlot.label(point.1))") }
        }
        return plot.svg
    }

    /// The confusion matrix as a grid of cells shaded by each row's share.
    private func heatmap(_ classification: ClassificationReport) -> String {
        let names = classification.classNames
        let cell = 36.0, label = 90.0
        let size = label + cell * Double(names.count) + 8
        var elements: [String] = []
        for (row, counts) in classification.matrix.counts.enumerated() {
            let total = max(counts.reduce(0, +), 1)
            for (column, count) in counts.enumerated() {
                let share = Double(count) / Double(total)
                let x = label + Double(column) * cell, y = label + Double(row) * cell
                elements.append(##"<rect x="\##(x)" y="\##(y)" width="\##(cell)" height="\##(cell)" fill="rgb(31,119,180)" fill-opacity="\##(String(format: "%.3f", share))" stroke="#ccc"><title>actual \##(HTML.escape(names[row])), predicted \##(HTML.escape(names[column])): \##(count)</title></rect>"##)
                elements.append(##"<text x="\##(x + cell / 2)" y="\##(y + cell / 2 + 4)" text-anchor="middle">\##(count)</text>"##)
            }
            elements.append(##"<text x="\##(label - 4)" y="\##(label + Double(row) * cell + cell / 2 + 4)" text-anchor="end">\##(HTML.escape(names[row]))</text>"##)
            elements.append(##"<text x="\##(label + Double(row) * cell + cell / 2)" y="\##(label - 6)" text-anchor="middle">\##(HTML.escape(names[row]))</text>"##)
        }
        elements.append(##"<text x="\##(label)" y="14">predicted →</text><text x="4" y="\##(label - 6)">actual ↓</text>"##)
        return ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(size)" height="\##(size)" font-size="11" font-family="sans-serif">"##
            + elements.joined() + "</svg>"
    }
}
