@testable import Backend
import Parity
import Testing
import TestSupport

/// The CPU's Winograd F(2×2, 3×3) and F(4×4, 3×3) paths against its im2col path, on sizes where
/// a wrong transform, a wrong tile border or a wrong flip of the backward weight shows.
@Suite struct WinogradConvolutionTests {
    /// Odd and even sizes, channel counts that are no multiple of 8, batch 1 and 3, padding 0 to 3
    /// (3 gives the backward pass a cropped, negative padding), rows of tiles shorter and longer
    /// than the 8 tiles the transforms take at a time (for either tile size).
    static let cases: [ConvCase] = [
        ConvCase([1, 3, 7, 9], filters: 5, kernel: (3, 3), Conv2DDescriptor(padding: 1)),
        ConvCase([3, 5, 9, 7], filters: 11, kernel: (3, 3), Conv2DDescriptor(padding: 0)),
        ConvCase([3, 13, 8, 11], filters: 6, kernel: (3, 3), Conv2DDescriptor(padding: 1), bias: false),
        ConvCase([1, 9, 5, 5], filters: 7, kernel: (3, 3), Conv2DDescriptor(paddingHeight: 2, paddingWidth: 0)),
        ConvCase([3, 4, 6, 3], filters: 3, kernel: (3, 3), Conv2DDescriptor(padding: 3)),
        ConvCase([1, 2, 3, 3], filters: 1, kernel: (3, 3), Conv2DDescriptor(padding: 0)),
        ConvCase([1, 3, 5, 37], filters: 9, kernel: (3, 3), Conv2DDescriptor(padding: 1)),
        ConvCase([3, 10, 6, 34], filters: 4, kernel: (3, 3), Conv2DDescriptor(padding: 0)),
        ConvCase([2, 6, 10, 35], filters: 5, kernel: (3, 3), Conv2DDescriptor(padding: 1)),
        ConvCase([2, 3, 14, 67], filters: 3, kernel: (3, 3), Conv2DDescriptor(padding: 1)),
    ]

    /// Runs `body` with Winograd forced on, in `tile`.
    private func winograd<T>(_ tile: WinogradTile, _ body: () throws -> T) rethrows -> T {
        try CPUDevice.$winogradOverride.withValue(true) { try CPUDevice.$winogradTileOverride.withValue(tile, operation: body) }
    }

    @Test(arguments: cases, WinogradTile.allCases)
    func forwardMatchesIm2col(convCase: ConvCase, tile: WinogradTile) throws {
        let device = CPUDevice()
        let convPlan = try plan(convCase)
        #expect(CPUDevice.$winogradOverride.withValue(true) { CPUDevice.usesWinograd(convPlan) })
        #expect(winograd(tile) { WinogradShape(forward: convPlan).tile } == tile)
        let values = convCase.values(seed: 211)
        for activation in [nil, UnaryOp.relu] {
            let winograd = try winograd(tile) { try convCase.runForward(values, activation: activation, on: device) }
            let im2col = try CPUDevice.$winogradOverride.withValue(false) {
                try convCase.runForward(values, activation: activation, on: device)
            }
            expectClose(
                winograd, im2col, tolerance: 1e-4, "forward \(convCase) tile \(tile) activation \(String(describing: activation))")
        }
    }

    @Test(arguments: cases, WinogradTile.allCases)
    func backwardInputMatchesIm2col(convCase: ConvCase, tile: WinogradTile) throws {
        let device = CPUDevice()
        let values = convCase.values(seed: 223)
        let winograd = try winograd(tile) { try convCase.runBackwardInput(values, on: device) }
        let im2col = try CPUDevice.$winogradOverride.withValue(false) { try convCase.runBackwardInput(values, on: device) }
        expectClose(winograd, im2col, tolerance: 1e-4, "backward input \(convCase) tile \(tile)")
    }

    @Test(arguments: cases, WinogradTile.allCases)
    func backwardWeightMatchesIm2col(convCase: ConvCase, tile: WinogradTile) throws {
        let device = CPUDevice()
        let values = convCase.values(seed: 229)
        let winograd = try winograd(tile) { try convCase.runBackwardWeight(values, on: device) }
        let im2col = try CPUDevice.$winogradOverride.withValue(false) { try convCase.runBackwardWeight(values, on: device) }
        expectClose(winograd, im2col, tolerance: 1e-4, "backward weight \(convCase) tile \(tile)")
    }

    /// The transforms' plain C build (CPUs without AVX2) gives what their AVX2 build gives.
    @Test(arguments: cases, WinogradTile.allCases)
    func plainTransformBuildMatchesIm2col(convCase: ConvCase, tile: WinogradTile) throws {
        let device = CPUDevice()
        let values = convCase.values(seed: 239)
        func run() throws -> [[Float]] {
            try CPUDevice.$winogradAVX2Override.withValue(false) {
                [
                    try convCase.runForward(values, on: device), try convCase.runBackwardInput(values, on: device),
                    try convCase.runBackwardWeight(values, on: device),
                ]
            }
        }
        let plain = try winograd(tile, run)
        let im2col = try CPUDevice.$winogradOverride.withValue(false, operation: run)
        for (index, pass) in ["forward", "backward input", "backward weight"].enumerated() {
            expectClose(plain[index], im2col[index], tolerance: 1e-4, "plain build \(pass) \(convCase) tile \(tile)")
        }
    }

    /// With `accumulate`, the Winograd weight gradient adds to what the gradient held.
    @Test(arguments: WinogradTile.allCases)
    func backwardWeightAccumulates(tile: WinogradTile) throws {
        let device = CPUDevice()
        let convCase = Self.cases[2]
        let values = convCase.values(seed: 233)
        let fresh = try winograd(tile) { try convCase.runBackwardWeight(values, on: device) }
        let start = (0..<fresh.count).map { Float($0 % 7) - 3 }
        let gradWeight = try Tensor(start, shape: convCase.weightShape, on: device)
        try winograd(tile) {
            try device.conv2dBackwardWeight(
                gradOutput: Tensor(values.upstream, shape: convCase.outputShape, on: device),
                input: Tensor(values.x, shape: convCase.input, on: device), convCase.descriptor, into: gradWeight,
                accumulate: true)
        }
        expectClose(try gradWeight.toArray(), zip(start, fresh).map { $0 + $1 }, tolerance: 1e-5, "accumulated weight gradient")
    }

    /// One image per chunk (the column limit bounds Winograd's scratch too) changes nothing.
    @Test(arguments: WinogradTile.allCases)
    func chunksGiveTheSameResults(tile: WinogradTile) throws {
        let device = CPUDevice()
        let convCase = Self.cases[1]
        let values = convCase.values(seed: 227)
        try winograd(tile) {
            let whole = try convCase.runForward(values, on: device)
            let wholeGradient = try convCase.runBackwardInput(values, on: device)
            let wholeWeightGradient = try convCase.runBackwardWeight(values, on: device)
            try ConvPlan.$columnLimitOverride.withValue(1) {
                expectClose(try convCase.runForward(values, on: device), whole, tolerance: 1e-6, "chunked forward")
                expectClose(try convCase.runBackwardInput(values, on: device), wholeGradient, tolerance: 1e-6, "chunked backward input")
                // F(4×4)'s weight gradient sums larger transformed values, so the order of the sum shows more.
                expectClose(
                    try convCase.runBackwardWeight(values, on: device), wholeWeightGradient, tolerance: tile == .four ? 5e-5 : 1e-5,
                    "chunked backward weight")
            }
        }
    }

    @Test func onlyStrideOneUndilatedThreeByThreeTakesWinograd() throws {
        let input = [2, 4, 9, 9]
        func uses(_ weight: [Int], _ descriptor: Conv2DDescriptor) throws -> Bool {
            let plan = try descriptor.plan(input: input, weight: weight, op: "test")
            return CPUDevice.$winogradOverride.withValue(true) { CPUDevice.usesWinograd(plan) }
        }
        #expect(try uses([3, 4, 3, 3], Conv2DDescriptor(padding: 1)))
        #expect(try !uses([3, 4, 3, 3], Conv2DDescriptor(stride: 2, padding: 1)))
        #expect(try !uses([3, 4, 3, 3], Conv2DDescriptor(padding: 2, dilation: 2)))
        #expect(try !uses([3, 4, 1, 1], Conv2DDescriptor()))
        #expect(try !uses([3, 4, 3, 5], Conv2DDescriptor(padding: 1)))
    }

    @Test func byDefaultFewChannelsOrFiltersTakeIm2col() throws {
        func uses(input: [Int], weight: [Int]) throws -> Bool {
            CPUDevice.usesWinograd(try Conv2DDescriptor(padding: 1).plan(input: input, weight: weight, op: "test"))
        }
        #expect(try !uses(input: [2, 1, 9, 9], weight: [32, 1, 3, 3]))
        #expect(try !uses(input: [2, 32, 9, 9], weight: [8, 32, 3, 3]))
        #expect(try uses(input: [2, 16, 9, 9], weight: [16, 16, 3, 3]) == CPUDevice.winogradEnabled)
    }

    /// By default F(4×4, 3×3) takes ResNet's sizes at batch 64 and a lone 16×16 image, F(2×2, 3×3)
    /// outputs of 2×2 (one F(4×4) tile would be mostly cut off) and a lone 4×4 image (the
    /// weight's transform outweighs the one tile).
    @Test func defaultTileFollowsTheTransformedValues() throws {
        func tile(batch: Int, size: Int, channels: Int = 64) throws -> WinogradTile {
            let plan = try Conv2DDescriptor(padding: 1).plan(
                input: [batch, channels, size, size], weight: [channels, channels, 3, 3], op: "test")
            return CPUDevice.cheaperWinogradTile(for: WinogradShape(forward: plan))
        }
        for size in [32, 16, 8, 4] { #expect(try tile(batch: 64, size: size) == .four) }
        #expect(try tile(batch: 1, size: 16) == .four)
        #expect(try tile(batch: 64, size: 2) == .two)
        #expect(try tile(batch: 1, size: 4) == .two)
    }

    private func plan(_ convCase: ConvCase) throws -> ConvPlan {
        try convCase.descriptor.plan(input: convCase.input, weight: convCase.weightShape, op: "test")
    }
}
