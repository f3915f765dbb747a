import Backend

/// Every parity case, by op family: each family's list lives in `<Family>/<Family>Catalog.swift`
/// beside the Double references it checks against.
public enum ParityCatalog {
    /// The GEMM paths to check on `device`: CLBlast and the own kernel on an OpenCL device, the
    /// device's own GEMM otherwise.
    public static func gemmPaths(for device: any Device) -> [GemmPath?] {
        device.kind == .opencl ? [.clblast, .kernel] : [nil]
    }

    /// Every case for `device`, family by family.
    public static func cases(for device: any Device) -> [ParityCase] {
        elementwise + reduction + gemmPaths(for: device).flatMap(gemm) + random + optimizer + loss + pool + convolution
    }
}
