import Foundation

extension GPSampler {
    /// A monotone map applied to the losses before they are standardised for the GP, chosen for
    /// each proposal from the data: the losses' own scale decides how far apart the model sees
    /// them. A function that spans orders of magnitude over its box looks flat near its minimum
    /// on a linear scale, and a smooth one loses its shape on a logarithmic one.
    struct LossWarping: Equatable {
        enum Form: Equatable {
            /// Losses above their median moved towards it logarithmically (`m + t` becomes
            /// `m + s·log(1 + t/s)`, `s` the spread of the better half), the better half as it is.
            case compressedWorseHalf(median: Double, spread: Double)
            /// `log(loss − minimum + offset)`: every difference seen relative to `offset`.
            case logarithm(minimum: Double, offset: Double)
        }

        let form: Form

        func callAsFunction(_ loss: Double) -> Double {
            switch form {
            case let .compressedWorseHalf(median, spread):
                return loss <= median || spread <= 0 ? loss : median + spread * Foundation.log1p((loss - median) / spread)
            case let .logarithm(minimum, offset):
                return Foundation.log(max(loss - minimum, 0) + offset)
            }
        }

        /// log of the map's derivative at `loss` (the change-of-variables term of the likelihood).
        func logSlope(_ loss: Double) -> Double {
            switch form {
            case let .compressedWorseHalf(median, spread):
                return loss <= median || spread <= 0 ? 0 : -Foundation.log1p((loss - median) / spread)
            case let .logarithm(minimum, offset):
                return -Foundation.log(max(loss - minimum, 0) + offset)
            }
        }

        /// The maps tried on `losses`: the compression of the worse half, and logarithms whose
        /// offsets range from far below the better half's spread (differences near the minimum
        /// count) to above it (nearly linear there), in factors of ten.
        static func candidates(for losses: [Double]) -> [LossWarping] {
            let sorted = losses.sorted()
            guard let minimum = sorted.first else { return [] }
            let median = sorted[sorted.count / 2]
            let spread = median - minimum
            var candidates = [LossWarping(form: .compressedWorseHalf(median: median, spread: spread))]
            guard spread > 0 else { return candidates }
            for exponent in offsetExponents {
                candidates.append(LossWarping(form: .logarithm(minimum: minimum, offset: spread * Foundation.pow(10, Double(exponent)))))
            }
            return candidates
        }

        /// Offsets of the logarithms, as powers of ten of the better half's spread.
        static let offsetExponents = -4...1

        /// The candidate under which the GP explains the losses best: the highest fitted log
        /// posterior of the standardised warped losses plus the change of variables back to the
        /// losses (the log slopes, less n times the log of the standardising spread), so the
        /// candidates are compared as models of the same losses. Each fit is from the default
        /// hyperparameters only, on at most `points` of the trials (the same ones for all).
        static func choose(
            losses: [Double], inputs: [[Double]], points: Int = 64, random: inout SeededRandom
        ) -> LossWarping {
            let candidates = candidates(for: losses)
            guard candidates.count > 1 else { return candidates.first ?? LossWarping(form: .compressedWorseHalf(median: 0, spread: 0)) }
            var order = Array(losses.indices)
            if order.count > points {
                for index in 0..<points { order.swapAt(index, index + random.index(below: order.count - index)) }
                order = Array(order.prefix(points))
            }
            let chosenLosses = order.map { losses[$0] }, chosenInputs = order.map { inputs[$0] }
            var best: (warping: LossWarping, score: Double)?
            for candidate in candidates {
                let warped = chosenLosses.map { candidate($0) }
                let (standardised, spread) = GPSampler.standardised(warped)
                guard let process = GaussianProcess.fit(
                    inputs: chosenInputs, targets: standardised, hyperparameterPoints: points, restarts: 0, random: &random)
                else { continue }
                let score = -process.negativeLogPosterior - Double(warped.count) * Foundation.log(spread)
                    + chosenLosses.reduce(0) { $0 + candidate.logSlope($1) }
                if score.isFinite, score > (best?.score ?? -.infinity) { best = (candidate, score) }
            }
            return best?.warping ?? candidates[0]
        }
    }

    /// `values` less `center` (their mean by default), over their standard deviation (at least
    /// 10⁻¹²), and that deviation.
    static func standardised(_ values: [Double], around center: Double? = nil) -> (values: [Double], spread: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        let spread = max(variance.squareRoot(), 1e-12)
        let center = center ?? mean
        return (values.map { ($0 - center) / spread }, spread)
    }
}
