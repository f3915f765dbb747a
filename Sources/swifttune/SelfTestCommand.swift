import ArgumentParser
import Backend
import Parity
import SwiftTuneOptions

struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check every backend op and a few training steps on a device and on the CPU path.",
        discussion: """
            Runs every op of the backend, forward and backward, on fresh seeded random inputs of \
            odd shapes (the test suite's parity cases) on the chosen device and on the CPU path, \
            and compares each with a reference computed in Double on the host. Then trains a \
            small MLP and CNN for a few steps on the device and on the CPU path and compares the \
            losses. Prints one row per case (the largest error over its shapes, the tolerance, \
            and the milliseconds spent on the device) and exits with status 1 when any case fails.

            Examples:
              swifttune selftest
              swifttune selftest --device opencl:1 --json
            """)

    @OptionGroup var deviceOption: DeviceOption

    @Flag(name: .long, help: "Print one JSON object per case, then a summary object, instead of a table.")
    var json = false

    func run() throws {
        let device: any Device
        do {
            device = try deviceOption.selector().open()
        } catch let error as BackendError {
            throw ValidationError(error.description)
        }
        let selfTest = SelfTest(device: device)
        if !json {
            for target in selfTest.devices { print("\(target.identifier): \(target.name)") }
            print(SelfTestReport.header())
        }
        let summary = selfTest.run { result in
            if json {
                print(SelfTestReport.json(result))
            } else {
                SelfTestReport.lines(result).forEach { print($0) }
            }
        }
        print(json ? SelfTestReport.json(summary) : SelfTestReport.summary(summary))
        if !summary.succeeded { throw ExitCode.failure }
    }
}
