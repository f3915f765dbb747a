import ArgumentParser
import Backend

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the CPU path and every OpenCL platform and device.")

    @Flag(name: .long, help: "Print one JSON object per device instead of a table.")
    var json = false

    func run() throws {
        let report = DeviceReport.collect()
        print(json ? report.json() : report.text())
    }
}
