import Foundation

/// The output tile of a Winograd convolution: F(2×2, 3×3) computes each 2×2 block of outputs
/// from a 4×4 patch in 16 positions, F(4×4, 3×3) each 4×4 block from a 6×6 patch in 36.
enum WinogradTile: Int, Sendable, CaseIterable {
    case two = 2
    case four = 4

    /// Outputs down and across one tile.
    var outputSize: Int { rawValue }

    /// Transformed values per tile and channel (the GEMMs a convolution runs).
    var positions: Int { (rawValue + 2) * (rawValue + 2) }
}

extension CPUDevice {
    /// The tile the environment forces: `SWIFTTUNE_CPU_WINOGRAD_TILE=2` or `=4` (to compare the
    /// two), else nil (each convolution takes the cheaper, `winogradTile(for:)`).
    static let winogradTileSetting = ProcessInfo.processInfo.environment["SWIFTTUNE_CPU_WINOGRAD_TILE"]
        .flatMap(Int.init).flatMap(WinogradTile.init(rawValue:))

    /// Replaces the chosen tile while bound (tests run both).
    @TaskLocal static var winogradTileOverride: WinogradTile?

    /// What transforming the weight costs, in tiles of a batch: each position's weight transform
    /// writes a `K × C` matrix, as a GEMM does for every `C` columns of transformed input.
    static let winogradWeightTransformTiles = 8

    /// The tile for `shape` (its own `tile` ignored): `winogradTileOverride` if bound, else
    /// `winogradTileSetting` if set, else `cheaperWinogradTile(for:)`.
    static func winogradTile(for shape: WinogradShape) -> WinogradTile {
        winogradTileOverride ?? winogradTileSetting ?? cheaperWinogradTile(for: shape)
    }

    /// The tile with fewer transformed values for `shape`'s batch (positions × tiles, plus the
    /// weight's `winogradWeightTransformTiles`); F(2×2, 3×3) on a tie, as it rounds less. The
    /// GEMMs' work and the transforms' traffic both follow that count: at batch 64, F(4×4) wins
    /// from 3×3 outputs up, unless its tiles would be mostly cut off (5×5 and 6×6 outputs).
    static func cheaperWinogradTile(for shape: WinogradShape) -> WinogradTile {
        func cost(_ tile: WinogradTile) -> Int {
            var tiled = shape
            tiled.tile = tile
            return tile.positions * (shape.batch * tiled.tilesPerImage + winogradWeightTransformTiles)
        }
        return cost(.four) < cost(.two) ? .four : .two
    }
}

extension WinogradShape {
    /// The forward convolution of `plan` (and its weight gradient), in the tile
    /// `CPUDevice.winogradTile(for:)` picks.
    init(forward plan: ConvPlan) {
        self.init(
            batch: plan.batch, inputChannels: plan.channels, height: plan.height, width: plan.width,
            outputChannels: plan.filters, outputHeight: plan.outputHeight, outputWidth: plan.outputWidth,
            paddingHeight: plan.descriptor.paddingHeight, paddingWidth: plan.descriptor.paddingWidth)
        tile = CPUDevice.winogradTile(for: self)
    }

    /// The input gradient of `plan` as a convolution: the output gradient, padded by
    /// `2 − padding`, correlated with the flipped weight; in the tile `CPUDevice.winogradTile(for:)` picks.
    init(backwardInput plan: ConvPlan) {
        self.init(
            batch: plan.batch, inputChannels: plan.filters, height: plan.outputHeight, width: plan.outputWidth,
            outputChannels: plan.channels, outputHeight: plan.height, outputWidth: plan.width,
            paddingHeight: 2 - plan.descriptor.paddingHeight, paddingWidth: 2 - plan.descriptor.paddingWidth)
        tile = CPUDevice.winogradTile(for: self)
    }
}
