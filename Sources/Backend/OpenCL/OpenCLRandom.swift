extension OpenCLDevice: RandomOps {
    public func philoxWords(key: SIMD2<UInt32>, counter: SIMD4<UInt32>, into words: Tensor) throws {
        try checkOwnership(words, op: "philoxWords")
        guard words.count % 4 == 0 else {
            throw BackendError.shapeMismatch(op: "philoxWords", detail: "\(words.count) elements is not a multiple of 4")
        }
        let blocks = words.count / 4
        try launch1D("random", "philox_words", count: blocks, [
            .tensor(words), .size(blocks), .word(key[0]), .word(key[1]),
            .word(counter[0]), .word(counter[1]), .word(counter[2]), .word(counter[3]),
        ])
    }

    public func uniform(_ x: Tensor, low: Float, high: Float, stream: RandomStream) throws {
        try checkFill("uniform", x, width: high - low)
        try launchBlocks("uniform_fill", count: x.count, [.tensor(x), .size(x.count)] + Self.arguments(stream) + [
            .float(low), .float(high - low),
        ])
    }

    public func normal(_ x: Tensor, mean: Float, standardDeviation: Float, stream: RandomStream) throws {
        try checkFill("normal", x, width: standardDeviation)
        try launchBlocks("normal_fill", count: x.count, [.tensor(x), .size(x.count)] + Self.arguments(stream) + [
            .float(mean), .float(standardDeviation),
        ])
    }

    public func dropout(_ x: Tensor, probability: Float, stream: RandomStream, into output: Tensor, mask: Tensor?) throws {
        let scale = try dropoutScale("dropout", probability: probability, input: x, output: output, mask: mask)
        try launchBlocks("dropout_forward", count: x.count, [
            .tensor(x), .tensor(output), .tensor(mask ?? output), .int(mask == nil ? 0 : 1), .size(x.count),
        ] + Self.arguments(stream) + [.float(probability), .float(scale)])
    }

    public func dropoutBackward(gradOutput: Tensor, probability: Float, mask: DropoutMask, into gradInput: Tensor) throws {
        let op = "dropoutBackward"
        let count = gradOutput.count
        switch mask {
        case let .tensor(maskTensor):
            let scale = try dropoutScale(op, probability: probability, input: gradOutput, output: gradInput, mask: maskTensor)
            try launch1D("random", "dropout_backward_mask", count: count, [
                .tensor(gradOutput), .tensor(maskTensor), .tensor(gradInput), .size(count), .float(scale),
            ])
        case let .recomputed(stream):
            let scale = try dropoutScale(op, probability: probability, input: gradOutput, output: gradInput, mask: nil)
            try launchBlocks("dropout_backward_recompute", count: count, [
                .tensor(gradOutput), .tensor(gradInput), .size(count),
            ] + Self.arguments(stream) + [.float(probability), .float(scale)])
        }
    }

    /// A launch of one work-item per Philox block (four elements).
    private func launchBlocks(_ kernel: String, count: Int, _ arguments: [KernelArgument]) throws {
        try checkKernelIndexRange(count, op: kernel)
        try launch1D("random", kernel, count: (count + 3) / 4, arguments)
    }

    /// The seed and offset as the four `uint` arguments the kernels take.
    private static func arguments(_ stream: RandomStream) -> [KernelArgument] {
        [
            .word(UInt32(truncatingIfNeeded: stream.seed)), .word(UInt32(truncatingIfNeeded: stream.seed >> 32)),
            .word(UInt32(truncatingIfNeeded: stream.offset)), .word(UInt32(truncatingIfNeeded: stream.offset >> 32)),
        ]
    }
}
