// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SwiftTune",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swifttune", targets: ["swifttune"]),
        .library(name: "Backend", targets: ["Backend"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "Training", targets: ["Training"]),
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
        // Layer 3: the CPU GEMM's packing and register kernels in C, the x86-64 register tile in
        // AVX2 and FMA assembly (Backend runs it only on CPUs that have both): no compiler flags,
        // which SwiftPM refuses in a package that another one depends on by version, and fast in
        // debug builds too. CPUKernels is their Swift face.
        .target(name: "CGemmKernels"),
        .target(name: "CPUKernels", dependencies: ["CGemmKernels"]),
        // The CPU's Winograd transform loops in C, built a second time for AVX2 and FMA through a
        // target attribute (no compiler flag); Backend picks the build by the CPU.
        .target(name: "CWinogradKernels"),
        // The LSTM cell's loops and their exp, sigmoid and tanh in C, built twice in the same way.
        .target(name: "CLSTMKernels"),
        // Layer 2 + 3: the device abstraction; the OpenCL C sources in Kernels/ ship as resources.
        .target(
            name: "Backend",
            dependencies: ["COpenCL", "CPUKernels", "CWinogradKernels", "CLSTMKernels"],
            // Sources/Backend/Kernels links to the top-level Kernels/ folder.
            resources: [.copy("Kernels")]
        ),
        // Layer 4: autograd, layers, losses, optimizers.
        .target(name: "NN", dependencies: ["Backend"]),
        // zlib, for reading gzip-compressed data files (MNIST ships as .gz).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // PNG and JPEG through Debian's libpng and libjpeg-turbo (C wrappers that report errors
        // instead of exiting); linking by name needs no unsafe flags.
        .target(name: "CImageCodecs", linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg")]),
        // Layer 5: data sets, loaders, metrics, checkpoints, history (the Trainer joins it).
        .target(
            name: "Training",
            dependencies: ["Backend", "NN", "CZlib", "CImageCodecs", .product(name: "Yams", package: "Yams")],
            // The bundled data sets (CSV files) and their README with licences and sources.
            resources: [.copy("Resources")]
        ),
        // PostgreSQL's C client library, for the tuning layer's PostgreSQL storage.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        // pipe2 and posix_spawn's chdir, for starting command objectives in process groups of their own.
        .systemLibrary(name: "CSpawn", path: "Sources/CSpawn"),
        // Layer 6: search spaces, samplers, pruners, studies and their storages. No device code:
        // the training objective runs descriptions through Training and picks a device by name.
        .target(
            name: "Tuning",
            dependencies: [
                "Backend",
                "Training",
                "CLibPQ",
                "CSpawn",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The parity cases (every op against a Double reference on the host), shared by the
        // test suite and `swifttune selftest`. Optimized in debug builds too: the references
        // run in Double over million-element tensors. (An unsafe flag, so only the swifttune
        // executable, not the library products, can be used through a version requirement.)
        .target(
            name: "Parity", dependencies: ["Backend", "NN"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "SwiftTuneBenchmarks",
            dependencies: ["Backend", "NN", "Training", "Tuning"],
            path: "Benchmarks"
        ),
        // The command-line options the swifttune verbs share (the device, a training description
        // and its overrides, a study's storage), parsed and checked outside the executable so
        // tests can parse them.
        .target(
            name: "SwiftTuneOptions",
            dependencies: [
                "Backend", "Training", "Tuning", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "swifttune",
            dependencies: [
                "Backend",
                "Training",
                "Parity",
                "SwiftTuneBenchmarks",
                "SwiftTuneOptions",
                "Tuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Backend", "Parity"], path: "Tests/TestSupport"),
        .testTarget(name: "BackendTests", dependencies: ["Backend", "CLSTMKernels", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Backend", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "NN", "Backend", "TestSupport"]),
        .testTarget(name: "TuningTests", dependencies: ["Tuning", "Training", "TestSupport"]),
        .testTarget(
            name: "SwiftTuneOptionsTests",
            dependencies: [
                "SwiftTuneOptions", "Backend", "Training", "Tuning", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
