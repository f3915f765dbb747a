// swift-tools-version: 6.1
import PackageDescription

// A package that uses SwiftTune the way any other package would: by git URL and version.
// In your own package, write SwiftTune's URL in place of `swiftTuneURL`. Here the URL comes from
// SWIFTTUNE_URL (scripts/test points it at a tagged clone), else it is the checkout this example
// sits in, which then needs a tag 0.1.0 or later.
let swiftTuneURL = Context.environment["SWIFTTUNE_URL"]
    ?? "file://" + Context.packageDirectory.split(separator: "/").dropLast(2).map { "/" + $0 }.joined()

// SwiftPM names a package dependency after the last part of its URL, without ".git".
let swiftTunePackage = String(
    swiftTuneURL.split(separator: "/").last.map { $0.hasSuffix(".git") ? $0.dropLast(4) : $0 } ?? "SwiftTune")

let package = Package(
    name: "SwiftTuneConsumer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: swiftTuneURL, from: "0.1.0"),
    ],
    targets: [
        .executableTarget(
            name: "TrainDigits",
            dependencies: [
                .product(name: "Backend", package: swiftTunePackage),
                .product(name: "NN", package: swiftTunePackage),
                .product(name: "Training", package: swiftTunePackage),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
