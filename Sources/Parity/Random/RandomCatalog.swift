import Backend

extension ParityCatalog {
    /// Philox words, uniform and normal fills, dropout forward and backward.
    public static let random: [ParityCase] = [
        RandomCatalog.philoxWords, RandomCatalog.uniform, RandomCatalog.normal, RandomCatalog.dropout,
        RandomCatalog.dropoutBackward,
    ]
}

/// The random cases: streams, counts and the dropout configuration.
enum RandomCatalog {
    static let family = "random"

    /// Two blocks from each known answer's key and counter: the known words, then the next
    /// counter's. Each word is compared exactly, as two 16-bit halves (which a Float holds).
    static let philoxWords = ParityCase(family: family, op: "philoxWords", tolerance: 0, checks: RandomReference.knownAnswers.map { answer in
        ParityCheck(shape: [8], variant: "key \(answer.key[0]) counter \(answer.counter[0])") {
            var next = answer.counter
            next[0] &+= 1
            if next[0] == 0 { next[1] &+= 1 }
            let expected = [answer.words, Philox.block(key: answer.key, counter: next)].flatMap { block in
                (0..<4).map { block[$0] }
            }
            return ParityTrial(
                run: { device in
                    let words = try poisonedTensor([8], on: device)
                    try device.philoxWords(key: answer.key, counter: answer.counter, into: words)
                    return try halves(words.toArray().map(\.bitPattern)).map { Float($0) }
                },
                reference: { halves(expected).map(Double.init) })
        }
    })

    static let uniform = ParityCase(family: family, op: "uniform", tolerance: 1e-6, checks: [1, 3, 4, 13, 1027].map { count in
        ParityCheck(shape: [count]) {
            let stream = RandomStream(seed: 0xDEAD_BEEF_1234, offset: 7)
            return ParityTrial(
                run: { device in
                    let x = try poisonedTensor([count], on: device)
                    try device.uniform(x, low: -2, high: 3, stream: stream)
                    return try x.toArray()
                },
                reference: { (0..<count).map { -2 + 5 * RandomReference.unit(RandomReference.word($0, stream)) } })
        }
    })

    /// A million values; the first 1001 against Box–Muller in Double.
    static let normal = ParityCase(family: family, op: "normal", tolerance: 1e-5, checks: [
        ParityCheck(shape: [1_000_003], variant: "first 1001") {
            let stream = RandomStream(seed: 42, offset: 3)
            return ParityTrial(
                run: { device in
                    let x = try poisonedTensor([1_000_003], on: device)
                    try device.normal(x, mean: 1.5, standardDeviation: 2, stream: stream)
                    return Array(try x.toArray().prefix(1001))
                },
                reference: { (0..<1001).map { RandomReference.normal($0, stream, mean: 1.5, standardDeviation: 2) } })
        },
    ])

    static let dropoutShape = [3, 5, 7]
    static let dropoutProbability: Float = 0.4
    static let dropoutStream = RandomStream(seed: 5, offset: 9)

    /// Dropout in Double, from the reference words.
    static func dropoutReference() -> ([Double]) -> [Double] {
        let keep = RandomReference.dropoutKeep(
            count: Tensor.elementCount(dropoutShape), probability: dropoutProbability, stream: dropoutStream)
        return { x in (0..<x.count).map { x[$0] * keep[$0] / (1 - Double(dropoutProbability)) } }
    }

    static let dropout = ParityCase(family: family, op: "dropout", tolerance: 1e-6, checks: [
        ParityCheck(shape: dropoutShape, variant: "p = \(dropoutProbability)") {
            let x = randomValues(Tensor.elementCount(dropoutShape), seed: 11)
            return ParityTrial(
                run: { device in
                    let output = try poisonedTensor(dropoutShape, on: device)
                    let mask = try poisonedTensor(dropoutShape, on: device)
                    try device.dropout(
                        Tensor(x, shape: dropoutShape, on: device), probability: dropoutProbability, stream: dropoutStream,
                        into: output, mask: mask)
                    return try output.toArray()
                },
                reference: { dropoutReference()(x.map(Double.init)) })
        },
    ])

    /// The gradient from the forward pass's mask and from the mask recomputed from the stream,
    /// against central differences of the Double forward pass.
    static let dropoutBackward = ParityCase(family: family, op: "dropoutBackward", tolerance: 1e-5, checks: [true, false].map { saved in
        ParityCheck(shape: dropoutShape, variant: saved ? "saved mask" : "recomputed mask") {
            let x = randomValues(Tensor.elementCount(dropoutShape), seed: 11)
            let upstream = randomValues(Tensor.elementCount(dropoutShape), seed: 12)
            return ParityTrial(
                run: { device in
                    let mask: DropoutMask
                    if saved {
                        let tensor = try poisonedTensor(dropoutShape, on: device)
                        try device.dropout(
                            Tensor(x, shape: dropoutShape, on: device), probability: dropoutProbability, stream: dropoutStream,
                            into: poisonedTensor(dropoutShape, on: device), mask: tensor)
                        mask = .tensor(tensor)
                    } else {
                        mask = .recomputed(dropoutStream)
                    }
                    let gradInput = try poisonedTensor(dropoutShape, on: device)
                    try device.dropoutBackward(
                        gradOutput: Tensor(upstream, shape: dropoutShape, on: device), probability: dropoutProbability,
                        mask: mask, into: gradInput)
                    return try gradInput.toArray()
                },
                reference: {
                    let forward = dropoutReference()
                    return finiteDifferenceGradient(of: { weightedSum(forward($0), upstream) }, at: x.map(Double.init))
                })
        }
    })

    /// Each word as its high and low 16 bits.
    static func halves(_ words: [UInt32]) -> [UInt32] {
        words.flatMap { [$0 >> 16, $0 & 0xFFFF] }
    }
}
