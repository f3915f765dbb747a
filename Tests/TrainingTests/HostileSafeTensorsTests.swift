import Backend
import Foundation
import NN
import Testing
import Training

/// Safetensors files made to break the reader: every one is an error that names the file and,
/// where one is to blame, the tensor; none traps.
@Suite struct HostileSafeTensorsTests {
    /// The bytes of a safetensors file: `header` padded to 8 bytes, its length before it, then `data`.
    static func file(header: String, dataBytes: Int) -> [UInt8] {
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 32, count: (8 - headerBytes.count % 8) % 8)
        return withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian, Array.init)
            + headerBytes + [UInt8](repeating: 0, count: dataBytes)
    }

    @Test(arguments: [
        // 2^62 · 4 elements: the element count overflows.
        (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, 4,
         "tensor 'a' has shape [4611686018427387904, 4], more bytes than a file can hold"),
        // 2^61 elements: the count fits, its bytes do not.
        (#"{"a":{"dtype":"F32","shape":[2305843009213693952],"data_offsets":[0,4]}}"#, 4,
         "tensor 'a' has shape [2305843009213693952], more bytes than a file can hold"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4611686018427387904]}}"#, 4,
         "tensor 'a' of shape [1] needs 4 bytes, its data_offsets [0, 4611686018427387904] give 4611686018427387904"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, 4,
         "tensor 'a' ends at data byte 8, past the end of the data (4 bytes)"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, 12,
         "tensor 'b' starts at data byte 4, expected 8 (a gap or an overlap)"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, 4, "tensor 'a' has no valid data_offsets [begin, end]"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,1e300]}}"#, 4, "tensor 'a' has no valid data_offsets [begin, end]"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]}}"#, 4,
         "tensor 'a' has no valid data_offsets [begin, end]"),
        (#"{"a":{"dtype":"F32","shape":[1e19],"data_offsets":[0,4]}}"#, 4, "tensor 'a' has no valid shape"),
        (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, 4, "tensor 'a' has no valid shape"),
        (#"{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, 1, "tensor 'a' has dtype F8_E4M3; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#, 4, "the header is not a JSON object"),
    ])
    func hostileHeadersAreErrorsNamingTheTensor(header: String, dataBytes: Int, message: String) {
        #expect(throws: DataError.malformed(file: "h.safetensors", line: nil, column: nil, detail: message)) {
            try SafeTensors.decode(Self.file(header: header, dataBytes: dataBytes), file: "h.safetensors")
        }
    }

    @Test func aHeaderLengthPastTheFileIsAnError() {
        var bytes = Self.file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataBytes: 4)
        for index in 0..<8 { bytes[index] = 0xFF }
        #expect(throws: DataError.malformed(
            file: "l.safetensors", line: nil, column: nil,
            detail: "header length 18446744073709551615 exceeds the file (68 bytes) or the 100000000-byte limit")
        ) {
            try SafeTensors.decode(bytes, file: "l.safetensors")
        }
    }

    @Test func errorsFromAFileNameItsPath() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(
            Self.file(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, dataBytes: 4),
            to: "huge.safetensors")
        do {
            _ = try SafeTensors.read(url)
            Issue.record("a shape of 2^64 elements was read")
        } catch {
            #expect("\(error)".hasPrefix(url.path + ": tensor 'w' has shape"))
        }
    }

    /// A one-layer model and a weights file for it whose `poisoned` tensor holds `value` at element 1.
    static func weightsFile(poisoning poisoned: String, with value: Float, in folder: TemporaryFolder) throws -> (Sequential, URL) {
        let device = CPUDevice.shared
        let model = Sequential([try Dense(inputs: 2, outputs: 2, seed: 1, on: device)])
        let url = folder.url.appendingPathComponent("weights.safetensors")
        let arrays = try ModelSnapshot(of: model).arrays.map { array in
            guard array.name == poisoned else { return array }
            var values = array.values
            values[1] = value
            return try NamedArray(name: array.name, shape: array.shape, values: values)
        }
        try SafeTensors.write(arrays, to: url)
        return (model, url)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeightsAreAnErrorNamingTheTensor(value: Float) throws {
        let folder = try TemporaryFolder()
        let (model, url) = try Self.weightsFile(poisoning: "0.dense.bias", with: value, in: folder)
        let before = try ModelSnapshot(of: model)
        #expect(throws: TrainingError.incompatibleWeights(
            file: url.path, detail: "tensor '0.dense.bias' holds \(value) at element 1; weights must be finite")
        ) {
            try ModelWeights.load(from: url, into: model, strict: false)
        }
        // Nothing was loaded, not even the finite weight matrix.
        #expect(try ModelSnapshot(of: model) == before)
    }

    @Test func aCheckpointWithNonFiniteOptimizerStateIsRefusedBeforeAnythingIsRestored() throws {
        let folder = try TemporaryFolder()
        let device = CPUDevice.shared
        let saved = try TrainingFixtures.trainer(TrainingFixtures.mlp(on: device), on: device)
        let url = folder.url.appendingPathComponent("checkpoint.safetensors")
        try saved.saveCheckpoint(to: url)
        let poisoned = "optimizer.2.dense.bias.second_moment"
        let original = try SafeTensors.read(url)
        let arrays = try original.arrays.map { array in
            array.name == poisoned ? try NamedArray(name: array.name, shape: array.shape, values: array.values.map { _ in .nan }) : array
        }
        try SafeTensors.write(arrays, metadata: original.metadata, to: url)

        let resumed = try TrainingFixtures.trainer(TrainingFixtures.mlp(seed: 99, on: device), on: device)
        let before = try ModelSnapshot(of: resumed.model)
        #expect(throws: TrainingError.incompatibleWeights(
            file: url.path, detail: "tensor '\(poisoned)' holds nan at element 0; weights must be finite")
        ) {
            try resumed.restoreCheckpoint(from: url)
        }
        #expect(try ModelSnapshot(of: resumed.model) == before)
    }
}
