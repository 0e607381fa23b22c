import Synchronization

/// A wake-up for one background loop from the work's makers in this process: a load that wrote
/// deliveries or record-feed changes raises it as it commits, and the webhook loop, waiting
/// between empty rounds, goes at once instead of at its next look. A raise with nobody waiting is
/// kept for the next wait; many raises before it are one. The loop still looks on its own at the
/// end of each wait (work made on another node, or by a path that does not raise).
public final class WorkSignal: Sendable {
    private struct State {
        var raised = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Work may be waiting: wakes the loop's wait, or its next one.
    public func raise() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.raised = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns once raised (at once when raised since the last wait), or after `timeout`. One
    /// waiter at a time.
    public func wait(upTo timeout: Duration) async {
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            raise()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.raised {
                    state.raised = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
