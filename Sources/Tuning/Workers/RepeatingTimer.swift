import Dispatch
import Synchronization

/// Calls an action every `interval` seconds on a dispatch queue (not the Swift concurrency
/// pool, which busy objectives and samplers may occupy) until cancelled.
final class RepeatingTimer: Sendable {
    private let source: Mutex<any DispatchSourceTimer>

    init(interval: Double, _ action: @escaping @Sendable () -> Void) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler(handler: action)
        timer.resume()
        source = Mutex(timer)
    }

    func cancel() {
        source.withLock { $0.cancel() }
    }

    deinit {
        cancel()
    }
}
