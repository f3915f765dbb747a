import Backend
import NN
import TestSupport
import Testing

/// Models as graphs: residual sums and concatenations, checked against finite differences.
@Suite struct GraphTests {
    /// input → dense a (tanh) → dense b → a + b → concat(a+b, input) → dense head.
    static func residualModel(on device: any Device) throws -> Graph {
        try Graph([
            .init("a", .layer(Dense(inputs: 4, outputs: 4, activation: .tanh, seed: 1, on: device)), inputs: ["input"]),
            .init("b", .layer(Dense(inputs: 4, outputs: 4, activation: .sigmoid, seed: 2, on: device)), inputs: ["a"]),
            .init("sum", .add, inputs: ["a", "b", "input"]),
            .init("joined", .concat, inputs: ["sum", "input"]),
            .init("head", .layer(Dense(inputs: 8, outputs: 3, seed: 3, on: device)), inputs: ["joined"]),
        ])
    }

    @Test(arguments: TestDevice.all)
    func residualSumsAndConcatenationsHaveTheirGradients(device: TestDevice) throws {
        let model = try Self.residualModel(on: device.device)
        #expect(try model.outputShape(for: [4]) == [3])
        let check = GradientCheck(forward: { try model.forward($0, tape: $1) }, parameters: model.parameters)
        try check.run(input: randomTensor([5, 4], seed: 4, on: device.device), seed: 5)
    }

    @Test(arguments: TestDevice.all)
    func imagesConcatenateAlongTheirChannels(device: TestDevice) throws {
        let model = try Graph([
            .init("wide", .layer(Conv2D(inputChannels: 2, outputChannels: 3, kernel: 3, padding: 1, activation: .tanh, seed: 6, on: device.device)),
                  inputs: ["input"]),
            .init("narrow", .layer(Conv2D(inputChannels: 2, outputChannels: 1, kernel: 1, seed: 7, on: device.device)), inputs: ["input"]),
            .init("both", .concat, inputs: ["wide", "narrow", "input"]),
        ])
        #expect(try model.outputShape(for: [2, 4, 5]) == [6, 4, 5])
        let input = try randomTensor([2, 2, 4, 5], seed: 8, on: device.device)
        let output = try model.forward(Variable(input), tape: .inference())
        let channels = try output.value.toArray()
        let alone = try input.toArray()
        // The input's channels come last in every image: channels 4 and 5 of 6.
        for image in 0..<2 {
            #expect(Array(channels[(image * 6 + 4) * 20..<(image * 6 + 6) * 20]) == Array(alone[image * 40..<(image + 1) * 40]))
        }
        let check = GradientCheck(forward: { try model.forward($0, tape: $1) }, parameters: model.parameters)
        try check.run(input: input, seed: 9)
    }

    @Test func badGraphsAreRefusedWithTheNodeNamed() throws {
        let device = CPUDevice.shared
        let dense = try Dense(inputs: 4, outputs: 4, seed: 1, on: device)
        #expect(throws: BackendError.self) { try Graph([.init("a", .layer(dense), inputs: ["later"])]) }
        #expect(throws: BackendError.self) { try Graph([.init("input", .layer(dense), inputs: ["input"])]) }
        #expect(throws: BackendError.self) { try Graph([.init("a", .add, inputs: ["input"])]) }
        #expect(throws: BackendError.self) { try Graph([.init("a", .layer(dense), inputs: ["input", "input"])]) }
        #expect(throws: BackendError.self) { try Graph([.init("a", .layer(dense), inputs: ["input"])], output: "b") }
        let mismatched = try Graph([
            .init("a", .layer(Dense(inputs: 4, outputs: 3, seed: 1, on: device)), inputs: ["input"]),
            .init("sum", .add, inputs: ["a", "input"]),
        ])
        let error = try #require(throws: BackendError.self) { try mismatched.outputShape(for: [4]) }
        #expect("\(error)".contains("'sum'"))
    }

    @Test func theSummaryListsEveryNode() throws {
        let summary = try Self.residualModel(on: CPUDevice.shared).summary(inputShape: [4])
        #expect(summary.contains("sum") && summary.contains("add") && summary.contains("a, b, input"))
        #expect(summary.contains("[8]") && summary.contains("total: 67 parameters"))
    }

    @Test func longNamesKeepTheSummaryColumnsInLine() throws {
        let device = CPUDevice.shared
        let graph = try Graph([
            .init("positional_embedding_of_the_rows", .layer(PositionalEmbedding(steps: 3, features: 4, seed: 1, on: device)), inputs: ["input"]),
            .init("s", .add, inputs: ["positional_embedding_of_the_rows", "input"]),
        ])
        let sequential = Sequential([try PositionalEmbedding(steps: 3, features: 4, seed: 1, on: device), try PositionalEmbedding(steps: 3, features: 4, seed: 2, on: device)])
        for summary in [try graph.summary(inputShape: [3, 4]), try sequential.summary(inputShape: [3, 4])] {
            let lines = summary.split(separator: "\n").map(String.init).dropLast()
            let header = try #require(lines.first)
            let parameters = try #require(header.range(of: "parameters")).lowerBound.utf16Offset(in: header)
            let shape = try #require(header.range(of: "output shape")).lowerBound.utf16Offset(in: header)
            for line in lines.dropFirst() {
                // Every row has its shape and its count right under the headings, after a space.
                #expect(Array(line)[shape - 1] == " " && Array(line)[shape] == "[", "\(summary)")
                #expect(Int(String(Array(line)[parameters...])) != nil, "\(summary)")
            }
            #expect(summary.contains("positional_embedding"))
        }
    }
}
