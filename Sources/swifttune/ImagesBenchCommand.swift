import ArgumentParser
import Foundation
import SwiftTuneBenchmarks
import Training

struct ImagesBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Measure the image input pipeline (decode, cached and lazy batches, augmentation) against a training step.",
        discussion: """
            PATH is a folder of class folders or a CSV of path,label (as data.images reads it). \
            Rows report images per second: decoding every file once on all cores, one epoch of \
            batches from the loader's prefetch thread (from the decoded-image cache, with \
            augmentation, and decoding every batch again without a cache), and samples per \
            second of a small CNN's training step on batches of the same shape on each device. \
            The pipeline keeps up when its rate is above the step's.

            Examples:
              scripts/make-digit-images /tmp/digits && swifttune bench images /tmp/digits --image-size 28,28
              swifttune bench images photos/ --channels 3 --image-size 64,64 --device cpu
            """)

    @Argument(help: "A folder of class folders, or a CSV file of path,label.")
    var path: String

    @Option(name: .long, help: "1 (gray) or 3 (RGB).")
    var channels = 1

    @Option(name: .long, help: ArgumentHelp("The samples' height,width.", valueName: "h,w"))
    var imageSize = "28,28"

    @Option(name: .long, help: "Images per batch.")
    var batchSize = 64

    @OptionGroup var options: BenchOptions

    func run() throws {
        let size = imageSize.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard size.count == 2 else { throw ValidationError("--image-size takes height,width, e.g. 28,28") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        let settings: ImageSettings
        do {
            settings = try ImageSettings(channels: channels, height: size[0], width: size[1])
        } catch {
            throw ValidationError("\(error)")
        }
        let list = try ImageFileList.load(URL(fileURLWithPath: path))
        let printer = options.printer()
        try ImagePipelineBenchmark(list: list, settings: settings, batchSize: batchSize, timing: options.timing)
            .run(on: options.devices(), report: printer.print)
    }
}
