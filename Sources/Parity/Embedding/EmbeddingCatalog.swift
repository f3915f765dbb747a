import Backend

extension ParityCatalog {
    /// Embedding lookups and their scatter-add gradient, with repeated ids, ids outside the
    /// table (zeros, no gradient) and a padding row.
    public static let embedding: [ParityCase] = [EmbeddingCatalog.forward, EmbeddingCatalog.backward]
}

/// The embedding cases and their Double references.
enum EmbeddingCatalog {
    static let family = "embedding"

    /// (vocabulary, dimension, tokens): a small table, one wider than a work-group row, and many
    /// tokens per row.
    static let sizes = [(7, 5, 11), (50, 67, 40), (3, 16, 300)]

    /// Seeded ids in `-1...vocabulary` (the ends lie outside the table), with a fraction every
    /// tenth token to check that non-integers look up nothing.
    static func ids(tokens: Int, vocabulary: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<tokens).map { n in
            let id = Float(Int.random(in: -1...vocabulary, using: &generator))
            return n % 10 == 9 ? id + 0.5 : id
        }
    }

    /// The row of `id` in a table of `vocabulary` rows, or nil.
    static func row(_ id: Float, vocabulary: Int) -> Int? {
        guard id >= 0, id < Float(vocabulary), id.rounded(.towardZero) == id else { return nil }
        return Int(id)
    }

    static func checks(
        variant: String = "", _ trial: @escaping @Sendable (_ v: Int, _ d: Int, _ ids: [Float]) -> ParityTrial
    ) -> [ParityCheck] {
        sizes.map { vocabulary, dimension, tokens in
            ParityCheck(shape: [vocabulary, dimension], variant: "\(tokens) ids\(variant)") {
                trial(vocabulary, dimension, ids(tokens: tokens, vocabulary: vocabulary, seed: 81))
            }
        }
    }

    static let forward = ParityCase(family: family, op: "embedding", tolerance: 0, checks: checks { vocabulary, dimension, ids in
        let table = randomValues(vocabulary * dimension, seed: 82)
        return ParityTrial(
            run: { device in
                let output = try poisonedTensor([ids.count, dimension], on: device)
                try device.embedding(
                    table: Tensor(table, shape: [vocabulary, dimension], on: device), ids: Tensor(ids, shape: [ids.count], on: device),
                    into: output)
                return try output.toArray()
            },
            reference: {
                ids.flatMap { id -> [Double] in
                    guard let row = row(id, vocabulary: vocabulary) else { return Array(repeating: 0, count: dimension) }
                    return table[(row * dimension)..<((row + 1) * dimension)].map(Double.init)
                }
            })
    })

    /// Into fresh memory and accumulated onto earlier values, with padding row 1 or none.
    static let backward = ParityCase(family: family, op: "embeddingBackward", tolerance: 1e-5, checks: [true, false].flatMap { accumulate in
        [1, nil].flatMap { (padding: Int?) in
            checks(variant: "\(accumulate ? ", accumulated" : "")\(padding.map { ", padding \($0)" } ?? "")") { vocabulary, dimension, ids in
                let upstream = randomValues(ids.count * dimension, seed: 83)
                let earlier = randomValues(vocabulary * dimension, seed: 84)
                return ParityTrial(
                    run: { device in
                        let gradTable = try accumulate
                            ? Tensor(earlier, shape: [vocabulary, dimension], on: device)
                            : poisonedTensor([vocabulary, dimension], on: device)
                        try device.embeddingBackward(
                            gradOutput: Tensor(upstream, shape: [ids.count, dimension], on: device),
                            ids: Tensor(ids, shape: [ids.count], on: device), paddingIndex: padding, into: gradTable,
                            accumulate: accumulate)
                        return try gradTable.toArray()
                    },
                    reference: {
                        var sums = accumulate ? earlier.map(Double.init) : Array(repeating: 0, count: vocabulary * dimension)
                        for (n, id) in ids.enumerated() {
                            guard let row = row(id, vocabulary: vocabulary), row != padding else { continue }
                            for d in 0..<dimension { sums[row * dimension + d] += Double(upstream[n * dimension + d]) }
                        }
                        return sums
                    })
            }
        }
    })
}
