import Backend

extension Tensor {
    /// Overwrites the values in place with `values` (row-major, `count` of them).
    func assign(_ values: [Float]) throws {
        guard values.count == count else {
            throw BackendError.shapeMismatch(op: "assign", detail: "\(values.count) values for a tensor of shape \(shape)")
        }
        guard !values.isEmpty else { return }
        try values.withUnsafeBufferPointer { try device.write($0, to: buffer) }
    }
}
