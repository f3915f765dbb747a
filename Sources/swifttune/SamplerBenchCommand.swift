import ArgumentParser
import Foundation
import Tuning

struct SamplerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sampler",
        abstract: "Measure how long a sampler takes to propose a trial as a study grows.",
        discussion: """
            For each count in --trials, builds a study history of that many complete trials at \
            random points of a test function (its usual search space) and times --repeats \
            proposals of the next trial (each with its own trial number, so each is a fresh \
            proposal). A row reports the median and the slowest milliseconds.

            Examples:
              swifttune bench sampler
              swifttune bench sampler --sampler tpe --function rosenbrock --dimensions 10
            """)

    @Option(name: .long, help: "The sampler: gp, tpe or auto.")
    var sampler = "gp"

    @Option(name: .long, help: "The test function (\(TestFunctionObjective.Function.allCases.map(\.rawValue).joined(separator: ", "))).")
    var function = "hartmann6"

    @Option(name: .long, help: "Dimensions, for the functions of any dimension.")
    var dimensions = 6

    @Option(name: .long, help: "Comma-separated history sizes.")
    var trials = "50,200,1000"

    @Option(name: .long, help: "Proposals timed per history size.")
    var repeats = 5

    func run() throws {
        guard let testFunction = TestFunctionObjective.Function(rawValue: function) else {
            throw ValidationError("unknown --function '\(function)'")
        }
        let counts = trials.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }), repeats >= 1, dimensions >= 1 else {
            throw ValidationError("--trials takes positive integers separated by commas; --repeats and --dimensions must be at least 1")
        }
        let chosen: any Sampler
        switch sampler {
        case "gp": chosen = GPSampler()
        case "tpe": chosen = TPESampler()
        case "auto": chosen = AutoSampler()
        default: throw ValidationError("--sampler must be gp, tpe or auto")
        }
        let space = try testFunction.space(dimensions: dimensions)
        let names = space.parameters.map(\.name)
        print("\(sampler) proposal time on \(function) (\(names.count) parameters)")
        print("trials  median ms  slowest ms")
        for count in counts {
            var random = SeededRandom(seed: 1, trial: count)
            let history = (0..<count).map { number -> TrialRecord in
                let params = Dictionary(uniqueKeysWithValues: space.parameters.map { ($0.name, $0.distribution.value(fromUnit: random.uniform())) })
                let value = testFunction(names.map { params[$0]?.doubleValue ?? 0 })
                return TrialRecord(id: Int64(number), number: number, state: .complete, params: params, value: value)
            }
            var times: [Double] = []
            for repeatIndex in 0..<repeats {
                let request = SamplingRequest(space: space, direction: .minimize, seed: UInt64(repeatIndex), trialNumber: count, history: history)
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try chosen.sample(request)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            print(String(format: "%6d  %9.1f  %10.1f", count, times[times.count / 2], times[times.count - 1]))
        }
    }
}
