import Backend
import SwiftTuneOptions
import Testing

@Suite struct DeviceOptionTests {
    @Test(arguments: [
        (["--device", "tpu"], "The value 'tpu' is invalid for '--device <device>': 'tpu' is not a device; use cpu, opencl, opencl:N or auto"),
        (["--device", "opencl:-1"], "The value 'opencl:-1' is invalid for '--device <device>': 'opencl:-1' is not a device; use cpu, opencl, opencl:N or auto"),
        (["--device"], "Missing value for '--device <device>'"),
        (["--device", "opencl:1"], "accepted"),
    ])
    func aDeviceThatIsNotOneIsRefusedWhenParsed(arguments: [String], message: String) {
        #expect(parsedMessage(DeviceOption.self, arguments) == message)
    }

    @Test func theFlagChoosesTheDevice() throws {
        #expect(try DeviceOption.parse(["--device", "opencl:1"]).selector() == .openCLIndex(1))
        #expect(try DeviceOption.parse(["--device", "CPU"]).selector() == .cpu)
    }
}
