import Foundation
import Synchronization

/// Threads that stay between the parts of a loop of many short parallel steps (an LSTM's time
/// steps, a fraction of a millisecond each, and every `parallelFor`): a helper that has finished
/// its part spins for a while for the next step before it sleeps, so a step starts without
/// waking a thread, where a dispatch would wake one at every step.
///
/// `run(_:)` runs `size` parts, each once, on whichever thread claims it first: on an idle
/// machine the caller and each spinning helper run one part, and where another process holds a
/// helper up, the caller runs that helper's part itself instead of waiting for it. One step at a
/// time: a caller that finds the team busy (another thread's loop, or a step inside a step) runs
/// every part itself.
final class CPUStepTeam: @unchecked Sendable {
    /// Threads that run the parts, the caller's included.
    let size: Int
    /// Atomic loads a helper spins for the next step before it sleeps (some tens of microseconds).
    private static let spinLimit = 1 << 16
    /// The number of the step posted last; -1 tells the helpers to end.
    private let posted = Atomic<Int>(0)
    /// The step's number times `claimStride` plus the parts claimed so far.
    private let claims = Atomic<Int>(0)
    private static let claimStride = 1 << 16
    /// Parts of the current step that have run.
    private let finished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// The current step's body, set before its number is posted and cleared once every part ran.
    private var body: ((Int) -> Void)?
    /// Guards `sleepers` and wakes sleeping helpers.
    private let condition = NSCondition()
    private var sleepers = 0

    /// A team of `size` threads: the caller and `size - 1` helpers, started now.
    init(size: Int) {
        self.size = size
        for part in 1..<max(1, size) {
            let thread = Thread { [self] in helperLoop() }
            thread.name = "swifttune-step-\(part)"
            thread.start()
        }
    }

    /// Runs `body(part)` for every part in `0..<size` on the calling thread and the helpers, and
    /// returns once all have run.
    func run(_ body: (Int) -> Void) {
        guard size > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for part in 0..<size { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            self.body = body
            finished.store(0, ordering: .relaxed)
            let step = posted.load(ordering: .relaxed) + 1
            claims.store(step * Self.claimStride, ordering: .relaxed)
            condition.lock()
            posted.store(step, ordering: .releasing)
            if sleepers > 0 { condition.broadcast() }
            condition.unlock()
            runClaimedParts(of: step)
            var spins = 0
            while finished.load(ordering: .acquiring) < size {
                spins += 1
                // A helper another process holds up gets the core sooner.
                if spins > Self.spinLimit { sched_yield() }
            }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Ends the helpers once they have finished the step they are running.
    func stop() {
        condition.lock()
        posted.store(-1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    private func helperLoop() {
        var seen = 0
        while true {
            var spins = 0
            var current = posted.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins > Self.spinLimit {
                    condition.lock()
                    sleepers += 1
                    while posted.load(ordering: .acquiring) == seen { condition.wait() }
                    sleepers -= 1
                    condition.unlock()
                    spins = 0
                }
                current = posted.load(ordering: .acquiring)
            }
            guard current >= 0 else { return }
            seen = current
            runClaimedParts(of: current)
        }
    }

    /// Claims and runs parts of step `step` until none is left (or a later step is posted).
    private func runClaimedParts(of step: Int) {
        while true {
            let claim = claims.load(ordering: .acquiring)
            let part = claim - step * Self.claimStride
            guard (0..<size).contains(part) else { return }
            guard claims.compareExchange(expected: claim, desired: claim + 1, ordering: .acquiringAndReleasing).exchanged else { continue }
            body?(part)
            finished.add(1, ordering: .releasing)
        }
    }
}
