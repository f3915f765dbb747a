import Backend

/// Every parity case, by op family: each family's list lives in `<Family>/<Family>Catalog.swift`
/// beside the Double references it checks against.
public enum ParityCatalog {
    /// Every case for `device`, family by family; GEMM on each of the device's paths.
    public static func cases(for device: any Device) -> [ParityCase] {
        elementwise + reduction + device.gemmPaths.flatMap(gemm) + random + optimizer + loss + pool + convolution + layout
            + groupedConvolution + embedding + recurrent + normalization + layerNormalization
    }
}
