import Foundation
import Testing
@testable import Tuning

@Suite struct SearchSpaceTests {
    static let space = try! SearchSpace {
        Parameter.float("lr", 1e-5...1e-1, log: true)
        Parameter.int("units", 16...256, step: 16)
        Parameter.categorical("optimizer", ["sgd", "adam"])
        Parameter.float("momentum", 0...0.99).when("optimizer", is: "sgd")
        Parameter.fixed("epochs", 20)
    }

    @Test func unitMappingCoversTheBoundsAndRespectsSteps() {
        let lr = Self.space["lr"]!.distribution
        #expect(abs(lr.value(fromUnit: 0).doubleValue! - 1e-5) < 1e-12)
        #expect(abs(lr.value(fromUnit: 0.5).doubleValue! - 1e-3) < 1e-9)
        #expect(abs(lr.value(fromUnit: 1).doubleValue! - 1e-1) < 1e-9)
        let units = Self.space["units"]!.distribution
        let drawn = Set((0..<1000).map { units.value(fromUnit: Double($0) / 1000).intValue! })
        #expect(drawn == Set(stride(from: 16, through: 256, by: 16)))
        let optimizer = Self.space["optimizer"]!.distribution
        #expect(optimizer.value(fromUnit: 0.49) == "sgd")
        #expect(optimizer.value(fromUnit: 0.5) == "adam")
        #expect(optimizer.value(fromUnit: 1.0) == "adam")
    }

    @Test func logIntegersReachBothEnds() {
        let distribution = Distribution.int(low: 1, high: 1024, log: true)
        let values = (0...1000).map { distribution.value(fromUnit: Double($0) / 1000).intValue! }
        #expect(values.min() == 1)
        #expect(values.max() == 1024)
    }

    @Test func conditionalParameterExistsOnlyUnderItsParentValue() {
        let sgd = Self.space.configuration { parameter, _ in
            parameter.name == "optimizer" ? "sgd" : parameter.distribution.value(fromUnit: 0.5)
        }
        #expect(sgd["momentum"] != nil)
        #expect(sgd["epochs"] == 20)
        let adam = Self.space.configuration { parameter, _ in
            parameter.name == "optimizer" ? "adam" : parameter.distribution.value(fromUnit: 0.5)
        }
        #expect(adam["momentum"] == nil)
        #expect(adam.count == 4)
    }

    @Test func validatedConfigurationsAreCanonicalAndChecked() throws {
        let canonical = try Self.space.validated(
            ["lr": 0.01, "units": 64.0, "optimizer": "adam", "epochs": 20])
        #expect(canonical["units"] == .int(64))
        #expect(throws: TuningError.invalidConfiguration(parameter: "momentum", reason: "given, but its condition on 'optimizer' does not hold")) {
            try Self.space.validated(["lr": 0.01, "units": 64, "optimizer": "adam", "momentum": 0.5, "epochs": 20])
        }
        #expect(throws: TuningError.self) { try Self.space.validated(["lr": 0.01, "units": 65, "optimizer": "adam", "epochs": 20]) }
        #expect(throws: TuningError.self) { try Self.space.validated(["lr": 0.01, "optimizer": "adam", "epochs": 20]) }
        #expect(throws: TuningError.self) { try Self.space.validated(["bogus": 1]) }
        #expect(try Self.space.validated(["lr": 0.01], partial: true).count == 1)
    }

    @Test(arguments: [
        (Parameter.float("a", 1...1), "a"),
        (Parameter.float("b", 0...1, log: true), "b"),
        (Parameter.int("c", 0...10, step: 3), "c"),
        (Parameter.int("d", 0...10, log: true), "d"),
        (Parameter.categorical("e", []), "e"),
        (Parameter.categorical("f", ["x", "x"]), "f"),
        (Parameter.float("g", 0...1, step: 0.3), "g"),
    ])
    func invalidDistributionsNameTheParameter(parameter: Parameter, name: String) {
        do {
            _ = try SearchSpace([parameter])
            Issue.record("\(parameter) was accepted")
        } catch let TuningError.invalidSpace(named, _) {
            #expect(named == name)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func invalidConditionsNameTheChild() {
        let cases: [[Parameter]] = [
            [Parameter.float("m", 0...1).when("opt", is: "sgd"), .categorical("opt", ["sgd"])],
            [Parameter.float("x", 0...1), Parameter.float("m", 0...1).when("x", is: 1)],
            [Parameter.categorical("opt", ["sgd"]), Parameter.float("m", 0...1).when("opt", is: "adam")],
            [Parameter.float("m", 0...1), Parameter.float("m", 0...2)],
        ]
        for parameters in cases {
            #expect(throws: TuningError.self) { try SearchSpace(parameters) }
            do { _ = try SearchSpace(parameters) } catch let TuningError.invalidSpace(named, _) {
                #expect(named == "m")
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func gridValuesEnumerateEveryDiscreteValue() {
        #expect(Distribution.int(low: 0, high: 10, step: 5).gridValues(floatPoints: 3) == [0, 5, 10])
        #expect(Distribution.float(low: 0, high: 1).gridValues(floatPoints: 3) == [0.0, 0.5, 1.0])
        #expect(Distribution.float(low: 0, high: 1, step: 0.25).gridValues(floatPoints: 3).count == 5)
        let log = Distribution.float(low: 1e-4, high: 1, log: true).gridValues(floatPoints: 5)
        #expect(log.map { ($0.doubleValue! * 1e4).rounded() } == [1, 10, 100, 1000, 10000])
    }

    @Test func spaceSurvivesAJSONRoundTrip() throws {
        let data = try JSONEncoder().encode(Self.space)
        #expect(try JSONDecoder().decode(SearchSpace.self, from: data) == Self.space)
    }
}
