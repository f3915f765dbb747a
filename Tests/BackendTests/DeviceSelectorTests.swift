import Backend
import Testing

@Suite struct DeviceSelectorTests {
    @Test func parsesEverySelector() throws {
        #expect(try DeviceSelector(parsing: "cpu") == .cpu)
        #expect(try DeviceSelector(parsing: "OpenCL") == .openCL)
        #expect(try DeviceSelector(parsing: "opencl:3") == .openCLIndex(3))
        #expect(try DeviceSelector(parsing: "auto") == .auto)
        #expect(throws: BackendError.self) { try DeviceSelector(parsing: "gpu7") }
    }

    @Test func missingDeviceListsTheOnesThatExist() {
        do {
            _ = try DeviceSelector.openCLIndex(99).open()
            Issue.record("opening opencl:99 should fail")
        } catch let error as BackendError {
            guard case let .unknownDevice(requested, available) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(requested == "opencl:99")
            #expect(available.contains("cpu"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
