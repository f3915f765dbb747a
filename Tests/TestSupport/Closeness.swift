import Testing

/// Checks every element: `|actual - expected| <= tolerance * max(1, |expected|)`, reporting the
/// worst element at the caller's line. NaN or infinity where the reference is finite fails.
public func expectClose(
    _ actual: [Float], _ expected: [Double], tolerance: Double, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    // Index loops over buffer pointers keep million-element checks fast in debug builds.
    var worst = (index: -1, error: 0.0)
    actual.withUnsafeBufferPointer { actual in
        expected.withUnsafeBufferPointer { expected in
            for index in 0..<actual.count {
                let error = relativeError(Double(actual[index]), expected[index])
                if error > worst.error || error.isNaN {
                    worst = (index, error.isNaN ? .infinity : error)
                }
            }
        }
    }
    if worst.index >= 0, worst.error > tolerance {
        Issue.record(
            "\(label): element \(worst.index) is \(actual[worst.index]), expected \(expected[worst.index]) (relative error \(worst.error) > \(tolerance))",
            sourceLocation: sourceLocation)
    }
}

/// Same as `expectClose` with a Float reference (e.g. the CPU result against OpenCL's).
public func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Double, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(actual, expected.map(Double.init), tolerance: tolerance, label, sourceLocation: sourceLocation)
}

/// `|a - e| / max(1, |e|)`; infinite when a is not finite but e is.
public func relativeError(_ a: Double, _ e: Double) -> Double {
    if e.isNaN { return a.isNaN ? 0 : .infinity }
    if e.isInfinite { return a == e ? 0 : .infinity }
    guard a.isFinite else { return .infinity }
    return abs(a - e) / max(1, abs(e))
}

/// `‖actual − expected‖_F / ‖expected‖_F`, infinite when any value is NaN.
public func relativeFrobeniusError(_ actual: [Float], _ expected: [Double]) -> Double {
    guard actual.count == expected.count else { return .infinity }
    var difference = 0.0
    var norm = 0.0
    for (a, e) in zip(actual, expected) {
        guard a.isFinite else { return .infinity }
        difference += (Double(a) - e) * (Double(a) - e)
        norm += e * e
    }
    return norm == 0 ? difference.squareRoot() : (difference / norm).squareRoot()
}
