import ArgumentParser
import Backend

/// The `--device` option every verb that runs ops shares.
struct DeviceOption: ParsableArguments {
    @Option(name: .long, help: "cpu, opencl, opencl:N or auto (default: $SWIFTTUNE_DEVICE, else auto).")
    var device: String?

    /// The selector from the flag, else from the environment.
    func selector() throws -> DeviceSelector {
        do {
            if let device { return try DeviceSelector(parsing: device) }
            return try DeviceSelector.fromEnvironment()
        } catch let error as BackendError {
            throw ValidationError(error.description)
        }
    }
}
