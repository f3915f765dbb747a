/// A block of device memory holding `count` Float32 values. Each device has its own concrete type.
public protocol DeviceBuffer: AnyObject, Sendable {
    /// Number of Float32 elements the buffer holds.
    var count: Int { get }
}
