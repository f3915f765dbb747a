import Backend
import Foundation

/// The pixel operations of `ImageAugmentation` on one planar image (`channels` planes of
/// `height × width` floats), each in place.
struct ImageGeometry {
    let channels: Int
    let height: Int
    let width: Int

    var planeSize: Int { height * width }

    /// Resamples `region` (bilinear) to the full size.
    func resizeToFull(_ pixels: UnsafeMutableBufferPointer<Float>, region: BilinearResize.Region) {
        let source = Array(pixels)
        source.withUnsafeBufferPointer { source in
            BilinearResize.resample(
                source, channels: channels, sourceHeight: height, sourceWidth: width, region: region, height: height,
                width: width, into: pixels)
        }
    }

    /// Shifts by whole pixels, then mirrors; pixels from outside take `fill`.
    func move(
        _ pixels: UnsafeMutableBufferPointer<Float>, shiftY: Int, shiftX: Int, flip: Bool, verticalFlip: Bool, fill: Float
    ) {
        var plane = [Float](repeating: 0, count: planeSize)
        for channel in 0..<channels {
            let base = channel * planeSize
            for y in 0..<height {
                let shiftedY = (verticalFlip ? height - 1 - y : y) - shiftY
                for x in 0..<width {
                    let shiftedX = x - shiftX
                    let sourceX = flip ? width - 1 - shiftedX : shiftedX
                    let inside = (0..<height).contains(shiftedY) && (0..<width).contains(sourceX)
                    plane[y * width + x] = inside ? pixels[base + shiftedY * width + sourceX] : fill
                }
            }
            for index in 0..<planeSize { pixels[base + index] = plane[index] }
        }
    }

    /// Turns the image by `degrees` (counter-clockwise as displayed, rows top to bottom) about
    /// its centre, sampling bilinearly; pixels from outside take `fill`.
    func rotate(_ pixels: UnsafeMutableBufferPointer<Float>, degrees: Float, fill: Float) {
        let radians = Double(degrees) * .pi / 180
        let (sine, cosine) = (sin(radians), cos(radians))
        let centerX = Double(width - 1) / 2
        let centerY = Double(height - 1) / 2
        let source = Array(pixels)
        func value(_ channel: Int, _ y: Int, _ x: Int) -> Float {
            (0..<height).contains(y) && (0..<width).contains(x) ? source[channel * planeSize + y * width + x] : fill
        }
        for y in 0..<height {
            for x in 0..<width {
                // The output pixel's source: the inverse rotation of its offset from the centre.
                let dx = Double(x) - centerX
                let dy = Double(y) - centerY
                let sourceX = cosine * dx - sine * dy + centerX
                let sourceY = sine * dx + cosine * dy + centerY
                let left = Int(sourceX.rounded(.down))
                let top = Int(sourceY.rounded(.down))
                let wx = Float(sourceX - Double(left))
                let wy = Float(sourceY - Double(top))
                for channel in 0..<channels {
                    let upper = value(channel, top, left) * (1 - wx) + value(channel, top, left + 1) * wx
                    let lower = value(channel, top + 1, left) * (1 - wx) + value(channel, top + 1, left + 1) * wx
                    pixels[channel * planeSize + y * width + x] = upper * (1 - wy) + lower * wy
                }
            }
        }
    }

    /// Scales each channel around its mean by `factor`.
    func scaleContrast(_ pixels: UnsafeMutableBufferPointer<Float>, factor: Float) {
        for channel in 0..<channels {
            let range = (channel * planeSize)..<((channel + 1) * planeSize)
            var sum: Double = 0
            for index in range { sum += Double(pixels[index]) }
            let mean = Float(sum / Double(planeSize))
            for index in range { pixels[index] = (pixels[index] - mean) * factor + mean }
        }
    }

    /// Blends each pixel of a 3-channel image with its gray value: `gray + (value − gray) · factor`.
    func scaleSaturation(_ pixels: UnsafeMutableBufferPointer<Float>, factor: Float) {
        guard channels == 3 else { return }
        for index in 0..<planeSize {
            let (red, green, blue) = (pixels[index], pixels[planeSize + index], pixels[2 * planeSize + index])
            let gray = 0.299 * red + 0.587 * green + 0.114 * blue
            pixels[index] = gray + (red - gray) * factor
            pixels[planeSize + index] = gray + (green - gray) * factor
            pixels[2 * planeSize + index] = gray + (blue - gray) * factor
        }
    }

    /// Sets `rows × columns` of every channel to `value`.
    func fill(_ pixels: UnsafeMutableBufferPointer<Float>, rows: Range<Int>, columns: Range<Int>, value: Float) {
        for channel in 0..<channels {
            for y in rows {
                for x in columns { pixels[channel * planeSize + y * width + x] = value }
            }
        }
    }

    /// Draws a rectangle of area `scale` (a fraction of the image's) and aspect ratio
    /// (width / height, log-uniform) from `ratio` that fits in the image, with its top-left
    /// corner; nil after ten misses.
    func randomRectangle(
        scale: ClosedRange<Float>, ratio: ClosedRange<Float>, using generator: inout PhiloxGenerator
    ) -> (rows: Range<Int>, columns: Range<Int>)? {
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        for _ in 0..<10 {
            let area = Float(planeSize) * generator.nextFloat(in: scale)
            let aspect = exp(generator.nextFloat(in: logRatio))
            let boxWidth = Int((area * aspect).squareRoot().rounded())
            let boxHeight = Int((area / aspect).squareRoot().rounded())
            guard boxWidth > 0, boxHeight > 0, boxWidth <= width, boxHeight <= height else { continue }
            let top = generator.nextIndex(below: height - boxHeight + 1)
            let left = generator.nextIndex(below: width - boxWidth + 1)
            return (top..<(top + boxHeight), left..<(left + boxWidth))
        }
        return nil
    }
}

extension ImageAugmentation.ResizedCrop {
    /// The part to crop: a random rectangle, or the whole image when none was found.
    func region(in image: ImageGeometry, using generator: inout PhiloxGenerator) -> BilinearResize.Region {
        guard let box = image.randomRectangle(scale: scale, ratio: ratio, using: &generator) else {
            return BilinearResize.Region(x: 0, y: 0, width: Double(image.width), height: Double(image.height))
        }
        return BilinearResize.Region(
            x: Double(box.columns.lowerBound), y: Double(box.rows.lowerBound), width: Double(box.columns.count),
            height: Double(box.rows.count))
    }
}

extension ImageAugmentation.Erasing {
    /// The rectangle to erase, or nil when this image is left alone.
    func region(in image: ImageGeometry, using generator: inout PhiloxGenerator) -> (rows: Range<Int>, columns: Range<Int>)? {
        guard generator.nextUnitFloat() < probability else { return nil }
        return image.randomRectangle(scale: scale, ratio: ratio, using: &generator)
    }
}
