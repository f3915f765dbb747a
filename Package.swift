// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SwiftTune",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swifttune", targets: ["swifttune"]),
        .library(name: "Backend", targets: ["Backend"]),
        .library(name: "Tuning", targets: ["Tuning"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Layer 1: OpenCL headers and CLBlast's C API.
        .systemLibrary(name: "COpenCL", path: "Sources/COpenCL"),
        // Layer 2 + 3: the device abstraction; the OpenCL C sources in Kernels/ ship as resources.
        .target(
            name: "Backend",
            dependencies: ["COpenCL"],
            // Sources/Backend/Kernels links to the top-level Kernels/ folder.
            resources: [.copy("Kernels")]
        ),
        // PostgreSQL's C client library, for the tuning layer's PostgreSQL storage.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        // Layer 6: search spaces, samplers, pruners, studies and their storages. No device code.
        .target(
            name: "Tuning",
            dependencies: [
                "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "SwiftTuneBenchmarks",
            dependencies: ["Backend"],
            path: "Benchmarks"
        ),
        .executableTarget(
            name: "swifttune",
            dependencies: [
                "Backend",
                "SwiftTuneBenchmarks",
                "Tuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Backend"], path: "Tests/TestSupport"),
        .testTarget(name: "BackendTests", dependencies: ["Backend", "TestSupport"]),
        .testTarget(name: "TuningTests", dependencies: ["Tuning"]),
    ],
    swiftLanguageModes: [.v6]
)
