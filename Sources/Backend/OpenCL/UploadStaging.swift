import COpenCL
import Foundation

/// Host memory holding the values of one non-blocking upload until the device has read them.
///
/// `OpenCLDevice.write` copies the caller's values here, enqueues the write without waiting, and
/// hands the memory to the write's completion callback, which frees it. The host therefore never
/// waits for the queue to drain when it uploads a batch.
final class UploadStaging {
    private let memory: UnsafeMutableBufferPointer<Float>

    /// A copy of `values`, for an upload to `device`; throws `BackendError.outOfMemory` when
    /// the host cannot give the memory.
    init(copying values: UnsafeBufferPointer<Float>, for device: String) throws {
        let bytes = values.count * MemoryLayout<Float>.stride
        guard let raw = malloc(Swift.max(bytes, 1)) else {
            throw BackendError.outOfMemory(
                device: "the host (staging an upload to \(device))", requestedBytes: bytes,
                availableBytes: HostMemory.availableBytes())
        }
        memory = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: values.count), count: values.count)
        _ = memory.initialize(from: values)
    }

    deinit { free(memory.baseAddress) }

    /// The first staged value.
    var base: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(memory.baseAddress) }

    /// Keeps the staged values alive until `event` completes (successfully or not), then frees
    /// them and the event. Without an event (the enqueue failed) they are freed with `self`.
    func release(whenComplete event: cl_event?) throws {
        guard let event else { return }
        let owner = Unmanaged.passRetained(self).toOpaque()
        let status = clSetEventCallback(event, CL_COMPLETE, { event, _, owner in
            if let owner { Unmanaged<UploadStaging>.fromOpaque(owner).release() }
            clReleaseEvent(event)
        }, owner)
        guard status == CL_SUCCESS else {
            // No callback will come: wait for the write here and free everything now.
            var pending: cl_event? = event
            clWaitForEvents(1, &pending)
            clReleaseEvent(event)
            Unmanaged<UploadStaging>.fromOpaque(owner).release()
            try checkCL(status, "clSetEventCallback")
            return
        }
    }
}
