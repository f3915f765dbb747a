import Foundation

/// A small SVG canvas with numeric axes: enough for the reports' scatter, line and bar charts
/// (the study report and the training report).
public struct SVGPlot: Sendable {
    public let width: Double
    public let height: Double
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    let margin = (left: 64.0, right: 16.0, top: 12.0, bottom: 40.0)
    private(set) var elements: [String] = []

    public init(width: Double = 640, height: Double = 320, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        self.width = width
        self.height = height
        xRange = Self.padded(x)
        yRange = Self.padded(y)
    }

    /// The colour of series `index` in charts of several series (ten, then again from the first).
    public static func seriesColor(_ index: Int) -> String {
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        return palette[index % palette.count]
    }

    /// A range with room around a single value.
    private static func padded(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        guard range.upperBound > range.lowerBound else { return (range.lowerBound - 1)...(range.upperBound + 1) }
        return range
    }

    /// The canvas x of data value `x`.
    public func px(_ x: Double) -> Double {
        margin.left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - margin.left - margin.right)
    }

    /// The canvas y of data value `y`.
    public func py(_ y: Double) -> Double {
        height - margin.bottom - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (height - margin.top - margin.bottom)
    }

    /// Axes with ticks and labels.
    public mutating func axes(xLabel: String, yLabel: String, xTicks: [(Double, String)]? = nil) {
        let left = margin.left, bottom = height - margin.bottom
        elements.append(##"<line x1="\##(left)" y1="\##(bottom)" x2="\##(width - margin.right)" y2="\##(bottom)" stroke="#444"/>"##)
        elements.append(##"<line x1="\##(left)" y1="\##(margin.top)" x2="\##(left)" y2="\##(bottom)" stroke="#444"/>"##)
        for (value, label) in xTicks ?? Self.ticks(xRange).map({ ($0, Self.label($0)) }) {
            let x = px(value)
            elements.append(##"<line x1="\##(x)" y1="\##(bottom)" x2="\##(x)" y2="\##(bottom + 4)" stroke="#444"/>"##)
            elements.append(##"<text x="\##(x)" y="\##(bottom + 16)" text-anchor="middle">\##(HTML.escape(label))</text>"##)
        }
        for value in Self.ticks(yRange) {
            let y = py(value)
            elements.append(##"<line x1="\##(left - 4)" y1="\##(y)" x2="\##(width - margin.right)" y2="\##(y)" stroke="#eee"/>"##)
            elements.append(##"<text x="\##(left - 6)" y="\##(y + 4)" text-anchor="end">\##(Self.label(value))</text>"##)
        }
        elements.append(##"<text x="\##((left + width - margin.right) / 2)" y="\##(height - 6)" text-anchor="middle">\##(HTML.escape(xLabel))</text>"##)
        elements.append(##"<text transform="translate(14 \##((margin.top + bottom) / 2)) rotate(-90)" text-anchor="middle">\##(HTML.escape(yLabel))</text>"##)
    }

    /// A dot with a tooltip.
    public mutating func dot(_ x: Double, _ y: Double, color: String, radius: Double = 3.5, title: String) {
        elements.append(##"<circle cx="\##(px(x))" cy="\##(py(y))" r="\##(radius)" fill="\##(color)"><title>\##(HTML.escape(title))</title></circle>"##)
    }

    /// A polyline through `points`.
    public mutating func line(_ points: [(Double, Double)], color: String, width strokeWidth: Double = 1.5, opacity: Double = 1, title: String? = nil) {
        guard points.count > 1 else { return }
        let path = points.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
        let tooltip = title.map { "<title>\(HTML.escape($0))</title>" } ?? ""
        elements.append(##"<polyline points="\##(path)" fill="none" stroke="\##(color)" stroke-width="\##(strokeWidth)" stroke-opacity="\##(opacity)">\##(tooltip)</polyline>"##)
    }

    /// Any SVG element, in canvas coordinates.
    public mutating func raw(_ element: String) {
        elements.append(element)
    }

    /// The SVG document.
    public var svg: String {
        ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)" font-size="11" font-family="sans-serif">"##
            + elements.joined() + "</svg>"
    }

    /// About five round tick values inside `range`.
    public static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let first = (range.lowerBound / step).rounded(.up) * step
        return stride(from: first, through: range.upperBound + step * 1e-9, by: step).map { $0 }
    }

    /// A short label for a tick or a value.
    public static func label(_ value: Double) -> String {
        abs(value) < 1e-12 ? "0" : String(format: "%.4g", value)
    }
}
