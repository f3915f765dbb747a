import Backend
import Foundation

/// The elementwise ops in Double, written independently of the backend.
public enum ElementwiseReference {
    /// `op(x)`.
    public static func unary(_ op: UnaryOp, _ x: Double) -> Double {
        switch op {
        case .relu: Swift.max(x, 0)
        case let .leakyRelu(slope): x > 0 ? x : x * Double(slope)
        case .sigmoid: x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        case .tanh: Foundation.tanh(x)
        case .gelu: 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .sqrt: x.squareRoot()
        case .neg: -x
        case .abs: Swift.abs(x)
        case .square: x * x
        }
    }

    /// `op'(x)`.
    public static func derivative(_ op: UnaryOp, _ x: Double) -> Double {
        switch op {
        case .relu: x > 0 ? 1 : 0
        case let .leakyRelu(slope): x > 0 ? 1 : Double(slope)
        case .sigmoid: unary(.sigmoid, x) * (1 - unary(.sigmoid, x))
        case .tanh: 1 - Foundation.tanh(x) * Foundation.tanh(x)
        case .gelu: 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) + x * Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        case .exp: Foundation.exp(x)
        case .log: 1 / x
        case .sqrt: 0.5 / x.squareRoot()
        case .neg: -1
        case .abs: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .square: 2 * x
        }
    }

    /// `op(a, b)`.
    public static func binary(_ op: BinaryOp, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .sub: a - b
        case .mul: a * b
        case .div: a / b
        case .max: Swift.max(a, b)
        case .min: Swift.min(a, b)
        case .pow: Foundation.pow(a, b)
        }
    }

    /// The shape NumPy broadcasting gives two compatible shapes.
    public static func broadcastShape(_ shapeA: [Int], _ shapeB: [Int]) -> [Int] {
        let rank = Swift.max(shapeA.count, shapeB.count)
        return zip(padded(shapeA, to: rank), padded(shapeB, to: rank)).map { Swift.max($0, $1) }
    }

    /// `op(a, b)` with NumPy broadcasting, element by element.
    public static func broadcast(_ op: BinaryOp, _ a: [Float], _ shapeA: [Int], _ b: [Float], _ shapeB: [Int]) -> [Double] {
        let shape = broadcastShape(shapeA, shapeB)
        let rank = shape.count
        let paddedA = padded(shapeA, to: rank)
        let paddedB = padded(shapeB, to: rank)
        let count = shape.reduce(1, *)
        var result: [Double] = []
        result.reserveCapacity(count)
        for flat in 0..<count {
            var rest = flat
            var indexA = 0, indexB = 0, strideA = 1, strideB = 1
            for d in (0..<rank).reversed() {
                let position = rest % shape[d]
                rest /= shape[d]
                indexA += (paddedA[d] == 1 ? 0 : position) * strideA
                indexB += (paddedB[d] == 1 ? 0 : position) * strideB
                strideA *= paddedA[d]
                strideB *= paddedB[d]
            }
            result.append(binary(op, Double(a[indexA]), Double(b[indexB])))
        }
        return result
    }

    /// `shape` with leading 1s up to `rank` dimensions.
    private static func padded(_ shape: [Int], to rank: Int) -> [Int] {
        [Int](repeating: 1, count: rank - shape.count) + shape
    }
}
