/// `|a - e| / max(1, |e|)`; infinite when a is not finite but e is.
public func relativeError(_ a: Double, _ e: Double) -> Double {
    if e.isNaN { return a.isNaN ? 0 : .infinity }
    if e.isInfinite { return a == e ? 0 : .infinity }
    guard a.isFinite else { return .infinity }
    return abs(a - e) / max(1, abs(e))
}

/// The element with the largest `relativeError` above 0 and that error (infinite for a NaN where
/// the reference has a number); index -1 and error 0 when every element matches exactly, index -1
/// and an infinite error when the counts differ.
public func worstRelativeError(_ actual: [Float], _ expected: [Double]) -> (index: Int, error: Double) {
    guard actual.count == expected.count else { return (-1, .infinity) }
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
    return worst
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
