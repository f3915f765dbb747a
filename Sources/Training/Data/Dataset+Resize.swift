extension Dataset {
    /// The images resized to `shape` (`[channels, height, width]`) by nearest neighbour: each
    /// output pixel takes the input pixel under its centre, and a one-channel image is repeated
    /// into every channel (the 8×8 digits as 3×32×32 images for models made for such inputs).
    public func resizedImages(to shape: [Int]) throws -> Dataset {
        guard featureShape.count == 3, shape.count == 3, shape.allSatisfy({ $0 > 0 }),
              featureShape[0] == shape[0] || featureShape[0] == 1
        else {
            throw DataError.invalidArgument(
                op: "resize",
                detail: "cannot resize samples of shape \(featureShape) to \(shape): both must be [channels, height, width], with the same channels or one channel to repeat")
        }
        let (inChannels, inHeight, inWidth) = (featureShape[0], featureShape[1], featureShape[2])
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let rows = (0..<height).map { ($0 * 2 + 1) * inHeight / (2 * height) }
        let columns = (0..<width).map { ($0 * 2 + 1) * inWidth / (2 * width) }
        var resized = [Float]()
        resized.reserveCapacity(count * channels * height * width)
        for sample in 0..<count {
            let image = features(of: sample)
            for channel in 0..<channels {
                let plane = image.startIndex + (inChannels == 1 ? 0 : channel) * inHeight * inWidth
                for row in rows {
                    for column in columns { resized.append(image[plane + row * inWidth + column]) }
                }
            }
        }
        return try Dataset(features: resized, featureShape: shape, targets: targets, task: task, info: info)
    }
}
