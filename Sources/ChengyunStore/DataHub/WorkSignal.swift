import Synchronization

/// A wake-up for background loops from the work's makers in this process: a load that wrote
/// deliveries or record-feed changes raises it as it commits, and the webhook loop, waiting
/// between empty rounds, goes at once instead of at its next look. A raise wakes every wait under
/// way; with none, it is kept for the next wait, and many raises before it are one. A loop still
/// looks on its own when its wait times out (work made on another node, or by a path that does
/// not raise).
public final class WorkSignal: Sendable {
    private struct State {
        var raised = false
        var next: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Work may be waiting: wakes the waits under way, or else the next one.
    public func raise() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.raised = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once raised (at once when raised since the last wait), or after `timeout`.
    public func wait(upTo timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> UInt64? in
                if state.raised {
                    state.raised = false
                    return nil
                }
                defer { state.next += 1 }
                state.waiters[state.next] = continuation
                return state.next
            }
            guard let id else { return continuation.resume() }
            // Its own wait's timeout, started once the wait is in place, and ending it only if it
            // still waits (left to run out when a raise came first: it is short).
            Task { [self] in
                try? await Task.sleep(for: timeout)
                state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
            }
        }
    }
}
