import ArgumentParser
import Backend

/// The `--device` option every verb that runs ops shares.
public struct DeviceOption: ParsableArguments {
    @Option(name: .long, help: "cpu, opencl, opencl:N or auto (default: $SWIFTTUNE_DEVICE, else auto).", transform: DeviceOption.parse)
    public var device: DeviceSelector?

    public init() {}

    /// The selector from the flag, else from the environment.
    public func selector() throws -> DeviceSelector {
        if let device { return device }
        do {
            return try DeviceSelector.fromEnvironment()
        } catch let BackendError.invalidArgument(_, detail) {
            throw ValidationError("\(DeviceSelector.environmentVariable): \(detail)")
        }
    }

    static func parse(_ text: String) throws -> DeviceSelector {
        do {
            return try DeviceSelector(parsing: text)
        } catch let BackendError.invalidArgument(_, detail) {
            throw ValidationError(detail)
        }
    }
}
