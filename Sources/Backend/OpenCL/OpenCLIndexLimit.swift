extension OpenCLDevice {
    /// The most elements a tensor may have for kernels that index with 32-bit `int`s (half the
    /// `int` range, so strided loops and block indices cannot overflow).
    static let maxKernelElements = Int(Int32.max) / 2

    /// Throws when `count` elements are too many for the 32-bit indices of the kernels.
    func checkKernelIndexRange(_ count: Int, op: String) throws {
        guard count <= Self.maxKernelElements else {
            throw BackendError.invalidArgument(
                op: op, detail: "\(count) elements exceed the \(Self.maxKernelElements) the OpenCL kernels can index")
        }
    }
}
