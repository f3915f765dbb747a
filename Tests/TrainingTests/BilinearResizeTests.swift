import Testing
import Training

@Suite struct BilinearResizeTests {
    @Test func upsamplingInterpolatesBetweenPixelCentres() throws {
        // One row [0, 255] to width 4: centres at −0.25, 0.25, 0.75, 1.25 of the source (clamped).
        let image = try DecodedImage(width: 2, height: 1, channels: 1, pixels: [0, 255])
        let values = BilinearResize.planarValues(of: image, height: 1, width: 4)
        let expected: [Float] = [0, 0.25, 0.75, 1]
        #expect(zip(values, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(values)")
    }

    @Test func sameSizeKeepsValuesAndLayoutIsPlanar() throws {
        let image = try DecodedImage(width: 2, height: 1, channels: 3, pixels: [10, 20, 30, 40, 50, 60])
        let values = BilinearResize.planarValues(of: image, height: 1, width: 2)
        #expect(values == [10, 40, 20, 50, 30, 60].map { Float($0) / 255 })
    }

    @Test func downsamplingAveragesNeighbours() throws {
        // 4 → 2: each output centre falls halfway between two source pixels.
        let image = try DecodedImage(width: 4, height: 1, channels: 1, pixels: [0, 100, 200, 250])
        let values = BilinearResize.planarValues(of: image, height: 1, width: 2).map { $0 * 255 }
        #expect(abs(values[0] - 50) < 1e-3 && abs(values[1] - 225) < 1e-3, "\(values)")
    }
}
