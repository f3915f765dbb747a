import Backend
import Foundation
import NN
import Testing
import TestSupport
import Training

/// State dicts that PyTorch saved for an embedding with an LSTM, a GRU or multi-head attention
/// (scripts/lib/torch_state_dicts_reference.py) load strictly by PyTorch's names and give
/// PyTorch's outputs (1e-4, relative), on every device; and export gives them back. Skipped
/// without the comparison environment.
@Suite(.enabled(if: TorchComparison.python != nil, "no PyTorch comparison environment (.venv-compare)"))
struct TorchStateDictTests {
    static let reference = Result { try SafeTensors.decode([UInt8](TorchComparison.run(script: "torch_state_dicts_reference.py"))) }

    /// The SwiftTune model of each case, its layers numbered as the script numbers its modules.
    static let models = [
        "lstm": "- embedding: {vocabulary: 10, dimension: 4}\n  - lstm: {hidden: 5}\n  - dense: 3",
        "gru": "- embedding: {vocabulary: 10, dimension: 4}\n  - gru: {hidden: 5}\n  - dense: 3",
        "attention": "- embedding: {vocabulary: 10, dimension: 4}\n  - attention: {heads: 2}\n  - sequence_pool: mean\n  - dense: 3",
    ]

    @Test(arguments: ["lstm", "gru", "attention"], TestDevice.all)
    func aPyTorchStateDictGivesPyTorchsOutput(name: String, device: TestDevice) throws {
        let file = try Self.reference.get()
        let input = try #require(file["\(name):input"])
        let expected = try #require(file["\(name):output"])
        let stateDict = try SafeTensors.decode(SafeTensors.encode(file.arrays.filter { $0.name.hasPrefix("\(name).") }))
        let yaml = "data: {dataset: digits}\nmodel:\n  \(try #require(Self.models[name]))\n"
        let model = try TrainingDescription.parse(yaml: yaml).makeModel(inputShape: [input.shape[1]], on: device.device)
        let map = PyTorchModuleMap(prefix: "\(name).")
        let report = try PyTorchWeights.load(stateDict, named: "\(name).safetensors", into: model, map: map)
        #expect(report.loaded.count == stateDict.arrays.count)
        let output = try model.forward(Variable(Tensor(input.values, shape: input.shape, on: device.device)), tape: Tape())
        #expect(output.shape == expected.shape)
        expectClose(try output.value.toArray(), expected.values, tolerance: 1e-4, "\(name) output on \(device.device.identifier)")
        let exported = try PyTorchWeights.stateDict(of: model, map: map)
        for tensor in stateDict.arrays {
            let ours = try #require(exported.first { $0.name == tensor.name }, "\(tensor.name) exported")
            #expect(ours.shape == tensor.shape && ours.values == tensor.values, "\(tensor.name)")
        }
    }
}
