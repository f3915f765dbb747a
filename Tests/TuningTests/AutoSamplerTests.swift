import Foundation
import Testing
@testable import Tuning

@Suite struct AutoSamplerTests {
    private func trial(_ number: Int, _ state: TrialState) -> TrialRecord {
        var record = TrialRecord(id: Int64(number), number: number, state: state)
        record.params = ["x": .double(0.5)]
        if state == .complete { record.value = Double(number) }
        return record
    }

    @Test func choosesTheGPForSmallNumericSpacesAndTPEOtherwise() throws {
        let auto = AutoSampler()
        let numeric = try SearchSpace([.float("x", 0...1), .int("n", 1...8), .categorical("kind", ["a", "b"])])
        #expect(auto.choice(for: numeric).choice == .gp)
        let conditional = try SearchSpace([.categorical("kind", ["a", "b"]), Parameter.float("x", 0...1).when("kind", is: "a")])
        #expect(auto.choice(for: conditional).choice == .tpe)
        #expect(auto.choice(for: conditional).reason.contains("'x' depends on 'kind'"))
        let mostlyCategorical = try SearchSpace([.float("x", 0...1), .categorical("a", ["p", "q"]), .categorical("b", ["p", "q"])])
        #expect(auto.choice(for: mostlyCategorical).choice == .tpe)
        let wide = try SearchSpace((1...21).map { .float("x\($0)", 0...1) })
        #expect(auto.choice(for: wide).choice == .tpe)
        #expect(auto.choice(for: try SearchSpace((1...20).map { .float("x\($0)", 0...1) })).choice == .gp)
        #expect(auto.summary(for: numeric).hasPrefix("sampler auto: gp"))
    }

    @Test func switchesToTPEPastTheTrialLimitOrWhenMostTrialsArePruned() throws {
        let space = try SearchSpace([.float("x", 0...1)])
        let auto = AutoSampler(gpTrialLimit: 30)
        func request(complete: Int, pruned: Int) -> SamplingRequest {
            let history = (0..<complete).map { trial($0, .complete) } + (complete..<(complete + pruned)).map { trial($0, .pruned) }
            return SamplingRequest(space: space, direction: .minimize, seed: 1, trialNumber: complete + pruned, history: history)
        }
        #expect(auto.choice(for: request(complete: 29, pruned: 0)) == .gp)
        #expect(auto.choice(for: request(complete: 30, pruned: 0)) == .tpe)
        #expect(auto.choice(for: request(complete: 12, pruned: 11)) == .gp)
        #expect(auto.choice(for: request(complete: 12, pruned: 12)) == .tpe)
    }

    @Test func proposesWhatTheChosenSamplerProposes() throws {
        let space = try SearchSpace([.float("x", 0...1), .float("y", 0...1)])
        var random = SeededRandom(seed: 3, trial: 0)
        let history = (0..<15).map { number -> TrialRecord in
            var record = TrialRecord(id: Int64(number), number: number, state: .complete)
            let (x, y) = (random.uniform(), random.uniform())
            record.params = ["x": .double(x), "y": .double(y)]
            record.value = (x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)
            return record
        }
        let request = SamplingRequest(space: space, direction: .minimize, seed: 4, trialNumber: 15, history: history)
        #expect(try AutoSampler().sample(request) == GPSampler().sample(request))
        #expect(try AutoSampler(gpTrialLimit: 10).sample(request) == TPESampler().sample(request))
    }
}
