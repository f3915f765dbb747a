import Foundation

/// What the host CPU is: its model, its cores and the SIMD width the CPU path uses.
public struct CPUInfo: Sendable {
    public var modelName: String
    public var cores: Int
    /// The widest vector instruction set the CPU reports (from /proc/cpuinfo on Linux).
    public var simd: String
    /// Float32 lanes in one vector of that set.
    public var simdFloatLanes: Int
    /// Whether the CPU has AVX2 and FMA (x86-64), which the CPU GEMM's SIMD kernels need there.
    public var hasAVX2AndFMA: Bool

    /// Reads the CPU's description once.
    public static let current: CPUInfo = {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = text.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "CPU"
        let flags = Set(
            text.split(separator: "\n").first { $0.hasPrefix("flags") }?
                .split(separator: " ").map(String.init) ?? [])
        let (simd, lanes): (String, Int) =
            if flags.contains("avx512f") { ("AVX-512", 16) }
            else if flags.contains("avx2") { ("AVX2+FMA", 8) }
            else if flags.contains("avx") { ("AVX", 8) }
            else if flags.contains("sse2") { ("SSE2", 4) }
            else { ("NEON/scalar", 4) }
        return CPUInfo(
            modelName: model, cores: ProcessInfo.processInfo.activeProcessorCount,
            simd: simd, simdFloatLanes: lanes,
            hasAVX2AndFMA: flags.contains("avx2") && flags.contains("fma"))
    }()
}
