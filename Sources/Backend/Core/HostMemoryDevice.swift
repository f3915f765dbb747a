/// A device whose tensors live in host memory, so host code reads and writes them without a
/// transfer: the CPU path. Layers that have a host kernel of their own (the int8 GEMM of a
/// quantized dense layer) run it on such a device and fall back to device ops elsewhere.
public protocol HostMemoryDevice: Device {}

extension CPUDevice: HostMemoryDevice {}
