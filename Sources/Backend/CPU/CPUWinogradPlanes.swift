/// The zero-padded copies of input planes that the Winograd transforms read (CPUWinograd.swift,
/// CPUWinogradWeightGradient.swift): patches then never cross the input's border.
extension CPUDevice {
    /// Planes of one channel for consecutive images, each copied into a zero-padded buffer.
    struct PaddedPlanes {
        /// The first padded plane; plane `p` starts `p · planeStride` floats on.
        var base: UnsafeMutablePointer<Float>
        /// Floats from one row of a padded plane to the next.
        var rowStride: Int
        /// Floats from one padded plane to the next.
        var planeStride: Int
        /// The images of the planes, counted from the first image of the call's range.
        var images: Range<Int>
        var channel: Int
    }

    /// Calls `body` for every channel of `images` of the NCHW tensor at `source` (`channels`
    /// planes of `height × width` per image) with its planes in groups of `shape.planesPerCall`
    /// images; groups spread over cores. Each plane is copied into a `rows × columns` buffer with
    /// its row `r`, column `q` at row `top + r`, column `left + q` (what falls outside the buffer
    /// dropped) and zeros around it; the zeros are written once per task, as they are the same
    /// for every plane.
    func forEachPaddedPlanes(
        _ source: UnsafeMutablePointer<Float>, images: Range<Int>, channels: Int, height: Int, width: Int,
        rows: Int, columns: Int, top: Int, left: Int, shape: WinogradShape, _ body: (PaddedPlanes) -> Void
    ) {
        let (firstColumn, endColumn) = (max(0, left), min(columns, left + width))
        let firstRow = max(0, top)
        let filledRows = firstRow..<max(firstRow, min(rows, top + height))
        let planesPerCall = shape.planesPerCall
        let groups = (images.count + planesPerCall - 1) / planesPerCall
        let planeStride = rows * columns
        parallelFor(groups * channels, grain: max(1, 1024 / (planesPerCall * shape.tilesPerImage)), chunksPerThread: 4) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: planesPerCall * planeStride) { buffer in
                guard let padded = buffer.baseAddress else { return }
                padded.update(repeating: 0, count: planesPerCall * planeStride)
                for index in range {
                    let (group, c) = (index / channels, index % channels)
                    let first = group * planesPerCall
                    let planes = first..<min(images.count, first + planesPerCall)
                    if firstColumn < endColumn {
                        for (p, b) in planes.enumerated() {
                            let plane = source + ((images.lowerBound + b) * channels + c) * height * width
                            let target = padded + p * planeStride
                            for i in filledRows {
                                Self.copyRow(
                                    plane + (i - top) * width + firstColumn - left, target + i * columns + firstColumn,
                                    endColumn - firstColumn)
                            }
                        }
                    }
                    body(PaddedPlanes(base: padded, rowStride: columns, planeStride: planeStride, images: planes, channel: c))
                }
            }
        }
    }

    /// The C transform of one kind of tile patch (an input's or an output gradient's) for each
    /// Winograd tile: F(4×4)'s takes several images' planes of a channel per call, F(2×2)'s one.
    struct PatchTransforms {
        typealias SeveralPlanes = @convention(c) (
            UnsafePointer<Float>?, Int, Int, Int, Int, Int, UnsafeMutablePointer<Float>?, Int, Int32) -> Void
        typealias OnePlane = @convention(c) (UnsafePointer<Float>?, Int, Int, Int, UnsafeMutablePointer<Float>?, Int, Int32) -> Void
        var four: SeveralPlanes
        var two: OnePlane
    }

    /// Transforms the patches of every tile of `channels` planes of `images` of the NCHW tensor
    /// at `source` (`height × width` each), copied into `rows × columns` zero-padded planes at
    /// `top`, `left` (`forEachPaddedPlanes`), into `target`: a row per channel holding the
    /// chunk's tiles densely (`images.count · tilesPerImage`), rows of one position
    /// `channels · images.count · tilesPerImage` floats from the next position's.
    func transformPatches(
        _ source: UnsafeMutablePointer<Float>, images: Range<Int>, channels: Int, height: Int, width: Int,
        rows: Int, columns: Int, top: Int, left: Int, shape: WinogradShape,
        into target: UnsafeMutablePointer<Float>, with transforms: PatchTransforms
    ) {
        let (tileRows, tileColumns) = (shape.tileRows, shape.tileColumns)
        let tilesPerImage = shape.tilesPerImage
        let rowLength = images.count * tilesPerImage
        let positionStride = channels * rowLength
        let avx2 = Self.winogradAVX2
        forEachPaddedPlanes(
            source, images: images, channels: channels, height: height, width: width,
            rows: rows, columns: columns, top: top, left: left, shape: shape
        ) { planes in
            let first = target + planes.channel * rowLength + planes.images.lowerBound * tilesPerImage
            if shape.tile == .four {
                transforms.four(
                    planes.base, planes.rowStride, planes.planeStride, planes.images.count, tileRows, tileColumns, first,
                    positionStride, avx2)
            } else {
                for p in 0..<planes.images.count {
                    transforms.two(
                        planes.base + p * planes.planeStride, planes.rowStride, tileRows, tileColumns,
                        first + p * tilesPerImage, positionStride, avx2)
                }
            }
        }
    }

    /// `target[i] = source[i]` for `i < count`, in 8-float vectors (rows of a small plane are
    /// too short for a call to memmove to pay).
    @inline(__always)
    static func copyRow(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            VectorMath.store(VectorMath.load(source + i), target + i)
            i += 8
        }
        while i < count {
            target[i] = source[i]
            i += 1
        }
    }
}
