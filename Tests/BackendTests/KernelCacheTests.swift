@testable import Backend
import Foundation
import Testing
import TestSupport

/// Damaged files in the kernel binary cache: found before the driver sees them, removed with a
/// one-line warning that names the file, and replaced by a fresh build.
@Suite struct KernelCacheTests {
    static let binary: [UInt8] = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }

    @Test func anEntryReadsBackItsBinary() throws {
        let file = ProgramCacheEntry.encode(Self.binary, key: "gemm-1.bin")
        #expect(file.count == ProgramCacheEntry.headerBytes + Self.binary.count)
        #expect(try ProgramCacheEntry.binary(from: file, key: "gemm-1.bin") == Self.binary)
    }

    @Test func damagedEntriesSayWhatIsWrong() {
        let file = ProgramCacheEntry.encode(Self.binary, key: "gemm-1.bin")
        func damage(_ bytes: [UInt8], key: String = "gemm-1.bin") -> ProgramCacheEntry.Damage? {
            do {
                _ = try ProgramCacheEntry.binary(from: bytes, key: key)
                return nil
            } catch {
                return error
            }
        }
        #expect(damage(Array(file.prefix(700))) == .truncated(expected: 1000, found: 668))
        #expect(damage(Array(file.prefix(20))) == .truncatedHeader(found: 20))
        #expect(damage(Array(file.prefix(3))) == .notSwiftTune)
        #expect(damage(Self.binary) == .notSwiftTune)
        #expect(damage(file, key: "gemm-2.bin") == .otherKey)
        #expect(damage(file + [0, 0]) == .trailingBytes(count: 2))
        var flipped = file
        flipped[500] ^= 0x10
        #expect(damage(flipped) == .checksumMismatch)
        #expect("\(ProgramCacheEntry.Damage.truncated(expected: 1000, found: 668))" == "it is truncated (its binary has 668 of 1000 bytes)")
    }

    /// The warnings a cache gave.
    final class Warnings: @unchecked Sendable {
        private var lines: [String] = []
        private let lock = NSLock()
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    /// Damages the one cache file of a fresh folder in each way, then checks that a new device
    /// warns once, builds from source, still computes, and leaves a good file that the next
    /// device loads.
    @Test(arguments: TestDevice.openCL)
    func aDamagedBinaryIsRemovedRebuiltAndNamed(device: TestDevice) throws {
        let openCL = try #require(device.device as? OpenCLDevice)
        let handle = try #require(try OpenCLRuntime.handles().first { $0.info.index == openCL.info.index })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swifttune-kernels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let values = randomValues(600, seed: 5)
        func run(_ warnings: Warnings) throws -> (OpenCLDevice, Float) {
            let fresh = try OpenCLDevice(handle: handle, programCache: ProgramCache(folder: folder) { warnings.add($0) })
            return (fresh, try Tensor(values, shape: [20, 30], on: fresh).softmax(axis: 1).sum().item())
        }
        let (_, expected) = try run(Warnings())
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
        let file = folder.appendingPathComponent(name)
        let good = try [UInt8](Data(contentsOf: file))

        let damaged: [(String, [UInt8])] = [
            ("truncated", Array(good.prefix(good.count / 2))),
            ("foreign", Array(good.dropFirst(ProgramCacheEntry.headerBytes))),
            ("one bit flipped", good.enumerated().map { $0.offset == good.count - 10 ? $0.element ^ 1 : $0.element }),
        ]
        for (damage, bytes) in damaged {
            try Data(bytes).write(to: file)
            let warnings = Warnings()
            let (rebuilt, result) = try run(warnings)
            #expect(result == expected, "\(damage)")
            #expect(rebuilt.programs.sourceBuilds == 1 && rebuilt.programs.binaryLoads == 0, "\(damage)")
            #expect(warnings.all.count == 1, "\(damage): \(warnings.all)")
            let warning = warnings.all.first ?? ""
            #expect(warning.hasPrefix("swifttune: warning: removed kernel cache file \(file.path): "), "\(damage): \(warning)")
            #expect(!warning.contains("\n"))
            // The rebuilt binary replaced the damaged file: the next start loads it, silently.
            let quiet = Warnings()
            let (reloaded, _) = try run(quiet)
            #expect(reloaded.programs.binaryLoads == 1 && reloaded.programs.sourceBuilds == 0, "\(damage)")
            #expect(quiet.all.isEmpty)
        }
    }
}
