import Backend
import Foundation
import NN
import Testing
@testable import Training

/// `model: {graph: [...]}`: named nodes, joins, repeated blocks, and the errors that name them.
struct GraphDescriptionTests {
    static func description(_ graph: String, overrides: [String: DescriptionValue] = [:]) throws -> TrainingDescription {
        try TrainingDescription.parse(
            yaml: "parameters: {blocks: 2}\ndata: {dataset: digits, image_shape: [1, 8, 8]}\nmodel:\n  graph:\n" + graph,
            file: "g.yaml", overrides: overrides)
    }

    static let residual = """
            - stem: {conv2d: {filters: 4, kernel: 3, padding: 1}}
            - res:
                repeat: $blocks
                nodes:
                  - conv: {conv2d: {filters: 4, kernel: 3, padding: 1}}
                  - sum: {add: [input, conv]}
            - side: {conv2d: {filters: 2, kernel: 1}, input: stem}
            - both: {concat: [res, side]}
            - pool: globalavgpool2d
            - head: {dense: 10}

        """

    @Test func blocksRepeatWithEachRepetitionReadingTheLast() throws {
        guard case let .graph(nodes) = try Self.description(Self.residual).model else {
            Issue.record("expected a graph")
            return
        }
        #expect(nodes.map(\.name) == ["stem", "res1_conv", "res1_sum", "res2_conv", "res2_sum", "side", "both", "pool", "head"])
        #expect(nodes.map(\.inputs) == [
            ["input"], ["stem"], ["stem", "res1_conv"], ["res1_sum"], ["res1_sum", "res2_conv"], ["stem"],
            ["res2_sum", "side"], ["both"], ["pool"],
        ])
        let deeper = try Self.description(Self.residual, overrides: ["blocks": .int(4)])
        #expect(deeper.model.layers.count == 8)
    }

    @Test func aDescribedGraphBuildsTrainsAndNamesItsWeightsByNode() throws {
        let description = try Self.description(Self.residual)
        let model = try TrainingRun.buildModel(description, inputShape: [1, 8, 8], on: CPUDevice.shared)
        #expect(try model.outputShape(for: [1, 8, 8]) == [10])
        #expect(model.namedParameters.map(\.name).prefix(4) == ["stem.weight", "stem.bias", "res1_conv.weight", "res1_conv.bias"])
        let summary = try model.summary(inputShape: [1, 8, 8])
        #expect(summary.contains("both") && summary.contains("concat") && summary.contains("[6, 8, 8]"))
    }

    @Test func mistakesNameTheirNodeAndLine() throws {
        func message(_ graph: String) -> String {
            do {
                let description = try Self.description(graph)
                _ = try TrainingRun.buildModel(description, inputShape: [1, 8, 8], on: CPUDevice.shared)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("    - a: {add: [input, later]}\n").contains("no node 'later' comes before this one"))
        #expect(message("    - a: {dense: 3}\n    - a: {dense: 3}\n").contains("'a' cannot name a node"))
        #expect(message("    - a: {add: [input]}\n").contains("add needs two or more inputs"))
        #expect(message("    - b: {repeat: 0, nodes: [{c: flatten}]}\n").contains("0 must be at least 1"))
        let mismatch = message("    - c: {conv2d: {filters: 3, kernel: 1}}\n    - s: {add: [input, c]}\n")
        #expect(mismatch.contains("g.yaml:6") && mismatch.contains("model.graph[1].s") && mismatch.contains("adds inputs of shapes"))
        #expect(message("    - a: {dense: 3, conv2d: {filters: 1, kernel: 1}}\n").contains("expected a layer"))
    }
}
