import Foundation
import Testing
import Training

@Suite struct SafeTensorsTests {
    /// Arrays whose values the Python check below computes the same way.
    static func arrays() throws -> [NamedArray] {
        [
            try NamedArray(name: "dense1.weight", shape: [2, 3], values: (0..<6).map { Float($0) * 0.5 - 1 }),
            try NamedArray(name: "odd \"name\"\\ü", shape: [3], values: [1e-3, -2.5, 1e30]),
            try NamedArray(name: "step", shape: [], values: [7]),
            try NamedArray(name: "empty", shape: [0, 4], values: []),
        ]
    }

    static let metadata = ["format": "pt", "epoch": "3"]

    @Test func theLayoutFollowsTheSpecification() throws {
        let bytes = try SafeTensors.encode([try NamedArray(name: "a", shape: [1], values: [1])])
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        #expect(Array(bytes[0..<8]) == [UInt8(padded.utf8.count), 0, 0, 0, 0, 0, 0, 0])
        #expect(String(decoding: bytes[8..<(8 + padded.utf8.count)], as: UTF8.self) == padded)
        #expect(Array(bytes.suffix(4)) == [0x00, 0x00, 0x80, 0x3F])
        #expect(bytes.count % 4 == 0 && (8 + padded.utf8.count) % 8 == 0)
    }

    @Test func writesAndReadsBackNamesShapesValuesAndMetadata() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("model.safetensors")
        try SafeTensors.write(try Self.arrays(), metadata: Self.metadata, to: url)
        let file = try SafeTensors.read(url)
        #expect(file.arrays == (try Self.arrays()))
        #expect(file.metadata == Self.metadata)
        #expect(file["step"]?.values == [7])
        // Only the checkpoint is left in the folder: the temporary file was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["model.safetensors"])
        // Writing again replaces the file.
        try SafeTensors.write([try NamedArray(name: "x", shape: [1], values: [2])], to: url)
        #expect(try SafeTensors.read(url).arrays.map(\.name) == ["x"])
    }

    @Test func badNamesAreRefused() throws {
        let a = try NamedArray(name: "a", shape: [1], values: [1])
        #expect(throws: DataError.self) { try SafeTensors.encode([a, a]) }
        #expect(throws: DataError.self) { try SafeTensors.encode([try NamedArray(name: "__metadata__", shape: [1], values: [1])]) }
        #expect(throws: DataError.self) { try NamedArray(name: "b", shape: [2, 2], values: [1]) }
    }

    /// A safetensors file with `header` (padded) and `data` bytes.
    func file(header: String, data: [UInt8]) -> [UInt8] {
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 32, count: (8 - headerBytes.count % 8) % 8)
        return withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian, Array.init) + headerBytes + data
    }

    @Test(arguments: [
        (#"{"a":{"dtype":"C64","shape":[2],"data_offsets":[0,4]}}"#, 4, "tensor 'a' has dtype C64; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4, "tensor 'a' of shape [2] needs 8 bytes, its data_offsets [0, 4] give 4"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "tensor 'a' starts at data byte 4, expected 0 (a gap or an overlap)"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8, "the tensors cover 4 data bytes, the file holds 8"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 2, "tensor 'a' ends at data byte 4, past the end of the data (2 bytes)"),
        (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "tensor 'a' has no valid shape"),
        (#"{"a":{"dtype":"F32","shape":[1]}}"#, 4, "tensor 'a' has no valid data_offsets [begin, end]"),
        (#"{"__metadata__":{"k":1}}"#, 0, "__metadata__ must map strings to strings"),
        (#"{"a":1"#, 0, "the header is not a JSON object"),
        (#"[1,2]"#, 0, "the header is not a JSON object"),
    ])
    func malformedHeadersAreExplained(header: String, dataBytes: Int, message: String) {
        let bytes = file(header: header, data: [UInt8](repeating: 0, count: dataBytes))
        #expect(throws: DataError.malformed(file: "m.safetensors", line: nil, column: nil, detail: message)) {
            try SafeTensors.decode(bytes, file: "m.safetensors")
        }
    }

    @Test func truncatedFilesAreExplained() throws {
        #expect(throws: DataError.malformed(file: "t", line: nil, column: nil, detail: "5 bytes is too short for a safetensors file")) {
            try SafeTensors.decode([1, 2, 3, 4, 5], file: "t")
        }
        let bytes = try SafeTensors.encode(try Self.arrays())
        #expect(throws: DataError.self) { try SafeTensors.decode(Array(bytes.prefix(20)), file: "t") }
        #expect(throws: DataError.self) { try SafeTensors.decode(Array(bytes.dropLast()), file: "t") }
        #expect(throws: DataError.self) { try SafeTensors.read(URL(fileURLWithPath: "/nonexistent/m.safetensors")) }
    }

    /// Whether `python3` with numpy runs here.
    static let pythonWithNumPy: Bool = (try? Python.run(["-c", "import numpy"])) == 0

    @Test(.enabled(if: pythonWithNumPy, "needs python3 with numpy"))
    func bytesEqualWhatPythonBuildsFromTheSpecification() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("check.safetensors")
        try SafeTensors.write(try Self.arrays(), metadata: Self.metadata, to: url)
        let script = """
            import json, struct, sys
            import numpy as np
            arrays = [
                ("dense1.weight", [2, 3], np.arange(6, dtype=np.float32) * np.float32(0.5) - np.float32(1)),
                ('odd "name"\\\\\\u00fc', [3], np.array([1e-3, -2.5, 1e30], dtype=np.float32)),
                ("step", [], np.array([7], dtype=np.float32)),
                ("empty", [0, 4], np.zeros(0, dtype=np.float32)),
            ]
            header = {"__metadata__": {"epoch": "3", "format": "pt"}}
            offset = 0
            for name, shape, values in arrays:
                size = values.size * 4
                header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + size]}
                offset += size
            text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            text += b" " * ((8 - len(text) % 8) % 8)
            expected = struct.pack("<Q", len(text)) + text + b"".join(v.astype("<f4").tobytes() for _, _, v in arrays)
            actual = open(sys.argv[1], "rb").read()
            if actual != expected:
                sys.exit("differs:\\n%r\\n%r" % (actual[:200], expected[:200]))
            """
        #expect(try Python.run(["-c", script, url.path]) == 0)
    }
}

/// Runs python3 with arguments and returns its exit status.
enum Python {
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
