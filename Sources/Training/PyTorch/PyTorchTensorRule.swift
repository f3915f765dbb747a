/// How a SwiftTune variable's values are laid out against the PyTorch tensor it stands for.
public enum PyTorchLayout: Sendable, Equatable {
    /// The same shape and order (convolution weights `[K, C, R, S]`, biases, norms).
    case same
    /// A matrix stored transposed: SwiftTune's `[inputs, outputs]` is PyTorch's `[outputs, inputs]`
    /// (`nn.Linear`, the input and hidden weights of `nn.LSTM` and `nn.GRU`).
    case transposed

    /// The PyTorch shape of a SwiftTune tensor of `shape`.
    func torchShape(of shape: [Int]) -> [Int] {
        switch self {
        case .same: shape
        case .transposed: shape.count == 2 ? [shape[1], shape[0]] : shape
        }
    }

    /// `values` of a SwiftTune tensor of `shape` in PyTorch's order.
    func toTorch(_ values: [Float], shape: [Int]) -> [Float] {
        switch self {
        case .same: values
        case .transposed: shape.count == 2 ? Self.transpose(values, rows: shape[0], columns: shape[1]) : values
        }
    }

    /// `values` of a PyTorch tensor in the order of a SwiftTune tensor of `shape`.
    func fromTorch(_ values: [Float], shape: [Int]) -> [Float] {
        switch self {
        case .same: values
        case .transposed: shape.count == 2 ? Self.transpose(values, rows: shape[1], columns: shape[0]) : values
        }
    }

    /// The `columns × rows` transpose of a row-major `rows × columns` matrix.
    private static func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            for column in 0..<columns { result[column * rows + row] = values[row * columns + column] }
        }
        return result
    }
}

/// The PyTorch name and layout of one variable of a SwiftTune layer: `weight` of a `dense`
/// layer is `weight` of an `nn.Linear`, transposed.
public struct PyTorchTensorRule: Sendable, Equatable {
    /// The variable's name in SwiftTune (`gamma`, `running_var`, `weight`).
    public let variable: String
    /// Its name inside the PyTorch module (`weight`, `running_var`, `weight_ih_l0`).
    public let torchName: String
    public let layout: PyTorchLayout

    public init(_ variable: String, _ torchName: String, _ layout: PyTorchLayout = .same) {
        self.variable = variable
        self.torchName = torchName
        self.layout = layout
    }
}

/// The table of PyTorch names of every SwiftTune layer kind's variables. A variable of a kind
/// the table does not list keeps its own name and layout. Extend the table when a layer is
/// added; nothing else needs to change.
public enum PyTorchNameRules {
    /// Rules by layer kind (`Layer.kind`).
    public static let layers: [String: [PyTorchTensorRule]] = [
        "dense": [PyTorchTensorRule("weight", "weight", .transposed), PyTorchTensorRule("bias", "bias")],
        "conv2d": [PyTorchTensorRule("weight", "weight"), PyTorchTensorRule("bias", "bias")],
        "batchnorm1d": batchNorm,
        "batchnorm2d": batchNorm,
        "layernorm": [PyTorchTensorRule("weight", "weight"), PyTorchTensorRule("bias", "bias")],
        "embedding": [PyTorchTensorRule("weight", "weight")],
        // nn.LSTM and nn.GRU, one layer (suffix _l0): SwiftTune keeps the input and hidden
        // weights as [inputs, gates·hidden], PyTorch as [gates·hidden, inputs], the gates stacked
        // in the same order (LSTM i, f, g, o; GRU r, z, n). A learned initial state
        // (`initial_h`, `initial_c`) has no PyTorch counterpart.
        "lstm": recurrent,
        "gru": recurrent,
        // nn.MultiheadAttention (SwiftTune's `attention`): the query, key and value projections
        // stacked in one matrix, SwiftTune's [dim, 3·dim] the transpose of PyTorch's.
        "attention": [
            PyTorchTensorRule("in_proj_weight", "in_proj_weight", .transposed), PyTorchTensorRule("in_proj_bias", "in_proj_bias"),
            PyTorchTensorRule("out_proj.weight", "out_proj.weight", .transposed), PyTorchTensorRule("out_proj.bias", "out_proj.bias"),
        ],
    ]

    /// Tensors of PyTorch state dicts that SwiftTune has no use for, by their last name part.
    public static let ignoredTorchNames: Set<String> = ["num_batches_tracked"]

    private static let batchNorm = [
        PyTorchTensorRule("gamma", "weight"), PyTorchTensorRule("beta", "bias"),
        PyTorchTensorRule("running_mean", "running_mean"), PyTorchTensorRule("running_var", "running_var"),
    ]

    private static let recurrent = [
        PyTorchTensorRule("weight_ih", "weight_ih_l0", .transposed), PyTorchTensorRule("weight_hh", "weight_hh_l0", .transposed),
        PyTorchTensorRule("bias_ih", "bias_ih_l0"), PyTorchTensorRule("bias_hh", "bias_hh_l0"),
    ]

    /// The rule for `variable` of a layer of `kind`: the table's, else the variable's own name.
    static func rule(kind: String, variable: String) -> PyTorchTensorRule {
        layers[kind]?.first { $0.variable == variable } ?? PyTorchTensorRule(variable, variable)
    }
}
