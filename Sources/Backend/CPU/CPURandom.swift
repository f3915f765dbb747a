import Foundation

extension CPUDevice: RandomOps {
    public func philoxWords(key: SIMD2<UInt32>, counter: SIMD4<UInt32>, into words: Tensor) throws {
        let out = try pointer(words, op: "philoxWords")
        guard words.count % 4 == 0 else {
            throw BackendError.shapeMismatch(op: "philoxWords", detail: "\(words.count) elements is not a multiple of 4")
        }
        for block in 0..<words.count / 4 {
            let step = UInt64(block)
            var c = counter
            let low = UInt64(c[0]) &+ (step & 0xFFFF_FFFF)
            c[0] = UInt32(truncatingIfNeeded: low)
            c[1] = c[1] &+ UInt32(truncatingIfNeeded: step >> 32) &+ UInt32(truncatingIfNeeded: low >> 32)
            let value = Philox.block(key: key, counter: c)
            for w in 0..<4 { out[4 * block + w] = Float(bitPattern: value[w]) }
        }
    }

    public func uniform(_ x: Tensor, low: Float, high: Float, stream: RandomStream) throws {
        try checkFill("uniform", x, width: high - low)
        let out = try pointer(x, op: "uniform")
        let width = high - low
        forEachBlock(x.count, stream: stream) { index, words in
            for w in 0..<min(4, x.count - index) {
                out[index + w] = low + width * Philox.unitFloat(words[w])
            }
        }
    }

    public func normal(_ x: Tensor, mean: Float, standardDeviation: Float, stream: RandomStream) throws {
        try checkFill("normal", x, width: standardDeviation)
        let out = try pointer(x, op: "normal")
        forEachBlock(x.count, stream: stream) { index, words in
            var values = SIMD4<Float>()
            for pair in 0..<2 {
                let radius = (-2 * Foundation.log(Philox.positiveUnitFloat(words[2 * pair]))).squareRoot()
                let angle = 2 * Float.pi * Philox.unitFloat(words[2 * pair + 1])
                values[2 * pair] = radius * Foundation.cos(angle)
                values[2 * pair + 1] = radius * Foundation.sin(angle)
            }
            for w in 0..<min(4, x.count - index) {
                out[index + w] = mean + standardDeviation * values[w]
            }
        }
    }

    public func dropout(_ x: Tensor, probability: Float, stream: RandomStream, into output: Tensor, mask: Tensor?) throws {
        let scale = try dropoutScale("dropout", probability: probability, input: x, output: output, mask: mask)
        let input = try pointer(x, op: "dropout")
        let out = try pointer(output, op: "dropout")
        let maskOut = try mask.map { try pointer($0, op: "dropout") }
        forEachBlock(x.count, stream: stream) { index, words in
            for w in 0..<min(4, x.count - index) {
                let keep: Float = Philox.unitFloat(words[w]) >= probability ? 1 : 0
                out[index + w] = input[index + w] * keep * scale
                maskOut?[index + w] = keep
            }
        }
    }

    public func dropoutBackward(gradOutput: Tensor, probability: Float, mask: DropoutMask, into gradInput: Tensor) throws {
        let op = "dropoutBackward"
        switch mask {
        case let .tensor(maskTensor):
            let scale = try dropoutScale(op, probability: probability, input: gradOutput, output: gradInput, mask: maskTensor)
            let upstream = try pointer(gradOutput, op: op)
            let keep = try pointer(maskTensor, op: op)
            let out = try pointer(gradInput, op: op)
            parallelFor(gradOutput.count) { range in
                for i in range { out[i] = upstream[i] * keep[i] * scale }
            }
        case let .recomputed(stream):
            let scale = try dropoutScale(op, probability: probability, input: gradOutput, output: gradInput, mask: nil)
            let upstream = try pointer(gradOutput, op: op)
            let out = try pointer(gradInput, op: op)
            forEachBlock(gradOutput.count, stream: stream) { index, words in
                for w in 0..<min(4, gradOutput.count - index) {
                    let keep: Float = Philox.unitFloat(words[w]) >= probability ? 1 : 0
                    out[index + w] = upstream[index + w] * keep * scale
                }
            }
        }
    }

    /// Calls `body(firstElement, block)` for every Philox block that covers `count` elements.
    private func forEachBlock(_ count: Int, stream: RandomStream, _ body: (Int, SIMD4<UInt32>) -> Void) {
        parallelFor((count + 3) / 4, grain: 4096) { range in
            for block in range {
                let index = 4 * block
                body(index, Philox.block(of: stream, elementIndex: index))
            }
        }
    }
}
