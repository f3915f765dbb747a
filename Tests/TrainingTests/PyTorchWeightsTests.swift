import Backend
import Foundation
import NN
import Testing
import TestSupport
import Training

/// PyTorch state dicts into and out of SwiftTune models: names, layouts, and errors that list
/// every tensor that does not fit.
struct PyTorchWeightsTests {
    /// A small model named as PyTorch's `features.0` (conv), `features.1` (batch norm), ...,
    /// `classifier.0` (linear).
    static let yaml = """
        data: {dataset: digits, image_shape: [1, 8, 8]}
        model:
          graph:
            - features_0: {conv2d: {filters: 2, kernel: 3, padding: 1}}
            - features_1: batchnorm
            - features_2: {activation: relu}
            - features_3: {maxpool2d: 2}
            - flatten: flatten
            - classifier_0: {dense: 3}

        """

    static func model(seed: Int = 0, on device: any Device, yaml: String = yaml) throws -> any LayerContainer {
        try TrainingDescription.parse(yaml: "seed: \(seed)\n" + yaml).makeModel(inputShape: [1, 8, 8], on: device)
    }

    static let torchNames = [
        "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "classifier.0.weight", "classifier.0.bias",
        "features.1.running_mean", "features.1.running_var",
    ]

    /// PyTorch's state dict of the model: every tensor's values count up from `start`.
    static func stateDict(start: Float = 1) throws -> [NamedArray] {
        let shapes: [(String, [Int])] = [
            ("features.0.weight", [2, 1, 3, 3]), ("features.0.bias", [2]), ("features.1.weight", [2]), ("features.1.bias", [2]),
            ("features.1.running_mean", [2]), ("features.1.running_var", [2]), ("classifier.0.weight", [3, 32]),
            ("classifier.0.bias", [3]),
        ]
        return try shapes.map { name, shape in
            try NamedArray(name: name, shape: shape, values: (0..<shape.reduce(1, *)).map { start + Float($0) / 64 })
        }
    }

    static func file(_ arrays: [NamedArray]) throws -> SafeTensorsFile {
        try SafeTensors.decode(SafeTensors.encode(arrays))
    }

    @Test(arguments: TestDevice.all)
    func aStateDictLoadsWithLinearWeightsTransposed(device: TestDevice) throws {
        let model = try Self.model(on: device.device)
        let report = try PyTorchWeights.load(Self.file(Self.stateDict()), named: "t.safetensors", into: model)
        #expect(report.missing.isEmpty && report.unexpected.isEmpty && report.loaded.count == 8)
        let byName = Dictionary(uniqueKeysWithValues: model.namedState.map { ($0.name, $0.variable) })
        let torchLinear = try #require(try Self.stateDict().first { $0.name == "classifier.0.weight" })
        let dense = try #require(byName["classifier_0.weight"])
        #expect(dense.shape == [32, 3])
        let values = try dense.value.toArray()
        // SwiftTune's [in, out] element (i, o) is PyTorch's [out, in] element (o, i).
        for (input, output) in [(0, 0), (5, 2), (31, 1)] {
            #expect(values[input * 3 + output] == torchLinear.values[output * 32 + input])
        }
        #expect(try byName["features_1.gamma"]?.value.toArray() == Self.stateDict().first { $0.name == "features.1.weight" }?.values)
        #expect(try byName["features_1.running_var"]?.value.toArray() == Self.stateDict().first { $0.name == "features.1.running_var" }?.values)
    }

    @Test(arguments: TestDevice.all)
    func anExportLoadsBackUnderPyTorchsNames(device: TestDevice) throws {
        let trained = try Self.model(seed: 1, on: device.device)
        let exported = try PyTorchWeights.stateDict(of: trained)
        #expect(Set(exported.map(\.name)) == Set(Self.torchNames))
        #expect(exported.first { $0.name == "classifier.0.weight" }?.shape == [3, 32])
        let fresh = try Self.model(seed: 2, on: device.device)
        try PyTorchWeights.load(Self.file(exported), named: "e.safetensors", into: fresh)
        for (ours, theirs) in zip(trained.namedState, fresh.namedState) {
            #expect(try ours.variable.value.toArray() == theirs.variable.value.toArray(), "\(ours.name)")
        }
    }

    @Test func everyTensorThatDoesNotFitIsListedWithBothNames() throws {
        var arrays = try Self.stateDict().filter { $0.name != "features.0.bias" && $0.name != "features.1.running_var" }
        arrays = try arrays.map { $0.name == "classifier.0.weight" ? try NamedArray(name: $0.name, shape: [32, 3], values: $0.values) : $0 }
        arrays.append(try NamedArray(name: "classifier.1.weight", shape: [2], values: [0, 0]))
        arrays.append(try NamedArray(name: "features.1.num_batches_tracked", shape: [], values: [3]))
        let model = try Self.model(on: CPUDevice.shared)
        let before = try model.namedState.map { try $0.variable.value.toArray() }
        do {
            try PyTorchWeights.load(Self.file(arrays), named: "bad.safetensors", into: model)
            Issue.record("expected an error")
        } catch let TrainingError.incompatibleWeights(file, detail) {
            #expect(file == "bad.safetensors")
            #expect(detail.contains("(2 missing, 1 of another shape, 1 extra)"))
            #expect(detail.contains("missing: SwiftTune 'features_0.bias' [2] reads PyTorch 'features.0.bias' [2]"))
            #expect(detail.contains("missing: SwiftTune 'features_1.running_var' [2] reads PyTorch 'features.1.running_var' [2]"))
            #expect(detail.contains("shape: PyTorch 'classifier.0.weight' has shape [32, 3]; SwiftTune 'classifier_0.weight' [32, 3] needs [3, 32]"))
            #expect(detail.contains("extra: PyTorch 'classifier.1.weight' [2]"))
            #expect(!detail.contains("num_batches_tracked"))
        }
        // Nothing was loaded.
        #expect(try model.namedState.map { try $0.variable.value.toArray() } == before)
        // Without strict, what fits is loaded and the rest reported.
        let report = try PyTorchWeights.load(Self.file(arrays), named: "bad.safetensors", into: model, strict: false)
        #expect(report.missing == ["features_0.bias", "features_1.running_var"])
        #expect(report.unexpected == ["classifier.1.weight"])
        #expect(report.mismatched.count == 1 && report.loaded.count == 5)
    }

    @Test func aStateDictCanBeRenamedForALoaderThatMatchesSwiftTuneNames() throws {
        let model = try Self.model(on: CPUDevice.shared)
        var arrays = try Self.stateDict()
        arrays.append(try NamedArray(name: "features.1.num_batches_tracked", shape: [], values: [3]))
        arrays.append(try NamedArray(name: "head.weight", shape: [2], values: [1, 2]))
        let renamed = try PyTorchWeights.swiftTuneArrays(Self.file(arrays), for: model)
        #expect(Set(renamed.map(\.name)) == Set(model.namedState.map(\.name) + ["head.weight"]))
        let dense = try #require(renamed.first { $0.name == "classifier_0.weight" })
        #expect(dense.shape == [32, 3])
        // Loading the renamed arrays by SwiftTune name gives what the PyTorch loader gives.
        let direct = try Self.model(seed: 3, on: CPUDevice.shared)
        try PyTorchWeights.load(Self.file(Self.stateDict()), named: "t", into: direct)
        for named in direct.namedState {
            #expect(try named.variable.value.toArray() == renamed.first { $0.name == named.name }?.values, "\(named.name)")
        }
    }

    @Test func aMapAndAPrefixRenameModules() throws {
        let model = try Self.model(on: CPUDevice.shared)
        let map = PyTorchModuleMap(modules: ["classifier_0": "fc", "features_1": "bn"], prefix: "net.")
        let names = try PyTorchWeights.stateDict(of: model, map: map).map(\.name)
        #expect(names.contains("net.fc.weight") && names.contains("net.bn.running_mean") && names.contains("net.features.0.bias"))
        #expect(throws: TrainingError.self) { try PyTorchWeights.stateDict(of: model, map: PyTorchModuleMap(modules: ["head": "fc"])) }
        // Two layers on one module is an error naming both.
        do {
            _ = try PyTorchWeights.stateDict(of: model, map: PyTorchModuleMap(modules: ["features_0": "x", "classifier_0": "x"]))
            Issue.record("expected an error")
        } catch let TrainingError.invalidArgument(_, detail) {
            #expect(detail.contains("'features_0.weight' and 'classifier_0.weight' both map to PyTorch's 'x.weight'"))
        }
    }

    @Test func aListModelIsAnNNSequentialByIndex() throws {
        let list = """
            data: {dataset: digits, image_shape: [1, 8, 8]}
            model:
              - conv2d: {filters: 2, kernel: 3}
              - flatten
              - dense: 4
            """
        let names = try PyTorchWeights.stateDict(of: Self.model(on: CPUDevice.shared, yaml: list)).map(\.name)
        #expect(names == ["0.weight", "0.bias", "2.weight", "2.bias"])
    }

    @Test func initInTheDescriptionLoadsAPyTorchFile() throws {
        let folder = try TemporaryFolder()
        try SafeTensors.write(Self.stateDict(), to: folder.url.appendingPathComponent("torch.safetensors"))
        let description = try TrainingDescription.parse(
            yaml: Self.yaml + "init: {weights: torch.safetensors, format: pytorch, strict: true}\n", baseFolder: folder.url)
        #expect(description.transfer.initialWeights?.format == .pytorch)
        let run = try TrainingRun(description, device: CPUDevice.shared)
        #expect(run.transfer.initialWeights?.loaded.count == 8)
        #expect(throws: DescriptionError.self) {
            try TrainingDescription.parse(yaml: Self.yaml + "init: {weights: w.safetensors, map: {a: b}}\n")
        }
    }

    @Test func aStrictPyTorchInitNamesBothSidesAndExcludedLayersMayBeMissing() throws {
        let folder = try TemporaryFolder()
        let withoutHead = try Self.stateDict().filter { !$0.name.hasPrefix("classifier.") }
        try SafeTensors.write(withoutHead, to: folder.url.appendingPathComponent("torch.safetensors"))
        let strict = try TrainingDescription.parse(
            yaml: Self.yaml + "init: {weights: torch.safetensors, format: pytorch}\n", baseFolder: folder.url)
        do {
            _ = try TrainingRun(strict, device: CPUDevice.shared)
            Issue.record("a state dict without the head loaded strictly")
        } catch {
            let message = "\(error)"
            #expect(message.contains("init.weights"))
            #expect(message.contains("missing: SwiftTune 'classifier_0.weight' [32, 3] reads PyTorch 'classifier.0.weight' [3, 32]"))
        }
        let excluded = try TrainingDescription.parse(
            yaml: Self.yaml + "init: {weights: torch.safetensors, format: pytorch, exclude: classifier_0}\n", baseFolder: folder.url)
        let run = try TrainingRun(excluded, device: CPUDevice.shared)
        #expect(run.transfer.initialWeights?.loaded.count == 6)
    }

    @Test func otherElementTypesAreReadAsFloat() throws {
        // F16 1.5 and -2, BF16 3.0, I64 7, F64 0.25, U8 200.
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]},"#
            + #""i":{"dtype":"I64","shape":[],"data_offsets":[6,14]},"d":{"dtype":"F64","shape":[1],"data_offsets":[14,22]},"#
            + #""u":{"dtype":"U8","shape":[1],"data_offsets":[22,23]}}"#
        var data: [UInt8] = [0x00, 0x3E, 0x00, 0xC0, 0x40, 0x40]
        data += withUnsafeBytes(of: Int64(7).littleEndian, Array.init)
        data += withUnsafeBytes(of: Double(0.25).bitPattern.littleEndian, Array.init)
        data.append(200)
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 32, count: (8 - headerBytes.count % 8) % 8)
        let bytes = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian, Array.init) + headerBytes + data
        let file = try SafeTensors.decode(bytes)
        #expect(file["h"]?.values == [1.5, -2])
        #expect(file["b"]?.values == [3])
        #expect(file["i"]?.values == [7] && file["i"]?.shape == [])
        #expect(file["d"]?.values == [0.25])
        #expect(file["u"]?.values == [200])
    }

    @Test func aDescriptionResizesAndLimitsItsSamples() throws {
        let description = try TrainingDescription.parse(yaml: """
            data: {dataset: digits, image_shape: [1, 8, 8], resize: [3, 32, 32], max_samples: 40, validation: 0.25, test: 0}
            model: [flatten, dense: 10]
            """)
        let data = try description.data.prepare(seed: 0, baseFolder: URL(fileURLWithPath: "/"))
        #expect(data.train.featureShape == [3, 32, 32])
        #expect(data.train.count + (data.validation?.count ?? 0) == 40)
        #expect(throws: DescriptionError.self) {
            try TrainingDescription.parse(yaml: "data: {dataset: digits, max_samples: 0}\nmodel: [dense: 10]\n")
        }
    }

    @Test func digitsResizeTo32By32WithGrayInEveryChannel() throws {
        let image = try Dataset(
            features: (0..<4).map(Float.init), featureShape: [1, 2, 2], targets: [0], task: .classification(classNames: ["a"]))
        let resized = try image.resizedImages(to: [3, 4, 4])
        #expect(resized.featureShape == [3, 4, 4])
        let plane: [Float] = [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]
        #expect(resized.features == plane + plane + plane)
        #expect(throws: DataError.self) { try image.resizedImages(to: [2, 4]) }
    }
}
