import Foundation
import Testing
@testable import Tuning

/// `swifttune tune` and `best` on a three-objective study: the auto sampler's line, the Pareto
/// set and its hypervolume.
@Suite struct MultiObjectiveCommandTests {
    @Test(.enabled(if: SwiftTuneCommand.isBuilt))
    func tunePrintsTheAutoChoiceAndBestPrintsTheHypervolume() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-mo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let space = (1...4).map { "  x\($0): {type: float, low: 0, high: 1}" }.joined(separator: "\n")
        try "name: d\nseed: 3\ndirections: [minimize, minimize, minimize]\nspace:\n\(space)\nobjective: {function: dtlz2}\n"
            .write(to: folder.appendingPathComponent("d.yaml"), atomically: true, encoding: .utf8)

        let tune = try SwiftTuneCommand.run(["tune", "d.yaml", "--storage", "sqlite:d.sqlite", "--trials", "15"], in: folder)
        #expect(tune.status == 0, "\(tune.output)")
        #expect(tune.output.contains("sampler auto: tpe (multi-objective TPE for 3 directions); nsga2 from 300 finished trials"), "\(tune.output)")

        let best = try SwiftTuneCommand.run(["best", "--storage", "d.sqlite", "--reference", "2,2,2"], in: folder)
        #expect(best.status == 0, "\(best.output)")
        #expect(best.output.hasPrefix("Pareto set: "), "\(best.output)")
        // The Pareto set's values (`--json`) give the same hypervolume as all the trials.
        let json = try SwiftTuneCommand.run(["best", "--storage", "d.sqlite", "--json"], in: folder)
        let pareto = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        let points = pareto.compactMap { (($0["user_attributes"] as? [String: Any])?["objective_values"] as? String) }
            .map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(points.count == pareto.count && points.allSatisfy { $0.count == 3 })
        let value = Pareto.hypervolume(points, reference: [2, 2, 2])
        #expect(value > 0)
        let expected = "hypervolume \(ProgressReport.format(value)) (reference point 2, 2, 2)"
        #expect(best.output.contains("\n\(expected)\n"), "\(best.output)")

        for (reference, complaint) in [("2,2", "has 2 values, but the study has 3 directions"), ("2,x,2", "'x' is not a number")] {
            let wrong = try SwiftTuneCommand.run(["best", "--storage", "d.sqlite", "--reference", reference], in: folder)
            #expect(wrong.status != 0 && wrong.output.contains(complaint), "\(wrong.output)")
        }
    }
}
