extension GPSampler {
    /// The map between configurations, genomes (one number per searched parameter: a unit-axis
    /// position or a choice index) and GP features (unit positions and one-hot choices).
    ///
    /// A configuration's features use its values as they are (an integer's unit position is
    /// that of the integer); a genome's *relaxed* features take numeric genes as they are, so
    /// the acquisition is smooth in them while it is optimised, and rounding comes after.
    struct Encoding {
        let space: SearchSpace
        let fixed: [String: ParameterValue]
        /// Parameters the sampler decides (not fixed by distribution or by the request).
        let searched: [Parameter]
        /// For each searched parameter, the index of its first feature.
        let featureOffsets: [Int]
        let featureCount: Int

        init(space: SearchSpace, fixed: [String: ParameterValue]) {
            self.space = space
            self.fixed = fixed
            searched = space.searchedParameters.filter { fixed[$0.name] == nil }
            var offsets: [Int] = [], count = 0
            for parameter in searched {
                offsets.append(count)
                count += parameter.distribution.isNumeric ? 1 : parameter.distribution.choiceCount
            }
            featureOffsets = offsets
            featureCount = count
        }

        /// Positions in the genome of the numeric parameters.
        var numericGenes: [Int] {
            searched.indices.filter { searched[$0].distribution.isNumeric }
        }

        func features(of params: [String: ParameterValue]) -> [Double] {
            var features: [Double] = []
            features.reserveCapacity(featureCount)
            for parameter in searched {
                let value = params[parameter.name]
                if parameter.distribution.isNumeric {
                    features.append(value.flatMap { parameter.distribution.unitValue(of: $0) }.map { min(max($0, 0), 1) } ?? 0.5)
                } else {
                    let index = value.flatMap { parameter.distribution.choiceIndex(of: $0) }
                    features += (0..<parameter.distribution.choiceCount).map { $0 == index ? 1 : 0 }
                }
            }
            return features
        }

        /// Numeric genes as they are, choices one-hot.
        func relaxedFeatures(of genome: [Double]) -> [Double] {
            var features = [Double](repeating: 0, count: featureCount)
            for (index, parameter) in searched.enumerated() {
                if parameter.distribution.isNumeric {
                    features[featureOffsets[index]] = genome[index]
                } else {
                    let choice = min(max(Int(genome[index].rounded()), 0), parameter.distribution.choiceCount - 1)
                    features[featureOffsets[index] + choice] = 1
                }
            }
            return features
        }

        func genome(of params: [String: ParameterValue]) -> [Double] {
            searched.map { parameter in
                guard let value = params[parameter.name] else { return 0.5 }
                if parameter.distribution.isNumeric { return parameter.distribution.unitValue(of: value) ?? 0.5 }
                return Double(parameter.distribution.choiceIndex(of: value) ?? 0)
            }
        }

        func decode(_ genome: [Double]) -> [String: ParameterValue] {
            let genes = Dictionary(uniqueKeysWithValues: zip(searched.map(\.name), genome))
            return space.configuration { parameter, _ in
                if let value = fixed[parameter.name] { return value }
                let gene = genes[parameter.name] ?? 0.5
                if parameter.distribution.isNumeric { return parameter.distribution.value(fromUnit: min(max(gene, 0), 1 - 1e-12)) }
                return parameter.distribution.value(fromInternal: gene)
            }
        }

        /// The genome of the configuration `genome` decodes to: numeric genes moved onto their
        /// grid (integers, steps).
        func snapped(_ genome: [Double]) -> [Double] {
            self.genome(of: decode(genome))
        }

        func randomGenome(using random: inout SeededRandom) -> [Double] {
            searched.map { parameter in
                parameter.distribution.isNumeric
                    ? random.uniform() : Double(random.index(below: parameter.distribution.choiceCount))
            }
        }

        /// Gaussian steps of size `scale` on numeric genes; each choice switches with probability `scale`.
        func perturb(_ genome: [Double], scale: Double, using random: inout SeededRandom) -> [Double] {
            zip(searched, genome).map { parameter, gene in
                if parameter.distribution.isNumeric { return min(max(gene + scale * random.gaussian(), 0), 1) }
                return random.uniform() < scale ? Double(random.index(below: parameter.distribution.choiceCount)) : gene
            }
        }

        /// Discrete numbers with at most this many values are searched exhaustively.
        static let exhaustiveGridLimit = 16

        /// The genomes one discrete move away from a snapped genome: a categorical at another
        /// choice; a discrete number (integer, stepped float) at any other of its values when it
        /// has at most `exhaustiveGridLimit` of them, else one step up or down. Trying every value
        /// of a small grid reaches a second basin along the axis (on an integer Styblinski–Tang,
        /// the dip at −3 from a trial at +3) that single steps across a ridge of lower
        /// acquisition never reach; Optuna's GP searches small grids the same way.
        func discreteNeighbours(of genome: [Double]) -> [[Double]] {
            var neighbours: [[Double]] = []
            for (index, parameter) in searched.enumerated() {
                let distribution = parameter.distribution
                func moved(to gene: Double) {
                    var neighbour = genome
                    neighbour[index] = gene
                    neighbours.append(neighbour)
                }
                if !distribution.isNumeric {
                    for choice in 0..<distribution.choiceCount where Double(choice) != genome[index] { moved(to: Double(choice)) }
                    continue
                }
                let range = distribution.internalRange
                let x = range.lowerBound + genome[index] * (range.upperBound - range.lowerBound)
                guard let bin = distribution.internalBin(around: x) else { continue }
                let limit = Self.exhaustiveGridLimit
                if distribution.gridCount(floatPoints: limit + 1) <= Double(limit) {
                    for value in distribution.gridValues(floatPoints: limit) {
                        guard let unit = distribution.unitValue(of: value), abs(unit - genome[index]) > 1e-12 else { continue }
                        moved(to: unit)
                    }
                    continue
                }
                let width = bin.upperBound - bin.lowerBound
                for neighbourX in [bin.lowerBound - width / 2, bin.upperBound + width / 2] where range.contains(neighbourX) {
                    guard let unit = distribution.unitValue(of: distribution.value(fromInternal: neighbourX)),
                          abs(unit - genome[index]) > 1e-12 else { continue }
                    moved(to: unit)
                }
            }
            return neighbours
        }
    }
}
