import Foundation

/// How workers show they are alive, and what happens to trials of workers that died.
public struct HeartbeatSettings: Sendable, Hashable {
    /// Seconds between heartbeats of a running trial; 0 turns heartbeats off.
    public var interval: TimeInterval
    /// A running trial whose last heartbeat is older than this is failed by the next worker that
    /// asks for a trial.
    public var gracePeriod: TimeInterval
    /// Whether such a trial is queued again (a waiting copy with the same parameters).
    public var requeue: Bool

    public init(interval: TimeInterval = 10, gracePeriod: TimeInterval = 60, requeue: Bool = false) {
        self.interval = interval
        self.gracePeriod = gracePeriod
        self.requeue = requeue
    }

    /// No heartbeats; running trials are never declared dead.
    public static let off = HeartbeatSettings(interval: 0, gracePeriod: .infinity, requeue: false)

    var isEnabled: Bool { interval > 0 && gracePeriod.isFinite }
}
